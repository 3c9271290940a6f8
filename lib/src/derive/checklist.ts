/** The list of verified identities of a derivation, and the numeric tolerance they are held to. */
import type { DerivationCheck } from "./types";
import type { Point } from "./numeric";
import type { ZeroProof } from "./symbolic";

export const TOLERANCE = 1e-10;
/** A scaled quantity that differs from the original by more than this is certainly changed. */
export const CHANGED = 1e-6;

/** Collects checks; `symbolic` is a ZeroProof (or several, all must hold) or a reason. */
export class CheckList {
  readonly list: DerivationCheck[] = [];
  add(name: string, proofs: ZeroProof[] | string, numericMaxError: number): DerivationCheck {
    let symbolic: boolean;
    let proof: string;
    if (typeof proofs === "string") {
      symbolic = false;
      proof = proofs;
    } else {
      symbolic = proofs.length > 0 && proofs.every((p) => p !== null);
      const kinds = [...new Set(proofs.map((p) => p ?? "not proved by simplify"))];
      proof = kinds.join("; ");
    }
    const c: DerivationCheck = {
      name,
      symbolic,
      proof,
      numericMaxError,
      tolerance: TOLERANCE,
      passed: Number.isFinite(numericMaxError) && numericMaxError <= TOLERANCE,
    };
    this.list.push(c);
    return c;
  }
}

/** Largest of f(point) over the points (f returns an error). */
export function maxOver(points: readonly Point[], f: (p: Point) => number): number {
  let worst = 0;
  for (const p of points) {
    const e = f(p);
    if (!(e <= worst)) worst = e; // NaN propagates as "worst"
  }
  return worst;
}
