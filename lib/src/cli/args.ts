/**
 * Shared command-line plumbing: each command is a {@link Command} in src/commands/<name>.ts,
 * registered in src/commands/index.ts. Flags are parsed strictly (an unknown flag, a flag given
 * twice, a stray word are errors) and every number is read the same way: a plain decimal
 * ("15", "-0.5", "1e-9"; not "0x10", "0b111", "1_000", " 5", "Infinity") inside its documented
 * range, refused otherwise with "--flag must be <range> (<unit>); got <value>".
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { EXIT, GaitidError, rangeText, requireInRange, show, type NumericRange } from "../errors";

export interface Command {
  /** The word after `gaitid`. */
  name: string;
  /** One line for `gaitid --help` (the same as the command's entry in src/commands/index.ts). */
  summary: string;
  /** The full `--help` text of the command. */
  help: string;
  /** Runs the command; resolves to the exit code (one of {@link EXIT}). */
  run(argv: string[]): Promise<number>;
}

export type Options = NonNullable<ParseArgsConfig["options"]>;
export type Values = Record<string, string | boolean | undefined>;

/** What {@link parseFlags} returns: the flags' values, whether --help was asked, the other words. */
export interface Flags {
  values: Values;
  help: boolean;
  positionals: string[];
}

/** "--m -1": node's parseArgs takes a word that starts with "-" for a flag; join such a negative
 * number to its flag so that the value is read (and refused with its range) by the command. */
function joinNegativeNumbers(argv: string[], options: Options): string[] {
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
  return args;
}

/**
 * Parses argv strictly against `options` (plus --help): unknown flags, flags given twice and
 * (unless `positionals` is true) stray words are errors naming the flag or word.
 */
export function parseFlags(command: string, argv: string[], options: Options, opts: { positionals?: boolean } = {}): Flags {
  const all: Options = { ...options, help: { type: "boolean", short: "h" } };
  let parsed;
  try {
    parsed = parseArgs({ args: joinNegativeNumbers(argv, options), options: all, strict: true, allowPositionals: true, tokens: true });
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new GaitidError(`${msg.split(". To specify")[0]}; see gaitid ${command} --help`);
  }
  const seen = new Set<string>();
  for (const t of parsed.tokens) {
    if (t.kind !== "option") continue;
    if (seen.has(t.name)) throw new GaitidError(`--${t.name} given twice; give each flag once (see gaitid ${command} --help)`);
    seen.add(t.name);
  }
  if (!opts.positionals && parsed.positionals.length > 0) {
    throw new GaitidError(`unexpected argument ${show(parsed.positionals[0])}; see gaitid ${command} --help`);
  }
  return { values: parsed.values as Values, help: Boolean(parsed.values.help), positionals: parsed.positionals };
}

/** A plain decimal number: optional sign, digits with an optional point, optional exponent. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * The number a flag's text stands for, or NaN when the text is not a plain decimal. Hexadecimal,
 * binary, octal, digit separators, surrounding spaces, "Infinity" and "" are not numbers here,
 * although JavaScript's Number() reads most of them.
 */
export function parseDecimal(text: string): number {
  return DECIMAL.test(text) ? Number(text) : Number.NaN;
}

/**
 * A number flag: undefined when absent, else a plain decimal inside `range`, or an error in the one
 * message style: "--flag must be <range> (<unit>); got <value as written>". Without a range, any
 * finite decimal is accepted (give the range: every numeric flag should have one).
 */
export function numberFlag(values: Values, name: string, range?: NumericRange): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const what = range ?? { min: -Number.MAX_VALUE, max: Number.MAX_VALUE, noun: "a finite decimal number" };
  const text = typeof raw === "string" ? raw : String(raw);
  const v = parseDecimal(text);
  if (!range && !Number.isFinite(v)) throw new GaitidError(`--${name} must be a finite decimal number; got ${show(text)}`);
  return requireInRange(`--${name}`, v, what, text);
}

/** A number flag that must be present: "--flag is required (<what>): <range>" when absent. */
export function requiredNumber(values: Values, name: string, what: string, range?: NumericRange): number {
  const v = numberFlag(values, name, range);
  if (v === undefined) throw new GaitidError(`--${name} is required (${what}${range ? `: ${rangeText(range)}` : ""})`);
  return v;
}

/** A whole-number flag from lo to hi (with an optional unit): undefined when absent. */
export function integerFlag(values: Values, name: string, lo: number, hi: number, unit?: string): number | undefined {
  return numberFlag(values, name, { min: lo, max: hi, integer: true, unit });
}

/**
 * Checks a number that depends on other flags (dt against duration, y0 against l0 and alpha0)
 * in the same style, showing the value as the user wrote it.
 */
export function requireFlagInRange(values: Values, name: string, value: number, range: NumericRange): number {
  return requireInRange(`--${name}`, value, range, values[name] ?? value);
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

/** A range in interval notation for help texts: "[1, 1000]", "(0, 90)", "(0, 10]". */
export function interval(r: NumericRange): string {
  return `${r.minOpen ? "(" : "["}${r.min}, ${r.max}${r.maxOpen ? ")" : "]"}`;
}

/** Prints the help text and returns {@link EXIT}.OK: the common answer to --help. */
export function printHelp(help: string): number {
  console.log(help);
  return EXIT.OK;
}

/** Worker threads: 0 (the main thread) to 64. */
export const WORKERS_RANGE: NumericRange = { min: 0, max: 64, integer: true, unit: "worker threads" };
