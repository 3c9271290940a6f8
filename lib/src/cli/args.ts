/**
 * Shared command-line plumbing: each command is a {@link Command} in src/commands/<name>.ts,
 * registered in src/cli.ts. Flags are parsed strictly (an unknown flag is an error) and numbers
 * are checked here, so every command reports bad input the same way.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { GaitidError, show } from "../errors";

export interface Command {
  /** The word after `gaitid`. */
  name: string;
  /** One line for `gaitid --help`. */
  summary: string;
  /** The full `--help` text of the command. */
  help: string;
  /** Runs the command; resolves to the exit code. */
  run(argv: string[]): Promise<number>;
}

export type Options = NonNullable<ParseArgsConfig["options"]>;
export type Values = Record<string, string | boolean | undefined>;

/** Parses argv strictly against `options` (plus --help); unknown flags and stray words are errors. */
export function parseFlags(command: string, argv: string[], options: Options): { values: Values; help: boolean } {
  // "--m -1": node's parseArgs takes a value that starts with "-" for a flag; join such negative
  // numbers to their flag so that the value is checked (and refused with its range) by the command.
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const name = a.startsWith("--") ? a.slice(2) : undefined;
    const next = argv[i + 1];
    if (name && options[name]?.type === "string" && next !== undefined && /^-(\d|\.\d|Infinity|NaN)/.test(next)) {
      args.push(`${a}=${next}`);
      i++;
    } else args.push(a);
  }
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { ...options, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: true,
    });
    if (positionals.length > 0) {
      throw new GaitidError(`unexpected argument ${show(positionals[0])}; see gaitid ${command} --help`);
    }
    return { values: values as Values, help: Boolean(values.help) };
  } catch (err) {
    if (err instanceof GaitidError) throw err;
    const msg = err instanceof Error ? err.message : String(err);
    throw new GaitidError(`${msg.split(". To specify")[0]}; see gaitid ${command} --help`);
  }
}

/** A number flag: undefined when absent, else a finite number or an error naming the flag. */
export function numberFlag(values: Values, name: string): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== "string" || raw.trim() === "") throw new GaitidError(`--${name} needs a number`);
  const v = Number(raw);
  if (!Number.isFinite(v)) throw new GaitidError(`--${name} must be a finite number; got ${show(raw)}`);
  return v;
}

/** A number flag that must be present. */
export function requiredNumber(values: Values, name: string, what: string): number {
  const v = numberFlag(values, name);
  if (v === undefined) throw new GaitidError(`--${name} is required (${what})`);
  return v;
}

/** An integer flag: undefined when absent. */
export function integerFlag(values: Values, name: string, lo: number, hi = Number.MAX_SAFE_INTEGER): number | undefined {
  const v = numberFlag(values, name);
  if (v === undefined) return undefined;
  if (!Number.isInteger(v) || v < lo || v > hi) {
    const range = hi >= Number.MAX_SAFE_INTEGER ? `>= ${lo}` : `from ${lo} to ${hi}`;
    throw new GaitidError(`--${name} must be a whole number ${range}; got ${show(values[name])}`);
  }
  return v;
}

/** A string flag that must be one of `choices`. */
export function choiceFlag<T extends string>(values: Values, name: string, choices: readonly T[]): T | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== "string" || !(choices as readonly string[]).includes(raw)) {
    throw new GaitidError(`--${name} must be one of ${choices.join(", ")}; got ${show(raw)}`);
  }
  return raw as T;
}
