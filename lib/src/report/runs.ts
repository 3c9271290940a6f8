/**
 * What the report reads from disk: a training run (data/runs/<name>/: history.csv,
 * predictions.csv, metrics.json, manifest.json) and the parts of a dataset it needs
 * (manifest.json, params.csv, summary.csv, single records of X.npy), without loading all of X.
 * Every missing or malformed file is a GaitidError that names the file and what was expected.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { GaitidError } from "../errors";
import { parseParams, type DatasetManifest, type RecordParams } from "../dataset/format";
import { parseNpyHeader, type NpyInfo } from "../dataset/npy";
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

function readText(file: string, hint: string): string {
  if (!fs.existsSync(file)) throw new GaitidError(`${file} is missing; ${hint}`);
  return fs.readFileSync(file, "utf8");
}

function readJson(file: string, hint: string): Record<string, unknown> {
  const text = readText(file, hint);
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error("not a JSON object");
    return v as Record<string, unknown>;
  } catch (err) {
    throw new GaitidError(`${file} is not valid JSON (${(err as Error).message})`);
  }
}

/** The parts of a dataset the report uses. */
export interface DatasetView {
  dir: string;
  manifest: DatasetManifest;
  params: RecordParams[];
  /** summary.csv (statistic rows by parameter columns), when present. */
  summary?: { columns: string[]; index: string[]; values: number[][] };
  /** X.npy's header (shape, dtype, data offset). */
  npy: NpyInfo;
}

/** Reads a dataset's manifest, params.csv, summary.csv and X.npy header (not X itself). */
export function readDatasetView(dir: string): DatasetView {
  const hint = `make one with: gaitid generate --out ${dir}`;
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new GaitidError(`no dataset at ${dir} (not a directory); ${hint}`);
  const manifest = readJson(path.join(dir, "manifest.json"), `${dir} is not a complete dataset; ${hint}`) as unknown as DatasetManifest;
  if (manifest.kind !== "gaitid-dataset") throw new GaitidError(`${path.join(dir, "manifest.json")} is not the manifest of a complete gaitid dataset (kind ${JSON.stringify(manifest.kind)})`);
  const paramsFile = path.join(dir, "params.csv");
  const params = parseParams(readText(paramsFile, hint), paramsFile);
  if (params.length !== manifest.records) throw new GaitidError(`${paramsFile} has ${params.length} rows; the manifest says ${manifest.records} records`);
  const xFile = path.join(dir, "X.npy");
  if (!fs.existsSync(xFile)) throw new GaitidError(`${xFile} is missing; ${hint}`);
  const fd = fs.openSync(xFile, "r");
  let npy: NpyInfo;
  try {
    const head = Buffer.alloc(4096);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    npy = parseNpyHeader(head.subarray(0, n), xFile);
  } finally {
    fs.closeSync(fd);
  }
  if (npy.dtype !== "<f4" || npy.shape.length !== 3 || npy.shape[0] !== manifest.records) {
    throw new GaitidError(`${xFile} has shape [${npy.shape}] (${npy.dtype}); expected [${manifest.records}, samples, channels] float32`);
  }
  let summary: DatasetView["summary"];
  const sFile = path.join(dir, "summary.csv");
  if (fs.existsSync(sFile)) {
    const [head, ...rows] = fs.readFileSync(sFile, "utf8").trim().split(/\r?\n/);
    summary = { columns: head.split(",").slice(1), index: [], values: [] };
    for (const r of rows) {
      const f = r.split(",");
      summary.index.push(f[0]);
      summary.values.push(f.slice(1).map(Number));
    }
  }
  return { dir, manifest, params, summary, npy };
}

/** One record of X.npy: samples x channels float32 in C order (read from disk, not all of X). */
export function readRecord(view: DatasetView, id: number): Float32Array {
  const [records, samples, channels] = view.npy.shape;
  if (!Number.isInteger(id) || id < 0 || id >= records) throw new GaitidError(`record id must be an integer from 0 to ${records - 1}; got ${id}`);
  const bytes = samples * channels * 4;
  const buf = Buffer.alloc(bytes);
  const fd = fs.openSync(path.join(view.dir, "X.npy"), "r");
  try {
    const n = fs.readSync(fd, buf, 0, bytes, view.npy.offset + id * bytes);
    if (n !== bytes) throw new GaitidError(`${path.join(view.dir, "X.npy")} is truncated at record ${id}`);
  } finally {
    fs.closeSync(fd);
  }
  const out = new Float32Array(samples * channels);
  new Uint8Array(out.buffer).set(buf);
  return out;
}
