/** The design experiment on the tiny preset: a dataset with the energy drawn in joules, the (m, k, l0) network, and both floors of m. */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { readDatasetManifest, readDatasetParams } from "../lib/src/dataset/format";
import { readExperimentResults, runExperiment, type DesignResults } from "../lib/src/experiments";
import { G } from "../lib/src/walker/physics";

test("design experiment (tiny): writes its results with the network's m and both floors", async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "gaitid-design-"));
  const o = await runExperiment("design", { preset: "tiny", root, epochs: 2, silent: true, quiet: true, workers: 1, settings: { design: { records: 60 } } });
  const r = readExperimentResults<DesignResults>(o.dir)!;
  assert.ok(fs.existsSync(path.join(o.dir, "manifest.json")));
  const manifest = readDatasetManifest(path.join(root, "data", "tiny-joules"));
  assert.equal(manifest.config.design, "joules");
  const [E1, E2] = r.design.energyJoules;
  assert.ok(Math.abs(E1 - 60 * G * 0.6 * 1.01) < 1e-9 && Math.abs(E2 - 75 * G * 0.8 * 1.035) < 1e-9);
  // Every record's specific energy is E/m with E in the range.
  for (const p of readDatasetParams(path.join(root, "data", "tiny-joules"))) assert.ok(p.e * p.m >= E1 - 1e-9 && p.e * p.m <= E2 + 1e-9, `record ${p.id}: E = ${p.e * p.m} J`);
  const f = r.design.floors;
  assert.equal(f.records, 6);
  for (const v of [f.perUnitMass.rmse, f.design.rmse, f.regressionPerUnitMass.rmse, r.trials[0].params.m.rmse]) assert.ok(Number.isFinite(v) && v > 0);
  assert.deepEqual(f.design.conditioning, ["rho", "l0", "e"]);
});
