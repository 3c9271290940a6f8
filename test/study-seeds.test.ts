// The study over several seeds: the first seed's runs keep the study's folders, the others go to
// data/runs/<preset>-<variant>-seed<s>; the results model finds them, computes their spread from
// their metrics and leaves out a folder of other settings; a finished run of other settings is
// replaced only with --force; bad --seeds is refused before any work.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { preset, type StudyConfig } from "../lib/src/config";
import { runFolder, seedRunFolder, studyLayout } from "../lib/src/layout";
import { readRunFiles } from "../lib/src/results/runs";
import { readStudySeeds } from "../lib/src/results/seeds";
import { trainStudySeeds } from "../lib/src/study/seeds";
import { reproduce } from "../lib/src/study/reproduce";
import { tempDir, tinyDataset } from "./helpers/estimator-data";

test("seed run folders: the first seed's is the study's run folder, the others carry their seed", () => {
  assert.equal(seedRunFolder("quick", "mkl0", 1, 1, "r"), runFolder("quick", "mkl0", "r"));
  assert.equal(seedRunFolder("quick", "rhol0", 4, 1, "r"), path.join("r", "data", "runs", "quick-rhol0-seed4"));
});

test("--seeds out of range is refused before any work", async () => {
  const root = tempDir();
  await assert.rejects(reproduce({ preset: "tiny", root, seeds: 0, silent: true }), /--seeds \(training runs per variant\) must be an integer from 1 to 100; got 0/);
  assert.deepEqual(fs.readdirSync(root), []);
});

test("trainStudySeeds trains every seed of both variants; the results model reads their spread", async () => {
  const root = tempDir();
  const config: StudyConfig = { ...preset("tiny"), training: { ...preset("tiny").training, epochs: 2, seed: 3 } };
  const paths = studyLayout("tiny", root);
  fs.mkdirSync(path.dirname(paths.dataset), { recursive: true });
  fs.cpSync(await tinyDataset(), paths.dataset, { recursive: true });
  const r = await trainStudySeeds(config, paths, { count: 3, backend: "wasm", quiet: true, concurrency: 2 });
  assert.deepEqual(r.mkl0.seeds, [3, 4, 5]);
  assert.equal(r.rhol0.runs[0].dir, paths.runs.rhol0);
  assert.equal(r.rhol0.runs[2].dir, path.join(root, "data", "runs", "tiny-rhol0-seed5"));
  const rho = r.rhol0.runs.map((x) => x.metrics.params.rho.r2!);
  assert.equal(new Set(rho).size, 3, "each seed gives another network");

  // A folder named like a seed run but trained with other settings is left out, with the reason.
  const other = path.join(root, "data", "runs", "tiny-rhol0-seed9");
  fs.cpSync(r.rhol0.runs[1].dir, other, { recursive: true });
  const mf = path.join(other, "manifest.json");
  const m = JSON.parse(fs.readFileSync(mf, "utf8"));
  m.training.epochs = 7;
  fs.writeFileSync(mf, JSON.stringify(m));
  const main = { mkl0: readRunFiles(paths.runs.mkl0, "mkl0"), rhol0: readRunFiles(paths.runs.rhol0, "rhol0") };
  const s = readStudySeeds(path.dirname(paths.runs.mkl0), "tiny", main)!;
  assert.deepEqual(s.runs.rhol0.map((x) => x.seed), [3, 4, 5]);
  assert.deepEqual(s.skipped, [{ dir: other, reason: "other training settings" }]);
  const mean = rho.reduce((a, b) => a + b, 0) / 3;
  assert.ok(Math.abs(s.spread.rhol0.rho.r2.mean! - mean) < 1e-12);
  const sd = Math.sqrt(rho.reduce((a, b) => a + (b - mean) ** 2, 0) / 2);
  assert.ok(Math.abs(s.spread.rhol0.rho.r2.sd! - sd) < 1e-12);
  const m1 = s.runs.mkl0.map((x) => x.metrics.params.m.rmse / x.metrics.params.m.floorRmse);
  assert.ok(Math.abs(s.spread.mkl0.m.rmseOverFloor!.mean! - m1.reduce((a, b) => a + b, 0) / 3) < 1e-12);
  // Without seed runs beside them, the study's runs have no spread.
  assert.equal(readStudySeeds(path.join(root, "nothing"), "tiny", main), undefined);

  // A finished seed run of other settings is replaced only with --force.
  const changed: StudyConfig = { ...config, training: { ...config.training, batchSize: 50 } };
  await assert.rejects(trainStudySeeds(changed, paths, { count: 2, backend: "wasm", quiet: true }), /tiny-mkl0-seed4 holds a finished run of another dataset or other settings; pass --force/);
});
