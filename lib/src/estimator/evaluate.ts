/**
 * Scores of a trained estimator on its test records, next to the best that any estimator could
 * reach: for m and k the Bayes estimator that knows rho exactly (the identifiability floor), for
 * rho and l0 zero error.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { readDatasetParams } from "../dataset/format";
import { sha256File } from "../provenance";
import { GaitidError } from "../errors";
import { bayesFloor, type MkPriors } from "./floor";
import { finiteOrNull, scores, type MaybeNumber } from "./metrics";
import { readPosterior } from "./posterior/file";
import type { Mixture } from "./posterior/mdn";
import { scorePosterior } from "./posterior/score";
import { readRecalibration, type PosteriorRecalibration } from "./posterior/recalibration";
import { VARIANT_TARGETS, type Variant } from "./variant";
import { readPredictions, readRunManifest, RUN_FILES, writeJsonAtomic, type Metrics, type Predictions, type RunManifest, type TargetMetrics } from "./run";

/** The posterior's mixtures of the test records (rows of the predictions), the seed of its draws, and its recalibration (fitted on the validation records) if any. */
export interface PosteriorInput {
  mixtures: readonly Mixture[];
  seed: number;
  recalibration?: PosteriorRecalibration;
}

/**
 * Scores of predictions (SI units) of a target variant, with floors computed under `priors`; for
 * the posterior variant (its predictions are posterior means) also the posterior's scores against
 * the exact posterior (posterior/score.ts), which need its mixtures.
 */
export function evaluatePredictions(p: Predictions, target: Variant, priors: MkPriors, backend: string, posterior?: PosteriorInput): Metrics {
  const want = VARIANT_TARGETS[target] as readonly string[];
  if (p.params.join(",") !== want.join(",")) {
    throw new GaitidError(`predictions of target ${target} must hold ${want.join(", ")}; got ${p.params.join(", ")}`);
  }
  if (p.id.length === 0) throw new GaitidError("there are no test predictions to score");
  const params: Record<string, TargetMetrics> = {};
  let floor: ReturnType<typeof bayesFloor> | undefined;
  if (want.includes("m")) {
    const recs = p.id.map((_, i) => ({ m: p.truth.m[i], k: p.truth.k[i], rho: p.truth.k[i] / p.truth.m[i] }));
    floor = bayesFloor(recs, priors);
  }
  for (const q of want) {
    const s = scores(p.truth[q], p.pred[q]);
    const f = floor && (q === "m" || q === "k") ? floor[q] : { rmse: 0, r2Ceiling: 1 };
    params[q] = { ...s, floorRmse: f.rmse, r2Ceiling: finiteOrNull(f.r2Ceiling) };
  }
  const out: Metrics = { target, backend, records: p.id.length, params };
  if (target === "mkl0") {
    const rhoTrue = p.id.map((_, i) => p.truth.k[i] / p.truth.m[i]);
    const rhoPred = p.id.map((_, i) => p.pred.k[i] / p.pred.m[i]);
    out.ratio = scores(rhoTrue, rhoPred);
  }
  if (target === "posterior") {
    if (!posterior || posterior.mixtures.length !== p.id.length) throw new GaitidError(`scoring a posterior run needs one mixture per test record (${p.id.length}); got ${posterior?.mixtures.length ?? 0}`);
    const truth = { m: p.truth.m, k: p.truth.k, l0: p.truth.l0, rho: p.truth.rho };
    out.posterior = scorePosterior(p.id, posterior.mixtures, truth, priors, posterior.seed);
    if (posterior.recalibration) out.posteriorRecalibrated = scorePosterior(p.id, posterior.mixtures, truth, priors, posterior.seed, undefined, posterior.recalibration);
  }
  return out;
}

/**
 * Checks that the test predictions of a run belong to `datasetDir`: its manifest is the one the
 * run was trained on (sha256 recorded in the run's manifest), and predictions.csv holds one row
 * per test record of it, in order, with the dataset's true values and finite predictions.
 */
export function checkPredictionsAgainstDataset(runDir: string, manifest: RunManifest, p: Predictions, datasetDir: string): void {
  const file = path.join(runDir, RUN_FILES.predictions);
  const dsManifest = path.join(datasetDir, "manifest.json");
  if (!fs.existsSync(dsManifest)) {
    throw new GaitidError(`the run ${runDir} was trained on the dataset ${datasetDir}, which is not there (no manifest.json); pass --dataset DIR with that dataset`);
  }
  const hash = sha256File(dsManifest);
  if (hash !== manifest.dataset.hash) {
    throw new GaitidError(`${datasetDir} is not the dataset the run ${runDir} was trained on: its manifest.json has sha256 ${hash.slice(0, 12)}..., the run records ${manifest.dataset.hash.slice(0, 12)}...`);
  }
  const params = readDatasetParams(datasetDir);
  const test = params.filter((r) => r.split === "test");
  if (p.id.length !== test.length) {
    throw new GaitidError(`${file} holds ${p.id.length} rows; the test split of ${datasetDir} has ${test.length} records: the predictions are incomplete or of another dataset (train the run again)`);
  }
  for (let i = 0; i < test.length; i++) {
    const where = `${file} row ${i + 2}`;
    if (p.id[i] !== test[i].id) throw new GaitidError(`${where} has id ${p.id[i]}; test record ${i + 1} of ${datasetDir} has id ${test[i].id}`);
    for (const q of p.params) {
      const truth = test[i][q as "m"];
      if (p.truth[q][i] !== truth) throw new GaitidError(`${where}: ${q}_true is ${p.truth[q][i]}; record ${test[i].id} of ${datasetDir} has ${q} = ${truth}`);
      if (!Number.isFinite(p.pred[q][i])) throw new GaitidError(`${where}: ${q}_pred is ${p.pred[q][i]}, not a finite number`);
    }
  }
}

/**
 * Scores the run in `runDir` (predictions.csv, manifest.json) and writes its metrics.json. The
 * predictions are checked first against the dataset the run was trained on (`dataset`, default
 * the folder recorded in the run's manifest): see {@link checkPredictionsAgainstDataset}.
 */
export function evaluateRun(runDir: string, opts: { dataset?: string } = {}): Metrics {
  const manifest = readRunManifest(runDir);
  const pred = readPredictions(runDir);
  checkPredictionsAgainstDataset(runDir, manifest, pred, opts.dataset ?? manifest.dataset.dir);
  let posterior: PosteriorInput | undefined;
  if (manifest.target === "posterior") {
    const file = readPosterior(runDir);
    if (file.id.join(",") !== pred.id.join(",")) throw new GaitidError(`${path.join(runDir, RUN_FILES.posterior)}: its record ids differ from those of predictions.csv`);
    // A run trained before the recalibration existed has no recalibration.json: its raw scores only.
    const recalibration = fs.existsSync(path.join(runDir, RUN_FILES.recalibration)) ? readRecalibration(runDir) : undefined;
    posterior = { mixtures: file.mixtures, seed: manifest.seeds.seed, recalibration };
  }
  const metrics = evaluatePredictions(pred, manifest.target, manifest.dataset.priors, manifest.backend.name, posterior);
  writeJsonAtomic(path.join(runDir, RUN_FILES.metrics), metrics);
  return metrics;
}

/** A few lines that show the scores against their floors. */
export function formatMetrics(m: Metrics): string {
  const r = (x: MaybeNumber): string => (x === null ? "n/a" : x.toFixed(4));
  const f = (x: number): string => (Math.abs(x) >= 100 ? x.toFixed(1) : Math.abs(x) >= 1 ? x.toFixed(3) : x.toPrecision(3));
  const lines = [`target ${m.target} on ${m.records} test records (backend ${m.backend})`, "param      RMSE     floor      MAE      bias      R^2   ceiling"];
  for (const [q, s] of Object.entries(m.params)) {
    lines.push(
      `${q.padEnd(6)} ${f(s.rmse).padStart(9)} ${f(s.floorRmse).padStart(9)} ${f(s.mae).padStart(9)} ${f(s.bias).padStart(9)} ${r(s.r2).padStart(8)} ${r(s.r2Ceiling).padStart(8)}` +
        (s.floorRmse > 0 ? `   RMSE/floor ${(s.rmse / s.floorRmse).toFixed(3)}` : ""),
    );
  }
  for (const [p, label] of [[m.posterior, "posterior"], [m.posteriorRecalibrated, "recalibrated posterior (maps fitted on the validation records)"]] as const) {
    if (!p) continue;
    lines.push(`${label}:`);
    lines.push(`posterior of m against the exact one: mean KS ${p.m.ks.toFixed(3)} (median ${p.m.ksMedian.toFixed(3)}, 90 % ${p.m.ksP90.toFixed(3)}), mean W1 ${f(p.m.w1)} kg`);
    lines.push(`width against error: rho RMSE ${f(p.width.rho.rmse)} vs sd ${f(p.width.rho.sd)} 1/s^2; l0 RMSE ${f(p.width.l0.rmse)} vs sd ${f(p.width.l0.sd)} m`);
    for (const q of ["m", "k", "l0", "rho"] as const) {
      lines.push(`${q.padEnd(4)} coverage 50 % ${(100 * p.coverage[q].c50).toFixed(1)}, 90 % ${(100 * p.coverage[q].c90).toFixed(1)}; SBC chi-square ${p.sbc[q].chiSquare.toFixed(1)} (${p.sbc[q].dof} dof, p = ${p.sbc[q].pValue.toPrecision(2)})`);
    }
  }
  if (m.ratio) lines.push(`k_pred/m_pred vs rho: RMSE ${f(m.ratio.rmse)} 1/s^2, MAE ${f(m.ratio.mae)}, bias ${f(m.ratio.bias)}, R^2 ${r(m.ratio.r2)}`);
  return lines.join("\n");
}
