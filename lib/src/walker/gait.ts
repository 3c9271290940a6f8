/**
 * The gait search: symmetric periodic walking gaits of the walker for a given (rho, l0, alpha0, e).
 *
 * A gait starts at vertical leg orientation (VLO: single support, CoM straight above the foot)
 * with y' = 0. By time reversibility, a walk that reaches the next VLO with y' = 0 again is a
 * symmetric periodic gait (docs/model.md). With e fixed, x' at VLO follows from y0, so the search is
 * one-dimensional: bracket the roots of r(y0) = y'(next VLO) on a grid of VLO heights, then
 * refine each with Brent's method (superlinear: a handful of stride simulations per root).
 */
import { brent } from "../integrate/root";
import { GaitidError, requireOpenRange, requirePositive, show } from "../errors";
import { G, touchdownHeight, type Mechanics } from "./physics";
import { WalkerSimulator, type Walk } from "./simulate";

/** Largest |y(next VLO) - y0| (m) for a root to count as a periodic gait. */
export const RETURN_TOLERANCE = 1e-7;

/** A symmetric periodic gait found by {@link findGaits}. */
export interface Gait {
  /** CoM height at VLO, m. */
  y0: number;
  /** Forward speed at VLO, m/s. */
  vx0: number;
  /** Time from one VLO to the next (one step), s. */
  period: number;
  /** Distance between consecutive feet (one step), m. */
  stepLength: number;
  /** Mean forward speed stepLength / period, m/s. */
  speed: number;
  /** |y(next VLO) - y0| and |y'(next VLO)|: how exactly the gait returns to its VLO state. */
  returnError: number;
  /** Eigenvalues of the linearised step map on the VLO section (y, y'), as [re, im] pairs. */
  eigenvalues: [number, number][];
  /** Largest eigenvalue modulus; <= 1 (to 1e-6): not unstable (neutral in this conservative model). */
  maxModulus: number;
  stable: boolean;
  /** Whether a walk started on the gait keeps walking for `checkDuration` s (undefined: not checked). */
  walks?: boolean;
  /** How that walk ended when it did not walk. */
  failure?: string;
}

/** Options of the gait search. */
export interface GaitSearchOptions {
  /** Number of VLO heights in the bracketing grid (default 24). */
  grid?: number;
  /** Integrator tolerances (defaults 1e-10, 1e-11: roots are refined to about 1e-12 m). */
  rtol?: number;
  atol?: number;
  /** Also check that each gait walks this long, s (0: do not check; default 15). */
  checkDuration?: number;
  /** Compute the step-map eigenvalues (default true). */
  stability?: boolean;
  /** Gravitational acceleration, m/s^2. */
  g?: number;
}

/** Forward speed at VLO for a height y0 and specific energy e (J/kg); NaN when e is too low. */
export function vloSpeed(p: Mechanics, y0: number, e: number): number {
  const ke = e - p.g * y0 - 0.5 * p.rho * (p.l0 - y0) ** 2;
  return ke > 0 ? Math.sqrt(2 * ke) : Number.NaN;
}

/**
 * The step map on the VLO section: from (y0, vy0) at VLO over the foot at 0 (x' from the energy
 * e) to the state at the next VLO. Returns undefined when the walker fails before it.
 */
export function stepMap(
  sim: WalkerSimulator,
  p: Mechanics,
  alpha0: number,
  e: number,
  y0: number,
  vy0: number,
  rtol: number,
  atol: number,
): { walk: Walk; y: number; vy: number } | undefined {
  const ke = e - p.g * y0 - 0.5 * p.rho * (p.l0 - y0) ** 2 - 0.5 * vy0 * vy0;
  if (!(ke > 0)) return undefined;
  const walk = sim.run({ mechanics: p, alpha0, start: [0, y0, Math.sqrt(2 * ke), vy0], duration: 10, dt: 1, rtol, atol, stopAtVlo: 1 });
  if (!walk.vlo) return undefined;
  return { walk, y: walk.vlo.y, vy: walk.vlo.vy };
}

/**
 * Every symmetric periodic gait for (rho, l0) in `p`, angle of attack alpha0 (rad) and specific
 * energy e (J/kg), ordered by VLO height. An empty list means none was found on the grid.
 */
export function findGaits(p: Mechanics, alpha0: number, e: number, opts: GaitSearchOptions = {}, sim = new WalkerSimulator()): Gait[] {
  requirePositive("rho", p.rho, "1/s^2");
  requirePositive("l0", p.l0, "m");
  requireOpenRange("alpha0", alpha0, 0, Math.PI / 2, "rad (0 to 90 degrees)");
  if (!Number.isFinite(e)) throw new GaitidError(`energy must be a finite number; got ${show(e)}`);
  const n = opts.grid ?? 24;
  const rtol = opts.rtol ?? 1e-10;
  const atol = opts.atol ?? 1e-11;
  const checkDuration = opts.checkDuration ?? 15;
  const yTd = touchdownHeight(p, alpha0);
  // Highest VLO height: the leg at rest length, or where the forward speed reaches zero.
  let yHi = p.l0;
  if (!(vloSpeed(p, yHi, e) > 0)) {
    const lo = yTd;
    if (!(vloSpeed(p, lo, e) > 0)) return [];
    yHi = brent((y) => p.g * y + 0.5 * p.rho * (p.l0 - y) ** 2 - e, lo, yHi, -1, 1, 1e-15);
  }
  const residual = (y0: number): number => {
    const r = stepMap(sim, p, alpha0, e, y0, 0, rtol, atol);
    return r ? r.vy : Number.NaN;
  };
  const ys: number[] = [];
  const rs: number[] = [];
  for (let i = 1; i < n; i++) {
    const y0 = yTd + ((yHi - yTd) * i) / n;
    ys.push(y0);
    rs.push(residual(y0));
  }
  const gaits: Gait[] = [];
  for (let i = 0; i + 1 < ys.length; i++) {
    const ra = rs[i], rb = rs[i + 1];
    if (!Number.isFinite(ra) || !Number.isFinite(rb) || ra > 0 === rb > 0) continue;
    const y0 = brent(residual, ys[i], ys[i + 1], ra, rb, 1e-14);
    const gait = describeGait(sim, p, alpha0, e, y0, rtol, atol, opts.stability ?? true);
    // A root of y'(next VLO) that does not come back to its own height is not a symmetric
    // periodic gait (it pairs with another VLO height): keep only true returns.
    if (!gait || gait.returnError > RETURN_TOLERANCE) continue;
    if (checkDuration > 0) {
      const w = sim.run({ mechanics: p, alpha0, start: [0, gait.y0, gait.vx0, 0], duration: checkDuration, dt: checkDuration, rtol: 1e-9, atol: 1e-10 });
      gait.walks = w.status === "walking";
      if (!gait.walks) gait.failure = `${w.status} at ${w.failureTime.toFixed(2)} s`;
    }
    gaits.push(gait);
  }
  return gaits;
}

/** Period, step length, return error and stability of the gait at VLO height y0. */
export function describeGait(
  sim: WalkerSimulator,
  p: Mechanics,
  alpha0: number,
  e: number,
  y0: number,
  rtol = 1e-10,
  atol = 1e-11,
  stability = true,
): Gait | undefined {
  const r = stepMap(sim, p, alpha0, e, y0, 0, rtol, atol);
  if (!r || !r.walk.vlo) return undefined;
  const vlo = r.walk.vlo;
  const vx0 = vloSpeed(p, y0, e);
  let eigenvalues: [number, number][] = [];
  let maxModulus = Number.NaN;
  if (stability) {
    // Central differences of the step map in (y, y'); the step balances truncation (~d^2) against
    // the integration error (~rtol / d).
    const d = 1e-5;
    const J: number[][] = [[0, 0], [0, 0]];
    for (let c = 0; c < 2; c++) {
      const plus = stepMap(sim, p, alpha0, e, y0 + (c === 0 ? d : 0), c === 1 ? d : 0, rtol, atol);
      const minus = stepMap(sim, p, alpha0, e, y0 - (c === 0 ? d : 0), c === 1 ? -d : 0, rtol, atol);
      if (!plus || !minus) {
        J[0][c] = J[1][c] = Number.NaN;
        continue;
      }
      J[0][c] = (plus.y - minus.y) / (2 * d);
      J[1][c] = (plus.vy - minus.vy) / (2 * d);
    }
    const tr = J[0][0] + J[1][1];
    const det = J[0][0] * J[1][1] - J[0][1] * J[1][0];
    const disc = tr * tr - 4 * det;
    if (disc >= 0) {
      const s = Math.sqrt(disc);
      eigenvalues = [[(tr + s) / 2, 0], [(tr - s) / 2, 0]];
    } else {
      const s = Math.sqrt(-disc);
      eigenvalues = [[tr / 2, s / 2], [tr / 2, -s / 2]];
    }
    maxModulus = Math.max(...eigenvalues.map(([re, im]) => Math.hypot(re, im)));
  }
  return {
    y0,
    vx0,
    period: vlo.t,
    stepLength: vlo.foot,
    speed: vlo.foot / vlo.t,
    returnError: Math.max(Math.abs(vlo.y - y0), Math.abs(vlo.vy)),
    eigenvalues,
    maxModulus,
    stable: maxModulus <= 1 + 1e-6,
  };
}

/** Default gravitational acceleration, re-exported for callers that build Mechanics. */
export const GRAVITY = G;
