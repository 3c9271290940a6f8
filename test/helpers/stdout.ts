import { deriveCommand } from "../../lib/src/commands/derive";

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

/** What `gaitid derive ARGS` prints (it must exit 0). */
export async function deriveOutput(args: string[]): Promise<string> {
  const { value, out } = await captureStdout(() => deriveCommand.run(args));
  if (value !== 0) throw new Error(`gaitid derive ${args.join(" ")} exited with ${value}`);
  return out;
}
