/**
 * A training run as the results model reads it (data/runs/<name>/: history.csv, predictions.csv,
 * metrics.json, manifest.json), through the estimator's readers. Every missing or malformed file
 * is a GaitidError that names the file and what was expected.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { GaitidError } from "../errors";
import { readHistory, readMetrics, readPredictions, readRunManifest, type Metrics, type RunManifest } from "../estimator/run";
import type { Variant } from "../figures/style";

/** Quantities each variant predicts, in the column order of predictions.csv. */
export const VARIANT_TARGETS: Record<Variant, readonly ("m" | "k" | "l0" | "rho")[]> = {
  mkl0: ["m", "k", "l0"],
  rhol0: ["rho", "l0"],
};

/** A training run as the report sees it (read with the estimator module's readers). */
export interface RunFiles {
  dir: string;
  variant: Variant;
  /** history.csv by column: epoch, training and validation loss, seconds per epoch. */
  history: { epoch: number[]; trainLoss: number[]; valLoss: number[]; seconds: number[] };
  /** Test-set predictions: record ids and, per quantity, true and predicted values (SI units). */
  predictions: { id: number[]; true: Record<string, number[]>; pred: Record<string, number[]> };
  metrics: Metrics;
  manifest: RunManifest;
}

/**
 * Reads a training run directory (history.csv, predictions.csv, metrics.json, manifest.json).
 * `expect`, when given, must be the run's target variant. The run must hold test predictions for
 * each quantity of its variant.
 */
export function readRun(dir: string, expect?: Variant): RunFiles {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new GaitidError(`no training run at ${dir} (not a directory); make one with: gaitid train --target ${expect ?? "mkl0"} --out ${dir}`);
  }
  const metrics = readMetrics(dir);
  const variant = metrics.target as string;
  if (variant !== "mkl0" && variant !== "rhol0") {
    throw new GaitidError(`${path.join(dir, "metrics.json")}: target must be "mkl0" or "rhol0"; got ${JSON.stringify(variant)}`);
  }
  if (expect && variant !== expect) throw new GaitidError(`${dir} is a ${variant} run, but it was given as the ${expect} run`);
  const manifest = readRunManifest(dir);
  const rows = readHistory(dir);
  const p = readPredictions(dir);
  for (const q of VARIANT_TARGETS[variant]) {
    if (!p.truth[q] || !p.pred[q]) throw new GaitidError(`${path.join(dir, "predictions.csv")} has no ${q}_true, ${q}_pred columns (a ${variant} run needs them)`);
  }
  if (p.id.length === 0) throw new GaitidError(`${path.join(dir, "predictions.csv")} has no rows: the report needs test-set predictions`);
  if (rows.length === 0) throw new GaitidError(`${path.join(dir, "history.csv")} has no epochs`);
  return {
    dir,
    variant,
    history: {
      epoch: rows.map((r) => r.epoch),
      trainLoss: rows.map((r) => r.trainLoss),
      valLoss: rows.map((r) => r.valLoss),
      seconds: rows.map((r) => r.seconds),
    },
    predictions: { id: p.id, true: p.truth, pred: p.pred },
    metrics,
    manifest,
  };
}
