/**
 * The marginal of one coordinate of a record's mixture (mdn.ts): the components are diagonal, so
 * coordinate d is the 1-D Gaussian mixture F(x) = sum_k pi_k Phi((x - mu_kd) / sigma_kd), in the
 * coordinate's unit (log of 1/s^2 for log rho, m for l0). Here in probit form, t = Phi^-1(F(x)),
 * computed from the lower or the upper tail so that neither loses digits, and its inverse; and the
 * recalibration of a value through a {@link CalibrationMap}: x -> F^-1(Phi(map^-1(Phi^-1(F(x))))),
 * so that the recalibrated CDF is R(F(x)) (calibration-map.ts).
 */
import { GaitidError } from "../../errors";
import { type CalibrationMap, rawProbit } from "./calibration-map";
import { COMPONENTS, DIMS, type Mixture } from "./mdn";
import { normalCdf, normalQuantile } from "./stats";
import { interpolate } from "./interpolate";

/** The smallest tail probability kept (a probit of about -37). */
const TINY = 1e-300;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** Phi^-1(F(x)) of coordinate `d` of `mix` at x. */
export function marginalProbit(mix: Mixture, d: number, x: number): number {
  let below = 0, above = 0;
  for (let k = 0; k < COMPONENTS; k++) {
    const w = mix.weights[k];
    if (!(w > 0)) continue;
    const z = (x - mix.mean[k * DIMS + d]) / mix.sd[k * DIMS + d];
    below += w * normalCdf(z);
    above += w * normalCdf(-z);
  }
  return below < 0.5 ? normalQuantile(Math.max(TINY, below)) : -normalQuantile(Math.max(TINY, above));
}

/** The density of coordinate `d` of `mix` at x (per unit of the coordinate). */
function marginalDensity(mix: Mixture, d: number, x: number): number {
  let s = 0;
  for (let k = 0; k < COMPONENTS; k++) {
    const w = mix.weights[k];
    if (!(w > 0)) continue;
    const sd = mix.sd[k * DIMS + d], z = (x - mix.mean[k * DIMS + d]) / sd;
    s += (w * INV_SQRT_2PI * Math.exp(-0.5 * z * z)) / sd;
  }
  return s;
}

/**
 * The x with Phi^-1(F(x)) = t, coordinate `d` of `mix`. The root lies in [min_k, max_k] of
 * mu_kd + sigma_kd t (at the lower end every component's CDF is at most Phi(t), at the upper at
 * least); Newton's method in probit space, kept inside that bracket by bisection.
 */
export function marginalQuantile(mix: Mixture, d: number, t: number): number {
  if (!Number.isFinite(t)) throw new GaitidError(`a marginal quantile needs a finite probit; got ${t}`);
  let lo = Infinity, hi = -Infinity;
  for (let k = 0; k < COMPONENTS; k++) {
    if (!(mix.weights[k] > 0)) continue;
    const v = mix.mean[k * DIMS + d] + mix.sd[k * DIMS + d] * t;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (!(hi > lo)) return lo;
  let start = 0; // the components' values at t, averaged by weight: a first guess within the bracket
  for (let k = 0; k < COMPONENTS; k++) start += mix.weights[k] * (mix.mean[k * DIMS + d] + mix.sd[k * DIMS + d] * t);
  let x = Math.min(hi, Math.max(lo, start));
  const tol = 1e-12 * (hi - lo) + 1e-15 * Math.abs(x);
  for (let it = 0; it < 100; it++) {
    const g = marginalProbit(mix, d, x) - t;
    if (g === 0) return x;
    if (g < 0) lo = x;
    else hi = x;
    const slope = marginalDensity(mix, d, x) / (INV_SQRT_2PI * Math.exp(-0.5 * (g + t) ** 2));
    let next = x - g / slope;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - x) <= tol || hi - lo <= tol) return next;
    x = next;
  }
  return x;
}

/**
 * Phi^-1(F(x)) of coordinate `d` of `mix` tabulated, for the many draws of one record: at each
 * component's mean +- 8 standard deviations in steps of 0.05 of its standard deviation (weights
 * below 1e-9 left out), linear in between and beyond the ends. For one component t(x) is linear,
 * so the table is exact; for several, a recalibrated draw was within 9e-4 marginal standard
 * deviations of the exact one (100 records x 50 draws of a quick-preset run; steps of 0.1 gave
 * 6e-3); test/estimator-posterior-recalibration.test.ts holds it below 1e-3 on a 3-component case.
 */
export interface MarginalTable {
  /** Values of the coordinate, strictly increasing. */
  x: Float64Array;
  /** Their probits Phi^-1(F(x)), strictly increasing. */
  t: Float64Array;
}

const TABLE_HALF_WIDTH = 8, TABLE_STEP = 0.05, TABLE_MIN_WEIGHT = 1e-9;

export function marginalTable(mix: Mixture, d: number): MarginalTable {
  const xs: number[] = [];
  const steps = Math.round((2 * TABLE_HALF_WIDTH) / TABLE_STEP);
  for (let k = 0; k < COMPONENTS; k++) {
    if (!(mix.weights[k] > TABLE_MIN_WEIGHT)) continue;
    const mu = mix.mean[k * DIMS + d], sd = mix.sd[k * DIMS + d];
    for (let i = 0; i <= steps; i++) xs.push(mu + sd * (-TABLE_HALF_WIDTH + i * TABLE_STEP));
  }
  xs.sort((a, b) => a - b);
  const x: number[] = [], t: number[] = [];
  for (const v of xs) {
    const tv = marginalProbit(mix, d, v);
    if (x.length > 0 && !(v > x[x.length - 1] && tv > t[t.length - 1])) continue;
    x.push(v);
    t.push(tv);
  }
  if (x.length < 2) throw new GaitidError("a marginal of a mixture spans no range (all standard deviations zero?)");
  return { x: Float64Array.from(x), t: Float64Array.from(t) };
}

/** Phi^-1(F(x)) from a table. */
export function tableProbit(tab: MarginalTable, x: number): number {
  return interpolate(tab.x, tab.t, x, "segment");
}

/** The x with Phi^-1(F(x)) = t, from a table. */
export function tableQuantile(tab: MarginalTable, t: number): number {
  return interpolate(tab.t, tab.x, t, "segment");
}

/**
 * The recalibration of coordinate `d` of one record's mixture through `map`, as a function of a
 * value x: F^-1(Phi(map^-1(Phi^-1(F(x))))), whose CDF is R(F(x)) when x is drawn from F. Exact
 * probits and quantiles (marginalProbit, marginalQuantile) with `exact`, else by a table built
 * once (fast: the scores map 999 draws of each of 2,000 records).
 */
export function recalibrator(mix: Mixture, d: number, map: CalibrationMap, exact = false): (x: number) => number {
  if (exact) return (x) => marginalQuantile(mix, d, rawProbit(map, marginalProbit(mix, d, x)));
  const tab = marginalTable(mix, d);
  return (x) => tableQuantile(tab, rawProbit(map, tableProbit(tab, x)));
}
