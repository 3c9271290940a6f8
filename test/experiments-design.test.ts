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
  assert.equal(manifest.config.redrawSubject, true);
  assert.equal(r.design.redrawSubject, true);
  assert.match(manifest.gaitCondition?.redraw ?? "", /together with the subject/);
  const [E1, E2] = r.design.energyJoules;
  assert.deepEqual([E1, E2], [420, 500]);
  const params = readDatasetParams(path.join(root, "data", "tiny-joules"));
  for (const p of params) {
    // Every record's specific energy is E/m with E in the range ...
    assert.ok(p.e * p.m >= E1 - 1e-9 && p.e * p.m <= E2 + 1e-9, `record ${p.id}: E = ${p.e * p.m} J`);
    // ... and, since only e near g l0 walks, every accepted subject has m g l0 near E: the selection by m l0.
    const eps = p.e / (G * p.l0);
    assert.ok(eps > 0.94 && eps < 1.07, `record ${p.id}: e / (g l0) = ${eps}`);
    assert.ok(p.m * G * p.l0 < E2 / 0.94 && p.m * G * p.l0 > E1 / 1.07, `record ${p.id}: m g l0 = ${p.m * G * p.l0} J`);
  }
  // The priors allow m l0 from 36 to 60 kg m; the selected subjects span a narrower band.
  const ml0 = params.map((p) => p.m * p.l0);
  assert.ok(Math.min(...ml0) > 39 && Math.max(...ml0) < 55, `m l0 in [${Math.min(...ml0)}, ${Math.max(...ml0)}]`);
  const f = r.design.floors;
  assert.equal(f.records, 6);
  for (const v of [f.perUnitMass.rmse, f.design.rmse, f.regressionPerUnitMass.rmse, r.trials[0].params.m.rmse]) assert.ok(Number.isFinite(v) && v > 0);
  assert.deepEqual(f.design.conditioning, ["rho", "l0", "e"]);
});
