/**
 * Training an estimator: a network from the (x, y) samples of a record to its parameters, as in
 * arXiv 2307.11332 (7 x 50 units, Adam, batch 1000, 500 epochs), or to a posterior density of them
 * (target "posterior"), with the architecture of net.ts (the paper's fully connected network, a
 * 1D CNN or a GRU). The weights with the best validation loss are kept.
 *
 * This file only orchestrates: the run folder's ownership and lock (run-folder.ts), checkpoints
 * (checkpoint.ts), the epoch loop (loop.ts) and the run's files (run.ts, finish.ts). Checkpoints
 * every `checkpointEvery` epochs let `resume` continue an interrupted run to the very same result.
 */
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { validateTrainingConfig, type Channels, type TrainingConfig } from "../config";
import { loadDataset, readDatasetManifest } from "../dataset/format";
import { GaitidError } from "../errors";
import { Progress } from "../progress";
import { sha256File } from "../provenance";
import { Adam } from "./adam";
import { selectBackend, type BackendInfo, type BackendRequest } from "./backend";
import { describeMismatch, fingerprintOf, readCheckpoint, writeCheckpoint, type CheckpointState, type RunSettings } from "./checkpoint";
import { prepareData } from "./data";
import { finishRun, summaryFromDisk } from "./finish";
import { objectiveFor, runEpochs } from "./loop";
import { buildNet, checkArch, type Arch } from "./net";
import { designOfManifest, POSTERIOR_DESIGN } from "./posterior/design";
import { COMPONENTS } from "./posterior/mdn";
import { posteriorLearningRate, POSTERIOR_SCHEDULE, reducesRate } from "./posterior/schedule";
import { checkRunFolder, clearRun, lockRunFolder, type RunStart } from "./run-folder";
import { formatHistory, readRunManifest, RUN_FILES, writeFileAtomic, type HistoryRow, type Metrics } from "./run";
import { checkVariant, type Variant } from "./variant";

/** How to train one estimator. */
export interface TrainOptions {
  /** Dataset folder (made by gaitid generate). */
  dataset: string;
  /** Target variant: "mkl0" (m, k, l0), "rhol0" (rho, l0) or "posterior" (a density of log rho, l0, m). */
  target: Variant;
  /** Run folder to write (data/runs/<name>). */
  out: string;
  /** Network and training settings (a preset's `training`, possibly changed). */
  training: TrainingConfig;
  /** Architecture (default "mlp", the paper's fully connected network; "cnn", "gru"). */
  arch?: Arch;
  /** TensorFlow.js backend (default "auto": node, else wasm, else cpu). */
  backend?: BackendRequest;
  /** Continue the interrupted run in `out` from its last checkpoint (a finished run with the same settings is returned as it is). */
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
  target: Variant;
  arch: Arch;
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

/** Checked options and what is known before the dataset is read. */
export interface TrainPlan {
  opts: TrainOptions;
  settings: RunSettings & { arch: Arch; subset: number | null };
  backend: BackendInfo;
  start: RunStart;
  t0: number;
}

/**
 * Trains one estimator and writes its run folder (model, history.csv, predictions.csv,
 * metrics.json, manifest.json; posterior.csv for the posterior). Everything that can be refused
 * is refused before the dataset is read: a bad option, a folder that may not be written (see
 * run-folder.ts), a dataset that is not there, a finished run resumed with other settings.
 */
export async function trainEstimator(opts: TrainOptions): Promise<RunSummary> {
  const t0 = performance.now();
  const target = checkVariant(opts.target, "target");
  const arch = checkArch(opts.arch ?? "mlp", "arch");
  const training = validateTrainingConfig(structuredClone(opts.training));
  const start = checkRunFolder(opts.out, { resume: opts.resume, force: opts.force });
  readDatasetManifest(opts.dataset);
  const backend = await selectBackend(opts.backend ?? "auto");
  const datasetHash = sha256File(path.join(opts.dataset, "manifest.json"));
  const settings = { target, training, datasetHash, subset: opts.subset ?? null, channels: opts.channels ?? "xy", backend: backend.name, arch, components: COMPONENTS, posterior: POSTERIOR_DESIGN };
  if (start === "finished") {
    const m = readRunManifest(opts.out);
    const then = { target: m.target, training: m.training, datasetHash: m.dataset.hash, subset: m.subset, channels: m.inputs, backend: m.backend.name, arch: m.network.arch ?? "mlp", components: m.posterior?.components, posterior: designOfManifest(m.posterior) };
    const diff = describeMismatch(fingerprintOf(then, true), fingerprintOf(settings, true), "the run");
    if (diff) throw new GaitidError(`the finished run in ${opts.out} was trained with other settings (${diff}); choose another --out, or --force to train it again`);
    return summaryFromDisk(opts.out);
  }
  const unlock = lockRunFolder(opts.out);
  try {
    return await trainLocked({ opts, settings, backend, start, t0 });
  } finally {
    unlock();
  }
}

/** Training once the folder is this process's: load, prepare, train, write. */
async function trainLocked(plan: TrainPlan): Promise<RunSummary> {
  const { opts, settings } = plan;
  const { target, training, arch } = settings;
  const out = opts.out;
  const ckptPath = path.join(out, RUN_FILES.checkpoint);
  const tLoad = performance.now();
  const ds = loadDataset(opts.dataset);
  if (sha256File(path.join(opts.dataset, "manifest.json")) !== settings.datasetHash) throw new GaitidError(`${opts.dataset}/manifest.json changed while training started; try again`);
  const tPrep = performance.now();
  const data = prepareData(ds, target, { channels: settings.channels, noise: training.noise, noiseSeed: training.noiseSeed, subset: opts.subset });
  const tReady = performance.now();
  const fingerprint = fingerprintOf(settings);
  if (plan.start === "replace") clearRun(out);

  let state: CheckpointState | undefined;
  if (plan.start === "resume") {
    state = readCheckpoint(ckptPath);
    const diff = describeMismatch(state.fingerprint, fingerprint);
    if (diff) throw new GaitidError(`the run in ${out} was started with other settings (${diff}); resume it with the same settings, or start over with --force`);
  }
  const objective = objectiveFor(target);
  const net = buildNet(arch, data.featureCount, data.standardization.channels.length, objective.outputs(data.targetCount), training, state?.weights);
  const adam = new Adam(net.vars, { learningRate: training.learningRate });
  try {
    if (state) adam.restore(state.adam);
    const resumedFrom = state?.epoch ?? null;
    if (!state) {
      const init = net.read();
      state = { fingerprint, epoch: 0, weights: init, adam: adam.state(), best: { valLoss: Infinity, epoch: 0, weights: init.map((w) => w.slice()) }, history: [], trainSeconds: 0, trainSamples: 0 };
      writeCheckpoint(ckptPath, state); // a new run owns its folder from the start
    }
    // The posterior's learning rate follows its validation losses (posterior/schedule.ts); the others' is constant.
    const scheduled = target === "posterior";
    if (scheduled) adam.learningRate = posteriorLearningRate(training.learningRate, state.history.slice(0, state.epoch).map((h) => h.valLoss));
    const progress = new Progress(Math.max(1, training.epochs - state.epoch), { unit: "epochs", label: `train ${target}${arch === "mlp" ? "" : ` (${arch})`}`, intervalMs: 0, quiet: opts.quiet, stream: opts.progressStream });
    const loop = await runEpochs({
      net, objective, adam, data, training, label: target, out, progress, state, signal: opts.signal,
      saveCheckpoint: (s) => writeCheckpoint(ckptPath, s),
      afterEpoch: (row, history, best) => {
        if (scheduled) {
          const losses = history.map((h) => h.valLoss);
          adam.learningRate = posteriorLearningRate(training.learningRate, losses);
          if (POSTERIOR_SCHEDULE.restoreBest && reducesRate(losses)) net.assign(best.weights); // a lower rate starts again from the best weights (schedule.ts)
        }
        opts.onEpoch?.(row);
        writeFileAtomic(path.join(out, RUN_FILES.history), formatHistory(history));
      },
    });
    net.assign(loop.state.best.weights); // the kept weights: the best on validation
    return await finishRun({ plan, ds, data, net, objective, loop, resumedFrom, timings: { t0: plan.t0, tLoad, tPrep, tReady } });
  } finally {
    adam.dispose();
    net.dispose();
  }
}

