/**
 * Training an estimator: a fully connected network from the (x, y) samples of a record to its
 * parameters, (m, k, l0) or (rho, l0), as in arXiv 2307.11332 (7 x 50 units, Adam, batch 1000,
 * 500 epochs). The weights with the best validation loss are kept. Checkpoints every
 * `checkpointEvery` epochs let `resume` continue an interrupted run to the very same result: the
 * shuffle of each epoch derives from (seed, epoch) and the whole optimizer state is saved.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { validateTrainingConfig, type Channels, type DatasetConfig, type TrainingConfig } from "../config";
import { loadDataset, readDatasetManifest } from "../dataset/format";
import { GaitidError } from "../errors";
import { Progress } from "../progress";
import { environment, sha256File } from "../provenance";
import { Adam, type AdamState } from "./adam";
import { selectBackend, type BackendInfo, type BackendRequest } from "./backend";
import { gatherRows, prepareData, TARGETS, TARGET_NAMES, type PreparedData, type TargetName } from "./data";
import { evaluatePredictions } from "./evaluate";
import { forward, initialWeights, mseLoss, networkShape, parameterCount, weightShapes, type NetworkShape } from "./network";
import { shuffleForEpoch } from "./rng";
import { checkRunFolder, clearRun, lockRunFolder, type RunStart } from "./run-folder";
import {
  formatHistory,
  formatPredictions,
  readMetrics,
  readRunManifest,
  RUN_FILES,
  saveModel,
  writeFileAtomic,
  writeJsonAtomic,
  type HistoryRow,
  type Metrics,
  type Predictions,
  type RunManifest,
} from "./run";

/** How to train one estimator. */
export interface TrainOptions {
  /** Dataset folder (made by gaitid generate). */
  dataset: string;
  /** Target variant: "mkl0" (m, k, l0) or "rhol0" (rho, l0). */
  target: TargetName;
  /** Run folder to write (data/runs/<name>). */
  out: string;
  /** Network and training settings (a preset's `training`, possibly changed). */
  training: TrainingConfig;
  /** TensorFlow.js backend (default "auto": node, else wasm, else cpu). */
  backend?: BackendRequest;
  /** Continue the interrupted run in `out` from its last checkpoint (a finished run is returned as it is). */
  resume?: boolean;
  /** Replace a run that is already in `out`. */
  force?: boolean;
  /** No progress lines. */
  quiet?: boolean;
  /** Use only the first N training records (by id), for a data-volume experiment. */
  subset?: number;
  /** Input channels (default "xy"; "xy+grf" adds the ground reaction force and needs a dataset that has it). */
  channels?: Channels;
  /** Stops training after the current epoch (a checkpoint is written first). */
  signal?: AbortSignal;
  /** Called after every epoch, before its checkpoint if any (an abort requested here stops after this epoch). */
  onEpoch?: (row: HistoryRow) => void;
  /** Where progress lines go (default stderr). */
  progressStream?: NodeJS.WritableStream;
}

/** What a finished run reports. */
export interface RunSummary {
  dir: string;
  target: TargetName;
  backend: BackendInfo;
  /** Epochs trained (fewer than configured when stopped early). */
  epochsRun: number;
  bestEpoch: number;
  bestValLoss: number;
  stoppedEarly: boolean;
  /** Whether this run continued from a checkpoint. */
  resumed: boolean;
  /** Training time over all sessions, s. */
  trainSeconds: number;
  /** Training samples per second of training time (this session). */
  samplesPerSecond: number;
  metrics: Metrics;
}

/** checkpoint.json: everything that decides the rest of the run. */
interface Checkpoint {
  kind: "gaitid-checkpoint";
  fingerprint: Record<string, unknown>;
  /** Epochs completed. */
  epoch: number;
  weights: string[];
  adam: { step: number; m: string[]; v: string[] };
  best: { valLoss: number | null; epoch: number; weights: string[] };
  history: HistoryRow[];
  trainSeconds: number;
  trainSamples: number;
}

const b64 = (a: Float32Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("base64");
const f32 = (s: string): Float32Array => {
  const b = Buffer.from(s, "base64");
  const out = new Float32Array(b.length / 4);
  new Uint8Array(out.buffer).set(b);
  return out;
};

/** The network's outputs (standardized) for the records `idx`, in chunks. */
function predictRows(shape: NetworkShape, vars: readonly tf.Tensor[], data: PreparedData, idx: Int32Array, chunk = 4096): Float32Array {
  const F = data.featureCount, T = data.targetCount;
  const out = new Float32Array(idx.length * T);
  const buf = new Float32Array(Math.min(chunk, idx.length) * F);
  for (let from = 0; from < idx.length; from += chunk) {
    const to = Math.min(idx.length, from + chunk), n = to - from;
    gatherRows(data.features, F, idx, from, to, buf);
    const y = tf.tidy(() => forward(shape, vars, tf.tensor2d(buf.subarray(0, n * F), [n, F])));
    out.set(y.dataSync() as Float32Array, from * T);
    y.dispose();
  }
  return out;
}

/** Mean squared error of standardized predictions against the standardized targets of `idx`. */
function lossOf(pred: Float32Array, data: PreparedData, idx: Int32Array): number {
  const T = data.targetCount;
  let s = 0;
  for (let i = 0; i < idx.length; i++) {
    for (let t = 0; t < T; t++) {
      const d = pred[i * T + t] - data.targets[idx[i] * T + t];
      s += d * d;
    }
  }
  return s / (idx.length * T);
}

function fingerprintOf(o: { target: TargetName; training: TrainingConfig; datasetHash: string; subset?: number; channels: Channels; backend: string }): Record<string, unknown> {
  // Everything that changes the numbers (backends round differently); epochs, patience and
  // checkpointEvery only say where to stop and when to save.
  const { epochs: _e, patience: _p, checkpointEvery: _c, ...training } = o.training;
  return { target: o.target, training, datasetHash: o.datasetHash, subset: o.subset ?? null, channels: o.channels, backend: o.backend };
}

function describeMismatch(a: Record<string, unknown>, b: Record<string, unknown>): string {
  const diffs: string[] = [];
  const walk = (x: unknown, y: unknown, where: string): void => {
    if (x !== null && y !== null && typeof x === "object" && typeof y === "object") {
      for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) walk((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], where ? `${where}.${k}` : k);
    } else if (JSON.stringify(x) !== JSON.stringify(y)) diffs.push(`${where}: checkpoint ${JSON.stringify(x)}, now ${JSON.stringify(y)}`);
  };
  walk(a, b, "");
  return diffs.join("; ");
}

/** Priors of the dataset that the floor needs. */
function priorsOf(config: unknown, dir: string): RunManifest["dataset"]["priors"] {
  const c = config as Partial<DatasetConfig> | undefined;
  if (!c || !Array.isArray(c.m) || !Array.isArray(c.k)) throw new GaitidError(`${dir}/manifest.json has no config.m and config.k (the priors of m and k)`);
  return { m: c.m, k: c.k, l0: c.l0 };
}

function summaryFromDisk(dir: string): RunSummary {
  const m = readRunManifest(dir);
  return {
    dir,
    target: m.target,
    backend: m.backend,
    epochsRun: m.result.epochsRun,
    bestEpoch: m.result.bestEpoch,
    bestValLoss: m.result.bestValLoss,
    stoppedEarly: m.result.stoppedEarly,
    resumed: m.result.resumed,
    trainSeconds: m.timings.trainSeconds,
    samplesPerSecond: m.timings.samplesPerSecond,
    metrics: readMetrics(dir),
  };
}

/**
 * One pass of mini-batch Adam over the records in `order` (batches of `batchSize`, the last one
 * possibly smaller). Returns the sum over records of the batch losses (divide by the count for
 * the epoch's mean training loss). `xBuf`/`yBuf` are reused batch buffers.
 */
export function trainEpoch(
  shape: NetworkShape,
  vars: readonly tf.Variable[],
  adam: Adam,
  data: Pick<PreparedData, "features" | "featureCount" | "targets" | "targetCount">,
  order: Int32Array,
  batchSize: number,
  xBuf = new Float32Array(Math.min(batchSize, order.length) * data.featureCount),
  yBuf = new Float32Array(Math.min(batchSize, order.length) * data.targetCount),
): number {
  const F = data.featureCount, T = data.targetCount, N = order.length;
  let lossSum = 0;
  for (let from = 0; from < N; from += batchSize) {
    const to = Math.min(N, from + batchSize), n = to - from;
    gatherRows(data.features, F, order, from, to, xBuf);
    gatherRows(data.targets, T, order, from, to, yBuf);
    const xb = tf.tensor2d(xBuf.subarray(0, n * F), [n, F]);
    const yb = tf.tensor2d(yBuf.subarray(0, n * T), [n, T]);
    const { value, grads } = tf.variableGrads(() => mseLoss(forward(shape, vars, xb), yb), vars as tf.Variable[]);
    adam.apply(vars.map((v) => grads[v.name]));
    lossSum += (value.dataSync() as Float32Array)[0] * n;
    tf.dispose([xb, yb, value, ...Object.values(grads)]);
  }
  return lossSum;
}

/** The settings a finished run is compared on when it is resumed (everything but checkpointEvery). */
function finishedFingerprint(m: Pick<RunManifest, "target" | "training" | "subset" | "inputs"> & { datasetHash?: string; dataset?: { hash: string }; backend: { name: string } }): Record<string, unknown> {
  const { checkpointEvery: _c, ...training } = m.training;
  return { target: m.target, training, datasetHash: m.datasetHash ?? m.dataset?.hash, subset: m.subset ?? null, channels: m.inputs, backend: m.backend.name };
}

/** The dataset folder, checked to hold a complete dataset (its manifest only is read). */
function readDatasetDir(dir: string): string {
  readDatasetManifest(dir);
  return dir;
}

/**
 * Trains one estimator and writes its run folder (model, history.csv, predictions.csv,
 * metrics.json, manifest.json). Resolves to the run's summary; throws a {@link GaitidError} for
 * bad input (a dataset that does not fit, a run already in `out`, an unknown backend).
 */
export async function trainEstimator(opts: TrainOptions): Promise<RunSummary> {
  const t0 = performance.now();
  const { target, out } = opts;
  if (!TARGET_NAMES.includes(target)) throw new GaitidError(`target must be one of ${TARGET_NAMES.join(", ")}; got ${JSON.stringify(target)}`);
  const training = validateTrainingConfig(structuredClone(opts.training));
  const channels: Channels = opts.channels ?? "xy";

  // What is in `out` already? Decided before anything is read or computed.
  const start0 = checkRunFolder(out, { resume: opts.resume, force: opts.force });
  const manifestPath = path.join(out, RUN_FILES.manifest), ckptPath = path.join(out, RUN_FILES.checkpoint);

  const backend = await selectBackend(opts.backend ?? "auto");

  const datasetHash = sha256File(path.join(readDatasetDir(opts.dataset), "manifest.json"));
  if (start0 === "finished") {
    const m = readRunManifest(out);
    const diff = describeMismatch(finishedFingerprint(m), finishedFingerprint({ target, training, datasetHash, subset: opts.subset ?? null, inputs: channels, backend }));
    if (diff) throw new GaitidError(`the finished run in ${out} was trained with other settings (${diff}); choose another --out, or --force to train it again`);
    return summaryFromDisk(out);
  }
  const unlock = lockRunFolder(out);
  try {
    return await trainLocked(opts, { target, training, channels, backend, datasetHash, t0, start0, manifestPath, ckptPath });
  } finally {
    unlock();
  }
}

async function trainLocked(
  opts: TrainOptions,
  c: { target: TargetName; training: TrainingConfig; channels: Channels; backend: BackendInfo; datasetHash: string; t0: number; start0: RunStart; manifestPath: string; ckptPath: string },
): Promise<RunSummary> {
  const { target, training, channels, backend, datasetHash, t0, manifestPath, ckptPath } = c;
  const out = opts.out;
  // Data: loaded once, prepared in place.
  const tLoad = performance.now();
  const ds = loadDataset(opts.dataset);
  if (sha256File(path.join(opts.dataset, "manifest.json")) !== datasetHash) throw new GaitidError(`${opts.dataset}/manifest.json changed while training started; try again`);
  const priors = priorsOf(ds.manifest.config, opts.dataset);
  const datasetInfo = { dir: path.resolve(opts.dataset), name: ds.manifest.name, hash: datasetHash, records: ds.records, samples: ds.samples, channels: ds.manifest.channels, priors };
  const tPrep = performance.now();
  const data = prepareData(ds, target, { channels, noise: training.noise, noiseSeed: training.noiseSeed, subset: opts.subset });
  const ids = ds.params.map((p) => p.id);
  const truthSI = (TARGETS[target] as readonly string[]).map((q) => Float64Array.from(data.split.test, (r) => ds.params[r][q as "m"] as number));
  const tReady = performance.now();

  const shape = networkShape(data.featureCount, data.targetCount, training);
  const shapes = weightShapes(shape);
  const fingerprint = fingerprintOf({ target, training, datasetHash, subset: opts.subset, channels, backend: backend.name });

  if (c.start0 === "replace") clearRun(out);

  // Start, or continue from the checkpoint.
  let ckpt: Checkpoint | undefined;
  if (c.start0 === "resume") {
    try {
      ckpt = JSON.parse(fs.readFileSync(ckptPath, "utf8")) as Checkpoint;
    } catch (err) {
      throw new GaitidError(`${ckptPath} is corrupt (${(err as Error).message}); start over with --force`);
    }
    if (ckpt.kind !== "gaitid-checkpoint") throw new GaitidError(`${ckptPath} is not a gaitid checkpoint`);
    if (ckpt.best.valLoss === null) ckpt.best.valLoss = Infinity; // no epoch yet (non-finite numbers are null in JSON)
    const diff = describeMismatch(ckpt.fingerprint, fingerprint);
    if (diff) throw new GaitidError(`the run in ${out} was started with other settings (${diff}); resume it with the same settings, or start over with --force`);
  }
  fs.mkdirSync(out, { recursive: true });

  const start = ckpt?.epoch ?? 0;
  const init = ckpt ? ckpt.weights.map(f32) : initialWeights(shape, training.seed);
  const vars = init.map((w, i) => tf.variable(tf.tensor(w, shapes[i]), true));
  const adam = new Adam(vars, { learningRate: training.learningRate });
  if (ckpt) adam.restore({ step: ckpt.adam.step, m: ckpt.adam.m.map(f32), v: ckpt.adam.v.map(f32) } satisfies AdamState);
  let best = ckpt ? { valLoss: ckpt.best.valLoss ?? Infinity, epoch: ckpt.best.epoch, weights: ckpt.best.weights.map(f32) } : { valLoss: Infinity, epoch: 0, weights: init.map((w) => w.slice()) };
  const history: HistoryRow[] = ckpt ? ckpt.history.slice(0, start) : [];
  const trainSecondsBefore = ckpt?.trainSeconds ?? 0;
  const trainSamplesBefore = ckpt?.trainSamples ?? 0;
  let sessionTrainSeconds = 0, sessionSamples = 0;

  const F = data.featureCount, T = data.targetCount, B = training.batchSize;
  const nTrain = data.split.train.length;
  const xBuf = new Float32Array(Math.min(B, nTrain) * F), yBuf = new Float32Array(Math.min(B, nTrain) * T);
  const order = new Int32Array(nTrain);
  const progress = new Progress(Math.max(1, training.epochs - start), { unit: "epochs", label: `train ${target}`, intervalMs: 0, quiet: opts.quiet, stream: opts.progressStream });

  const writeCheckpoint = (epoch: number): void => {
    const st = adam.state();
    const c: Checkpoint = {
      kind: "gaitid-checkpoint",
      fingerprint,
      epoch,
      weights: vars.map((v) => b64(v.dataSync() as Float32Array)),
      adam: { step: st.step, m: st.m.map(b64), v: st.v.map(b64) },
      best: { valLoss: best.valLoss, epoch: best.epoch, weights: best.weights.map(b64) },
      history,
      trainSeconds: trainSecondsBefore + sessionTrainSeconds,
      trainSamples: trainSamplesBefore + sessionSamples,
    };
    writeFileAtomic(ckptPath, JSON.stringify(c));
  };

  // A new run owns its folder from the start: a checkpoint before the first epoch.
  if (!ckpt) writeCheckpoint(0);

  let epoch = start;
  let tEval = 0;
  let predZ: Float32Array;
  let stoppedEarly = training.patience > 0 && start - best.epoch >= training.patience;
  try {
    while (epoch < training.epochs && !stoppedEarly) {
      const te = performance.now();
      order.set(data.split.train);
      shuffleForEpoch(order, training.seed, epoch);
      const lossSum = trainEpoch(shape, vars, adam, data, order, B, xBuf, yBuf);
      if (!Number.isFinite(lossSum)) {
        throw new GaitidError(`training of ${target} diverged in epoch ${epoch + 1} (training loss ${lossSum / nTrain}); lower the learning rate (now ${training.learningRate})`);
      }
      const trainTime = (performance.now() - te) / 1000;
      sessionTrainSeconds += trainTime;
      sessionSamples += nTrain;
      const valLoss = lossOf(predictRows(shape, vars, data, data.split.val), data, data.split.val);
      if (!Number.isFinite(valLoss)) {
        throw new GaitidError(`training of ${target} diverged in epoch ${epoch + 1} (validation loss ${valLoss}); lower the learning rate (now ${training.learningRate})`);
      }
      epoch += 1;
      if (valLoss < best.valLoss) best = { valLoss, epoch, weights: vars.map((v) => (v.dataSync() as Float32Array).slice()) };
      const row: HistoryRow = { epoch, trainLoss: lossSum / nTrain, valLoss, seconds: (performance.now() - te) / 1000 };
      history.push(row);
      if (training.patience > 0 && epoch - best.epoch >= training.patience) stoppedEarly = true;
      opts.onEpoch?.(row);
      const aborted = opts.signal?.aborted ?? false;
      if (epoch % training.checkpointEvery === 0 || aborted) writeCheckpoint(epoch);
      writeFileAtomic(path.join(out, RUN_FILES.history), formatHistory(history));
      progress.update(
        epoch - start,
        `epoch ${epoch}/${training.epochs} loss ${row.trainLoss.toPrecision(4)} val ${valLoss.toPrecision(4)} (best ${best.valLoss.toPrecision(4)} @${best.epoch}) ${Math.round(nTrain / trainTime)} samples/s`,
      );
      if (aborted) throw new GaitidError(`training of ${target} interrupted after epoch ${epoch} (checkpoint in ${out}); continue with the same command and --resume`, 130);
      await new Promise((r) => setImmediate(r)); // let signals and other work in
    }
    // The kept weights: the best on validation.
    vars.forEach((v, i) => tf.tidy(() => v.assign(tf.tensor(best.weights[i], shapes[i]))));
    tEval = performance.now();
    predZ = predictRows(shape, vars, data, data.split.test);
  } finally {
    adam.dispose();
    tf.dispose(vars);
  }
  const st = data.standardization;
  const params = TARGETS[target] as readonly string[];
  const predictions: Predictions = { id: Array.from(data.split.test, (r) => ids[r]), params: [...params], truth: {}, pred: {} };
  params.forEach((q, t) => {
    predictions.truth[q] = Array.from(truthSI[t]);
    predictions.pred[q] = Array.from(data.split.test, (_, i) => predZ[i * T + t] * st.targetStd[t] + st.targetMean[t]);
  });
  writeFileAtomic(path.join(out, RUN_FILES.predictions), formatPredictions(predictions));
  writeFileAtomic(path.join(out, RUN_FILES.history), formatHistory(history));
  await saveModel(path.join(out, RUN_FILES.model), shape, best.weights, { target, shape, standardization: st });

  const trainSeconds = trainSecondsBefore + sessionTrainSeconds;
  const samplesPerSecond = sessionTrainSeconds > 0 ? sessionSamples / sessionTrainSeconds : 0;
  const manifest: RunManifest = {
    kind: "gaitid-run",
    name: path.basename(path.resolve(out)),
    target,
    params: [...params],
    dataset: datasetInfo,
    inputs: channels,
    subset: opts.subset ?? null,
    split: { train: nTrain, val: data.split.val.length, test: data.split.test.length },
    training,
    seeds: { seed: training.seed, noiseSeed: training.noiseSeed },
    network: { shape, parameters: parameterCount(shape) },
    backend,
    timings: {
      loadSeconds: (tPrep - tLoad) / 1000,
      prepareSeconds: (tReady - tPrep) / 1000,
      trainSeconds,
      samplesPerSecond,
      totalSeconds: (performance.now() - t0) / 1000,
      testSeconds: (performance.now() - tEval) / 1000,
    },
    result: { epochsRun: epoch, bestEpoch: best.epoch, bestValLoss: best.valLoss, stoppedEarly, resumed: Boolean(ckpt) },
    environment: environment(),
    resumedFromEpoch: ckpt ? start : null,
  };
  const metrics = evaluatePredictions(predictions, target, priors, backend.name);
  writeJsonAtomic(path.join(out, RUN_FILES.metrics), metrics);
  writeJsonAtomic(manifestPath, manifest); // last: a folder with a manifest is a finished run
  fs.rmSync(ckptPath, { force: true });
  return {
    dir: out,
    target,
    backend,
    epochsRun: epoch,
    bestEpoch: best.epoch,
    bestValLoss: best.valLoss,
    stoppedEarly,
    resumed: Boolean(ckpt),
    trainSeconds,
    samplesPerSecond,
    metrics,
  };
}
