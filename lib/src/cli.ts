/**
 * The `gaitid` command line: dispatches to the commands registered in src/commands/index.ts,
 * loading only the one that runs.
 */
import { COMMANDS } from "./commands";
import { EXIT, GaitidError, show } from "./errors";

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length), 8);
  return [
    "gaitid: identifiability of gait parameters from Geyer's spring-mass walker (arXiv 2307.11332)",
    "",
    "usage: gaitid <command> [options]    (gaitid <command> --help for its options)",
    "",
    "commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    `exit codes: ${EXIT.OK} done, ${EXIT.FAILURE} the work failed, ${EXIT.USAGE} bad input (nothing done), ` +
      `${EXIT.INTERRUPTED} interrupted (Ctrl-C), ${EXIT.TERMINATED} terminated`,
  ].join("\n");
}

/**
 * Resolves when everything written to `stream` so far has been handed to the system. A pipe takes
 * 64 KiB at once; the rest waits in the stream, and the process.exit that follows main() would drop
 * it (a long walk's JSON would end mid-number).
 */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.writableLength === 0) return Promise.resolve();
  return new Promise((resolve) => stream.write("", () => resolve()));
}

/** Runs the command line; resolves to the exit code once its output is written. */
export async function main(argv: string[]): Promise<number> {
  try {
    return await dispatch(argv);
  } finally {
    await flushed(process.stdout);
    await flushed(process.stderr);
  }
}

/** Runs one command; user errors print a message, no stack. */
async function dispatch(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(overview());
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    console.error(`gaitid: unknown command ${show(name)}; choose one of ${COMMANDS.map((c) => c.name).join(", ")}`);
    return EXIT.USAGE;
  }
  try {
    const command = await entry.load();
    return await command.run(rest);
  } catch (err) {
    if (err instanceof GaitidError) {
      console.error(`gaitid ${name}: ${err.message}`);
      return err.exitCode;
    }
    throw err;
  }
}
