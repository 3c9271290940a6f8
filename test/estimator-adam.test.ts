/**
 * The optimizer: the JavaScript update of lib/src/estimator/adam.ts against the same Adam written
 * with TensorFlow.js operations on the wasm backend (the form it replaced), bit for bit over many
 * steps; its state saved and restored mid-way continues to the very same values.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Adam } from "../lib/src/estimator/adam";
import { selectBackend } from "../lib/src/estimator/backend";
import { Rng } from "../lib/src/random";

/** Adam in TensorFlow.js operations: the reference. */
function referenceStep(vars: tf.Variable[], m: tf.Variable[], v: tf.Variable[], grads: tf.Tensor[], t: number, lr: number): void {
  const b1 = 0.9, b2 = 0.999, eps = 1e-7;
  const c1 = 1 - Math.pow(b1, t), c2 = 1 - Math.pow(b2, t);
  tf.tidy(() => {
    vars.forEach((x, i) => {
      const g = grads[i];
      const mi = tf.add(tf.mul(m[i], b1), tf.mul(g, 1 - b1));
      const vi = tf.add(tf.mul(v[i], b2), tf.mul(tf.square(g), 1 - b2));
      m[i].assign(mi);
      v[i].assign(vi);
      const denom = tf.add(tf.sqrt(tf.div(vi, c2)), eps);
      x.assign(tf.sub(x, tf.mul(tf.div(mi, denom), lr / c1)));
    });
  });
}

const SHAPES: [number, number][] = [[302, 50], [1, 50], [50, 3], [1, 3]];

function randomArrays(rng: Rng, scale: number): Float32Array[] {
  return SHAPES.map(([a, b]) => Float32Array.from({ length: a * b }, () => scale * (rng.next() - 0.5) * (rng.next() < 0.01 ? 1e4 : 1)));
}

test("Adam in JavaScript equals Adam in TensorFlow.js operations bit for bit, and resumes exactly", async () => {
  await selectBackend("wasm");
  const rng = new Rng(7);
  const init = randomArrays(rng, 0.2);
  const mine = init.map((w, i) => tf.variable(tf.tensor(w, SHAPES[i])));
  const ref = init.map((w, i) => tf.variable(tf.tensor(w, SHAPES[i])));
  const m = init.map((_, i) => tf.variable(tf.zeros(SHAPES[i]))), v = init.map((_, i) => tf.variable(tf.zeros(SHAPES[i])));
  const lr = 1e-3;
  let adam = new Adam(mine, { learningRate: lr });
  let compared = 0;
  for (let t = 1; t <= 60; t++) {
    const grads = randomArrays(rng, t % 7 === 0 ? 1e-6 : 1).map((g, i) => tf.tensor(g, SHAPES[i]));
    adam.apply(grads);
    referenceStep(ref, m, v, grads, t, lr);
    tf.dispose(grads);
    if (t === 30) {
      const saved = adam.state();
      adam = new Adam(mine, { learningRate: lr });
      adam.restore(saved);
    }
    for (let i = 0; i < mine.length; i++) {
      const a = mine[i].dataSync(), b = ref[i].dataSync();
      for (let j = 0; j < a.length; j++) {
        if (a[j] !== b[j]) assert.fail(`step ${t}, variable ${i}, weight ${j}: ${a[j]} (JavaScript) != ${b[j]} (TensorFlow.js)`);
        compared++;
      }
    }
  }
  assert.ok(compared > 60 * 15000, `compared ${compared} weights`);
  // The weights moved: the comparison is not of two unchanged copies.
  assert.notEqual(mine[0].dataSync()[0], init[0][0]);
  assert.equal(adam.step, 60);
  tf.dispose([...mine, ...ref, ...m, ...v]);
});
