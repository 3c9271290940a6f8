/**
 * The units of work of a batch of fits, each a pure function of its inputs (the same in a worker
 * thread or in the calling one): fit one record and profile its parameters at one noise level and
 * observation model; or compute one record's Cramér-Rao bound and its maximum-likelihood fits over
 * noise draws at several levels.
 */
import { GaitidError } from "../errors";
import type { ObservationModel, SensitivityRecord } from "../identifiability/sensitivity";
import type { WalkerSimulator } from "../walker/simulate";
import { covarianceOf, residualJacobian } from "./fisher";
import { fitRecord, type FitResult, type Priors } from "./fit";
import { noiseSigma, noisyObservation, type ChannelScales } from "./noise";
import { profileParameter, type Profile, type ProfileParameter } from "./profile";
import { parameterNames, truthOf, type WalkParams } from "./record";

/** A fit as stored in results: the estimate and its errors, without the Jacobian. */
export interface FitSummary {
  id: number;
  observe: ObservationModel;
  /** Noise, fraction of each channel's scale. */
  noise: number;
  truth: WalkParams & { k: number };
  estimate: WalkParams & { k: number };
  chi2: number;
  residuals: number;
  standardErrors: Record<string, number>;
  starts: number;
  agreeing: number;
  simulations: number;
  seconds: number;
}

/** Adds k = rho m to a point. */
export function withK(w: WalkParams): WalkParams & { k: number } {
  return { ...w, k: w.rho * w.m };
}

/** The stored summary of a fit. */
export function summariseFit(fit: FitResult, truth: WalkParams, noise: number): FitSummary {
  return {
    id: fit.id,
    observe: fit.observe,
    noise,
    truth: withK(truth),
    estimate: withK(fit.estimate),
    chi2: fit.chi2,
    residuals: fit.residuals,
    standardErrors: fit.standardErrors,
    starts: fit.starts.length,
    agreeing: fit.agreeing,
    simulations: fit.simulations,
    seconds: fit.seconds,
  };
}

/** What one profile task needs. */
export interface ProfileTask {
  kind: "profile";
  record: SensitivityRecord;
  observe: ObservationModel;
  noise: number;
  parameters: ProfileParameter[];
  /** Points of each profile's curve (0: intervals only). */
  points: number;
  starts: number;
  seed: number;
}

/** The outcome of a profile task. */
export interface ProfileTaskResult {
  fit: FitSummary;
  profiles: Profile[];
}

/** Fits the record at one noise level and profiles each parameter (none: the fit alone, which may be noise-free). */
export function runProfileTask(sim: WalkerSimulator, t: ProfileTask, scales: ChannelScales, priors: Priors): ProfileTaskResult {
  if (t.parameters.length > 0 && !(t.noise > 0)) throw new GaitidError(`a profile needs noise > 0 (its threshold is in units of the noise variance); got ${t.noise}`);
  const obs = noisyObservation(sim, t.record, t.observe, noiseSigma({ fraction: t.noise }, scales, t.observe), scales, t.seed);
  const fit = fitRecord(sim, obs, { priors, starts: t.starts, seed: t.seed });
  const profiles = t.parameters.map((p) => profileParameter(sim, obs, fit, p, { priors, points: t.points }));
  return { fit: summariseFit(fit, truthOf(t.record), t.noise), profiles };
}

/** What one Cramér-Rao task needs. */
export interface CrbTask {
  kind: "crb";
  record: SensitivityRecord;
  observe: ObservationModel;
  /** Noise fractions. */
  noise: number[];
  seed: number;
}

/** One record's bound and fits. */
export interface CrbTaskResult {
  id: number;
  observe: ObservationModel;
  truth: WalkParams & { k: number };
  /**
   * Cramér-Rao variances at noise fraction 1 (they scale with the square of the fraction), of rho
   * (1/s^4) and l0 (m^2), with alpha0, y0, vx0 (and m with the force) unknown as well.
   */
  crbUnit: { rho: number; l0: number };
  /** Per noise fraction, the maximum-likelihood estimate from one noise draw. */
  fits: { noise: number; rho: number; l0: number; chi2: number; agreeing: boolean }[];
  seconds: number;
}

/**
 * The record's Fisher information at its true parameters (parametrisation rho, l0, alpha0, y0, vx0
 * [, m]) in channel-scale units, and at each noise fraction the maximum-likelihood fit to one noise
 * draw, started from the truth (the local maximum of the likelihood the bound speaks about).
 */
export function runCrbTask(sim: WalkerSimulator, t: CrbTask, scales: ChannelScales, priors: Priors): CrbTaskResult {
  const t0 = performance.now();
  const truth = truthOf(t.record);
  const unit = noisyObservation(sim, t.record, t.observe, noiseSigma({ fraction: 0 }, scales, t.observe), scales, t.seed);
  const { J } = residualJacobian(sim, unit, "rhol0", truth);
  const cov = covarianceOf(J, parameterNames("rhol0", t.observe));
  const crbUnit = { rho: truth.rho ** 2 * cov.matrix[0][0], l0: truth.l0 ** 2 * cov.matrix[1][1] };
  const fits = t.noise.map((f) => {
    const obs = noisyObservation(sim, t.record, t.observe, noiseSigma({ fraction: f }, scales, t.observe), scales, t.seed);
    const fit = fitRecord(sim, obs, { priors, startPoints: [truth], windows: [] });
    return { noise: f, rho: fit.estimate.rho, l0: fit.estimate.l0, chi2: fit.chi2, agreeing: true };
  });
  return { id: t.record.id, observe: t.observe, truth: withK(truth), crbUnit, fits, seconds: (performance.now() - t0) / 1000 };
}
