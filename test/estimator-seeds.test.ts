// The spread over seeds: runs that differ only in their seed train concurrently (one process
// each), differ from each other, and each equals a run trained alone with its seed; the spread's
// statistics on a case worked by hand.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { preset } from "../lib/src/config";
import { spreadOf, trainSeeds } from "../lib/src/estimator/seeds";
import { trainEstimator } from "../lib/src/estimator/train";
import { tempDir, tinyDataset } from "./helpers/estimator-data";

test("spread over seeds: mean, sample standard deviation and the smallest meaningful difference", () => {
  const s = spreadOf([1, 2, 3]);
  assert.equal(s.mean, 2);
  assert.equal(s.sd, 1);
  assert.ok(Math.abs(s.minDifference! - 2 * Math.sqrt(2 / 3)) < 1e-15);
  assert.deepEqual(spreadOf([1, null]), { mean: null, sd: null, minDifference: null });
  assert.equal(spreadOf([4]).sd, null);
});

test("trainSeeds: runs that differ in the seed differ, and each is the run of its seed trained alone", async () => {
  const dataset = await tinyDataset();
  const root = tempDir();
  const training = { ...preset("tiny").training, epochs: 2, seed: 5 };
  const base = { dataset, target: "rhol0" as const, training, backend: "wasm" as const, quiet: true };
  const r = await trainSeeds({ base, count: 2, outFor: (s) => path.join(root, `seed-${s}`), concurrency: 2 });
  assert.deepEqual(r.seeds, [5, 6]);
  const w = (dir: string): Buffer => fs.readFileSync(path.join(dir, "model", "weights.bin"));
  assert.ok(!w(r.runs[0].dir).equals(w(r.runs[1].dir)), "different seeds, different networks");
  assert.notEqual(r.runs[0].metrics.params.l0.rmse, r.runs[1].metrics.params.l0.rmse);
  const alone = path.join(root, "alone-6");
  await trainEstimator({ ...base, training: { ...training, seed: 6 }, out: alone });
  assert.ok(w(alone).equals(w(r.runs[1].dir)), "the run of seed 6 is reproducible");
  const l0 = r.runs.map((x) => x.metrics.params.l0.rmse);
  assert.equal(r.spread.l0.rmse.mean, (l0[0] + l0[1]) / 2);
  assert.equal(r.spread.rho.rmseOverFloor, undefined); // rho has no floor
  await assert.rejects(trainSeeds({ base, count: 0, outFor: (s) => path.join(root, `x-${s}`) }), /--seeds must be a whole number from 1 to 100/);
});
