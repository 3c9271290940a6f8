/**
 * The forward pass of the 1D convolutional network ("cnn", layers-net.ts) for training, computed
 * over the layers model's own weights with every convolution written as one matrix product
 * ("im2col"): the windows of a layer's input [n, L, C] are laid side by side into a matrix
 * [n Lout, K C] and multiplied by the kernel [K, C, F] read as [K C, F],
 *
 *     y[b, t, f] = sum over r < K and c < C of x[b, t s + r, c] W[r, c, f] + bias[f],
 *
 * with stride s and valid padding (Lout = floor((L - K) / s) + 1), exactly TensorFlow.js's Conv1D.
 * The result equals the layers model's up to the order of floating-point sums; the saved model is
 * still the layers model of Conv1D layers.
 *
 * Why: on the wasm backend a tf.layers conv1d computes its gradients with naive loops (the input
 * gradient in C, the filter gradient in JavaScript, conv-grad.ts); they took about 85 % of a
 * training step, and the network trained about 150 samples/s. As matrix products the same sums run
 * on XNNPACK, with gradients from untransposed products (network.ts). The windows are copied
 * into place in plain JavaScript (im2col, and its adjoint col2im for the gradient): one copy per
 * number, where slicing and concatenating tensors cost several passes of a slow kernel each.
 */
import * as tf from "@tensorflow/tfjs";
import type { Activation } from "./network";
import { activate, matMulGrad } from "./network";
import { CNN_CONVS } from "./layers-net";

/** Output length of a valid convolution of kernel `k` and stride `s` over `length` samples. */
export function convLength(length: number, k: number, s: number): number {
  return Math.floor((length - k) / s) + 1;
}

/**
 * The windows of x [n, L, C] for kernel k and stride s as a matrix [n Lout, k C] (window-major,
 * channel-minor): row (b, t) holds x[b, t s + r, c] at column r C + c.
 */
export function im2col(x: Float32Array, n: number, L: number, C: number, k: number, s: number): Float32Array {
  const out = convLength(L, k, s), w = k * C;
  const cols = new Float32Array(n * out * w);
  let o = 0;
  for (let b = 0; b < n; b++) {
    for (let t = 0; t < out; t++) {
      const from = (b * L + t * s) * C;
      for (let j = 0; j < w; j++) cols[o++] = x[from + j];
    }
  }
  return cols;
}

/** The adjoint of {@link im2col}: the gradient with respect to x [n, L, C] of a gradient dcols [n Lout, k C] (overlapping windows add up). */
export function col2im(dcols: Float32Array, n: number, L: number, C: number, k: number, s: number): Float32Array {
  const out = convLength(L, k, s), w = k * C;
  const dx = new Float32Array(n * L * C);
  for (let b = 0; b < n; b++) {
    for (let t = 0; t < out; t++) {
      const from = (b * out + t) * w, to = (b * L + t * s) * C;
      for (let j = 0; j < w; j++) dx[to + j] += dcols[from + j];
    }
  }
  return dx;
}

/** {@link im2col} as a differentiable operation on tensors (its gradient is {@link col2im}). */
export function windows(x: tf.Tensor3D, k: number, s: number): tf.Tensor2D {
  const [n, L, C] = x.shape;
  const rows = n * convLength(L, k, s);
  const op = tf.customGrad(((xv: tf.Tensor3D) => ({
    value: tf.tensor2d(im2col(xv.dataSync() as Float32Array, n, L, C, k, s), [rows, k * C]),
    gradFunc: (dy: tf.Tensor2D) => tf.tensor3d(col2im(dy.dataSync() as Float32Array, n, L, C, k, s), [n, L, C]),
  })) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor3D) => tf.Tensor2D;
  return op(x);
}

/**
 * The cnn's outputs for a batch x [n, samples x channels] (the flattened, standardized record),
 * from its weights in the layers model's order: per convolution kernel [K, C, F] and bias [F],
 * then the dense layer and the output layer (kernel [in, out], bias [out]).
 */
export function cnnForward(activation: Activation, weights: readonly tf.Tensor[], x: tf.Tensor2D, channels: number): tf.Tensor2D {
  const n = x.shape[0];
  let h = tf.reshape(x, [n, x.shape[1] / channels, channels]) as tf.Tensor3D;
  CNN_CONVS.forEach((c, i) => {
    const [kernel, bias] = [weights[2 * i], weights[2 * i + 1]];
    const cols = windows(h, c.kernel, c.stride);
    const w = tf.reshape(kernel, [c.kernel * h.shape[2], c.filters]) as tf.Tensor2D;
    const y = tf.add(matMulGrad(cols, w), bias);
    h = tf.reshape(activate(activation, y), [n, convLength(h.shape[1], c.kernel, c.stride), c.filters]) as tf.Tensor3D;
  });
  const j = 2 * CNN_CONVS.length;
  const flat = tf.reshape(h, [n, h.shape[1] * h.shape[2]]) as tf.Tensor2D;
  const dense = activate(activation, tf.add(matMulGrad(flat, weights[j] as tf.Tensor2D), weights[j + 1])) as tf.Tensor2D;
  return tf.add(matMulGrad(dense, weights[j + 2] as tf.Tensor2D), weights[j + 3]) as tf.Tensor2D;
}
