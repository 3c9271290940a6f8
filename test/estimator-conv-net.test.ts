// The 1D CNN's training forward pass (conv-net.ts: each convolution as windows x kernel) against
// the layers model of Conv1D layers it is saved as: the same outputs and the same gradients up to
// the order of floating-point sums; and the window copy and its adjoint on a worked case.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { preset } from "../lib/src/config";
import { selectBackend } from "../lib/src/estimator/backend";
import { col2im, convLength, im2col } from "../lib/src/estimator/conv-net";
import { buildNet } from "../lib/src/estimator/net";

test("im2col lays out the windows of a strided convolution, and col2im is its adjoint", () => {
  // One record, 7 samples of 2 channels: x[t, c] = 10 t + c; kernel 3, stride 2 -> 3 windows.
  const x = Float32Array.from({ length: 14 }, (_, i) => 10 * Math.floor(i / 2) + (i % 2));
  assert.equal(convLength(7, 3, 2), 3);
  const cols = im2col(x, 1, 7, 2, 3, 2);
  assert.deepEqual([...cols.subarray(6, 12)], [20, 21, 30, 31, 40, 41]); // window 1: samples 2, 3, 4
  assert.equal(cols.length, 18);
  // <im2col(x), y> = <x, col2im(y)> for random x (2 records) and y.
  const n = 2, L = 11, C = 3, k = 4, s = 3;
  const xr = Float32Array.from({ length: n * L * C }, (_, i) => Math.sin(1.3 * i));
  const yr = Float32Array.from({ length: n * convLength(L, k, s) * k * C }, (_, i) => Math.cos(0.7 * i));
  const a = im2col(xr, n, L, C, k, s).reduce((sum, v, i) => sum + v * yr[i], 0);
  const b = col2im(yr, n, L, C, k, s).reduce((sum, v, i) => sum + v * xr[i], 0);
  assert.ok(Math.abs(a - b) < 1e-5 * Math.abs(a), `${a} vs ${b}`); // float32 values, sums in double
});

for (const backend of ["cpu", "wasm"] as const) {
  test(`on ${backend}, the cnn's training pass gives the layers model's outputs and gradients`, async () => {
    await selectBackend(backend);
    const net = buildNet("cnn", 302, 2, 3, { ...preset("tiny").training, seed: 7 });
    const x = tf.tensor2d(Float32Array.from({ length: 5 * 302 }, (_, i) => Math.sin(0.37 * i) + 0.1 * Math.cos(0.011 * i * i)), [5, 302]);
    const y = tf.tensor2d([0.1, -0.2, 0.3, 0.5, 0, -1, 1, 2, -0.5, 0, 0.2, 0.4, -0.3, 0.7, 0.9], [5, 3]);
    const model = net.layersModel(net.read());
    const close = (a: Float32Array, b: Float32Array, what: string): void => {
      const scale = Math.max(...b.map(Math.abs));
      assert.equal(a.length, b.length);
      a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= 1e-5 * scale, `${what} [${i}]: ${v} vs ${b[i]}`));
    };
    close(net.forward(x).dataSync() as Float32Array, (model.predict(x) as tf.Tensor).dataSync() as Float32Array, "output");
    const loss = (f: () => tf.Tensor) => () => tf.mean(tf.square(tf.sub(f(), y))) as tf.Scalar;
    const ours = tf.variableGrads(loss(() => net.forward(x)), net.vars).grads;
    const mvars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const theirs = tf.variableGrads(loss(() => model.apply(x) as tf.Tensor), mvars).grads;
    net.vars.forEach((v, i) => close(ours[v.name].dataSync() as Float32Array, theirs[mvars[i].name].dataSync() as Float32Array, `gradient of ${v.name}`));
    net.dispose();
    model.dispose();
  });
}
