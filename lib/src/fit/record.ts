/**
 * The residuals of a record: what the walker predicts for one parameter point, compared with a
 * record's observed samples, in units of each channel's noise standard deviation.
 *
 * The unknowns of a record are the subject (m, k, l0, or rho = k / m and l0) and what fixes the
 * walk: the angle of attack alpha0 and the state at the start, a vertical leg orientation (VLO) at
 * x = 0 with height y0 and forward speed vx0 (vertical speed 0), as the dataset generator starts
 * every record. x is measured from the start of the record. Observations: x, y (m), and with
 * "xy+grf" also the total ground reaction force fx, fy (N, that is m times the force per unit mass
 * the simulator computes), so the mass enters only through the force.
 *
 * Parameters are optimised in logarithms where positive (m, k, rho, l0, y0, vx0; alpha0 in rad as
 * it is): relative changes, all of order one, so one finite-difference step fits all of them.
 *
 * A walk that falls, flies or stops before the end of the window, or a start that is not a valid
 * VLO state (y0 above l0 or below the touchdown height l0 sin(alpha0)), is a large finite misfit
 * ({@link FAILED_RESIDUAL} for every sample it does not reach), never an error: the optimiser
 * rejects such a step like any worse one.
 */
import { GaitidError } from "../errors";
import type { ObservationModel, SensitivityRecord } from "../identifiability/sensitivity";
import { SENSITIVITY_ATOL, SENSITIVITY_RTOL } from "../identifiability/sensitivity";
import { G, type Mechanics } from "../walker/physics";
import type { Walk, WalkerSimulator } from "../walker/simulate";
import type { Evaluation } from "./lm";

/** A record to fit: its true parameters (for simulating it and judging the fit) and its length. */
export type FitRecord = SensitivityRecord;

/** A point of the model: the subject and the start of the walk. */
export interface WalkParams {
  /** Body mass, kg (scales the force only). */
  m: number;
  /** k / m, 1/s^2. */
  rho: number;
  /** Rest leg length, m. */
  l0: number;
  /** Angle of attack, rad, from the ground. */
  alpha0: number;
  /** CoM height at the start (VLO), m. */
  y0: number;
  /** Forward speed at the start, m/s. */
  vx0: number;
}

/** The parameter point of a record's own parameters. */
export function truthOf(r: FitRecord): WalkParams {
  return { m: r.m, rho: r.k / r.m, l0: r.l0, alpha0: r.alpha0, y0: r.y0, vx0: r.vx0 };
}

/**
 * How a point is written as the optimiser's vector theta. "mkl0": (log m, log k, log l0, alpha0,
 * log y0, log vx0). "rhol0": (log rho, log l0, alpha0, log y0, log vx0), and log m last when the
 * force is observed (with x, y alone the mass does not enter the residuals at all).
 */
export type FitParametrisation = "mkl0" | "rhol0";

/** Names of the entries of theta (each the logarithm of that parameter, except alpha0). */
export function parameterNames(p: FitParametrisation, observe: ObservationModel): string[] {
  if (p === "mkl0") return ["m", "k", "l0", "alpha0", "y0", "vx0"];
  return observe === "xy+grf" ? ["rho", "l0", "alpha0", "y0", "vx0", "m"] : ["rho", "l0", "alpha0", "y0", "vx0"];
}

/** The value of a named parameter of a point (k = rho m). */
export function valueOf(w: WalkParams, name: string): number {
  if (name === "k") return w.rho * w.m;
  const v = (w as unknown as Record<string, number>)[name];
  if (v === undefined) throw new GaitidError(`unknown parameter ${JSON.stringify(name)}; choose one of m, k, rho, l0, alpha0, y0, vx0`);
  return v;
}

/** theta of a point. */
export function toTheta(p: FitParametrisation, observe: ObservationModel, w: WalkParams): Float64Array {
  return Float64Array.from(parameterNames(p, observe), (n) => (n === "alpha0" ? w.alpha0 : Math.log(valueOf(w, n))));
}

/** The point of theta; `m` is used where theta has no mass (x, y alone). */
export function fromTheta(p: FitParametrisation, observe: ObservationModel, theta: ArrayLike<number>, m: number): WalkParams {
  const names = parameterNames(p, observe);
  const v: Record<string, number> = {};
  names.forEach((n, i) => (v[n] = n === "alpha0" ? theta[i] : Math.exp(theta[i])));
  const mass = v.m ?? m;
  return { m: mass, rho: v.rho ?? v.k / mass, l0: v.l0, alpha0: v.alpha0, y0: v.y0, vx0: v.vx0 };
}

/** Channels of an observation model, in the order of the stacked data. */
export function channelsOf(observe: ObservationModel): string[] {
  return observe === "xy+grf" ? ["x", "y", "fx", "fy"] : ["x", "y"];
}

/** Integrator tolerances of the fits (those of the sensitivity analysis, whose central differences they share). */
export const FIT_RTOL = SENSITIVITY_RTOL;
export const FIT_ATOL = SENSITIVITY_ATOL;

/** Residual of every sample a failed walk does not reach, in noise standard deviations. */
export const FAILED_RESIDUAL = 1e6;

/**
 * The one place that calls the simulator's driver: a walk of `duration` s from the VLO state of
 * `w`, sampled every `dt` s, with the force per unit mass when `grf`.
 */
export function runWalk(sim: WalkerSimulator, w: WalkParams, duration: number, dt: number, grf: boolean, g = G): Walk {
  const p: Mechanics = { rho: w.rho, l0: w.l0, g };
  return sim.run({ mechanics: p, alpha0: w.alpha0, start: [0, w.y0, w.vx0, 0], duration, dt, rtol: FIT_RTOL, atol: FIT_ATOL, grf });
}

/** Whether (alpha0, y0) with this l0 is a valid start: 0 < alpha0 < pi/2, l0 sin(alpha0) < y0 <= l0. */
export function validStart(w: WalkParams): boolean {
  return w.alpha0 > 0 && w.alpha0 < Math.PI / 2 && w.y0 > w.l0 * Math.sin(w.alpha0) && w.y0 <= w.l0 && w.vx0 > 0 && w.rho > 0 && w.m > 0;
}

/**
 * The channels the walker predicts at `w` for the first `samples` samples, stacked channel after
 * channel (x from the start, y in m; fx, fy in N); undefined when the start is invalid. `reached`
 * is the number of samples the walk reached (all of them unless it failed).
 */
export function predict(sim: WalkerSimulator, w: WalkParams, observe: ObservationModel, samples: number, dt: number): { values: Float64Array; reached: number } | undefined {
  if (!validStart(w)) return undefined;
  const grf = observe === "xy+grf";
  const walk = runWalk(sim, w, (samples - 1) * dt, dt, grf);
  // A failed walk stops before the end of the window, so it reached fewer samples.
  const reached = Math.min(walk.samples, samples);
  const c = grf ? 4 : 2;
  const values = new Float64Array(c * samples);
  for (let i = 0; i < reached; i++) {
    values[i] = walk.x[i] - walk.x[0];
    values[samples + i] = walk.y[i];
    if (grf) {
      values[2 * samples + i] = w.m * walk.fx![i];
      values[3 * samples + i] = w.m * walk.fy![i];
    }
  }
  return { values, reached };
}

/** A record's observed samples with the noise they carry. */
export interface Observation {
  /** Record id. */
  id: number;
  observe: ObservationModel;
  /** Samples per channel (duration / dt + 1). */
  samples: number;
  /** Sampling interval, s. */
  dt: number;
  /** The observed values, stacked channel after channel ({@link channelsOf}): x from the start and y in m, fx and fy in N. */
  data: Float64Array;
  /** Standard deviation of the noise added per channel (m, m, N, N); 0 for a noise-free record. */
  noiseSigma: number[];
  /**
   * The residuals' unit per channel: the noise standard deviation, or for a noise-free channel the
   * channel's scale (its standard deviation over the training records), so that the misfit stays
   * a weighted sum of squares.
   */
  sigma: number[];
}

/**
 * Residuals of the first `samples` samples (default all) of each channel at `w`:
 * (predicted - observed) / sigma, stacked like the data; failed: see the module comment.
 */
export function residuals(sim: WalkerSimulator, obs: Observation, w: WalkParams, samples = obs.samples): Evaluation {
  const c = obs.sigma.length;
  const r = new Float64Array(c * samples);
  const pred = predict(sim, w, obs.observe, samples, obs.dt);
  const reached = pred?.reached ?? 0;
  for (let j = 0; j < c; j++) {
    const inv = 1 / obs.sigma[j];
    for (let i = 0; i < samples; i++) {
      r[j * samples + i] = i < reached ? (pred!.values[j * samples + i] - obs.data[j * obs.samples + i]) * inv : FAILED_RESIDUAL;
    }
  }
  return reached < samples ? { r, failed: true } : { r };
}

/** The noise-free channels of a record at its own parameters, stacked (throws when the record does not walk its whole length). */
export function cleanChannels(sim: WalkerSimulator, rec: FitRecord, observe: ObservationModel): Float64Array {
  const samples = Math.round(rec.duration / rec.dt) + 1;
  const pred = predict(sim, truthOf(rec), observe, samples, rec.dt);
  if (!pred || pred.reached < samples) {
    throw new GaitidError(`record ${rec.id} does not walk its ${rec.duration} s when re-simulated from its parameters; is its row of params.csv intact?`);
  }
  return pred.values;
}
