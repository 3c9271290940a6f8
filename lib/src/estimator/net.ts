/**
 * A trainable network of any architecture the trainer accepts, behind one interface: its
 * variables (what Adam updates and a checkpoint saves, in a fixed order), its forward pass, and
 * the TensorFlow.js layers model that a run saves.
 * - "mlp": the paper's fully connected network, computed by network.ts's own forward pass (fast on
 *   wasm, see there) and saved as an equal layers model;
 * - "cnn": a layers model of Conv1D layers (layers-net.ts), trained through conv-net.ts's forward
 *   pass over the model's weights (each convolution as one matrix product: fast on wasm);
 * - "gru": a layers model (layers-net.ts), trained through the model itself.
 * All are trained by the same Adam (adam.ts): the paper's optimizer, with a state saved and
 * restored exactly, so that a resumed run of any architecture equals the uninterrupted one.
 */
import * as tf from "@tensorflow/tfjs";
export { ARCHS, checkArch, type Arch } from "./arch";
import type { TrainingConfig } from "../config";
import type { Arch } from "./arch";
import { registerWasmConvFilterGradient } from "./conv-grad";
import { cnnForward } from "./conv-net";
import { buildLayersModel, initialLayersWeights } from "./layers-net";
import { forward as mlpForward, initialWeights, networkShape, parameterCount, toLayersModel, weightShapes, type NetworkShape } from "./network";

/** What a run records of its network (manifest.json `network`, model/preprocessing.json `shape`). */
export interface NetworkInfo {
  /** Absent in runs made before there was a choice: "mlp". */
  arch?: Arch;
  /** Inputs, outputs and, for "mlp", the hidden widths and activation. */
  shape: NetworkShape;
  parameters: number;
  /** The layers of a "cnn" or "gru", one line each (class, output shape). */
  layers?: string[];
}

export interface Net {
  arch: Arch;
  info: NetworkInfo;
  /** The trainable variables, in checkpoint order. */
  vars: tf.Variable[];
  /** The outputs for a batch [n, inputs]. */
  forward(x: tf.Tensor2D): tf.Tensor2D;
  /** The values of the variables now. */
  read(): Float32Array[];
  /** Sets the variables. */
  assign(weights: readonly Float32Array[]): void;
  /** A layers model holding `weights` (the caller disposes it). */
  layersModel(weights: readonly Float32Array[]): tf.LayersModel;
  dispose(): void;
}

/**
 * The network of `arch` for `inputs` features of `channels` channels and `outputs` outputs,
 * holding `weights` (from a checkpoint) or initial weights drawn from `training.seed`.
 */
export function buildNet(arch: Arch, inputs: number, channels: number, outputs: number, training: TrainingConfig, weights?: readonly Float32Array[]): Net {
  if (arch === "mlp") {
    const shape = networkShape(inputs, outputs, training);
    const shapes = weightShapes(shape);
    const init = weights ?? initialWeights(shape, training.seed);
    const vars = init.map((w, i) => tf.variable(tf.tensor(w, shapes[i]), true));
    return {
      arch,
      info: { shape, parameters: parameterCount(shape) },
      vars,
      forward: (x) => mlpForward(shape, vars, x),
      read: () => vars.map((v) => (v.dataSync() as Float32Array).slice()),
      assign: (ws) => vars.forEach((v, i) => tf.tidy(() => v.assign(tf.tensor(ws[i], shapes[i])))),
      layersModel: (ws) => toLayersModel(shape, ws),
      dispose: () => tf.dispose(vars),
    };
  }
  registerWasmConvFilterGradient();
  const make = (): tf.Sequential => buildLayersModel(arch, inputs, channels, outputs, training.activation);
  const model = make();
  const shapes = model.trainableWeights.map((w) => w.shape as number[]);
  const setAll = (m: tf.LayersModel, ws: readonly Float32Array[]): void => m.setWeights(ws.map((w, i) => tf.tensor(w, shapes[i])));
  setAll(model, weights ?? initialLayersWeights(model, training.seed));
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const info: NetworkInfo = {
    arch,
    shape: { inputs, hidden: [], outputs, activation: training.activation },
    parameters: model.countParams(),
    layers: model.layers.map((l) => `${l.getClassName()} ${l.name} -> [${(l.outputShape as number[]).slice(1).join(", ")}]`),
  };
  return {
    arch,
    info,
    vars,
    forward: arch === "cnn" ? (x) => cnnForward(training.activation, vars, x, channels) : (x) => model.apply(x) as tf.Tensor2D,
    read: () => vars.map((v) => (v.dataSync() as Float32Array).slice()),
    assign: (ws) => vars.forEach((v, i) => tf.tidy(() => v.assign(tf.tensor(ws[i], shapes[i])))),
    layersModel: (ws) => {
      const m = make();
      setAll(m, ws);
      return m;
    },
    dispose: () => model.dispose(),
  };
}
