/** What a command writes to process.stdout while `run` runs (restored afterwards, also on failure). */
export async function captureStdout<T>(run: () => Promise<T>): Promise<{ value: T; out: string }> {
  let out = "";
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    return { value: await run(), out };
  } finally {
    process.stdout.write = write;
  }
}
