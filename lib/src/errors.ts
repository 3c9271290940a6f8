/**
 * Errors that a user of gaitid can act on: bad input, a missing or corrupt dataset, an unknown
 * preset. The message names the offending value and what would be right. The command line prints
 * the message without a stack trace and exits with `exitCode` (2 for bad input).
 */
export class GaitidError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
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
