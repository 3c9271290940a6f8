/**
 * The profile likelihood of one parameter of a record: fix it on a set of values, re-optimise all
 * the others, and record the best misfit chi2(psi); delta(psi) = chi2(psi) - chi2 at the fit.
 *
 * The interval. From the estimate, each side is searched outwards in log psi (first step the
 * Fisher standard error, then growing) until delta exceeds the threshold (then the crossing is
 * refined by bisection and interpolated linearly in sqrt(delta)), or until the search bound, the prior range widened by its
 * own width on each side (then the interval is open on that side). Every point is re-optimised from
 * the optimum of its neighbour (extrapolated along the path of the last two, or with rho kept when
 * m or k is profiled: the valley of a flat profile), from the first such start that walks.
 *
 * The curve. `points` values (default 41) over the range the figure shows: the prior range when
 * the interval is open there, else twice the distance of the interval's end from the estimate (so
 * the threshold crossing is in view; at small noise the interval of rho is far narrower than the
 * prior range, and a grid over the prior would put it between two points). Each re-optimised from
 * the nearest point already computed.
 *
 * m and k are profiled in the parametrisation (log m, log k, log l0, alpha0, log y0, log vx0), rho and
 * l0 in (log rho, log l0, alpha0, log y0, log vx0[, log m]). A lower misfit found on the way (the fit
 * missed the optimum) becomes the minimum, and is reported.
 */
import { GaitidError } from "../errors";
import type { WalkerSimulator } from "../walker/simulate";
import { covarianceOf, FIT_STEP, residualFunction } from "./fisher";
import type { FitResult, Priors } from "./fit";
import { centralJacobian, levenbergMarquardt } from "./lm";
import { fromTheta, parameterNames, toTheta, valueOf, type FitParametrisation, type Observation, type WalkParams } from "./record";
import { CHI2_95_1DOF, FLAT_TOLERANCE, profileVerdict, type Verdict } from "./verdict";

/** Parameters that can be profiled, and their units. */
export const PROFILE_PARAMETERS = ["m", "k", "rho", "l0"] as const;
export type ProfileParameter = (typeof PROFILE_PARAMETERS)[number];
export const PROFILE_UNITS: Record<ProfileParameter, string> = { m: "kg", k: "N/m", rho: "1/s²", l0: "m" };

/** One re-optimised point of a profile. */
export interface ProfilePoint {
  /** The fixed value of the parameter (SI units). */
  value: number;
  /** Best misfit with the parameter fixed there. */
  chi2: number;
  /** chi2 minus the profile's minimum. */
  delta: number;
  /** The re-optimised point. */
  estimate: WalkParams;
  /** Whether the point belongs to the interval search (else to the curve's grid). */
  search: boolean;
  /**
   * Whether no start found a walk that lasts the record with the parameter fixed here (its chi2 is
   * then the large finite misfit of a failed walk: the model cannot produce the record there, as
   * far as the optimiser can tell; it closes the interval on that side).
   */
  failed: boolean;
}

/** The profile of one parameter of one record. */
export interface Profile {
  id: number;
  observe: Observation["observe"];
  parameter: ProfileParameter;
  /** The parameter at the fit (SI units). */
  estimate: number;
  /** The least misfit: the fit's, or a lower one the profile found. */
  chi2Min: number;
  /** Whether the profile found a lower misfit than the fit. */
  improvedFit: boolean;
  /** Threshold of delta for the interval. */
  threshold: number;
  /** The interval's ends (SI units); null where it is open (no crossing within the search bound). */
  lower: number | null;
  upper: number | null;
  /** The prior range and the searched range of the parameter (SI units). */
  priorRange: [number, number];
  searchRange: [number, number];
  /** All points, ascending in value. */
  points: ProfilePoint[];
  /** Largest delta over the points. */
  maxDelta: number;
  /** Points where no walk lasted the record ({@link ProfilePoint.failed}). */
  failedPoints: number;
  verdict: Verdict;
  simulations: number;
  seconds: number;
}

/** Options of {@link profileParameter}. */
export interface ProfileOptions {
  priors: Priors;
  /** Points of the curve (default 41; 0: the interval search only). */
  points?: number;
  /** Threshold of delta (default {@link CHI2_95_1DOF}). */
  threshold?: number;
  /** Flatness tolerance (default {@link FLAT_TOLERANCE}). */
  flatTolerance?: number;
  /** Bisection steps that refine a crossing (default 3). */
  refine?: number;
}

/** The prior range of a parameter (rho: from the ranges of k and m). */
export function priorRange(priors: Priors, p: ProfileParameter): [number, number] {
  if (p === "rho") return [priors.k[0] / priors.m[1], priors.k[1] / priors.m[0]];
  const r = priors[p];
  return [r[0], r[1]];
}

interface Solved {
  logv: number;
  theta: Float64Array;
  chi2: number;
  search: boolean;
  failed: boolean;
}

/** What the steps of one profile share: the problem, the fit it starts from, the search's range and every point solved so far. */
interface ProfileRun {
  parameter: ProfileParameter;
  obs: Observation;
  fit: FitResult;
  p: FitParametrisation;
  names: readonly string[];
  /** Index of the profiled parameter in the parametrisation. */
  j: number;
  /** Threshold of delta for the interval. */
  threshold: number;
  /** log of the parameter at the fit. */
  logHat: number;
  /** The prior range of the parameter, SI units, and its logarithm. */
  prior: [number, number];
  logPrior: [number, number];
  /** The searched range of log psi: the prior range widened by its own width on each side (and reaching the estimate). */
  bound: [number, number];
  /** First search step in log psi: the Fisher standard error, within [1e-9, a eighth of the log prior range]. */
  step0: number;
  /** The residuals of a parameter vector, counting simulations. */
  evaluate: (theta: Float64Array) => ReturnType<ReturnType<typeof residualFunction>>;
  simulations: number;
  /** Every point solved so far, the fit first. */
  solved: Solved[];
}

/** The profile's setting-up: the parametrisation, the residuals, the Fisher standard error at the fit and the search range. */
function startProfile(sim: WalkerSimulator, obs: Observation, fit: FitResult, parameter: ProfileParameter, opts: ProfileOptions): ProfileRun {
  const p: FitParametrisation = parameter === "m" || parameter === "k" ? "mkl0" : "rhol0";
  const names = parameterNames(p, obs.observe);
  const j = names.indexOf(parameter);
  const full = residualFunction(sim, obs, p, fit.estimate.m);
  const center = toTheta(p, obs.observe, fit.estimate);
  const logHat = center[j];
  const prior = priorRange(opts.priors, parameter);
  const logPrior: [number, number] = [Math.log(prior[0]), Math.log(prior[1])];
  const width = logPrior[1] - logPrior[0];
  const run: ProfileRun = {
    parameter, obs, fit, p, names, j, logHat, prior, logPrior,
    threshold: opts.threshold ?? CHI2_95_1DOF,
    bound: [Math.min(logPrior[0], logHat) - width, Math.max(logPrior[1], logHat) + width],
    step0: width / 8,
    evaluate: (theta) => {
      run.simulations++;
      return full(theta);
    },
    simulations: 0,
    solved: [{ logv: logHat, theta: center, chi2: fit.chi2, search: true, failed: false }],
  };
  // Fisher standard error of log psi: the first search step.
  const at = run.evaluate(center);
  const cov = covarianceOf(centralJacobian(run.evaluate, center, at, FIT_STEP), names);
  const se = Math.sqrt(cov.matrix[j][j]);
  if (Number.isFinite(se)) run.step0 = Math.min(Math.max(se, 1e-9), width / 8);
  return run;
}

/** Re-optimises at log psi = logv from the first start whose walk lasts the record. */
function solveAt(run: ProfileRun, logv: number, starts: Float64Array[], search: boolean): Solved {
  const { names, j, evaluate } = run;
  const expand = (f: ArrayLike<number>): Float64Array => {
    const t = new Float64Array(names.length);
    for (let i = 0, k = 0; i < names.length; i++) t[i] = i === j ? logv : f[k++];
    return t;
  };
  const reduced = (t: Float64Array): Float64Array => Float64Array.from(Array.from(t).filter((_, i) => i !== j));
  const from = starts.find((t) => !evaluate(expand(reduced(t))).failed) ?? starts[0];
  const res = levenbergMarquardt({ n: names.length - 1, evaluate: (f) => evaluate(expand(f)) }, reduced(from), { step: FIT_STEP, maxIterations: 60 });
  return { logv, theta: expand(res.theta), chi2: res.cost, search, failed: res.failed };
}

/**
 * Starts of a new point: the nearest solved one moved along the path of its neighbour; the
 * nearest one with rho (and the rest) kept, the parameter set to its new value; the nearest as it is.
 */
function startsFor(run: ProfileRun, logv: number, solved: Solved[]): Float64Array[] {
  const { p, obs, parameter } = run;
  const ok = solved.filter((q) => !q.failed);
  const byDistance = [...(ok.length > 0 ? ok : solved)].sort((a, b) => Math.abs(a.logv - logv) - Math.abs(b.logv - logv));
  const a = byDistance[0], b = byDistance.find((q) => q !== a && Math.sign(q.logv - a.logv) === Math.sign(a.logv - logv));
  const out: Float64Array[] = [];
  if (b && a.logv !== b.logv) {
    const t = (logv - a.logv) / (a.logv - b.logv);
    out.push(a.theta.map((v, i) => v + t * (v - b.theta[i])));
  }
  const w = fromTheta(p, obs.observe, a.theta, run.fit.estimate.m);
  const v = Math.exp(logv);
  const kept: WalkParams = parameter === "m" ? { ...w, m: v } : parameter === "k" ? { ...w, m: v / w.rho } : parameter === "rho" ? { ...w, rho: v } : { ...w, l0: v, y0: (w.y0 * v) / w.l0 };
  out.push(toTheta(p, obs.observe, kept), a.theta);
  return out;
}

/** Solves the point at logv (a search point or one of the curve's) from its neighbours, and keeps it. */
function solveNext(run: ProfileRun, logv: number, neighbours: Solved[], search: boolean): Solved {
  const q = solveAt(run, logv, startsFor(run, logv, neighbours), search);
  run.solved.push(q);
  return q;
}

/** The interval's end on one side (-1 below the estimate, 1 above), or null when delta stays under the threshold up to the search bound. */
function searchSide(run: ProfileRun, side: -1 | 1, refineSteps: number): number | null {
  const { logHat, bound, threshold, fit } = run;
  let prev = run.solved[0];
  let d = run.step0;
  for (;;) {
    let logv = logHat + side * d;
    const last = side < 0 ? logv <= bound[0] : logv >= bound[1];
    if (last) logv = side < 0 ? bound[0] : bound[1];
    const q = solveNext(run, logv, run.solved, true);
    const delta = q.chi2 - fit.chi2;
    if (delta > threshold) return refineCrossing(run, prev, q, refineSteps);
    if (last) return null;
    // Grow the step: by the quadratic guess once the profile rises, else fourfold.
    const grow = delta > 0.1 ? Math.sqrt((1.3 * threshold) / delta) : 4;
    d *= Math.min(4, Math.max(1.3, grow));
    prev = q;
  }
}

/** The threshold crossing between a point inside the interval and one outside: bisected `steps` times, then interpolated in sqrt(delta). */
function refineCrossing(run: ProfileRun, inside: Solved, outside: Solved, steps: number): number {
  const { fit, threshold } = run;
  let a = inside, b = outside;
  for (let i = 0; i < steps; i++) {
    const q = solveNext(run, (a.logv + b.logv) / 2, [a], true);
    if (q.chi2 - fit.chi2 > threshold) b = q;
    else a = q;
  }
  // Interpolate sqrt(delta), linear in psi where the profile is quadratic.
  const sa = Math.sqrt(Math.max(0, a.chi2 - fit.chi2)), sb = Math.sqrt(b.chi2 - fit.chi2);
  return Math.exp(a.logv + ((Math.sqrt(threshold) - sa) / (sb - sa)) * (b.logv - a.logv));
}

/** The curve's grid of `nPoints` values (see the module comment), solved outwards from the estimate. */
function solveCurve(run: ProfileRun, ends: readonly (number | null)[], nPoints: number): void {
  const { logHat, logPrior } = run;
  const lo = ends[0] !== null ? logHat - 2 * (logHat - Math.log(ends[0])) : Math.min(logPrior[0], logHat);
  const hi = ends[1] !== null ? logHat + 2 * (Math.log(ends[1]) - logHat) : Math.max(logPrior[1], logHat);
  const grid = Array.from({ length: nPoints }, (_, i) => (nPoints === 1 ? logHat : lo + ((hi - lo) * i) / (nPoints - 1)));
  // Outwards from the estimate, so that each point starts from a solved neighbour.
  grid.sort((a, b) => Math.abs(a - logHat) - Math.abs(b - logHat));
  for (const logv of grid) solveNext(run, logv, run.solved, false);
}

/** The profile of a finished run: its points in SI units ascending, the interval, the verdict. */
function profileOf(run: ProfileRun, ends: readonly (number | null)[], flatTolerance: number, seconds: number): Profile {
  const { fit, p, obs, parameter, bound } = run;
  const chi2Min = Math.min(fit.chi2, ...run.solved.map((s) => s.chi2));
  const points = run.solved
    .map((s) => ({ value: Math.exp(s.logv), chi2: s.chi2, delta: s.chi2 - chi2Min, estimate: fromTheta(p, obs.observe, s.theta, fit.estimate.m), search: s.search, failed: s.failed }))
    .sort((a, b) => a.value - b.value);
  const maxDelta = Math.max(...points.map((q) => q.delta));
  return {
    id: obs.id,
    observe: obs.observe,
    parameter,
    estimate: valueOf(fit.estimate, parameter),
    chi2Min,
    improvedFit: chi2Min < fit.chi2 - 1e-6 * Math.max(1, fit.chi2),
    threshold: run.threshold,
    lower: ends[0],
    upper: ends[1],
    priorRange: run.prior,
    searchRange: [Math.exp(bound[0]), Math.exp(bound[1])],
    points,
    maxDelta,
    failedPoints: points.filter((q) => q.failed).length,
    verdict: profileVerdict(maxDelta, ends[0] !== null, ends[1] !== null, flatTolerance),
    simulations: run.simulations,
    seconds,
  };
}

/** The profile of `parameter` of an observed record around its fit (see the module comment). */
export function profileParameter(sim: WalkerSimulator, obs: Observation, fit: FitResult, parameter: ProfileParameter, opts: ProfileOptions): Profile {
  if (!(PROFILE_PARAMETERS as readonly string[]).includes(parameter)) {
    throw new GaitidError(`--param must be one of ${PROFILE_PARAMETERS.join(", ")}; got ${JSON.stringify(parameter)}`);
  }
  const t0 = performance.now();
  const run = startProfile(sim, obs, fit, parameter, opts);
  const ends = ([-1, 1] as const).map((side) => searchSide(run, side, opts.refine ?? 3));
  const nPoints = opts.points ?? 41;
  if (nPoints > 0) solveCurve(run, ends, nPoints);
  return profileOf(run, ends, opts.flatTolerance ?? FLAT_TOLERANCE, (performance.now() - t0) / 1000);
}
