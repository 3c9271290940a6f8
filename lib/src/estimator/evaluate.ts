/**
 * Scores of a trained estimator on its test records, next to the best that any estimator could
 * reach: for m and k the Bayes estimator that knows rho exactly (the identifiability floor), for
 * rho and l0 zero error.
 */
import * as path from "node:path";
import { GaitidError } from "../errors";
import { TARGETS, type TargetName } from "./data";
import { bayesFloor, type MkPriors } from "./floor";
import { scores } from "./metrics";
import { readPredictions, readRunManifest, RUN_FILES, writeJsonAtomic, type Metrics, type Predictions, type TargetMetrics } from "./run";

/** Scores of predictions (SI units) of a target variant, with floors computed under `priors`. */
export function evaluatePredictions(p: Predictions, target: TargetName, priors: MkPriors, backend: string): Metrics {
  const want = TARGETS[target] as readonly string[];
  if (p.params.join(",") !== want.join(",")) {
    throw new GaitidError(`predictions of target ${target} must hold ${want.join(", ")}; got ${p.params.join(", ")}`);
  }
  if (p.id.length === 0) throw new GaitidError("there are no test predictions to score");
  const params: Record<string, TargetMetrics> = {};
  let floor: ReturnType<typeof bayesFloor> | undefined;
  if (target === "mkl0") {
    const recs = p.id.map((_, i) => ({ m: p.truth.m[i], k: p.truth.k[i], rho: p.truth.k[i] / p.truth.m[i] }));
    floor = bayesFloor(recs, priors);
  }
  for (const q of want) {
    const s = scores(p.truth[q], p.pred[q]);
    const f = floor && (q === "m" || q === "k") ? floor[q] : { rmse: 0, r2Ceiling: 1 };
    params[q] = { ...s, floorRmse: f.rmse, r2Ceiling: f.r2Ceiling };
  }
  const out: Metrics = { target, backend, records: p.id.length, params };
  if (target === "mkl0") {
    const rhoTrue = p.id.map((_, i) => p.truth.k[i] / p.truth.m[i]);
    const rhoPred = p.id.map((_, i) => p.pred.k[i] / p.pred.m[i]);
    out.ratio = scores(rhoTrue, rhoPred);
  }
  return out;
}

/** Scores the run in `runDir` (predictions.csv, manifest.json) and writes its metrics.json. */
export function evaluateRun(runDir: string): Metrics {
  const manifest = readRunManifest(runDir);
  const pred = readPredictions(runDir);
  const metrics = evaluatePredictions(pred, manifest.target, manifest.dataset.priors, manifest.backend.name);
  writeJsonAtomic(path.join(runDir, RUN_FILES.metrics), metrics);
  return metrics;
}

/** A few lines that show the scores against their floors. */
export function formatMetrics(m: Metrics): string {
  const f = (x: number): string => (Math.abs(x) >= 100 ? x.toFixed(1) : Math.abs(x) >= 1 ? x.toFixed(3) : x.toPrecision(3));
  const lines = [`target ${m.target} on ${m.records} test records (backend ${m.backend})`, "param      RMSE     floor      MAE      bias      R^2   ceiling"];
  for (const [q, s] of Object.entries(m.params)) {
    lines.push(
      `${q.padEnd(6)} ${f(s.rmse).padStart(9)} ${f(s.floorRmse).padStart(9)} ${f(s.mae).padStart(9)} ${f(s.bias).padStart(9)} ${s.r2.toFixed(4).padStart(8)} ${s.r2Ceiling.toFixed(4).padStart(8)}` +
        (s.floorRmse > 0 ? `   RMSE/floor ${(s.rmse / s.floorRmse).toFixed(3)}` : ""),
    );
  }
  if (m.ratio) lines.push(`k_pred/m_pred vs rho: RMSE ${f(m.ratio.rmse)} 1/s^2, MAE ${f(m.ratio.mae)}, bias ${f(m.ratio.bias)}, R^2 ${m.ratio.r2.toFixed(4)}`);
  return lines.join("\n");
}
