// Training on the tiny preset: the loss falls, every file of the run folder is written and reads
// back, the saved layers model gives the written predictions, a resumed run equals the
// uninterrupted one, the input noise is fixed by its seed, and datasets that do not fit are refused.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { preset, type TrainingConfig } from "../lib/src/config";
import { loadDataset } from "../lib/src/dataset/format";
import { prepareData, standardizeRecords } from "../lib/src/estimator/data";
import { evaluateRun } from "../lib/src/estimator/evaluate";
import { loadModel, readHistory, readMetrics, readPredictions, readRunManifest } from "../lib/src/estimator/run";
import { trainEstimator } from "../lib/src/estimator/train";
import { GaitidError } from "../lib/src/errors";
import { copyDataset, tempDir, tinyDataset } from "./helpers/estimator-data";

const tiny = (over: Partial<TrainingConfig> = {}): TrainingConfig => ({ ...preset("tiny").training, ...over });

test("training on the tiny preset lowers the validation loss and writes every file of the run", async () => {
  const dataset = await tinyDataset();
  const out = path.join(tempDir(), "tiny-rhol0");
  const s = await trainEstimator({ dataset, target: "rhol0", out, training: tiny(), backend: "wasm", quiet: true });
  const h = readHistory(out);
  assert.equal(h.length, preset("tiny").training.epochs);
  assert.deepEqual(h.map((r) => r.epoch), h.map((_, i) => i + 1));
  assert.ok(s.bestValLoss < 0.5 * h[0].valLoss, `best ${s.bestValLoss} vs first ${h[0].valLoss}`);
  assert.ok(h.at(-1)!.trainLoss < 0.5 * h[0].trainLoss);
  assert.equal(s.bestValLoss, Math.min(...h.map((r) => r.valLoss)));
  for (const f of ["model/model.json", "model/weights.bin", "model/preprocessing.json", "history.csv", "predictions.csv", "metrics.json", "manifest.json"]) {
    assert.ok(fs.existsSync(path.join(out, f)), f);
  }
  assert.ok(!fs.existsSync(path.join(out, "checkpoint.json")));
  assert.deepEqual(fs.readdirSync(out).filter((f) => f.includes(".tmp-")), []);

  const p = readPredictions(out);
  assert.deepEqual(p.params, ["rho", "l0"]);
  assert.equal(p.id.length, 40);
  const ds = loadDataset(dataset);
  p.id.forEach((id, i) => {
    assert.equal(ds.params[id].split, "test");
    assert.equal(p.truth.rho[i], ds.params[id].rho);
    assert.equal(p.truth.l0[i], ds.params[id].l0);
  });
  // Predictions in SI units: l0 within its prior, and already useful on 320 records.
  assert.ok(p.pred.l0.every((v) => v > 0.5 && v < 0.9));
  const m = readMetrics(out);
  assert.equal(m.target, "rhol0");
  assert.equal(m.backend, "wasm");
  assert.ok(m.params.l0.r2! > 0.8, `l0 R^2 ${m.params.l0.r2}`);
  assert.equal(m.params.rho.floorRmse, 0);
  assert.deepEqual(evaluateRun(out), m);

  const man = readRunManifest(out);
  assert.equal(man.backend.name, "wasm");
  assert.equal(man.dataset.hash.length, 64);
  assert.deepEqual(man.dataset.priors.m, [60, 75]);
  assert.deepEqual(man.split, { train: 320, val: 40, test: 40 });
  assert.equal(man.network.parameters, 302 * 50 + 50 + 6 * (50 * 50 + 50) + 50 * 2 + 2);
  assert.ok(man.timings.trainSeconds > 0 && man.timings.samplesPerSecond > 0);
  assert.ok((man.environment as { versions: Record<string, string> }).versions["@tensorflow/tfjs"]);

  // The saved layers model, fed the raw test records, reproduces predictions.csv.
  const { model, preprocessing } = await loadModel(out);
  const raw = new Float32Array(p.id.length * ds.samples * ds.channels);
  p.id.forEach((id, i) => raw.set(ds.X.subarray(id * ds.samples * ds.channels, (id + 1) * ds.samples * ds.channels), i * ds.samples * ds.channels));
  const x = standardizeRecords(raw, ds.manifest.channelNames, preprocessing.standardization);
  const z = (model.predict(tf.tensor2d(x, [p.id.length, x.length / p.id.length])) as tf.Tensor).dataSync();
  const st = preprocessing.standardization;
  p.id.forEach((_, i) => {
    const rho = z[2 * i] * st.targetStd[0] + st.targetMean[0];
    assert.ok(Math.abs(rho - p.pred.rho[i]) < 1e-3, `record ${i}: ${rho} vs ${p.pred.rho[i]}`);
  });
  model.dispose();

  // A finished run is not overwritten by accident.
  await assert.rejects(trainEstimator({ dataset, target: "rhol0", out, training: tiny(), backend: "wasm", quiet: true }), /already holds a finished run.*--force/);
});

test("a resumed run gives the result of the uninterrupted one", async () => {
  const dataset = await tinyDataset();
  const training = tiny({ epochs: 8, checkpointEvery: 3 });
  const base = { dataset, target: "mkl0" as const, training, backend: "wasm" as const, quiet: true };
  const full = path.join(tempDir(), "full");
  await trainEstimator({ ...base, out: full });

  // A crash in epoch 5: the last checkpoint is from epoch 3, so epochs 4 and 5 are done again.
  const crashed = path.join(tempDir(), "crashed");
  await assert.rejects(
    trainEstimator({ ...base, out: crashed, onEpoch: (r) => { if (r.epoch === 5) throw new Error("simulated crash"); } }),
    /simulated crash/,
  );
  assert.ok(fs.existsSync(path.join(crashed, "checkpoint.json")));
  assert.ok(!fs.existsSync(path.join(crashed, "manifest.json")));
  await assert.rejects(trainEstimator({ ...base, out: crashed }), /interrupted run.*--resume/);
  await assert.rejects(trainEstimator({ ...base, out: crashed, resume: true, training: { ...training, learningRate: 2e-3 } }), /other settings.*learningRate/);
  const r = await trainEstimator({ ...base, out: crashed, resume: true });
  assert.equal(r.resumed, true);

  // An interrupt (signal) during epoch 3: it ends with a checkpoint at 3 and exit code 130, then is resumed.
  const stopped = path.join(tempDir(), "stopped");
  const ctl = new AbortController();
  await assert.rejects(
    trainEstimator({ ...base, out: stopped, signal: ctl.signal, onEpoch: (row) => { if (row.epoch === 3) ctl.abort(); } }),
    (e: unknown) => e instanceof GaitidError && e.exitCode === 130 && /interrupted after epoch 3.*--resume/.test(e.message),
  );
  await trainEstimator({ ...base, out: stopped, resume: true });

  const strip = (dir: string): string[] => readHistory(dir).map((h) => `${h.epoch},${h.trainLoss},${h.valLoss}`);
  for (const dir of [crashed, stopped]) {
    assert.deepEqual(strip(dir), strip(full));
    assert.equal(fs.readFileSync(path.join(dir, "predictions.csv"), "utf8"), fs.readFileSync(path.join(full, "predictions.csv"), "utf8"));
    assert.ok(fs.readFileSync(path.join(dir, "model", "weights.bin")).equals(fs.readFileSync(path.join(full, "model", "weights.bin"))));
    assert.deepEqual(readMetrics(dir), readMetrics(full));
  }
  // Resuming a finished run returns it as it is.
  const again = await trainEstimator({ ...base, out: full, resume: true });
  assert.equal(again.epochsRun, 8);
});

test("input noise is reproducible by its seed, independent of the subset, at the asked level", async () => {
  const dataset = await tinyDataset();
  const prep = (noise: number, noiseSeed: number, subset?: number) => prepareData(loadDataset(dataset), "rhol0", { noise, noiseSeed, subset });
  const raw = (d: ReturnType<typeof prep>): Float64Array => {
    const st = d.standardization, F = d.featureCount;
    return Float64Array.from(d.features, (v, i) => v * st.featureStd[i % F] + st.featureMean[i % F]);
  };
  const clean = prep(0, 0), a = prep(0.05, 7), b = prep(0.05, 7), c = prep(0.05, 8);
  assert.deepEqual(a.features, b.features);
  assert.notDeepEqual(a.features, c.features);
  // The noise added to channel y has standard deviation 0.05 of y's training-set standard deviation.
  const ra = raw(a), rc = raw(clean);
  let s2 = 0, n = 0;
  for (let i = 1; i < ra.length; i += 2) {
    s2 += (ra[i] - rc[i]) ** 2;
    n++;
  }
  const sd = Math.sqrt(s2 / n), want = 0.05 * clean.standardization.channelStd[1];
  assert.ok(Math.abs(sd / want - 1) < 0.02, `noise sd ${sd}, want ${want}`);
  // With a subset the training statistics (and so the noise amplitude) change, but each record's draws do not.
  const sub = prep(0.05, 7, 100), rs = raw(sub);
  const subClean = raw(prep(0, 0, 100));
  const rec = a.split.test[0], F = a.featureCount;
  const noiseFull = Array.from({ length: F }, (_, f) => ra[rec * F + f] - rc[rec * F + f]);
  const noiseSub = Array.from({ length: F }, (_, f) => rs[rec * F + f] - subClean[rec * F + f]);
  const scale = (d: ReturnType<typeof prep>, f: number): number => d.standardization.channelStd[f % 2];
  noiseSub.forEach((v, f) => assert.ok(Math.abs(v / scale(sub, f) - noiseFull[f] / scale(a, f)) < 1e-3, `feature ${f}`));
  assert.notEqual(scale(sub, 1), scale(a, 1));
  assert.equal(sub.split.train.length, 100);
});

test("datasets that do not fit are refused with a clear message", async () => {
  const dataset = await tinyDataset();
  const out = path.join(tempDir(), "refused");
  const run = (ds: string, extra = {}) => trainEstimator({ dataset: ds, target: "rhol0", out, training: tiny({ epochs: 1 }), backend: "cpu", quiet: true, ...extra });
  await assert.rejects(run(dataset, { channels: "xy+grf" }), (e: unknown) => e instanceof GaitidError && /holds channels "xy".*fx, fy.*--channels xy\+grf/.test(e.message));
  await assert.rejects(run(dataset, { subset: 10_000 }), /subset must be an integer from 1 to 320/);
  await assert.rejects(run(path.join(dataset, "nope")), /no dataset at/);

  const noVal = copyDataset(dataset);
  const csv = path.join(noVal, "params.csv");
  fs.writeFileSync(csv, fs.readFileSync(csv, "utf8").replace(/,val,/g, ",train,"));
  await assert.rejects(run(noVal), (e: unknown) => e instanceof GaitidError && /params\.csv/.test(e.message)); // damaged: the dataset's checks refuse it

  const truncated = copyDataset(dataset);
  const npy = path.join(truncated, "X.npy");
  fs.truncateSync(npy, fs.statSync(npy).size - 1000);
  await assert.rejects(run(truncated), (e: unknown) => e instanceof GaitidError && /X\.npy/.test(e.message));

  const nan = copyDataset(dataset);
  const buf = fs.readFileSync(path.join(nan, "X.npy"));
  buf.writeFloatLE(Number.NaN, buf.length - 4 * 7);
  fs.writeFileSync(path.join(nan, "X.npy"), buf);
  await assert.rejects(run(nan), (e: unknown) => e instanceof GaitidError && /X\.npy/.test(e.message));
  assert.ok(!fs.existsSync(path.join(out, "manifest.json")));
});
