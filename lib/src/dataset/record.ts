/**
 * One synthetic record: subject parameters from the paper's priors, a gait condition drawn per
 * unit mass, the symmetric gait, and 15 s of walking sampled every 0.1 s.
 *
 * The subject (m, k, l0) is drawn once and never redrawn: redrawing it when a walk fails would
 * bend its prior towards subjects that walk more easily. Only the gait condition (alpha0, e) is
 * redrawn, and it is drawn per unit mass (e in multiples of g*l0, alpha0 in degrees) and
 * independently of m and k, so the initial state carries no information about m or k separately
 * (docs/model.md, "A trap in the design of the data"). The one exception is the design experiment's
 * dataset with `redrawSubject` (config.ts), whose point is exactly that bending: there a failed
 * attempt draws a new subject as well.
 */
import type { DatasetConfig } from "../config";
import { GaitidError } from "../errors";
import { Rng } from "../random";
import { brent } from "../integrate/root";
import { RETURN_TOLERANCE, stepMap, vloSpeed } from "../walker/gait";
import { G, type Mechanics } from "../walker/physics";
import type { WalkerSimulator, Walk } from "../walker/simulate";
import type { RecordParams, Split } from "./format";

/** Why an attempt did not give a record. */
export type FailureReason = "no-gait" | "unstable" | "flight" | "fallback" | "fall" | "backward";
export const FAILURE_REASONS: readonly FailureReason[] = ["no-gait", "unstable", "flight", "fallback", "fall", "backward"];

/** Attempts that can be spent on one subject before the configuration is declared unusable. */
export const MAX_ATTEMPTS = 1000;

/** Number of VLO heights scanned (from the top down) by the generator's gait search. */
export const GENERATOR_GRID = 16;

/**
 * The gait a record uses: the symmetric periodic gait with the highest VLO height, found by
 * scanning VLO heights from the top down and refining the first bracketed root of y'(next VLO)
 * with Brent's method. (The highest root is the one that walked in every case we checked; lower
 * roots mostly fall within seconds; measured acceptance is in each dataset's manifest.)
 * Also returns the largest eigenvalue modulus of the linearised step map on the VLO section
 * (y, y'), from forward differences around the root (two more steps).
 * Returns undefined when no such gait exists on the grid.
 */
export function highestGait(
  sim: WalkerSimulator,
  p: Mechanics,
  alpha0: number,
  e: number,
  rtol: number,
  atol: number,
): { y0: number; vx0: number; maxModulus: number } | undefined {
  const yTd = p.l0 * Math.sin(alpha0);
  let yHi = p.l0;
  if (!(vloSpeed(p, yHi, e) > 0)) {
    if (!(vloSpeed(p, yTd, e) > 0)) return undefined;
    yHi = brent((y) => p.g * y + 0.5 * p.rho * (p.l0 - y) ** 2 - e, yTd, yHi, -1, 1, 1e-15);
  }
  // Every step map of the scan and of Brent's refinement, by VLO height: Brent's root is always a
  // point it evaluated, so the return check below reads it instead of simulating that step again.
  const seen = new Map<number, { y: number; vy: number } | undefined>();
  const residual = (y0: number): number => {
    const r = stepMap(sim, p, alpha0, e, y0, 0, rtol, atol);
    seen.set(y0, r && { y: r.y, vy: r.vy });
    return r ? r.vy : Number.NaN;
  };
  const n = GENERATOR_GRID;
  let yAbove = Number.NaN, rAbove = Number.NaN;
  for (let i = n - 1; i >= 1; i--) {
    const y = yTd + ((yHi - yTd) * i) / n;
    const r = residual(y);
    if (Number.isFinite(r) && Number.isFinite(rAbove) && r > 0 !== rAbove > 0) {
      const y0 = brent(residual, y, yAbove, r, rAbove, 1e-11);
      const back = seen.has(y0) ? seen.get(y0) : stepMap(sim, p, alpha0, e, y0, 0, rtol, atol);
      if (!back || Math.abs(back.y - y0) > RETURN_TOLERANCE || Math.abs(back.vy) > RETURN_TOLERANCE) return undefined;
      const y1 = back.y, vy1 = back.vy;
      const d = 1e-6;
      const dy = stepMap(sim, p, alpha0, e, y0 + d, 0, rtol, atol);
      const dv = stepMap(sim, p, alpha0, e, y0, d, rtol, atol);
      if (!dy || !dv) return { y0, vx0: vloSpeed(p, y0, e), maxModulus: Infinity };
      return { y0, vx0: vloSpeed(p, y0, e), maxModulus: modulus2((dy.y - y1) / d, (dv.y - y1) / d, (dy.vy - vy1) / d, (dv.vy - vy1) / d) };
    }
    yAbove = y;
    rAbove = r;
  }
  return undefined;
}

/** Largest eigenvalue modulus of the 2x2 matrix [[a, b], [c, d]]. */
export function modulus2(a: number, b: number, c: number, d: number): number {
  const tr = a + d, det = a * d - b * c;
  const disc = tr * tr - 4 * det;
  if (disc >= 0) {
    const s = Math.sqrt(disc);
    return Math.max(Math.abs((tr + s) / 2), Math.abs((tr - s) / 2));
  }
  return Math.sqrt(Math.max(det, 0));
}

/**
 * The specific energy e (J/kg) of one gait condition, drawn as the dataset's design says: per unit
 * mass, e = eps g l0 with eps ~ U(energy) (the study's design: independent of m); in joules,
 * e = E / m with E ~ U(energyJoules) in J, independently of the subject, so e depends on m. One
 * uniform draw either way (the same random stream as before the design existed).
 */
export function drawSpecificEnergy(config: Pick<DatasetConfig, "energy" | "design" | "energyJoules">, rng: Rng, m: number, l0: number): number {
  if (config.design === "joules") {
    const E = config.energyJoules;
    if (!E) throw new GaitidError('the "joules" design needs energyJoules, the range of the initial energy E in J');
    return rng.uniform(E[0], E[1]) / m;
  }
  return rng.uniform(config.energy[0], config.energy[1]) * G * l0;
}

/** The outcome of making one record. */
export interface RecordResult {
  params: RecordParams;
  walk: Walk;
  /** Failed attempts before the accepted one, per reason. */
  failures: Record<FailureReason, number>;
}

/**
 * Makes record `index` of a dataset: its random stream is (config.seed, index), its split is given.
 * Writes the samples into `out` at `offset` (samples x channels float32, channels x, y [, fx, fy]
 * with the force in newtons).
 */
export function makeRecord(
  sim: WalkerSimulator,
  config: DatasetConfig,
  index: number,
  split: Split,
  out: Float32Array,
  offset: number,
): RecordResult {
  const rng = new Rng(config.seed, 1, index);
  let m = 0, k = 0, l0 = 0, rho = 0, p: Mechanics = { rho, l0, g: G };
  const drawSubject = (): void => {
    m = rng.uniform(config.m[0], config.m[1]);
    k = rng.uniform(config.k[0], config.k[1]);
    l0 = rng.uniform(config.l0[0], config.l0[1]);
    rho = k / m;
    p = { rho, l0, g: G };
  };
  drawSubject();
  const grf = config.channels === "xy+grf";
  const failures: Record<FailureReason, number> = { "no-gait": 0, unstable: 0, flight: 0, fallback: 0, fall: 0, backward: 0 };
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (attempt > 0 && config.redrawSubject) drawSubject();
    const alpha0Deg = rng.uniform(config.alpha0Deg[0], config.alpha0Deg[1]);
    const alpha0 = (alpha0Deg * Math.PI) / 180;
    const e = drawSpecificEnergy(config, rng, m, l0);
    const gait = highestGait(sim, p, alpha0, e, config.rtol, config.atol);
    if (!gait) {
      failures["no-gait"]++;
      continue;
    }
    if (!(gait.maxModulus <= config.maxModulus)) {
      failures.unstable++;
      continue;
    }
    const walk = sim.run({ mechanics: p, alpha0, start: [0, gait.y0, gait.vx0, 0], duration: config.duration, dt: config.dt, rtol: config.rtol, atol: config.atol, grf });
    if (walk.status !== "walking") {
      failures[walk.status]++;
      continue;
    }
    writeChannels(walk, m, grf, out, offset);
    const n = walk.samples;
    const params: RecordParams = {
      id: index, split, m, k, l0, rho, alpha0: alpha0Deg, e, y0: gait.y0, vx0: gait.vx0,
      speed: (walk.x[n - 1] - walk.x[0]) / (walk.t[n - 1] - walk.t[0]),
      steps: walk.events.filter((ev) => ev.type === "touchdown").length,
    };
    return { params, walk, failures };
  }
  throw new GaitidError(
    `record ${index} (m ${m} kg, k ${k} N/m, l0 ${l0} m) found no walking gait in ${MAX_ATTEMPTS} gait conditions ` +
      `(alpha0 in [${config.alpha0Deg}] degrees, ${config.design === "joules" ? `initial energy in [${config.energyJoules}] J` : `energy in [${config.energy}] g*l0`}); widen or move those ranges`,
  );
}

/** Copies the channels of a walk into out[offset...] as float32: x, y (m) [, fx, fy (N)]. */
export function writeChannels(walk: Walk, m: number, grf: boolean, out: Float32Array, offset: number): void {
  const n = walk.samples;
  const c = grf ? 4 : 2;
  for (let i = 0; i < n; i++) {
    const o = offset + i * c;
    out[o] = walk.x[i];
    out[o + 1] = walk.y[i];
    if (grf) {
      out[o + 2] = m * walk.fx![i];
      out[o + 3] = m * walk.fy![i];
    }
  }
}

/** Re-simulates a record from its params.csv row alone (the check that a dataset is reproducible). */
export function resimulate(sim: WalkerSimulator, config: DatasetConfig, r: RecordParams): Walk {
  return sim.run({ mechanics: { rho: r.k / r.m, l0: r.l0, g: G }, alpha0: (r.alpha0 * Math.PI) / 180, start: [0, r.y0, r.vx0, 0], duration: config.duration, dt: config.dt, rtol: config.rtol, atol: config.atol, grf: config.channels === "xy+grf" });
}
