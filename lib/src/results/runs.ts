/**
 * A training run as the results model holds it: the estimator's validated run (readRun in
 * estimator/run-read.ts) with its history and predictions by column, as the figures draw them.
 */
import { readRun as readEstimatorRun } from "../estimator/run-read";
import type { Metrics, RunManifest } from "../estimator/run";
import type { PaperVariant } from "../estimator/variant";

/** A run of one of the paper's variants, by column. */
export interface RunFiles {
  dir: string;
  variant: PaperVariant;
  /** history.csv by column: epoch, training and validation loss, seconds per epoch. */
  history: { epoch: number[]; trainLoss: number[]; valLoss: number[]; seconds: number[] };
  /** Test-set predictions: record ids and, per quantity, true and predicted values (SI units). */
  predictions: { id: number[]; true: Record<string, number[]>; pred: Record<string, number[]> };
  metrics: Metrics;
  manifest: RunManifest;
}

/**
 * Reads the run in `dir`, which must be of `variant`. `subsample`: its predictions may be a
 * documented subset of the test records (a published results bundle).
 */
export function readRunFiles(dir: string, variant: PaperVariant, opts: { subsample?: boolean } = {}): RunFiles {
  const run = readEstimatorRun(dir, variant, opts);
  const h = run.history;
  return {
    dir,
    variant,
    history: { epoch: h.map((r) => r.epoch), trainLoss: h.map((r) => r.trainLoss), valLoss: h.map((r) => r.valLoss), seconds: h.map((r) => r.seconds) },
    predictions: { id: run.predictions.id, true: run.predictions.truth, pred: run.predictions.pred },
    metrics: run.metrics,
    manifest: run.manifest,
  };
}
