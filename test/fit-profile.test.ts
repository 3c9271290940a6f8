// Profile likelihoods (lib/src/fit/profile.ts) on a tiny record: from (x, y) the profile of m is
// flat across its prior range (structurally non-identifiable) while rho and l0 have closed
// intervals; with the ground reaction force m is identifiable too; the verdict rule.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { preset } from "../lib/src/config";
import { readDatasetManifest, readDatasetParams } from "../lib/src/dataset/format";
import { generateDataset } from "../lib/src/dataset/generate";
import { CHI2_95_1DOF, datasetChannelScales, fitRecord, noiseSigma, noisyObservation, priorsOf, profileParameter, profileVerdict, truthOf } from "../lib/src/fit";
import { recordFromParams } from "../lib/src/identifiability/records";
import { WalkerSimulator } from "../lib/src/walker/simulate";

let dir = "";
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "gaitid-fit-profile-"));
  await generateDataset({ ...preset("tiny").dataset, records: 10, duration: 3 }, path.join(dir, "ds"), { workers: 0, quiet: true });
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test("from (x, y) m is flat over its prior range and rho, l0 are closed; with the force m closes too", () => {
  const ds = path.join(dir, "ds");
  const manifest = readDatasetManifest(ds);
  const params = readDatasetParams(ds);
  const priors = priorsOf(manifest.config as never);
  const scales = datasetChannelScales(ds, manifest, params, 3);
  const sim = new WalkerSimulator();
  const rec = recordFromParams(params[0], manifest.duration, manifest.dt);
  const truth = truthOf(rec);
  for (const observe of ["xy", "xy+grf"] as const) {
    const obs = noisyObservation(sim, rec, observe, noiseSigma({ fraction: 0.01 }, scales, observe), scales, 3);
    const fit = fitRecord(sim, obs, { priors, starts: 2 });
    const m = profileParameter(sim, obs, fit, "m", { priors, points: 5 });
    if (observe === "xy") {
      assert.equal(m.verdict, "structurally non-identifiable");
      assert.equal(m.lower, null);
      assert.equal(m.upper, null);
      assert.ok(m.maxDelta < 1e-3, `flat to ${m.maxDelta}`);
      const values = m.points.map((p) => p.value);
      assert.ok(Math.min(...values) <= priors.m[0] && Math.max(...values) >= priors.m[1], `searched [${Math.min(...values)}, ${Math.max(...values)}] kg, beyond the prior ${priors.m}`);
    } else {
      assert.equal(m.verdict, "identifiable");
      assert.ok(m.lower! < truth.m + 0.5 && m.upper! > truth.m - 0.5 && m.upper! - m.lower! < 5, `m interval [${m.lower}, ${m.upper}] kg, truth ${truth.m}`);
    }
    for (const p of ["rho", "l0"] as const) {
      const prof = profileParameter(sim, obs, fit, p, { priors, points: 0 });
      assert.equal(prof.verdict, "identifiable", `${observe} ${p}`);
      // The interval's ends are where delta crosses the threshold: the search points beside them bracket it.
      const inside = prof.points.filter((q) => q.value > prof.lower! && q.value < prof.upper!);
      assert.ok(inside.every((q) => q.delta <= CHI2_95_1DOF + 1e-6), `${p}: inside the interval delta stays below the threshold`);
      assert.ok(prof.points.some((q) => q.value < prof.lower! && q.delta > CHI2_95_1DOF) && prof.points.some((q) => q.value > prof.upper! && q.delta > CHI2_95_1DOF), `${p}: beyond both ends it is above`);
      // A symmetric interval about the estimate of about 1.96 Fisher standard errors on each side.
      const se = fit.standardErrors[p];
      const half = (prof.upper! - prof.lower!) / 2;
      assert.ok(half / (1.96 * se) > 0.8 && half / (1.96 * se) < 1.25, `${observe} ${p}: half-width ${half} vs 1.96 se ${1.96 * se}`);
    }
  }
});

test("the verdict: flat, open on a side, closed", () => {
  assert.equal(profileVerdict(0.01, false, false), "structurally non-identifiable");
  assert.equal(profileVerdict(2, true, false), "practically non-identifiable");
  assert.equal(profileVerdict(10, true, true), "identifiable");
});
