/**
 * The estimator's sequence architectures, as TensorFlow.js layers models over the same inputs as
 * the fully connected network (a record's 151 samples x 2 channels, flattened and standardized):
 *
 * - "cnn", a 1D convolutional network: three convolutions along time (16 filters of 7 samples,
 *   then 32 and 32 of 5, each with stride 2: 151 -> 73 -> 35 -> 16 positions), then a dense layer
 *   of 64 units and the linear output. Strided convolutions shorten the sequence the way pooling
 *   would, with one operation fewer per layer; about 41,000 weights, close to the paper's
 *   7 x 50 network (30,600).
 * - "gru", a recurrent network: the record is read in frames of 5 samples (0.5 s, about one step
 *   of the walker), each frame's 10 numbers embedded linearly in 16 features (a convolution of
 *   width and stride 5: 30 frames), then a GRU of 32 units over the frames and the linear output.
 *   A GRU rather than an LSTM: three gates instead of four, so fewer weights and a quarter less
 *   work per step for the same memory of the sequence. Frames instead of single samples: a
 *   TensorFlow.js RNN runs one small step after another, and 151 of them per record made a
 *   training step about 15 times slower than 30 (measured on the wasm backend).
 *
 * The hidden activation is the configuration's (ELU by default, see network.ts); the GRU's own
 * gates keep their standard tanh and sigmoid. Initial weights come from the study's seeded
 * generator (Glorot uniform kernels, orthogonal recurrent kernels as in Keras, zero biases), so
 * the seed decides them exactly. The "cnn" trains through its own forward pass over the same
 * weights (conv-net.ts: each convolution as one matrix product); the "gru" trains through the
 * layers model itself, whose framing convolution's filter gradient on wasm comes from conv-grad.ts.
 */
import * as tf from "@tensorflow/tfjs";
import type { TrainingConfig } from "../config";
import { Rng } from "../random";
import { STREAM } from "./rng";

/** The architectures built as layers models here. */
export type LayersArch = "cnn" | "gru";

/** The convolutions of the "cnn" (valid padding, channels last), in order. */
export const CNN_CONVS: readonly { filters: number; kernel: number; stride: number }[] = [
  { filters: 16, kernel: 7, stride: 2 },
  { filters: 32, kernel: 5, stride: 2 },
  { filters: 32, kernel: 5, stride: 2 },
];
/** Units of the "cnn"'s dense layer after the convolutions. */
export const CNN_DENSE_UNITS = 64;

/** Builds the layers model of `arch` for `inputs` features (samples x channels) and `outputs` outputs. */
export function buildLayersModel(arch: LayersArch, inputs: number, channels: number, outputs: number, activation: TrainingConfig["activation"]): tf.Sequential {
  const samples = inputs / channels;
  const m = tf.sequential({ name: `gaitid_${arch}` });
  m.add(tf.layers.reshape({ targetShape: [samples, channels], inputShape: [inputs], name: "sequence" }));
  if (arch === "cnn") {
    CNN_CONVS.forEach((c, i) => m.add(tf.layers.conv1d({ filters: c.filters, kernelSize: c.kernel, strides: c.stride, activation, name: `conv_${i + 1}` })));
    m.add(tf.layers.flatten({ name: "flatten" }));
    m.add(tf.layers.dense({ units: CNN_DENSE_UNITS, activation, name: "dense_1" }));
  } else {
    m.add(tf.layers.conv1d({ filters: 16, kernelSize: 5, strides: 5, activation: "linear", name: "frames" }));
    m.add(tf.layers.gru({ units: 32, recurrentInitializer: "zeros", name: "gru" })); // initial weights: initialLayersWeights
  }
  m.add(tf.layers.dense({ units: outputs, activation: "linear", name: "output" }));
  return m;
}

/** Rows of a [rows, cols] matrix made orthonormal (rows <= cols), from Gaussian draws. */
function orthogonalRows(rows: number, cols: number, r: Rng): Float32Array {
  const a = Array.from({ length: rows }, () => Float64Array.from({ length: cols }, () => r.normal()));
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < i; j++) {
      let d = 0;
      for (let c = 0; c < cols; c++) d += a[i][c] * a[j][c];
      for (let c = 0; c < cols; c++) a[i][c] -= d * a[j][c];
    }
    const n = Math.hypot(...a[i]);
    for (let c = 0; c < cols; c++) a[i][c] /= n;
  }
  const out = new Float32Array(rows * cols);
  a.forEach((row, i) => out.set(row, i * cols));
  return out;
}

/**
 * Initial weights of a layers model, in the order of its trainable weights, drawn from
 * (seed, init stream, weight index): Glorot uniform kernels (fan in and out over the kernel's
 * window for convolutions), orthogonal recurrent kernels, zero biases.
 */
export function initialLayersWeights(model: tf.LayersModel, seed: number): Float32Array[] {
  return model.trainableWeights.map((w, i) => {
    const shape = w.shape as number[];
    const size = shape.reduce((a, b) => a * b, 1);
    const r = new Rng(seed, STREAM.init, i);
    // The weight's role: "kernel", "recurrent_kernel" or "bias" (TensorFlow.js appends _1, _2, ... to repeated names).
    const role = w.name.split("/").pop()!.replace(/_\d+$/, "");
    if (role === "bias") return new Float32Array(size);
    if (role === "recurrent_kernel") {
      // [units, 3 units]: Keras transposes a (3 units) x units orthogonal matrix; rows orthonormal here.
      return orthogonalRows(shape[0], shape[1], r);
    }
    const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
    const limit = Math.sqrt(6 / (receptive * (shape[shape.length - 2] + shape[shape.length - 1])));
    return Float32Array.from({ length: size }, () => (2 * r.next() - 1) * limit);
  });
}
