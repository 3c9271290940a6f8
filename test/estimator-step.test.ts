/** The training step's shortcuts (network.ts addBias and inputMatMul with the batch transposed in JavaScript) against plain TensorFlow.js autodiff. */
import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { transposeInto } from "../lib/src/estimator/data";
import { activate, forward, initialWeights, networkShape, weightShapes } from "../lib/src/estimator/network";

test("transposeInto transposes, for shapes that are and are not multiples of its tile", () => {
  for (const [rows, cols] of [[64, 32], [33, 302], [1, 5], [1000, 7]]) {
    const a = Float32Array.from({ length: rows * cols }, (_, i) => Math.sin(i * 0.7) * 10);
    const t = transposeInto(a, rows, cols, new Float32Array(rows * cols + 3));
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) assert.equal(t[c * rows + r], a[r * cols + c], `${rows}x${cols}: row ${r} column ${c}`);
  }
});

/** The same network with tf.add and tf.matMul only, differentiated by TensorFlow.js itself. */
function plainForward(act: "elu", ws: readonly tf.Tensor[], x: tf.Tensor2D): tf.Tensor2D {
  let h = tf.add(tf.matMul(x, ws[0] as tf.Tensor2D), ws[1]) as tf.Tensor2D;
  for (let i = 1; i < ws.length / 2; i++) h = tf.add(tf.matMul(activate(act, h) as tf.Tensor2D, ws[2 * i] as tf.Tensor2D), ws[2 * i + 1]) as tf.Tensor2D;
  return h;
}

test("the training step's gradients equal plain autodiff's (to float32 rounding), with and without the transposed batch", () => {
  const shape = networkShape(12, 3, { layers: 3, units: 8, activation: "elu" });
  const shapes = weightShapes(shape);
  // Non-zero biases, so that the bias path matters.
  const vars = initialWeights(shape, 7).map((w, i) => tf.variable(tf.tensor(w.map((v, j) => (i % 2 ? 0.1 * Math.cos(j) : v)), shapes[i])));
  const n = 33;
  const xv = Float32Array.from({ length: n * 12 }, (_, i) => Math.sin(i * 0.31));
  const x = tf.tensor2d(xv, [n, 12]), xT = tf.transpose(x) as tf.Tensor2D;
  const y = tf.tensor2d(Float32Array.from({ length: n * 3 }, (_, i) => Math.cos(i)), [n, 3]);
  const loss = (f: () => tf.Tensor2D) => () => tf.mean(tf.square(tf.sub(f(), y))) as tf.Scalar;
  const ref = tf.variableGrads(loss(() => plainForward("elu", vars, x)), vars);
  for (const t of [undefined, xT]) {
    const got = tf.variableGrads(loss(() => forward(shape, vars, x, t)), vars);
    assert.ok(Math.abs(got.value.dataSync()[0] - ref.value.dataSync()[0]) < 1e-6);
    for (const v of vars) {
      const a = got.grads[v.name].dataSync(), b = ref.grads[v.name].dataSync();
      assert.equal(a.length, b.length);
      const scale = Math.max(...Array.from(b, Math.abs));
      assert.ok(scale > 0, `${v.name}: zero gradient`);
      for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= 1e-5 * scale, `${v.name}[${i}]: ${a[i]} against ${b[i]}`);
    }
  }
});
