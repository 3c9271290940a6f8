/**
 * The epoch loop of training, apart from the run folder: mini-batch Adam over the shuffled
 * training records, the validation loss after each epoch, the best weights so far, early stopping,
 * and a checkpoint every `checkpointEvery` epochs (or when stopped). The shuffle of epoch e comes
 * from (seed, e) alone, so a run resumed from a checkpoint repeats the uninterrupted one exactly.
 */
import * as tf from "@tensorflow/tfjs";
import type { TrainingConfig } from "../config";
import { GaitidError } from "../errors";
import type { Progress } from "../progress";
import type { Adam } from "./adam";
import type { CheckpointState } from "./checkpoint";
import { gatherRows, type PreparedData } from "./data";
import type { Net } from "./net";
import { mseLoss } from "./network";
import { mdnLoss, mdnMeanLoss, MDN_OUTPUTS } from "./posterior/mdn";
import { shuffleForEpoch } from "./rng";
import type { HistoryRow } from "./run";
import type { Variant } from "./variant";

type Data = Pick<PreparedData, "features" | "featureCount" | "targets" | "targetCount">;

/** What training minimizes. */
export interface Objective {
  /** Network outputs per record. */
  outputs(targetCount: number): number;
  /** Mean loss of a batch: outputs [n, outputs] against standardized targets [n, targets]. */
  loss(out: tf.Tensor2D, y: tf.Tensor2D): tf.Scalar;
  /** Mean loss over the records `idx` (in double precision) from their outputs, rows in the order of idx. */
  meanLoss(out: Float32Array, data: Data, idx: Int32Array): number;
}

/** Squared error of the standardized targets (the point-estimate variants). */
export const MSE: Objective = {
  outputs: (t) => t,
  loss: mseLoss,
  meanLoss(out, data, idx) {
    const T = data.targetCount;
    let s = 0;
    for (let i = 0; i < idx.length; i++) {
      for (let t = 0; t < T; t++) {
        const d = out[i * T + t] - data.targets[idx[i] * T + t];
        s += d * d;
      }
    }
    return s / (idx.length * T);
  },
};

/** Negative log-likelihood of a mixture density (the posterior variant). */
export const MDN_NLL: Objective = {
  outputs: () => MDN_OUTPUTS,
  loss: mdnLoss,
  meanLoss: (out, data, idx) => mdnMeanLoss(out, data.targets, idx),
};

export function objectiveFor(target: Variant): Objective {
  return target === "posterior" ? MDN_NLL : MSE;
}

/** The network's outputs for the records `idx`, in chunks ([idx.length, outputs] row-major). */
export function predictRows(forward: (x: tf.Tensor2D) => tf.Tensor2D, outputs: number, data: Pick<PreparedData, "features" | "featureCount">, idx: Int32Array, chunk = 4096): Float32Array {
  const F = data.featureCount;
  const out = new Float32Array(idx.length * outputs);
  const buf = new Float32Array(Math.min(chunk, idx.length) * F);
  for (let from = 0; from < idx.length; from += chunk) {
    const to = Math.min(idx.length, from + chunk), n = to - from;
    gatherRows(data.features, F, idx, from, to, buf);
    const y = tf.tidy(() => forward(tf.tensor2d(buf.subarray(0, n * F), [n, F])));
    out.set(y.dataSync() as Float32Array, from * outputs);
    y.dispose();
  }
  return out;
}

/**
 * One pass of mini-batch Adam over the records in `order` (batches of `batchSize`, the last one
 * possibly smaller). Returns the sum over records of the batch losses (divide by the count for
 * the epoch's mean training loss). `xBuf`/`yBuf` are reused batch buffers.
 */
export function trainEpoch(
  net: Pick<Net, "vars" | "forward">,
  objective: Pick<Objective, "loss">,
  adam: Adam,
  data: Data,
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
    const { value, grads } = tf.variableGrads(() => objective.loss(net.forward(xb), yb), net.vars);
    adam.apply(net.vars.map((v) => grads[v.name]));
    lossSum += (value.dataSync() as Float32Array)[0] * n;
    tf.dispose([xb, yb, value, ...Object.values(grads)]);
  }
  return lossSum;
}

/** What the loop needs besides the network. */
export interface LoopContext {
  net: Net;
  objective: Objective;
  adam: Adam;
  data: PreparedData;
  training: TrainingConfig;
  /** For messages: the variant being trained and the run folder. */
  label: string;
  out: string;
  progress: Progress;
  /** Where the loop starts: a checkpoint's state (epoch 0 for a new run). */
  state: CheckpointState;
  /** Writes a checkpoint of `state` (called every checkpointEvery epochs and when stopped). */
  saveCheckpoint(state: CheckpointState): void;
  /** Called after every epoch with the history so far (history.csv is written here) and the best epoch so far (its weights may be restored here). */
  afterEpoch(row: HistoryRow, history: readonly HistoryRow[], best: CheckpointState["best"]): void;
  signal?: AbortSignal;
}

/** Where the loop ended. */
export interface LoopResult {
  state: CheckpointState;
  stoppedEarly: boolean;
  /** Training time and samples of this session only. */
  sessionSeconds: number;
  sessionSamples: number;
}

/** The current state with the variables' and Adam's values now. */
function stateNow(c: LoopContext, s: CheckpointState, epoch: number, extraSeconds: number, extraSamples: number): CheckpointState {
  return { ...s, epoch, weights: c.net.read(), adam: c.adam.state(), trainSeconds: s.trainSeconds + extraSeconds, trainSamples: s.trainSamples + extraSamples };
}

/** Trains from `c.state` until the configured epochs, early stopping, or an abort (after a checkpoint). */
export async function runEpochs(c: LoopContext): Promise<LoopResult> {
  const { net, objective, adam, data, training } = c;
  const start = c.state.epoch;
  let best = c.state.best;
  const history = c.state.history.slice(0, start);
  const F = data.featureCount, T = data.targetCount, B = training.batchSize, W = objective.outputs(T);
  const nTrain = data.split.train.length;
  const xBuf = new Float32Array(Math.min(B, nTrain) * F), yBuf = new Float32Array(Math.min(B, nTrain) * T);
  const order = new Int32Array(nTrain);
  let seconds = 0, samples = 0, epoch = start;
  let stoppedEarly = training.patience > 0 && start - best.epoch >= training.patience;
  const diverged = (what: string, v: number): never => {
    throw new GaitidError(`training of ${c.label} diverged in epoch ${epoch + 1} (${what} ${v}); lower the learning rate (now ${training.learningRate})`);
  };
  while (epoch < training.epochs && !stoppedEarly) {
    const te = performance.now();
    order.set(data.split.train);
    shuffleForEpoch(order, training.seed, epoch);
    const lossSum = trainEpoch(net, objective, adam, data, order, B, xBuf, yBuf);
    if (!Number.isFinite(lossSum)) diverged("training loss", lossSum / nTrain);
    const trainTime = (performance.now() - te) / 1000;
    seconds += trainTime;
    samples += nTrain;
    const valLoss = objective.meanLoss(predictRows(net.forward, W, data, data.split.val), data, data.split.val);
    if (!Number.isFinite(valLoss)) diverged("validation loss", valLoss);
    epoch += 1;
    if (valLoss < best.valLoss) best = { valLoss, epoch, weights: net.read() };
    const row: HistoryRow = { epoch, trainLoss: lossSum / nTrain, valLoss, seconds: (performance.now() - te) / 1000 };
    history.push(row);
    if (training.patience > 0 && epoch - best.epoch >= training.patience) stoppedEarly = true;
    c.afterEpoch(row, history, best);
    const aborted = c.signal?.aborted ?? false;
    if (epoch % training.checkpointEvery === 0 || aborted) c.saveCheckpoint(stateNow(c, { ...c.state, best, history }, epoch, seconds, samples));
    c.progress.update(
      epoch - start,
      `epoch ${epoch}/${training.epochs} loss ${row.trainLoss.toPrecision(4)} val ${valLoss.toPrecision(4)} (best ${best.valLoss.toPrecision(4)} @${best.epoch}) ${Math.round(nTrain / trainTime)} samples/s`,
    );
    if (aborted) throw new GaitidError(`training of ${c.label} interrupted after epoch ${epoch} (checkpoint in ${c.out}); continue with the same command and --resume`, 130);
    await new Promise((r) => setImmediate(r)); // let signals and other work in
  }
  return { state: stateNow(c, { ...c.state, best, history }, epoch, seconds, samples), stoppedEarly, sessionSeconds: seconds, sessionSamples: samples };
}
