/**
 * The SVD of the sensitivity matrices ({@link jacobiSvd}: one-sided Jacobi, implemented once in
 * derive/svd.ts, a lower stage of the study) and the angle between two directions.
 */
import { GaitidError } from "../errors";

export { jacobiSvd, type Svd, type JacobiOptions } from "../derive/svd";

/** The angle (rad, in [0, pi/2]) between the lines spanned by two vectors: sign does not matter. */
export function lineAngle(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new GaitidError(`lineAngle: vectors of lengths ${a.length} and ${b.length}`);
  const na = Math.hypot(...a), nb = Math.hypot(...b);
  let c = 0;
  for (let i = 0; i < a.length; i++) c += (a[i] / na) * (b[i] / nb);
  // atan2 of the orthogonal part against the parallel part: accurate for tiny angles, where
  // acos(|cos|) loses half the digits.
  let s2 = 0;
  for (let i = 0; i < a.length; i++) {
    const r = a[i] / na - c * (b[i] / nb);
    s2 += r * r;
  }
  return Math.atan2(Math.sqrt(s2), Math.abs(c));
}
