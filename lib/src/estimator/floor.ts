/**
 * The identifiability floor: the best error that any estimator of m and k can reach from (x, y).
 *
 * The trajectory depends on m and k only through rho = k / m, so the best estimate of m from the
 * data is no better than the best estimate of m from rho itself: the posterior mean E[m | rho]
 * under the priors (and E[k | rho] = rho E[m | rho]). With independent uniform priors
 * m ~ U[m1, m2] and k ~ U[k1, k2], the change of variables (m, k) -> (m, rho) has Jacobian m, so
 *
 *     p(m | rho)  ∝  m   on   [a, b] = [max(m1, k1 / rho), min(m2, k2 / rho)],
 *
 * and every moment is a closed form: E[m | rho] = (2/3) (a^2 + a b + b^2) / (a + b),
 * E[m^2 | rho] = (a^2 + b^2) / 2. No sampling.
 */
import type { Range } from "../config";
import { GaitidError, show } from "../errors";

/** Uniform priors of the subject parameters that the floor needs (as in DatasetConfig). */
export interface MkPriors {
  /** Mass prior [m1, m2], kg. */
  m: Range;
  /** Stiffness prior [k1, k2], N/m. */
  k: Range;
}

/** The paper's priors: m ~ U[60, 75] kg, k ~ U[8000, 10000] N/m. */
export const PAPER_PRIORS: MkPriors = { m: [60, 75], k: [8000, 10000] };

function checkPriors(p: MkPriors): void {
  for (const [name, r, unit] of [["m", p.m, "kg"], ["k", p.k, "N/m"]] as const) {
    if (!Array.isArray(r) || r.length !== 2 || !(r[0] > 0) || !(r[0] < r[1]) || !Number.isFinite(r[1])) {
      throw new GaitidError(`prior of ${name} must be a range [lo, hi] with 0 < lo < hi (${unit}); got ${JSON.stringify(r)}`);
    }
  }
}

/** The interval of m allowed by both priors at a given rho, kg: [max(m1, k1/rho), min(m2, k2/rho)]. */
export function massInterval(rho: number, priors: MkPriors): [number, number] {
  return [Math.max(priors.m[0], priors.k[0] / rho), Math.min(priors.m[1], priors.k[1] / rho)];
}

/** The range of rho = k/m that the priors allow, 1/s^2: [k1/m2, k2/m1]. */
export function rhoRange(priors: MkPriors): [number, number] {
  return [priors.k[0] / priors.m[1], priors.k[1] / priors.m[0]];
}

/** Posterior moments of m (kg) and k (N/m) given rho (1/s^2). */
export interface PosteriorMoments {
  /** E[m | rho], kg. */
  m: number;
  /** E[k | rho] = rho E[m | rho], N/m. */
  k: number;
  /** Var(m | rho), kg^2. */
  varM: number;
  /** Var(k | rho) = rho^2 Var(m | rho), (N/m)^2. */
  varK: number;
}

/**
 * E and Var of m and k given rho under uniform priors (exact). A rho outside the range the
 * priors allow is an error; at its very edge (interval of zero width, or a rounding error beyond
 * it by at most 1e-9 relative) the posterior is the point mass at the edge.
 */
export function posteriorMoments(rho: number, priors: MkPriors = PAPER_PRIORS): PosteriorMoments {
  checkPriors(priors);
  if (!(rho > 0) || !Number.isFinite(rho)) throw new GaitidError(`rho must be a finite number > 0 (1/s^2); got ${show(rho)}`);
  let [a, b] = massInterval(rho, priors);
  if (a > b) {
    if (a - b > 1e-9 * a) {
      const [lo, hi] = rhoRange(priors);
      throw new GaitidError(`rho = ${rho} 1/s^2 lies outside the range the priors allow, [${lo}, ${hi}]`);
    }
    a = b = (a + b) / 2;
  }
  let mean: number, second: number;
  if (b - a <= 1e-12 * b) {
    mean = (a + b) / 2;
    second = mean * mean;
  } else {
    mean = ((2 / 3) * (a * a + a * b + b * b)) / (a + b);
    second = (a * a + b * b) / 2;
  }
  const varM = Math.max(0, second - mean * mean);
  return { m: mean, k: rho * mean, varM, varK: rho * rho * varM };
}

/** E[m | rho] and E[k | rho] (kg, N/m): the Bayes estimator that knows rho exactly. */
export function posteriorMean(rho: number, priors: MkPriors = PAPER_PRIORS): { m: number; k: number } {
  const p = posteriorMoments(rho, priors);
  return { m: p.m, k: p.k };
}

/** The floor of one target on a set of records. */
export interface FloorEntry {
  /** RMSE of the Bayes estimator that knows rho exactly (SI units of the target). */
  rmse: number;
  /** R^2 of that estimator on the same records: no estimator from (x, y) can do better on average. */
  r2Ceiling: number;
}

/**
 * The identifiability floor of m and k on given records (their true m, k, rho): RMSE of
 * E[m | rho], E[k | rho] against the truth, and the R^2 that this estimator reaches, computed
 * exactly as the R^2 of a network's predictions on the same records (1 - SSE / SST with SST
 * about the records' own mean).
 */
export function bayesFloor(
  records: ReadonlyArray<{ m: number; k: number; rho: number }>,
  priors: MkPriors = PAPER_PRIORS,
): { m: FloorEntry; k: FloorEntry } {
  if (records.length === 0) throw new GaitidError("the floor needs at least one record");
  const n = records.length;
  let sseM = 0, sseK = 0, sumM = 0, sumK = 0;
  for (const r of records) {
    const p = posteriorMean(r.rho, priors);
    sseM += (r.m - p.m) ** 2;
    sseK += (r.k - p.k) ** 2;
    sumM += r.m;
    sumK += r.k;
  }
  const meanM = sumM / n, meanK = sumK / n;
  let sstM = 0, sstK = 0;
  for (const r of records) {
    sstM += (r.m - meanM) ** 2;
    sstK += (r.k - meanK) ** 2;
  }
  return {
    m: { rmse: Math.sqrt(sseM / n), r2Ceiling: sstM > 0 ? 1 - sseM / sstM : Number.NaN },
    k: { rmse: Math.sqrt(sseK / n), r2Ceiling: sstK > 0 ? 1 - sseK / sstK : Number.NaN },
  };
}

/**
 * The expected floor under the priors themselves (not on a sample): sqrt(E[Var(m | rho)]) and
 * sqrt(E[Var(k | rho)]), with the R^2 ceilings 1 - E[Var(.|rho)] / Var(.), by numerical
 * integration over rho of the exact conditional variances (Simpson's rule on `steps` intervals).
 */
export function expectedFloor(priors: MkPriors = PAPER_PRIORS, steps = 4000): { m: FloorEntry; k: FloorEntry } {
  checkPriors(priors);
  const [m1, m2] = priors.m, [k1, k2] = priors.k;
  const [lo, hi] = rhoRange(priors);
  // Marginal density of rho: p(rho) = ∫ p_m(m) p_k(rho m) m dm = (b^2 - a^2) / (2 (m2 - m1) (k2 - k1)).
  const density = (rho: number): number => {
    const [a, b] = massInterval(rho, priors);
    return b > a ? (b * b - a * a) / (2 * (m2 - m1) * (k2 - k1)) : 0;
  };
  const n = steps % 2 === 0 ? steps : steps + 1;
  const h = (hi - lo) / n;
  let evM = 0, evK = 0;
  for (let i = 0; i <= n; i++) {
    const rho = lo + i * h;
    const w = i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2;
    const p = density(rho);
    if (p === 0) continue;
    const mom = posteriorMoments(Math.min(Math.max(rho, lo), hi), priors);
    evM += w * p * mom.varM;
    evK += w * p * mom.varK;
  }
  evM *= h / 3;
  evK *= h / 3;
  const varM = (m2 - m1) ** 2 / 12, varK = (k2 - k1) ** 2 / 12;
  return {
    m: { rmse: Math.sqrt(evM), r2Ceiling: 1 - evM / varM },
    k: { rmse: Math.sqrt(evK), r2Ceiling: 1 - evK / varK },
  };
}
