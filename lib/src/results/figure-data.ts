/**
 * The data behind the results figures, from run folders: test-set predictions (evenly
 * subsampled), the Bayes estimator E[. | rho] at each record, the Bayes locus and the lines of
 * constant rho of the (m, k) plane, the spread of a quantity. Pure functions of the results model,
 * shared by the report and the notebooks, so both draw the same figures from the same numbers.
 */
import { posteriorMean, rhoRange, type MkPriors } from "../estimator/floor";
import type { VariantPredictions } from "../figures/results";
import type { Quantity } from "../figures/style";
import type { RunFiles } from "./runs";

/** Evenly spread indices 0..n-1, at most `max` of them (all when n <= max). */
export function subsampleIndices(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: max }, (_, i) => Math.floor((i * n) / max));
}

/** The values of `a` at `idx`. */
export function pick(a: readonly number[], idx: readonly number[]): number[] {
  return idx.map((i) => a[i]);
}

/** Population standard deviation of the values (their spread, in their unit). */
export function spread(a: readonly number[]): number {
  const mean = a.reduce((s, v) => s + v, 0) / a.length;
  return Math.sqrt(a.reduce((s, v) => s + (v - mean) ** 2, 0) / a.length);
}

/**
 * Test records drawn in a scatter of predictions: 600 evenly spread ones show the cloud, its
 * edges and the floor's band as the 2,000 of the quick test set do (the metrics are always those
 * of every test record), and keep the quick report under 2 MB with every experiment in it.
 */
export const FIGURE_POINTS = 600;

/** Test-set predictions of a run by quantity, at most `maxPoints` records evenly spread. */
export function runPredictions(run: RunFiles, maxPoints = FIGURE_POINTS): VariantPredictions {
  const idx = subsampleIndices(run.predictions.id.length, maxPoints);
  const t: Partial<Record<Quantity, number[]>> = {}, p: Partial<Record<Quantity, number[]>> = {};
  for (const q of Object.keys(run.predictions.true) as Quantity[]) {
    t[q] = pick(run.predictions.true[q], idx);
    p[q] = pick(run.predictions.pred[q], idx);
  }
  return { variant: run.variant, true: t, pred: p };
}

/** E[m | rho] and E[k | rho] (kg, N/m) at the true rho of each record of `pred` (an mkl0 run's predictions). */
export function bayesEstimates(pred: VariantPredictions, priors: MkPriors): { m: number[]; k: number[] } {
  const m = pred.true.m, k = pred.true.k;
  if (!m || !k) throw new Error(`the ${pred.variant} predictions have no true m and k`);
  const out = { m: [] as number[], k: [] as number[] };
  for (let i = 0; i < m.length; i++) {
    const pm = posteriorMean(k[i] / m[i], priors);
    out.m.push(pm.m);
    out.k.push(pm.k);
  }
  return out;
}

/** About `count` round values of rho (1/s^2) across the range the priors allow: lines of the (m, k) plane. */
export function rhoIsolines(priors: MkPriors, count = 6): number[] {
  const [lo, hi] = rhoRange(priors);
  const step = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(step));
  const nice = Math.ceil(step / mag) * mag;
  const out: number[] = [];
  for (let r = Math.ceil(lo / nice) * nice; r <= hi; r += nice) out.push(Number(r.toPrecision(6)));
  return out;
}

/** The Bayes locus (E[m | rho], E[k | rho]) as rho runs over its range, `n` + 1 points (kg, N/m). */
export function bayesLocus(priors: MkPriors, n = 200): { m: number[]; k: number[] } {
  const [lo, hi] = rhoRange(priors);
  const out = { m: [] as number[], k: [] as number[] };
  for (let i = 0; i <= n; i++) {
    const pm = posteriorMean(lo + ((hi - lo) * i) / n, priors);
    out.m.push(pm.m);
    out.k.push(pm.k);
  }
  return out;
}

/** RMS distance of an (m, k, l0) run's m and k predictions to E[m | rho], E[k | rho] at each true rho (kg, N/m). */
export function posteriorDistances(run: RunFiles, priors: MkPriors): { m: number; k: number } {
  const T = run.predictions.true, P = run.predictions.pred;
  let sm = 0, sk = 0;
  for (let i = 0; i < T.m.length; i++) {
    const pm = posteriorMean(T.k[i] / T.m[i], priors);
    sm += (P.m[i] - pm.m) ** 2;
    sk += (P.k[i] - pm.k) ** 2;
  }
  return { m: Math.sqrt(sm / T.m.length), k: Math.sqrt(sk / T.m.length) };
}
