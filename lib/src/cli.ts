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

/** Runs the command line; resolves to the exit code. User errors print a message, no stack. */
export async function main(argv: string[]): Promise<number> {
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
