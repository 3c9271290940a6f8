/**
 * The estimator's network: `layers` fully connected hidden layers of `units` units with one
 * activation, and a linear output, trained on standardized inputs and targets.
 *
 * Training runs our own forward pass over plain variables (W0, b0, W1, b1, ...) rather than
 * tf.LayersModel.fit: (1) its matrix products route their gradients through untransposed
 * products, which the wasm backend runs on XNNPACK (it falls back to a naive loop for any
 * transposed product, the gradient of every dense layer: 2 to 4 times slower); (2) every number
 * that decides the result (weights, Adam's moments, the step count) is ours to checkpoint, so a
 * resumed run is bit-for-bit the uninterrupted one. The trained weights are then written as a
 * standard TensorFlow.js layers model ({@link toLayersModel}), which computes the same function.
 *
 * The activation (the paper does not name one) is ELU in every preset: smooth, like the map from
 * a trajectory to (rho, l0) that the network has to learn; no units that die for good, which a
 * deep and narrow stack (7 x 50) without normalisation can afford less than a wide one; outputs
 * centred near zero, which keeps seven layers trainable without batch normalisation. It is also
 * the fastest here: the wasm backend has native Elu and EluGrad kernels, while ReLU's gradient
 * goes through Step and a multiplication (npm run bench:train -- --activation relu|elu|tanh:
 * about 25,600 samples/s with ELU, 19,000 with ReLU, 18,300 with tanh, on one core).
 */
import * as tf from "@tensorflow/tfjs";
import type { TrainingConfig } from "../config";
import { Rng } from "../random";
import { STREAM } from "./rng";

export type Activation = TrainingConfig["activation"];

/** The shape of a network: input width, hidden widths, output width. */
export interface NetworkShape {
  inputs: number;
  hidden: number[];
  outputs: number;
  activation: Activation;
}

/** The shape that a training configuration asks for. */
export function networkShape(inputs: number, outputs: number, t: Pick<TrainingConfig, "layers" | "units" | "activation">): NetworkShape {
  return { inputs, hidden: new Array<number>(t.layers).fill(t.units), outputs, activation: t.activation };
}

/** Widths of all layers, input first. */
export function layerSizes(s: NetworkShape): number[] {
  return [s.inputs, ...s.hidden, s.outputs];
}

/** Number of trainable parameters. */
export function parameterCount(s: NetworkShape): number {
  const z = layerSizes(s);
  let n = 0;
  for (let i = 0; i + 1 < z.length; i++) n += z[i] * z[i + 1] + z[i + 1];
  return n;
}

/**
 * Initial weights, [W0, b0, W1, b1, ...] with Wi of shape [in, out] in row-major order: Glorot
 * uniform (Keras's default for Dense) drawn from (seed, init stream, layer), biases zero.
 */
export function initialWeights(s: NetworkShape, seed: number): Float32Array[] {
  const z = layerSizes(s);
  const out: Float32Array[] = [];
  for (let i = 0; i + 1 < z.length; i++) {
    const r = new Rng(seed, STREAM.init, i);
    const limit = Math.sqrt(6 / (z[i] + z[i + 1]));
    const w = new Float32Array(z[i] * z[i + 1]);
    for (let j = 0; j < w.length; j++) w[j] = (2 * r.next() - 1) * limit;
    out.push(w, new Float32Array(z[i + 1]));
  }
  return out;
}

/** Shapes of [W0, b0, W1, b1, ...]. */
export function weightShapes(s: NetworkShape): number[][] {
  const z = layerSizes(s);
  const out: number[][] = [];
  for (let i = 0; i + 1 < z.length; i++) out.push([z[i], z[i + 1]], [z[i + 1]]);
  return out;
}

/** The hidden activation `a` applied to x. */
export function activate(a: Activation, x: tf.Tensor): tf.Tensor {
  switch (a) {
    case "relu":
      return tf.relu(x);
    case "elu":
      return tf.elu(x);
    case "tanh":
      return tf.tanh(x);
    case "selu":
      return tf.selu(x);
    case "swish":
      return tf.mul(x, tf.sigmoid(x));
  }
}

/** a @ w with gradients computed from untransposed products (see the module comment). */
export const matMulGrad = tf.customGrad(((a: tf.Tensor2D, w: tf.Tensor2D, save: tf.GradSaveFunc) => {
  save([a, w]);
  return {
    value: tf.matMul(a, w),
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => [
      tf.matMul(dy, tf.transpose(saved[1] as tf.Tensor2D)),
      tf.matMul(tf.transpose(saved[0] as tf.Tensor2D), dy),
    ],
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (a: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D;

/** x @ w where x is data (no gradient needed with respect to it: saves one product per step). */
export function inputMatMul(x: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
  const f = tf.customGrad(((wv: tf.Tensor2D, save: tf.GradSaveFunc) => {
    save([wv]);
    return { value: tf.matMul(x, wv), gradFunc: (dy: tf.Tensor2D) => [tf.matMul(tf.transpose(x), dy)] };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (w: tf.Tensor2D) => tf.Tensor2D;
  return f(w);
}

/** The network's output for a batch x [n, inputs], given its weights [W0, b0, ...]. */
export function forward(shape: NetworkShape, weights: readonly tf.Tensor[], x: tf.Tensor2D): tf.Tensor2D {
  const layers = weights.length / 2;
  let h = tf.add(inputMatMul(x, weights[0] as tf.Tensor2D), weights[1]) as tf.Tensor2D;
  for (let i = 1; i < layers; i++) {
    h = activate(shape.activation, h) as tf.Tensor2D;
    h = tf.add(matMulGrad(h, weights[2 * i] as tf.Tensor2D), weights[2 * i + 1]) as tf.Tensor2D;
  }
  return h;
}

/** Mean squared error of a batch (mean over records and outputs). */
export function mseLoss(pred: tf.Tensor2D, y: tf.Tensor2D): tf.Scalar {
  return tf.mean(tf.square(tf.sub(pred, y)));
}

/**
 * The same network as a TensorFlow.js layers model (tf.sequential of Dense layers) holding the
 * given weights: what a run saves, and what {@link loadModel} gives back.
 */
export function toLayersModel(shape: NetworkShape, weights: readonly Float32Array[]): tf.Sequential {
  const z = layerSizes(shape);
  const model = tf.sequential({ name: "gaitid_estimator" });
  for (let i = 0; i + 1 < z.length; i++) {
    const last = i + 2 === z.length;
    model.add(
      tf.layers.dense({
        units: z[i + 1],
        activation: last ? "linear" : shape.activation,
        inputShape: i === 0 ? [z[0]] : undefined,
        name: last ? "output" : `hidden_${i + 1}`,
      }),
    );
  }
  const shapes = weightShapes(shape);
  model.setWeights(weights.map((w, i) => tf.tensor(w, shapes[i])));
  return model;
}
