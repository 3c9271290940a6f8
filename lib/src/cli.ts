/** The `gaitid` command line: dispatches to the commands of src/commands. */
import { COMMANDS } from "./commands";
import { GaitidError, show } from "./errors";

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length), 8);
  return [
    "gaitid: identifiability of gait parameters from Geyer's spring-mass walker (arXiv 2307.11332)",
    "",
    "usage: gaitid <command> [options]    (gaitid <command> --help for its options)",
    "",
    "commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
  ].join("\n");
}

/** Runs the command line; resolves to the exit code. User errors print a message, no stack. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(overview());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    console.error(`gaitid: unknown command ${show(name)}; choose one of ${COMMANDS.map((c) => c.name).join(", ")}`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof GaitidError) {
      console.error(`gaitid ${name}: ${err.message}`);
      return err.exitCode;
    }
    throw err;
  }
}
