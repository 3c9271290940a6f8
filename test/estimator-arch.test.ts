// The sequence architectures (1D CNN, GRU): the wasm backend's convolution filter gradient
// against the cpu backend's, training on the tiny dataset, saving and loading as TensorFlow.js
// layers models that reproduce the run's predictions, exact resume, and the seed deciding the
// initial weights.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { preset, type TrainingConfig } from "../lib/src/config";
import { loadDataset } from "../lib/src/dataset/format";
import { selectBackend } from "../lib/src/estimator/backend";
import { registerWasmConvFilterGradient } from "../lib/src/estimator/conv-grad";
import { standardizeRecords } from "../lib/src/estimator/data";
import { buildNet } from "../lib/src/estimator/net";
import { loadModel, readHistory } from "../lib/src/estimator/run";
import { readRun } from "../lib/src/estimator/run-read";
import { trainEstimator } from "../lib/src/estimator/train";
import { tempDir, tinyDataset } from "./helpers/estimator-data";

const tiny = (over: Partial<TrainingConfig> = {}): TrainingConfig => ({ ...preset("tiny").training, ...over });

test("the wasm backend's convolution filter gradient equals the cpu backend's", async () => {
  const x = Array.from({ length: 3 * 40 * 4 }, (_, i) => Math.sin(i * 0.7));
  const w = Array.from({ length: 5 * 4 * 6 }, (_, i) => Math.cos(i * 0.3));
  const grad = async (backend: "cpu" | "wasm"): Promise<Float32Array> => {
    await selectBackend(backend);
    registerWasmConvFilterGradient();
    const xt = tf.tensor3d(x, [3, 40, 4]);
    const g = tf.grad((wt: tf.Tensor) => tf.sum(tf.square(tf.conv1d(xt, wt as tf.Tensor3D, 2, "valid"))))(tf.tensor3d(w, [5, 4, 6]));
    return g.dataSync() as Float32Array;
  };
  const cpu = await grad("cpu"), wasm = await grad("wasm");
  assert.equal(wasm.length, 120);
  const scale = Math.max(...cpu.map(Math.abs));
  cpu.forEach((v, i) => assert.ok(Math.abs(v - wasm[i]) <= 1e-5 * scale, `weight ${i}: cpu ${v}, wasm ${wasm[i]}`));
});

test("the seed decides a network's initial weights: the same seed gives the same, another seed others", async () => {
  await selectBackend("wasm");
  for (const arch of ["cnn", "gru"] as const) {
    const a = buildNet(arch, 302, 2, 3, tiny({ seed: 1 })), b = buildNet(arch, 302, 2, 3, tiny({ seed: 1 })), c = buildNet(arch, 302, 2, 3, tiny({ seed: 2 }));
    const [wa, wb, wc] = [a.read(), b.read(), c.read()];
    assert.deepEqual(wa, wb);
    assert.notDeepEqual(wa[0], wc[0]);
    assert.equal(a.info.parameters, wa.reduce((s, w) => s + w.length, 0));
    // The GRU's recurrent kernel has orthonormal rows.
    if (arch === "gru") {
      const rk = wa.find((w) => w.length === 32 * 96)!;
      for (let r = 0; r < 3; r++) {
        let dot = 0, norm = 0;
        for (let j = 0; j < 96; j++) {
          norm += rk[r * 96 + j] ** 2;
          dot += rk[r * 96 + j] * rk[(r + 1) * 96 + j];
        }
        assert.ok(Math.abs(norm - 1) < 1e-5 && Math.abs(dot) < 1e-5);
      }
    }
    [a, b, c].forEach((n) => n.dispose());
  }
});

for (const arch of ["cnn", "gru"] as const) {
  test(`a ${arch} trains on the tiny dataset, is saved as a layers model that gives its predictions, and resumes exactly`, async () => {
    const dataset = await tinyDataset();
    const training = tiny({ epochs: 4, checkpointEvery: 2 });
    const base = { dataset, target: "rhol0" as const, arch, training, backend: "wasm" as const, quiet: true };
    const out = path.join(tempDir(), arch);
    const s = await trainEstimator({ ...base, out });
    assert.equal(s.arch, arch);
    const h = readHistory(out);
    assert.equal(h.length, 4);
    assert.ok(s.bestValLoss < h[0].valLoss, `${arch}: best ${s.bestValLoss}, first ${h[0].valLoss}`);
    const run = readRun(out, "rhol0");
    assert.equal(run.manifest.network.arch, arch);
    assert.ok(run.manifest.network.layers!.some((l) => l.startsWith(arch === "cnn" ? "Conv1D" : "GRU")));

    // The saved layers model, fed the raw test records, reproduces predictions.csv.
    const ds = loadDataset(dataset);
    const { model, preprocessing } = await loadModel(out);
    assert.equal(preprocessing.arch, arch);
    assert.equal(model.countParams(), run.manifest.network.parameters);
    const p = run.predictions, R = ds.samples * ds.channels;
    const raw = new Float32Array(p.id.length * R);
    p.id.forEach((id, i) => raw.set(ds.X.subarray(id * R, (id + 1) * R), i * R));
    const x = standardizeRecords(raw, ds.manifest.channelNames, preprocessing.standardization);
    const z = (model.predict(tf.tensor2d(x, [p.id.length, x.length / p.id.length])) as tf.Tensor).dataSync();
    const st = preprocessing.standardization;
    p.id.forEach((_, i) => {
      const l0 = z[2 * i + 1] * st.targetStd[1] + st.targetMean[1];
      assert.ok(Math.abs(l0 - p.pred.l0[i]) < 1e-5, `record ${i}: ${l0} vs ${p.pred.l0[i]}`);
    });
    model.dispose();

    // Interrupted in epoch 3 (checkpoint at 2), resumed: the same weights as the uninterrupted run.
    const crashed = path.join(tempDir(), `${arch}-crashed`);
    await assert.rejects(trainEstimator({ ...base, out: crashed, onEpoch: (r) => { if (r.epoch === 3) throw new Error("simulated crash"); } }), /simulated crash/);
    const r = await trainEstimator({ ...base, out: crashed, resume: true });
    assert.equal(r.resumed, true);
    assert.ok(fs.readFileSync(path.join(crashed, "model", "weights.bin")).equals(fs.readFileSync(path.join(out, "model", "weights.bin"))));
    assert.equal(fs.readFileSync(path.join(crashed, "predictions.csv"), "utf8"), fs.readFileSync(path.join(out, "predictions.csv"), "utf8"));
  });
}
