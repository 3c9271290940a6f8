/**
 * Piecewise-linear interpolation in a table: ys at v, with xs strictly increasing, found by
 * bisection. Beyond the table's ends, either along its end segments ("segment") or with slope 1
 * from its end points ("unit": a map that is the identity far out, as a calibration map of
 * probits is).
 */
export function interpolate(xs: ArrayLike<number>, ys: ArrayLike<number>, v: number, beyond: "segment" | "unit"): number {
  const last = xs.length - 1;
  if (beyond === "unit") {
    if (v <= xs[0]) return ys[0] + (v - xs[0]);
    if (v >= xs[last]) return ys[last] + (v - xs[last]);
  }
  let lo = 0, hi = last;
  if (v <= xs[0]) hi = 1;
  else if (v >= xs[last]) lo = last - 1;
  else {
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (xs[mid] <= v) lo = mid;
      else hi = mid;
    }
  }
  return ys[lo] + ((v - xs[lo]) * (ys[hi] - ys[lo])) / (xs[hi] - xs[lo]);
}
