/** The noise experiment on the tiny preset writes the Cramér-Rao comparison beside the network's errors. */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { readExperimentResults, runExperiment, type NoiseResults } from "../lib/src/experiments";

test("noise experiment (tiny): CRB and maximum-likelihood columns finite and positive at every noisy level, for the same records as the network", async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "gaitid-crb-"));
  const o = await runExperiment("noise", {
    preset: "tiny",
    root,
    epochs: 2,
    silent: true,
    quiet: true,
    workers: 0,
    settings: { noise: { levels: [0, 0.05], targets: ["rhol0"], crbRecords: 4 } },
  });
  const r = readExperimentResults<NoiseResults>(o.dir)!;
  assert.ok(r.crb, "results.json holds the comparison");
  assert.equal(r.crb.variant, "rhol0");
  assert.equal(r.crb.ids.length + r.crb.failures.length, 4);
  const noisy = r.crb.rows.find((row) => row.noise === 0.05)!;
  for (const q of ["rho", "l0"] as const) {
    for (const v of [noisy.rootMeanCrb[q], noisy.mlRmse[q], noisy.network[q], noisy.efficiency[q]!]) assert.ok(Number.isFinite(v) && v > 0, `${q}: ${v}`);
    // The network's RMSE on the compared records equals the one recomputed from its predictions.
    assert.equal(noisy.efficiency[q], noisy.rootMeanCrb[q] ** 2 / noisy.network[q] ** 2);
  }
  const clean = r.crb.rows.find((row) => row.noise === 0)!;
  assert.equal(clean.rootMeanCrb.rho, 0);
  assert.equal(clean.efficiency.rho, 0);
  assert.ok(JSON.parse(fs.readFileSync(path.join(o.dir, "manifest.json"), "utf8")).timings.crbSeconds > 0);
});
