/** The list of verified claims of a derivation, and the tolerances they are held to. */
import type { DerivationCheck } from "./types";
import type { Point } from "./numeric";
import { plainText, type Rich } from "./rich";
import type { ZeroProof } from "./symbolic";

/** Relative tolerance of an exact identity evaluated in double precision. */
export const TOLERANCE = 1e-10;

/** One claim to record. */
export interface CheckSpec {
  id: string;
  /** The step of the argument it supports. */
  step: string;
  claim: Rich;
  /**
   * The symbolic proofs (all must reach 0), or, for a numeric-only check, a sentence saying what
   * is compared (e.g. "compares with the simulator's code").
   */
  proofs: ZeroProof[] | string;
  /** The numeric result: an error, 0 when exact. */
  value: number;
  /** What `value` measures (default: the largest relative error at the random points). */
  measure?: string;
  tolerance?: number;
}

/** Collects checks; ids are unique. */
export class CheckList {
  readonly list: DerivationCheck[] = [];
  constructor(private readonly points: number) {}

  add(spec: CheckSpec): DerivationCheck {
    if (this.list.some((c) => c.id === spec.id)) throw new Error(`derive: duplicate check id ${spec.id}`);
    const numericOnly = typeof spec.proofs === "string";
    const proofs = numericOnly ? [] : (spec.proofs as ZeroProof[]);
    const symbolic = !numericOnly && proofs.length > 0 && proofs.every((p) => p !== null);
    const proof = numericOnly
      ? `numeric only: ${spec.proofs as string}`
      : [...new Set(proofs.map((p) => p ?? "not proved by simplify"))].join("; ");
    const tolerance = spec.tolerance ?? TOLERANCE;
    const c: DerivationCheck = {
      id: spec.id,
      step: spec.step,
      name: plainText(spec.claim),
      claim: spec.claim,
      method: numericOnly ? "numeric" : "symbolic",
      symbolic,
      proof,
      measure: spec.measure ?? `largest relative error at ${this.points} random points`,
      numericMaxError: spec.value,
      tolerance,
      passed: (numericOnly || symbolic) && Number.isFinite(spec.value) && spec.value <= tolerance,
    };
    this.list.push(c);
    return c;
  }
}

/** Largest of f(point) over the points (f returns an error; NaN propagates as the worst). */
export function maxOver(points: readonly Point[], f: (p: Point) => number): number {
  let worst = 0;
  for (const p of points) {
    const e = f(p);
    if (!(e <= worst)) worst = e;
  }
  return worst;
}
