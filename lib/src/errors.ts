/**
 * The exit codes of the `gaitid` command line, one table for every command. 128 + n for a process
 * stopped by signal n is the shell's convention.
 */
export const EXIT = {
  /** The command did its work. */
  OK: 0,
  /** The work failed: a computation that found nothing, a worker that crashed, an unexpected error. */
  FAILURE: 1,
  /** Bad input (a flag, a file, a folder), found before any work started; or no command given. */
  USAGE: 2,
  /** Stopped by Ctrl-C (SIGINT, 128 + 2). */
  INTERRUPTED: 130,
  /** Stopped by SIGTERM (128 + 15). */
  TERMINATED: 143,
} as const;

/** One of the {@link EXIT} codes. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * Errors that a user of gaitid can act on: bad input, a missing or corrupt dataset, an unknown
 * preset. The message names the offending value and what would be right. The command line prints
 * the message without a stack trace and exits with `exitCode` ({@link EXIT}.USAGE for bad input).
 */
export class GaitidError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = EXIT.USAGE) {
    super(message);
    this.name = "GaitidError";
    this.exitCode = exitCode;
  }
}

/** Formats a number for an error message (keeps NaN and infinities readable). */
export function show(value: unknown): string {
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : String(value);
  if (typeof value === "string") return JSON.stringify(value);
  return String(value);
}

/** Throws unless `value` is a finite number strictly greater than zero. */
export function requirePositive(name: string, value: number, unit = ""): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new GaitidError(`${name} must be a finite number > 0${unit ? ` (${unit})` : ""}; got ${show(value)}`);
  }
  return value;
}

/** Throws unless `value` is finite and lo < value < hi (open interval). */
export function requireOpenRange(name: string, value: number, lo: number, hi: number, unit = ""): number {
  if (typeof value !== "number" || !Number.isFinite(value) || !(value > lo && value < hi)) {
    throw new GaitidError(
      `${name} must lie strictly between ${lo} and ${hi}${unit ? ` ${unit}` : ""}; got ${show(value)}`,
    );
  }
  return value;
}

/** Throws unless `value` is an integer with lo <= value <= hi. */
export function requireInteger(name: string, value: number, lo: number, hi = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < lo || value > hi) {
    throw new GaitidError(`${name} must be an integer from ${lo} to ${hi}; got ${show(value)}`);
  }
  return value;
}

/**
 * The documented range of a number that gaitid takes from outside (a flag, a configuration field):
 * what the work can honour, in memory and time, and what is physically meaningful.
 */
export interface NumericRange {
  /** Smallest value allowed (included unless `minOpen`). */
  min: number;
  /** Largest value allowed (included unless `maxOpen`). */
  max: number;
  /** Whether `min` itself is excluded. */
  minOpen?: boolean;
  /** Whether `max` itself is excluded. */
  maxOpen?: boolean;
  /** Whether only whole numbers are allowed. */
  integer?: boolean;
  /** SI unit or what the number counts (e.g. "kg", "1/s^2", "multiples of g*l0"). */
  unit?: string;
  /** What the number is, when not "a number" (e.g. "a fraction"). */
  noun?: string;
}

/**
 * The range as words: "an integer from 1 to 64", "a number >= 1e-13 and <= 0.01",
 * "a number > 0 and < 90"; followed by " (unit)" when the range has one.
 */
export function rangeText(r: NumericRange): string {
  let text: string;
  if (r.integer) {
    const lo = r.minOpen ? r.min + 1 : r.min, hi = r.maxOpen ? r.max - 1 : r.max;
    text = `${r.noun ?? "an integer"} from ${lo} to ${hi}`;
  } else {
    text = `${r.noun ?? "a number"} ${r.minOpen ? ">" : ">="} ${r.min} and ${r.maxOpen ? "<" : "<="} ${r.max}`;
  }
  return r.unit ? `${text} (${r.unit})` : text;
}

/** Whether `value` is a finite number inside the range. */
export function inRange(value: number, r: NumericRange): boolean {
  if (typeof value !== "number" || !Number.isFinite(value)) return false;
  if (r.integer && !Number.isInteger(value)) return false;
  if (r.minOpen ? !(value > r.min) : !(value >= r.min)) return false;
  return r.maxOpen ? value < r.max : value <= r.max;
}

/**
 * Throws unless `value` lies in the range, with the one message style of gaitid:
 * "NAME must be RANGE (UNIT); got VALUE". `name` is what the user wrote (a flag such as "--rtol",
 * or a configuration path such as "dataset.records"); `shown` is the value as the user wrote it.
 */
export function requireInRange(name: string, value: number, r: NumericRange, shown: unknown = value): number {
  if (!inRange(value, r)) throw new GaitidError(`${name} must be ${rangeText(r)}; got ${show(shown)}`);
  return value;
}
