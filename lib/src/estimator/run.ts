/**
 * The folder of a training run, data/runs/<name>/:
 * - model/: the network as a TensorFlow.js layers model (model.json + weights.bin, readable by
 *   tf.loadLayersModel) and preprocessing.json (the input and target standardization);
 * - history.csv: epoch,trainLoss,valLoss,seconds (losses: mean squared error of the standardized
 *   targets; seconds: wall time of that epoch, training and validation);
 * - predictions.csv: id and, for each target p, p_true and p_pred, in SI units (test records);
 * - posterior.csv (posterior variant only): each test record's mixture (posterior/file.ts);
 * - recalibration.json (posterior variant only): the maps of log rho and l0 fitted on the
 *   validation records (posterior/recalibration.ts);
 * - metrics.json: the scores of {@link evaluateRun} (the posterior's as learned and recalibrated);
 * - manifest.json: configuration, seeds, dataset hash, backend, versions, commit, timings; written
 *   last: a folder without it is an unfinished run (checkpoint.json holds its state for --resume).
 * Every file is written to a temporary name first and then renamed. Numbers that are not finite
 * (an R^2 over records whose true values are all equal) are null in every JSON file of the run and
 * read back as null (typed `number | null`); see json-fields.ts.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { GaitidError } from "../errors";
import { writeFileAtomic, writeJsonAtomic } from "../provenance";
import type { BackendInfo } from "./backend";
import type { Standardization } from "./data";
import type { MaybeNumber, Scores } from "./metrics";
import type { Arch, NetworkInfo } from "./net";
import type { NetworkShape } from "./network";
import { RECALIBRATION_FILE } from "./posterior/recalibration";
import type { PosteriorScores } from "./posterior/score";
import { parseMetrics, parseRunManifest } from "./run-read";
import type { Variant } from "./variant";
import type { TrainingConfig, Channels } from "../config";
import type { MkPriors } from "./floor";

export const RUN_FILES = {
  model: "model",
  history: "history.csv",
  predictions: "predictions.csv",
  metrics: "metrics.json",
  manifest: "manifest.json",
  checkpoint: "checkpoint.json",
  posterior: "posterior.csv",
  recalibration: RECALIBRATION_FILE,
} as const;

/** One line of history.csv. */
export interface HistoryRow {
  /** 1-based epoch. */
  epoch: number;
  /** Mean training loss over the epoch's batches (weighted by batch size). */
  trainLoss: number;
  /** Validation loss after the epoch. */
  valLoss: number;
  /** Wall time of the epoch, s. */
  seconds: number;
}

export const HISTORY_HEADER = "epoch,trainLoss,valLoss,seconds";

export function formatHistory(rows: readonly HistoryRow[]): string {
  return [HISTORY_HEADER, ...rows.map((r) => `${r.epoch},${r.trainLoss},${r.valLoss},${r.seconds}`)].join("\n") + "\n";
}

export function readText(dir: string, file: string, what: string): string {
  const p = path.join(dir, file);
  if (!fs.existsSync(p)) throw new GaitidError(`${dir} has no ${file} (${what}); is it a finished gaitid run? (gaitid train --out ${dir})`);
  return fs.readFileSync(p, "utf8");
}

function csvNumber(v: string, where: string): number {
  const x = Number(v);
  if (v === "" || Number.isNaN(x)) throw new GaitidError(`${where}: "${v}" is not a number`);
  return x;
}

/** Reads history.csv of a run folder. */
export function readHistory(dir: string): HistoryRow[] {
  const lines = readText(dir, RUN_FILES.history, "the loss per epoch").split("\n").filter((l) => l.length > 0);
  if (lines[0] !== HISTORY_HEADER) throw new GaitidError(`${dir}/history.csv: the header must be "${HISTORY_HEADER}"; got "${lines[0] ?? ""}"`);
  return lines.slice(1).map((l, i) => {
    const f = l.split(",");
    const where = `${dir}/history.csv line ${i + 2}`;
    if (f.length !== 4) throw new GaitidError(`${where} has ${f.length} fields, expected 4`);
    return { epoch: csvNumber(f[0], where), trainLoss: csvNumber(f[1], where), valLoss: csvNumber(f[2], where), seconds: csvNumber(f[3], where) };
  });
}

/** The test-set predictions of a run, by column, in SI units. */
export interface Predictions {
  /** Record ids (rows of the dataset). */
  id: number[];
  /** Target parameters, in column order (m, k, l0 or rho, l0). */
  params: string[];
  truth: Record<string, number[]>;
  pred: Record<string, number[]>;
}

export function predictionsHeader(params: readonly string[]): string {
  return ["id", ...params.flatMap((p) => [`${p}_true`, `${p}_pred`])].join(",");
}

export function formatPredictions(p: Predictions): string {
  const lines = [predictionsHeader(p.params)];
  for (let i = 0; i < p.id.length; i++) {
    lines.push([p.id[i], ...p.params.flatMap((q) => [p.truth[q][i], p.pred[q][i]])].join(","));
  }
  return lines.join("\n") + "\n";
}

/** Reads predictions.csv of a run folder. */
export function readPredictions(dir: string): Predictions {
  const lines = readText(dir, RUN_FILES.predictions, "the test-set predictions").split("\n").filter((l) => l.length > 0);
  const head = (lines[0] ?? "").split(",");
  const params: string[] = [];
  for (let j = 1; j + 1 < head.length; j += 2) {
    const p = head[j].replace(/_true$/, "");
    if (head[j] !== `${p}_true` || head[j + 1] !== `${p}_pred`) break;
    params.push(p);
  }
  if (head[0] !== "id" || params.length === 0 || head.length !== 1 + 2 * params.length) {
    throw new GaitidError(`${dir}/predictions.csv: the header must be id,<p>_true,<p>_pred,...; got "${lines[0] ?? ""}"`);
  }
  const out: Predictions = { id: [], params, truth: {}, pred: {} };
  for (const p of params) {
    out.truth[p] = [];
    out.pred[p] = [];
  }
  for (let i = 1; i < lines.length; i++) {
    const f = lines[i].split(",");
    const where = `${dir}/predictions.csv line ${i + 1}`;
    if (f.length !== head.length) throw new GaitidError(`${where} has ${f.length} fields, expected ${head.length}`);
    out.id.push(csvNumber(f[0], where));
    params.forEach((p, j) => {
      out.truth[p].push(csvNumber(f[1 + 2 * j], where));
      out.pred[p].push(csvNumber(f[2 + 2 * j], where));
    });
  }
  return out;
}

/** Scores of one target with its floor (floorRmse 0 and r2Ceiling 1 for identifiable targets). */
export interface TargetMetrics extends Scores {
  /** RMSE of the Bayes estimator that knows rho exactly (units of the target). */
  floorRmse: number;
  /** The R^2 that estimator reaches on the same records (null when the true values are all equal). */
  r2Ceiling: MaybeNumber;
}

/** metrics.json of a run. */
export interface Metrics {
  target: Variant;
  backend: string;
  /** Test records scored. */
  records: number;
  /** Per quantity of the variant (the posterior's: of its posterior means). */
  params: Record<string, TargetMetrics>;
  /** mkl0 only: k_pred / m_pred scored against the true rho (1/s^2). */
  ratio?: Scores;
  /** posterior only: the learned posterior against the exact one, and its calibration. */
  posterior?: PosteriorScores;
  /** posterior only: the same scores after the recalibration fitted on the validation records (posterior/recalibration.ts). */
  posteriorRecalibrated?: PosteriorScores;
}

/** manifest.json of a run. */
export interface RunManifest {
  kind: "gaitid-run";
  name: string;
  target: Variant;
  params: string[];
  dataset: {
    dir: string;
    name: string;
    /** sha256 of the dataset's manifest.json (which holds the sha256 of X.npy and params.csv). */
    hash: string;
    records: number;
    samples: number;
    channels: string;
    /** Priors of the dataset (the floor of m and k needs those of m and k). */
    priors: MkPriors & { l0?: readonly [number, number] };
  };
  inputs: Channels;
  subset: number | null;
  split: { train: number; val: number; test: number };
  training: TrainingConfig;
  seeds: { seed: number; noiseSeed: number };
  network: NetworkInfo;
  /** posterior only: mixture components, the density's coordinates, its learning-rate schedule (posterior/schedule.ts) and recalibration (posterior/recalibration.ts); the last two absent in older runs. */
  posterior?: { components: number; coordinates: string[]; learningRate?: Record<string, unknown>; recalibration?: Record<string, unknown> };
  backend: BackendInfo;
  /** Seconds: loadSeconds, prepareSeconds, trainSeconds, totalSeconds, testSeconds; samplesPerSecond. */
  timings: Record<string, number>;
  result: { epochsRun: number; bestEpoch: number; bestValLoss: number; stoppedEarly: boolean; resumed: boolean };
  environment: Record<string, unknown>;
  /** The epoch the last session continued from (null: trained in one session). */
  resumedFromEpoch?: number | null;
}

/** Reads metrics.json of a run folder (validated: see {@link parseMetrics}). */
export function readMetrics(dir: string): Metrics {
  return parseMetrics(readText(dir, RUN_FILES.metrics, "the test-set scores; gaitid evaluate --run makes it"), path.join(dir, RUN_FILES.metrics));
}

/** Reads manifest.json of a run folder (validated: see {@link parseRunManifest}). */
export function readRunManifest(dir: string): RunManifest {
  return parseRunManifest(readText(dir, RUN_FILES.manifest, "the run's manifest"), path.join(dir, RUN_FILES.manifest));
}

/** model/preprocessing.json: what turns raw records into inputs and outputs into SI units. */
export interface Preprocessing {
  target: Variant;
  /** Absent in runs made before there was a choice: "mlp". */
  arch?: Arch;
  shape: NetworkShape;
  standardization: Standardization;
}

/** Writes `model` (a TensorFlow.js layers model, disposed here) into `dir` (replaced atomically). */
export async function saveModel(dir: string, model: tf.LayersModel, pre: Preprocessing): Promise<void> {
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  try {
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        const data = Array.isArray(a.weightData) ? Buffer.concat(a.weightData.map((b) => Buffer.from(b))) : Buffer.from(a.weightData as ArrayBuffer);
        fs.writeFileSync(path.join(tmp, "weights.bin"), data);
        const json = {
          modelTopology: a.modelTopology,
          format: a.format ?? "layers-model",
          generatedBy: a.generatedBy,
          convertedBy: a.convertedBy ?? null,
          weightsManifest: [{ paths: ["./weights.bin"], weights: a.weightSpecs }],
        };
        fs.writeFileSync(path.join(tmp, "model.json"), JSON.stringify(json));
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON", weightDataBytes: data.length } };
      }),
    );
    fs.writeFileSync(path.join(tmp, "preprocessing.json"), JSON.stringify(pre, null, 2) + "\n");
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(tmp, dir);
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  } finally {
    model.dispose();
  }
}

/**
 * Loads the model of a run folder (needs a TensorFlow.js backend selected, see selectBackend):
 * the layers model and its preprocessing. Inputs for it come from standardizeRecords; its outputs
 * are standardized targets (multiply by targetStd, add targetMean).
 */
export async function loadModel(runDir: string): Promise<{ model: tf.LayersModel; preprocessing: Preprocessing }> {
  const dir = path.join(runDir, RUN_FILES.model);
  const json = JSON.parse(readText(dir, "model.json", "the network")) as {
    modelTopology: object;
    weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  };
  const weightData = new Uint8Array(fs.readFileSync(path.join(dir, "weights.bin"))).buffer;
  const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData }));
  const preprocessing = JSON.parse(readText(dir, "preprocessing.json", "the standardization")) as Preprocessing;
  return { model, preprocessing };
}

export { writeFileAtomic, writeJsonAtomic };
