/**
 * Typed reading of a parsed JSON object, field by field, with messages that name the file and the
 * field. The run folder's convention for numbers that are not finite (an R^2 over records whose
 * true values are all equal, a loss before the first epoch): they are written as null (what
 * JSON.stringify makes of NaN and infinities) and read back as null, typed `number | null`; every
 * other number must be finite.
 */
import { GaitidError } from "../errors";

export class JsonFields {
  constructor(
    readonly value: Record<string, unknown>,
    /** Where the object sits, for messages: `data/runs/x/metrics.json: params.m`. */
    readonly where: string,
  ) {}

  /** Parses `text` (the contents of `file`) as a JSON object. */
  static parse(text: string, file: string): JsonFields {
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch (err) {
      throw new GaitidError(`${file} is corrupt (${(err as Error).message})`);
    }
    if (typeof v !== "object" || v === null || Array.isArray(v)) throw new GaitidError(`${file} does not hold a JSON object`);
    return new JsonFields(v as Record<string, unknown>, file);
  }

  private name(key: string): string {
    return this.where.includes(": ") ? `${this.where}.${key}` : `${this.where}: ${key}`;
  }

  fail(key: string, want: string): never {
    throw new GaitidError(`${this.name(key)} must be ${want}; got ${JSON.stringify(this.value[key]) ?? "nothing"}`);
  }

  has(key: string): boolean {
    return this.value[key] !== undefined;
  }

  /** A finite number (within [min, max] when given). */
  number(key: string, min = -Infinity, max = Infinity): number {
    const v = this.value[key];
    if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max) {
      this.fail(key, `a finite number${min > -Infinity ? ` >= ${min}` : ""}${max < Infinity ? ` <= ${max}` : ""}`);
    }
    return v;
  }

  /** A finite number, or null for one that is not defined. */
  maybeNumber(key: string): number | null {
    const v = this.value[key];
    if (v === null) return null;
    if (typeof v !== "number" || !Number.isFinite(v)) this.fail(key, "a finite number or null");
    return v;
  }

  integer(key: string, min = 0): number {
    const v = this.value[key];
    if (!Number.isInteger(v) || (v as number) < min) this.fail(key, `a whole number >= ${min}`);
    return v as number;
  }

  string(key: string): string {
    const v = this.value[key];
    if (typeof v !== "string") this.fail(key, "a string");
    return v;
  }

  boolean(key: string): boolean {
    const v = this.value[key];
    if (typeof v !== "boolean") this.fail(key, "true or false");
    return v;
  }

  /** One of `choices`. */
  choice<T extends string>(key: string, choices: readonly T[]): T {
    const v = this.value[key];
    if (!choices.includes(v as T)) this.fail(key, `one of ${choices.join(", ")}`);
    return v as T;
  }

  object(key: string): JsonFields {
    const v = this.value[key];
    if (typeof v !== "object" || v === null || Array.isArray(v)) this.fail(key, "an object");
    return new JsonFields(v as Record<string, unknown>, this.name(key));
  }

  optionalObject(key: string): JsonFields | undefined {
    return this.value[key] === undefined ? undefined : this.object(key);
  }

  /** An array of finite numbers (of length `length` when given). */
  numbers(key: string, length?: number): number[] {
    const v = this.value[key];
    if (!Array.isArray(v) || v.some((x) => typeof x !== "number" || !Number.isFinite(x)) || (length !== undefined && v.length !== length)) {
      this.fail(key, `an array of ${length ?? ""}${length !== undefined ? " " : ""}finite numbers`);
    }
    return v as number[];
  }

  strings(key: string): string[] {
    const v = this.value[key];
    if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) this.fail(key, "an array of strings");
    return v as string[];
  }

  /** A range [lo, hi] of finite numbers with lo < hi. */
  range(key: string): [number, number] {
    const r = this.numbers(key, 2);
    if (!(r[0] < r[1])) this.fail(key, "a range [lo, hi] with lo < hi");
    return [r[0], r[1]];
  }
}
