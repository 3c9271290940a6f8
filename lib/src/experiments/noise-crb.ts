/**
 * The floor of the identifiable parameters in the noise experiment. Without noise the floor of
 * rho and l0 is zero; with noise it is not: the Cramér-Rao bound, the inverse Fisher information
 * of a record, is the smallest variance any unbiased estimator of (rho, l0) can have from that
 * record. At each noise level of the experiment, on the first N test records of the dataset, this
 * puts three numbers side by side (SI units: rho in 1/s^2, l0 in m):
 * - the network's RMSE on those records (its predictions.csv, the same noisy inputs it was tested on);
 * - the root mean Cramér-Rao bound sqrt(mean_i CRB_i) (lib/src/fit, parametrisation rho, l0, alpha0,
 *   y0, vx0: the gait condition is unknown to the estimator too);
 * - the maximum-likelihood fit's RMSE, one fit per record to one noise draw, started at the truth.
 * and their ratio, the efficiency mean_i CRB_i / MSE: the share of the record's information about
 * the parameter that the estimator extracts (1 for an efficient unbiased estimator).
 *
 * The noise is the network's: Gaussian, independent per sample, standard deviation a fraction of
 * each channel's standard deviation over the training records, x measured from each record's start
 * (fit/noise.ts computes those scales as the estimator's prepareData does). The fits draw their own
 * noise (seed: the training's noiseSeed, the fits' stream), so network and fit see draws of the same
 * distribution, not the same draws. A biased estimator such as the network, which also knows the
 * priors, may fall below the bound; where it does, it uses the prior, not the record.
 */
import * as path from "node:path";
import { GaitidError } from "../errors";
import { readPredictions } from "../estimator/run";
import { readDatasetParams } from "../dataset/format";
import { runProfileStudy, testRecordIds } from "../fit/study";
import type { TrialResult } from "./run";

/** One noise level of the comparison. */
export interface NoiseCrbRow {
  /** Noise, fraction of each channel's standard deviation over the training records. */
  noise: number;
  /** Records compared (those whose bound was computed and that the network predicted). */
  records: number;
  /** The network's RMSE on those records, 1/s^2 and m (rho of an (m, k, l0) network as k/m). */
  network: { rho: number; l0: number };
  /** sqrt(mean Cramér-Rao variance), 1/s^2 and m. */
  rootMeanCrb: { rho: number; l0: number };
  /** RMSE of the maximum-likelihood fits, 1/s^2 and m. */
  mlRmse: { rho: number; l0: number };
  /** mean CRB / network MSE (null where both are zero: no noise). */
  efficiency: { rho: number | null; l0: number | null };
  /** mean CRB / maximum-likelihood MSE (null where both are zero). */
  mlEfficiency: { rho: number | null; l0: number | null };
}

/** The comparison as the noise experiment's results.json holds it (field `crb`). */
export interface NoiseCrb {
  /** Test records (dataset ids) of the comparison. */
  ids: number[];
  /** Which network's predictions: the (rho, l0) network where trained, else the (m, k, l0) one's k/m and l0. */
  variant: "rhol0" | "mkl0";
  /** Channel standard deviations the fractions refer to, m. */
  scales: { x: number; y: number };
  rows: NoiseCrbRow[];
  /** Records left out (a record that does not re-simulate), with the reason. */
  failures: { id: number; reason: string }[];
  /** Wall time of the bounds and fits, s, and worker threads. */
  seconds: number;
  workers: number;
}

/** How to compute it. */
export interface NoiseCrbOptions {
  /** The dataset folder the networks were trained on. */
  dataset: string;
  /** The noise experiment's trials (finished), with their run folders relative to `root`. */
  trials: readonly TrialResult[];
  root: string;
  /** Test records to use (the first ones by id). */
  records: number;
  /** Seed of the fits' noise draws. */
  seed: number;
  /** Worker threads (default: one per core; 0: this thread). */
  workers?: number;
  quiet?: boolean;
}

const ratio = (crbVar: number, mse: number): number | null => (mse > 0 ? crbVar / mse : crbVar > 0 ? Infinity : null);

/** RMSE of rho and l0 of a finished run on the records `ids` (its predictions.csv). */
export function networkRmseOn(runDir: string, ids: ReadonlySet<number>): { rho: number; l0: number; records: number } {
  const p = readPredictions(runDir);
  const has = (q: string): boolean => p.params.includes(q);
  if (!has("l0") || !(has("rho") || (has("m") && has("k")))) throw new GaitidError(`${runDir}/predictions.csv holds neither rho nor (m, k) with l0`);
  let n = 0, sRho = 0, sL0 = 0;
  p.id.forEach((id, i) => {
    if (!ids.has(id)) return;
    const rhoTrue = has("rho") ? p.truth.rho[i] : p.truth.k[i] / p.truth.m[i];
    const rhoPred = has("rho") ? p.pred.rho[i] : p.pred.k[i] / p.pred.m[i];
    sRho += (rhoPred - rhoTrue) ** 2;
    sL0 += (p.pred.l0[i] - p.truth.l0[i]) ** 2;
    n++;
  });
  if (n === 0) throw new GaitidError(`${runDir}/predictions.csv holds none of the ${ids.size} test records of the Cramér-Rao comparison`);
  return { rho: Math.sqrt(sRho / n), l0: Math.sqrt(sL0 / n), records: n };
}

/**
 * Computes the comparison (see the module comment): the bounds and fits through lib/src/fit's
 * batch (worker threads), the network's RMSE from each level's run. A level without a finished
 * run of either variant is an error.
 */
export async function noiseCrb(o: NoiseCrbOptions): Promise<NoiseCrb> {
  const levels = [...new Set(o.trials.map((t) => Number(t.value)))];
  const variant = o.trials.some((t) => t.target === "rhol0") ? "rhol0" : "mkl0";
  const runOf = (level: number): TrialResult => {
    const t = o.trials.find((x) => Number(x.value) === level && x.target === variant);
    if (!t) throw new GaitidError(`the noise experiment has no ${variant} run at noise ${level}`);
    return t;
  };
  const ids = testRecordIds(readDatasetParams(o.dataset), o.records);
  if (ids.length === 0) throw new GaitidError(`${o.dataset} has no test records for the Cramér-Rao comparison`);
  const t0 = performance.now();
  const fit = await runProfileStudy({ dataset: o.dataset, ids: [], parameters: [], observe: ["xy"], crbIds: ids, crbNoise: levels, seed: o.seed, workers: o.workers, quiet: o.quiet });
  const kept = new Set(fit.crbRecords.map((r) => r.id));
  const rows = levels.map((noise): NoiseCrbRow => {
    const c = fit.crb.find((x) => x.noise === noise && x.observe === "xy");
    if (!c) throw new GaitidError(`no Cramér-Rao bound was computed at noise ${noise}: every record failed (${fit.failures.map((f) => f.reason).join("; ")})`);
    const net = networkRmseOn(path.join(o.root, runOf(noise).run), kept);
    const v = (x: number): number => x * x;
    return {
      noise,
      records: Math.min(net.records, c.records),
      network: { rho: net.rho, l0: net.l0 },
      rootMeanCrb: c.rootMeanCrb,
      mlRmse: c.mlRmse,
      efficiency: { rho: ratio(v(c.rootMeanCrb.rho), v(net.rho)), l0: ratio(v(c.rootMeanCrb.l0), v(net.l0)) },
      mlEfficiency: { rho: ratio(v(c.rootMeanCrb.rho), v(c.mlRmse.rho)), l0: ratio(v(c.rootMeanCrb.l0), v(c.mlRmse.l0)) },
    };
  });
  return {
    ids: [...kept],
    variant,
    scales: { x: fit.scales.x, y: fit.scales.y },
    rows,
    failures: fit.failures.map((f) => ({ id: f.id, reason: f.reason })),
    seconds: (performance.now() - t0) / 1000,
    workers: fit.settings.workers,
  };
}
