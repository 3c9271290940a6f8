/**
 * The quantitative identifiability measure: for each record and observation model, the
 * singular values of the sensitivity matrix J = d obs / d (log m, log k, log l0), its condition
 * number, and the direction of its smallest singular value; the same for (log rho, log l0); and
 * their distribution over records.
 *
 * Reading the numbers: a singular value sigma says how much the observation (rows in m, and in
 * body weights for the force) moves, in the 2-norm over all samples, per unit change of the
 * log-parameters along its singular vector. sigma_min near zero means a direction of parameter
 * space that the observation does not see: with xy alone it is (1, 1, 0)/sqrt(2), scaling m and k
 * together (rho fixed). Whether sigma_min is zero is judged against `noiseLevel`, the integration
 * noise of nearby runs as the central difference sees it ({@link nullDirectionVerdict}); how accurate
 * each sigma is, by comparing J at steps h and 2 h (`jacobianError`, `singularValueErrors`).
 */
import { GaitidError } from "../errors";
import { WalkerSimulator } from "../walker/simulate";
import { jacobiSvd, lineAngle } from "./svd";
import {
  adaptiveSensitivity,
  integrationNoise,
  OBSERVATION_MODELS,
  SENSITIVITY_PARAMETERS,
  sensitivity,
  sensitivityMatrix,
  stackChannels,
  type ObservationModel,
  type ObservedChannels,
  type Parametrisation,
  type SensitivityRecord,
  type SensitivityOptions,
} from "./sensitivity";

/** The direction in (log m, log k, log l0) that keeps rho = k / m and l0: scaling m and k together. */
export const MK_SCALING: readonly number[] = [Math.SQRT1_2, Math.SQRT1_2, 0];

/** The singular value decomposition of one sensitivity matrix, as reported. */
export interface SingularSummary {
  /** Column names (log-parameters). */
  parameters: readonly string[];
  /** Singular values, largest first; units of the rows (m, body weights) per unit log-parameter. */
  singularValues: number[];
  /** Unit right singular vector of the smallest singular value (sign: largest component positive). */
  nullDirection: number[];
  /** sigma_max / sigma_min (Infinity when sigma_min is exactly 0). */
  condition: number;
  /** sigma_min / sigma_max (0 when sigma_min is exactly 0). */
  ratio: number;
  /**
   * Frobenius norm of J(h) - J(2 h), same units as the singular values: the accuracy of J, an
   * error bound for every singular value (Weyl: |d sigma_i| <= ||dJ||_2 <= ||dJ||_F); pessimistic
   * for the small ones on unstable gaits (see singularValueErrors).
   */
  jacobianError: number;
  /**
   * |sigma_i(h) - sigma_i(2 h)| for each singular value: its own error estimate. Far smaller than
   * jacobianError for the well-resolved small singular values of strongly unstable gaits, whose J
   * error lies almost wholly along the largest one. A noise-level sigma changes by its own size.
   */
  singularValueErrors: number[];
  /**
   * The integration-noise level of sigma_min (same units): what a central difference with this
   * step makes of the run-to-run integration noise ({@link integrationNoise}) in the directions
   * sigma_min lives in. A sigma_min at or below it is zero as far as the simulator can tell.
   */
  noiseLevel: number;
  /** The central-difference step h chosen for this record, log-parameters. */
  step: number;
}

/** The identifiability of one record under one observation model. */
export interface RecordIdentifiability extends SingularSummary {
  /** Record id. */
  id: number;
  observe: ObservationModel;
  /** Angle between nullDirection and (1, 1, 0)/sqrt(2), rad (in [0, pi/2]). */
  nullAngle: number;
  /** |J (1, 1, 0)/sqrt(2)|: how much the observation changes when m and k scale together. */
  scalingResponse: number;
  /** The same analysis in (log rho, log l0), m held at the record's value. */
  reparametrised: SingularSummary;
}

/** A record that could not be analysed, and why. */
export interface IdentifiabilityFailure {
  id: number;
  reason: string;
}

function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

/**
 * The integration-noise level of the smallest singular value: the largest noise sample, with its
 * components along the left singular vectors u_1 .. u_{p-1} removed, divided by the step. J v_min
 * is orthogonal to those vectors by construction, so this compares like with like; noise along
 * the well-resolved directions (on unstable gaits almost all of it lies along u_1) cannot hide or
 * fake a small singular value.
 */
function noiseLevel(J: Float64Array[], sigma: number[], vectors: number[][], noise: Float64Array[], step: number): number {
  const basis: Float64Array[] = [];
  for (let i = 0; i < sigma.length - 1; i++) {
    if (!(sigma[i] > 0)) continue;
    const u = new Float64Array(J[0].length);
    J.forEach((c, j) => c.forEach((v, r) => (u[r] += v * vectors[i][j])));
    for (let pass = 0; pass < 2; pass++) {
      for (const b of basis) {
        const d = b.reduce((t, v, r) => t + v * u[r], 0);
        u.forEach((v, r) => (u[r] = v - d * b[r]));
      }
    }
    const nu = norm(u);
    if (nu > 0) basis.push(u.map((v) => v / nu));
  }
  let worst = 0;
  for (const n of noise) {
    const res = Float64Array.from(n);
    for (const b of basis) {
      const d = b.reduce((t, v, r) => t + v * res[r], 0);
      res.forEach((v, r) => (res[r] = v - d * b[r]));
    }
    worst = Math.max(worst, norm(res));
  }
  return worst / step;
}

function summarise(
  J: Float64Array[],
  J2: Float64Array[],
  parameters: readonly string[],
  step: number,
  noise: Float64Array[],
): SingularSummary {
  const svd = jacobiSvd(J);
  const s = svd.singularValues;
  const coarse = jacobiSvd(J2).singularValues;
  const smin = s[s.length - 1];
  let err = 0;
  J.forEach((c, j) => c.forEach((v, i) => (err += (v - J2[j][i]) ** 2)));
  return {
    parameters,
    singularValues: s,
    nullDirection: svd.vectors[s.length - 1],
    condition: smin > 0 ? s[0] / smin : Number.POSITIVE_INFINITY,
    ratio: s[0] > 0 ? smin / s[0] : 0,
    jacobianError: Math.sqrt(err),
    singularValueErrors: s.map((v, i) => Math.abs(v - coarse[i])),
    noiseLevel: noiseLevel(J, s, svd.vectors, noise, step),
    step,
  };
}

/**
 * The identifiability of one record under each observation model in `observe` (default both).
 * Costs at least 24 simulations of the record with the ground reaction force (central
 * differences at h and 2 h in 3 + 2 parameters, more when the step search of
 * {@link adaptiveSensitivity} halves h; 4 for {@link integrationNoise}), shared by both
 * observation models. Throws a GaitidError when no step gives perturbed walks that last the record.
 */
export function analyseRecord(
  r: SensitivityRecord,
  observe: readonly ObservationModel[] = OBSERVATION_MODELS,
  opts: SensitivityOptions = {},
  sim = new WalkerSimulator(),
): RecordIdentifiability[] {
  const a = adaptiveSensitivity(r, "mkl0", opts, sim);
  const b = adaptiveSensitivity(r, "rhol0", opts, sim);
  const noise = integrationNoise(r, a.sensitivity, opts, sim);
  return observe.map((o) => {
    const n = noise.map((c: ObservedChannels) => stackChannels(c, o));
    const J = sensitivityMatrix(a.sensitivity, o);
    const main = summarise(J, sensitivityMatrix(a.coarse, o), SENSITIVITY_PARAMETERS.mkl0, a.sensitivity.step, n);
    const along = new Float64Array(J[0].length);
    for (let i = 0; i < along.length; i++) along[i] = J[0][i] * MK_SCALING[0] + J[1][i] * MK_SCALING[1] + J[2][i] * MK_SCALING[2];
    return {
      id: r.id,
      observe: o,
      ...main,
      nullAngle: lineAngle(main.nullDirection, [...MK_SCALING]),
      scalingResponse: norm(along),
      reparametrised: summarise(
        sensitivityMatrix(b.sensitivity, o),
        sensitivityMatrix(b.coarse, o),
        SENSITIVITY_PARAMETERS.rhol0,
        b.sensitivity.step,
        n,
      ),
    };
  });
}

/** Results of {@link analyseRecords}: per observation model, the records in input order. */
export interface IdentifiabilityResults {
  observe: ObservationModel[];
  results: Record<ObservationModel, RecordIdentifiability[]>;
  failures: IdentifiabilityFailure[];
  /** Wall time, s. */
  seconds: number;
}

/**
 * Analyses many records. A record whose perturbed walks fail (a GaitidError from the simulation)
 * is listed in `failures` and left out; other errors propagate. `onRecord(done, total)` is called
 * after each record (for progress lines).
 */
export function analyseRecords(
  records: readonly SensitivityRecord[],
  observe: readonly ObservationModel[] = OBSERVATION_MODELS,
  opts: SensitivityOptions = {},
  onRecord?: (done: number, total: number) => void,
): IdentifiabilityResults {
  const t0 = performance.now();
  const sim = new WalkerSimulator();
  const results = { xy: [], "xy+grf": [] } as Record<ObservationModel, RecordIdentifiability[]>;
  const failures: IdentifiabilityFailure[] = [];
  records.forEach((r, i) => {
    try {
      for (const res of analyseRecord(r, observe, opts, sim)) results[res.observe].push(res);
    } catch (err) {
      if (!(err instanceof GaitidError)) throw err;
      failures.push({ id: r.id, reason: err.message });
    }
    onRecord?.(i + 1, records.length);
  });
  return { observe: [...observe], results, failures, seconds: (performance.now() - t0) / 1000 };
}

/** Quantiles of a sample (linear interpolation between order statistics). */
export interface QuantileSummary {
  count: number;
  min: number;
  q05: number;
  q25: number;
  median: number;
  q75: number;
  q95: number;
  max: number;
}

/** The quantiles of `values` (NaN dropped; infinities kept in order). */
export function quantileSummary(values: readonly number[]): QuantileSummary {
  const v = values.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  const q = (p: number): number => {
    if (v.length === 0) return Number.NaN;
    const at = p * (v.length - 1);
    const lo = Math.floor(at), hi = Math.ceil(at);
    if (lo === hi || v[lo] === v[hi]) return v[lo];
    return v[lo] + (v[hi] - v[lo]) * (at - lo);
  };
  return { count: v.length, min: q(0), q05: q(0.05), q25: q(0.25), median: q(0.5), q75: q(0.75), q95: q(0.95), max: q(1) };
}

/** The distribution over records of the identifiability measures of one observation model. */
export interface IdentifiabilitySummary {
  observe: ObservationModel;
  records: number;
  /** sigma_min / sigma_max of (log m, log k, log l0). */
  ratio: QuantileSummary;
  /** sigma_max / sigma_min (may hold Infinity). */
  condition: QuantileSummary;
  /** Smallest singular value. */
  smallestSingularValue: QuantileSummary;
  /** Accuracy of J (bounds the error of each singular value). */
  jacobianError: QuantileSummary;
  /** Integration-noise level of sigma_min. */
  noiseLevel: QuantileSummary;
  /** Central-difference step chosen per record. */
  step: QuantileSummary;
  /** Angle of the null direction to (1, 1, 0)/sqrt(2), rad. */
  nullAngle: QuantileSummary;
  /** |J (1, 1, 0)/sqrt(2)|. */
  scalingResponse: QuantileSummary;
  /** Records with a null direction ({@link nullDirectionVerdict} "null"). */
  unidentifiable: number;
  /** Records whose J is not accurate enough to tell ({@link nullDirectionVerdict} "unresolved"). */
  unresolved: number;
  /** The same for (log rho, log l0). */
  reparametrised: {
    ratio: QuantileSummary;
    condition: QuantileSummary;
    smallestSingularValue: QuantileSummary;
    unidentifiable: number;
    unresolved: number;
  };
}

/** J counts as resolved when steps h and 2 h agree to this fraction of sigma_max. */
export const RESOLVED_JACOBIAN = 1e-5;
/** sigma_min counts as zero up to this multiple of its integration-noise level. */
export const NULL_NOISE_FACTOR = 20;

/**
 * What the numbers say about the smallest singular value:
 * - "unresolved": J itself is not accurate (|J(h) - J(2 h)|_F > {@link RESOLVED_JACOBIAN} sigma_max).
 *   This happens on strongly unstable gaits (step-map moduli of 1.3 to 1.8, which datasets made
 *   with dataset.maxModulus <= 1.2 no longer hold: sigma_max of 1e6 to 1e8, a relative change of
 *   1e-8 in a parameter moves the path by centimetres), where even the smallest step leaves J off
 *   by 1e-4 to 1e-2 and a last-bit change of rho moves the path by more than the central
 *   difference can separate from signal;
 * - "null": sigma_min is no more than {@link NULL_NOISE_FACTOR} times its integration-noise level;
 * - "identifiable": otherwise.
 * Measured on 148 records with step-map moduli up to 1.8 (a tiny dataset made before the
 * generator bounded the modulus; 2 more fell at every step): relative J changes are either
 * <= 3.9e-6 or >= 8.9e-5, nothing between; the 6 records above (the same 6 with either
 * observation) have sigma_max of 3e6 to 2e8. On the 142 resolved ones sigma_min / noiseLevel is
 * at most 1.4 with xy (sigma_min exactly 0 on 45); at least 449 with xy+grf; for (log rho, log l0)
 * at least 804 with either observation. The factor 20 sits between with a margin of more than 14
 * on each side. On the first 150 records of the tiny preset now (maxModulus 1.2) all are
 * resolved, the largest relative J change is 1.4e-6, sigma_min / noiseLevel is at most 1.3 with
 * xy and at least 3.9e3 with xy+grf, and at least 8.6e3 for (log rho, log l0). (jacobianError is not the
 * yardstick for zero: on unstable gaits it lies along the largest singular value and would hide a
 * well-resolved small one.)
 */
export function nullDirectionVerdict(s: SingularSummary, factor = NULL_NOISE_FACTOR): "null" | "identifiable" | "unresolved" {
  if (!(s.jacobianError <= RESOLVED_JACOBIAN * s.singularValues[0])) return "unresolved";
  return s.singularValues[s.singularValues.length - 1] <= factor * s.noiseLevel ? "null" : "identifiable";
}

/** Whether J is resolved and its smallest singular value is zero ({@link nullDirectionVerdict}). */
export function hasNullDirection(s: SingularSummary, factor = NULL_NOISE_FACTOR): boolean {
  return nullDirectionVerdict(s, factor) === "null";
}

/** Summarises the results of one observation model over records (for the report's plots). */
export function summariseIdentifiability(observe: ObservationModel, results: readonly RecordIdentifiability[]): IdentifiabilitySummary {
  const pick = (f: (r: RecordIdentifiability) => number): QuantileSummary => quantileSummary(results.map(f));
  const last = (s: SingularSummary): number => s.singularValues[s.singularValues.length - 1];
  return {
    observe,
    records: results.length,
    ratio: pick((r) => r.ratio),
    condition: pick((r) => r.condition),
    smallestSingularValue: pick(last),
    jacobianError: pick((r) => r.jacobianError),
    noiseLevel: pick((r) => r.noiseLevel),
    step: pick((r) => r.step),
    nullAngle: pick((r) => r.nullAngle),
    scalingResponse: pick((r) => r.scalingResponse),
    unidentifiable: results.filter((r) => nullDirectionVerdict(r) === "null").length,
    unresolved: results.filter((r) => nullDirectionVerdict(r) === "unresolved").length,
    reparametrised: {
      ratio: pick((r) => r.reparametrised.ratio),
      condition: pick((r) => r.reparametrised.condition),
      smallestSingularValue: pick((r) => last(r.reparametrised)),
      unidentifiable: results.filter((r) => nullDirectionVerdict(r.reparametrised) === "null").length,
      unresolved: results.filter((r) => nullDirectionVerdict(r.reparametrised) === "unresolved").length,
    },
  };
}

/** One row of {@link stepStudy}. */
export interface StepStudyRow {
  /** Central-difference step, log-parameters. */
  step: number;
  /** ||J(step) - J(next smaller step)||_F / ||J(next smaller step)||_F (NaN for the last row or a failure). */
  change: number;
  /** Why J could not be computed at this step (a perturbed walk failed). */
  failure?: string;
}

/**
 * How J changes with the central-difference step (largest step first): truncation error falls
 * like h^2 until the integration noise (~1/h) takes over. The evidence behind SENSITIVITY_STEP.
 */
export function stepStudy(
  r: SensitivityRecord,
  steps: readonly number[],
  parametrisation: Parametrisation = "mkl0",
  observe: ObservationModel = "xy+grf",
  opts: SensitivityOptions = {},
): StepStudyRow[] {
  const sim = new WalkerSimulator();
  const hs = [...steps].sort((a, b) => b - a);
  const Js = hs.map((h) => {
    try {
      return sensitivityMatrix(sensitivity(r, parametrisation, { ...opts, step: h }, sim), observe);
    } catch (err) {
      if (err instanceof GaitidError) return err.message;
      throw err;
    }
  });
  return hs.map((step, i) => {
    const J = Js[i], K = Js[i + 1];
    if (typeof J === "string") return { step, change: Number.NaN, failure: J };
    if (K === undefined || typeof K === "string") return { step, change: Number.NaN };
    let d = 0, n = 0;
    J.forEach((c, j) => c.forEach((v, k) => ((d += (v - K[j][k]) ** 2), (n += K[j][k] ** 2))));
    return { step, change: Math.sqrt(d / n) };
  });
}

/** Per-record results and their distribution for both observation models (what the report plots). */
export interface IdentifiabilityStudy extends IdentifiabilityResults {
  summaries: Record<ObservationModel, IdentifiabilitySummary>;
}

/**
 * The identifiability measure over a sample of records with both observation models: the
 * per-record results ({@link analyseRecords}) and their summaries ({@link summariseIdentifiability}).
 * About 0.2 s per record on one core (24 simulations, more for strongly unstable gaits).
 */
export function identifiabilityStudy(
  records: readonly SensitivityRecord[],
  opts: SensitivityOptions = {},
  onRecord?: (done: number, total: number) => void,
): IdentifiabilityStudy {
  const res = analyseRecords(records, OBSERVATION_MODELS, opts, onRecord);
  return {
    ...res,
    summaries: {
      xy: summariseIdentifiability("xy", res.results.xy),
      "xy+grf": summariseIdentifiability("xy+grf", res.results["xy+grf"]),
    },
  };
}
