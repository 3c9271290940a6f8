/**
 * Maximum-likelihood fit of the walker to one record: least squares of the noise-weighted
 * residuals ({@link residuals}) by Levenberg-Marquardt, from several starts drawn from the priors.
 *
 * A walk of 15 s crosses some 30 steps of a weakly unstable gait, so the misfit of the whole record
 * is steep and rugged far from the answer (a start with another step frequency is out of phase after
 * a few steps). Each start therefore fits a growing window of the record: the first
 * {@link FIT_WINDOWS} seconds, each from the optimum of the one before, then the whole record
 * (a continuation in the record's length, as multiple-shooting and "progressive horizon" fits of
 * ODE models do). The best start (least misfit) is the estimate.
 *
 * The fit is in the parametrisation "rhol0" (log rho, log l0, alpha0, log y0, log vx0, and log m
 * when the force is observed): with x, y alone m and k are not in the residuals separately, and
 * neither is estimated (their profiles show it).
 */
import type { Range } from "../config";
import { GaitidError, requireInteger } from "../errors";
import { Rng } from "../random";
import type { WalkerSimulator } from "../walker/simulate";
import { covarianceOf, FIT_STEP, residualFunction, residualJacobian, standardErrors, type Covariance } from "./fisher";
import { levenbergMarquardt, type LmOptions, type LmReason } from "./lm";
import { FIT_STREAM } from "./noise";
import { highestGait } from "../dataset/record";
import { G } from "../walker/physics";
import { FIT_ATOL, FIT_RTOL, fromTheta, parameterNames, residuals, toTheta, validStart, type FitParametrisation, type Observation, type WalkParams } from "./record";

/** Lengths of the growing windows before the whole record, s. */
export const FIT_WINDOWS: readonly number[] = [1, 2, 4, 8];

/** Relative cost reduction at which a window before the whole record is taken as fitted. */
export const WINDOW_FTOL = 1e-6;

/** Where starts are drawn from: the dataset's priors. */
export interface Priors {
  /** Mass, kg. */
  m: Range;
  /** Leg stiffness, N/m. */
  k: Range;
  /** Rest leg length, m. */
  l0: Range;
  /** Angle of attack, degrees. */
  alpha0Deg: Range;
  /** Specific energy, multiples of g l0. */
  energy: Range;
}

/** Options of {@link fitRecord}. */
export interface FitOptions {
  priors: Priors;
  /** Starts (default 4): the first at the middle of the priors, the others drawn from them. */
  starts?: number;
  /** Seed of the starts (with the record id). */
  seed?: number;
  /** Window lengths before the whole record, s (default {@link FIT_WINDOWS}). */
  windows?: readonly number[];
  /** Levenberg-Marquardt iterations per window at most (default 60). */
  maxIterations?: number;
  /** Start from these points instead (e.g. the truth, for a local fit). */
  startPoints?: WalkParams[];
}

/** One start and where it ended. */
export interface StartOutcome {
  start: WalkParams;
  estimate: WalkParams;
  /** Misfit sum r^2 over the whole record at the estimate. */
  chi2: number;
  iterations: number;
  reason: LmReason;
  /** Whether the estimate's walk fails to last the record. */
  failed: boolean;
}

/** The result of {@link fitRecord}. */
export interface FitResult {
  id: number;
  observe: Observation["observe"];
  /** The estimate; m (and so k) is that of the start when only x, y are observed (not estimated). */
  estimate: WalkParams;
  /** Misfit sum r^2 at the estimate (a chi-square with noise; in channel scales without). */
  chi2: number;
  /** Residuals (samples x channels). */
  residuals: number;
  /** Parameters fitted (theta's names, parametrisation "rhol0"). */
  parameters: string[];
  /** Gauss-Newton inverse Fisher information at the estimate (of theta). */
  covariance: Covariance;
  /** Standard errors in SI units (alpha0 in rad); m and k Infinity when not observed through the force. Zero without noise. */
  standardErrors: Record<string, number>;
  starts: StartOutcome[];
  /** Starts that ended within 0.5 of the best misfit with noise (chi-square units); without noise, within 1e-12 per residual (channel scales squared). */
  agreeing: number;
  /** Simulations run (each a walk of at most the record's length). */
  simulations: number;
  seconds: number;
}

/**
 * The starts of a fit: the middle of the priors, then draws from (seed, starts stream, id * 1000 + i)
 * of the subject (m, k, l0), the angle of attack and the specific energy. Each start takes its
 * height and speed from the record (the first sample's height, the mean speed over the first
 * second) when that walks through the first window; otherwise those of the periodic gait of the
 * drawn subject and gait condition (the generator's gait search), which walks by construction.
 */
export function drawStarts(sim: WalkerSimulator, obs: Observation, priors: Priors, count: number, seed: number, window = FIT_WINDOWS[0]): WalkParams[] {
  const S = obs.samples;
  const y0 = obs.data[S];
  // Mean forward speed over the first second (least squares through the origin): robust to noise on x.
  const n = Math.min(S, Math.round(1 / obs.dt) + 1);
  let xt = 0, tt = 0;
  for (let i = 1; i < n; i++) {
    xt += obs.data[i] * i * obs.dt;
    tt += (i * obs.dt) ** 2;
  }
  const vx0 = Math.max(0.05, xt / tt);
  const first = Math.min(S, Math.round(window / obs.dt) + 1);
  const mid = (r: Range): number => (r[0] + r[1]) / 2;
  return Array.from({ length: count }, (_, i) => {
    const rng = new Rng(seed, FIT_STREAM.starts, obs.id * 1000 + i);
    for (let attempt = 0; ; attempt++) {
      const draw = (r: Range): number => (i === 0 && attempt === 0 ? mid(r) : rng.uniform(r[0], r[1]));
      const m = draw(priors.m), k = draw(priors.k), l0 = draw(priors.l0);
      const alpha0 = (draw(priors.alpha0Deg) * Math.PI) / 180;
      const e = draw(priors.energy) * G * l0;
      const fromRecord: WalkParams = { m, rho: k / m, l0, alpha0, y0, vx0 };
      if (validStart(fromRecord) && !residuals(sim, obs, fromRecord, first).failed) return fromRecord;
      const gait = highestGait(sim, { rho: k / m, l0, g: G }, alpha0, e, FIT_RTOL, FIT_ATOL);
      if (gait) return { m, rho: k / m, l0, alpha0, y0: gait.y0, vx0: gait.vx0 };
      if (attempt >= 50) throw new GaitidError(`record ${obs.id}: no start drawn from the priors walks (50 draws); are the dataset's priors those of its records?`);
    }
  });
}

/** Fits one start through the growing windows; returns the outcome over the whole record. */
function fitStart(sim: WalkerSimulator, obs: Observation, start: WalkParams, windows: readonly number[], lm: LmOptions): StartOutcome & { evaluations: number } {
  const p: FitParametrisation = "rhol0";
  let theta = toTheta(p, obs.observe, start);
  let evaluations = 0, iterations = 0;
  const lengths = [...windows.map((w) => Math.round(w / obs.dt) + 1).filter((s) => s < obs.samples), obs.samples];
  let last: ReturnType<typeof levenbergMarquardt> | undefined;
  for (const samples of lengths) {
    const f = residualFunction(sim, obs, p, start.m, samples);
    // The windows before the last only bring theta near the answer: a loose stop saves iterations.
    const ftol = samples < obs.samples ? WINDOW_FTOL : lm.ftol;
    last = levenbergMarquardt({ n: theta.length, evaluate: f }, theta, { ...lm, ftol, step: FIT_STEP });
    theta = last.theta;
    evaluations += last.evaluations;
    iterations += last.iterations;
  }
  const estimate = fromTheta(p, obs.observe, theta, start.m);
  return { start, estimate, chi2: last!.cost, iterations, reason: last!.reason, failed: last!.failed, evaluations };
}

/** The maximum-likelihood fit of one observed record (see the module comment). */
export function fitRecord(sim: WalkerSimulator, obs: Observation, opts: FitOptions): FitResult {
  const t0 = performance.now();
  const count = opts.startPoints ? opts.startPoints.length : requireInteger("starts", opts.starts ?? 4, 1, 1000);
  if (count === 0) throw new GaitidError("a fit needs at least one start");
  const starts = opts.startPoints ?? drawStarts(sim, obs, opts.priors, count, opts.seed ?? 1, (opts.windows ?? FIT_WINDOWS)[0]);
  const lm: LmOptions = { maxIterations: opts.maxIterations ?? 60 };
  let simulations = 0;
  const outcomes = starts.map((s) => {
    const o = fitStart(sim, obs, s, opts.windows ?? FIT_WINDOWS, lm);
    simulations += o.evaluations;
    const { evaluations: _e, ...rest } = o;
    return rest;
  });
  const best = outcomes.reduce((a, b) => (b.chi2 < a.chi2 ? b : a));
  const noisy = obs.noiseSigma.some((s) => s > 0);
  const agreeing = outcomes.filter((o) => o.chi2 - best.chi2 <= (noisy ? 0.5 : 1e-12 * obs.data.length)).length;
  const { J } = residualJacobian(sim, obs, "rhol0", best.estimate);
  simulations += 1 + 2 * J.length;
  const parameters = parameterNames("rhol0", obs.observe);
  const covariance = covarianceOf(J, parameters);
  const se = standardErrors(covariance, best.estimate);
  if (!noisy) for (const k of Object.keys(se)) se[k] = Number.isFinite(se[k]) ? 0 : se[k];
  if (obs.observe === "xy") se.m = se.k = Infinity;
  return {
    id: obs.id,
    observe: obs.observe,
    estimate: best.estimate,
    chi2: best.chi2,
    residuals: obs.data.length,
    parameters,
    covariance,
    standardErrors: se,
    starts: outcomes,
    agreeing,
    simulations,
    seconds: (performance.now() - t0) / 1000,
  };
}
