// Backend selection: a named backend that cannot load is an error (never a silent fallback);
// "auto" takes node, else wasm, else cpu, and says what it skipped; the paper's network computes
// the same function on every backend, and the saved layers model computes it too.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { selectBackend, availableBackends } from "../lib/src/estimator/backend";
import { forward, initialWeights, networkShape, toLayersModel, weightShapes } from "../lib/src/estimator/network";
import { GaitidError } from "../lib/src/errors";

const failing = async (): Promise<void> => {
  throw new Error("Cannot find module 'fake-backend'");
};

test("cpu and wasm load by name and say so", async () => {
  const cpu = await selectBackend("cpu");
  assert.equal(cpu.name, "cpu");
  assert.equal(tf.getBackend(), "cpu");
  const wasm = await selectBackend("wasm");
  assert.equal(wasm.name, "wasm");
  assert.equal(wasm.tfjsBackend, "wasm");
  assert.equal(tf.getBackend(), "wasm");
  assert.equal(typeof wasm.simd, "boolean");
  assert.match(wasm.tfjsVersion, /^4\./);
});

test("a named backend that cannot load is a GaitidError naming it, not a fallback", async () => {
  await selectBackend("cpu");
  await assert.rejects(selectBackend("wasm", { wasm: failing }), (e: unknown) => e instanceof GaitidError && /wasm backend cannot be used.*fake-backend/.test(e.message));
  assert.equal(tf.getBackend(), "cpu"); // nothing else was switched on instead
  // tfjs-node: loads where it is installed; where it is not (no libtensorflow) the error says what to do.
  try {
    const node = await selectBackend("node");
    assert.equal(node.name, "node");
    assert.equal(tf.getBackend(), "tensorflow");
  } catch (e) {
    assert.ok(e instanceof GaitidError, String(e));
    assert.match(e.message, /node backend cannot be used.*@tensorflow\/tfjs-node/);
  }
  await assert.rejects(selectBackend("gpu" as never), (e: unknown) => e instanceof GaitidError && /auto, node, wasm, cpu.*"gpu"/.test(e.message));
});

test("auto takes the first backend that loads and records the ones it skipped", async () => {
  const a = await selectBackend("auto", { node: failing });
  assert.equal(a.requested, "auto");
  assert.equal(a.name, "wasm");
  assert.equal(a.skipped.length, 1);
  assert.match(a.skipped[0], /^node: .*fake-backend/);
  const b = await selectBackend("auto", { node: failing, wasm: failing });
  assert.equal(b.name, "cpu");
  assert.equal(b.skipped.length, 2);
  const c = await selectBackend("auto");
  assert.ok(["node", "wasm"].includes(c.name), c.name);
  const all = await availableBackends();
  assert.ok(all.includes("wasm") && all.includes("cpu"), all.join(","));
});

test("the paper's network gives the same outputs on wasm and cpu, and as a saved layers model", async () => {
  const shape = networkShape(302, 3, { layers: 7, units: 50, activation: "elu" });
  const w = initialWeights(shape, 11);
  const shapes = weightShapes(shape);
  const x = Float32Array.from({ length: 5 * 302 }, (_, i) => Math.sin(i * 0.7));
  const outputs: Float32Array[] = [];
  for (const b of ["wasm", "cpu"] as const) {
    await selectBackend(b);
    const vars = w.map((a, i) => tf.tensor(a, shapes[i]));
    const y = tf.tidy(() => forward(shape, vars, tf.tensor2d(x, [5, 302])));
    outputs.push(y.dataSync() as Float32Array);
    const model = toLayersModel(shape, w);
    const z = model.predict(tf.tensor2d(x, [5, 302])) as tf.Tensor;
    const zs = z.dataSync();
    for (let i = 0; i < zs.length; i++) assert.ok(Math.abs(zs[i] - outputs.at(-1)![i]) < 1e-5, `${b} layers model output ${i}`);
    tf.dispose([y, z, ...vars]);
    model.dispose();
  }
  for (let i = 0; i < outputs[0].length; i++) assert.ok(Math.abs(outputs[0][i] - outputs[1][i]) < 1e-4, `output ${i}: ${outputs[0][i]} vs ${outputs[1][i]}`);
  assert.ok(outputs[0].some((v) => Math.abs(v) > 1e-3)); // not a network of zeros
});

test("gradients of the training forward pass equal TensorFlow.js's own for the same network", async () => {
  await selectBackend("wasm");
  const shape = networkShape(12, 2, { layers: 3, units: 7, activation: "elu" });
  const shapes = weightShapes(shape);
  const vars = initialWeights(shape, 5).map((a, i) => tf.variable(tf.tensor(a, shapes[i])));
  const x = tf.tensor2d(Float32Array.from({ length: 9 * 12 }, (_, i) => Math.cos(i)), [9, 12]);
  const y = tf.tensor2d(Float32Array.from({ length: 9 * 2 }, (_, i) => Math.sin(i)), [9, 2]);
  const ours = tf.variableGrads(() => tf.mean(tf.square(tf.sub(forward(shape, vars, x), y))) as tf.Scalar, vars);
  const plain = tf.variableGrads(() => {
    let h: tf.Tensor = x;
    for (let i = 0; i < vars.length / 2; i++) {
      h = tf.add(tf.matMul(h as tf.Tensor2D, vars[2 * i] as tf.Tensor2D), vars[2 * i + 1]);
      if (i < vars.length / 2 - 1) h = tf.elu(h);
    }
    return tf.mean(tf.square(tf.sub(h, y))) as tf.Scalar;
  }, vars);
  assert.ok(Math.abs(ours.value.dataSync()[0] - plain.value.dataSync()[0]) < 1e-6);
  for (const v of vars) {
    const a = ours.grads[v.name].dataSync(), b = plain.grads[v.name].dataSync();
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) < 1e-5, `${v.name}[${i}]: ${a[i]} vs ${b[i]}`);
  }
  tf.dispose([x, y, ours.value, plain.value, ...Object.values(ours.grads), ...Object.values(plain.grads), ...vars]);
});
