// Fitting the walker to a record (lib/src/fit): a noise-free record's rho and l0 are recovered to
// 1e-6 relative from starts drawn from the priors, and the fitted walk reproduces the record in
// X.npy; the mass only with the force; a walk that falls is a large finite misfit; the channel
// scales are those the noise experiment uses.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { preset } from "../lib/src/config";
import { loadDataset, readDatasetManifest, readDatasetParams } from "../lib/src/dataset/format";
import { generateDataset } from "../lib/src/dataset/generate";
import { prepareData } from "../lib/src/estimator/data";
import { datasetChannelScales, noiseSigma, noisyObservation } from "../lib/src/fit/noise";
import { fitRecord, priorsOf, predict, residuals, FAILED_RESIDUAL, truthOf } from "../lib/src/fit";
import { recordFromParams } from "../lib/src/identifiability/records";
import { WalkerSimulator } from "../lib/src/walker/simulate";

let dir = "";
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "gaitid-fit-record-"));
  const config = { ...preset("tiny").dataset, records: 12, duration: 4 };
  await generateDataset(config, path.join(dir, "ds"), { workers: 0, quiet: true });
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test("a noise-free record: rho and l0 to 1e-6 relative from prior starts, the walk reproduces X.npy; m only with the force", () => {
  const ds = loadDataset(path.join(dir, "ds"));
  const priors = priorsOf(ds.manifest.config as never);
  const scales = datasetChannelScales(ds.dir, ds.manifest, ds.params, 5);
  const sim = new WalkerSimulator();
  const row = ds.params.find((p) => p.split === "test") ?? ds.params[0];
  const rec = recordFromParams(row, ds.manifest.duration, ds.manifest.dt);
  for (const observe of ["xy", "xy+grf"] as const) {
    const obs = noisyObservation(sim, rec, observe, [0, 0, 0, 0].slice(0, observe === "xy" ? 2 : 4), scales, 1);
    const fit = fitRecord(sim, obs, { priors, starts: 3, seed: 4 });
    const truth = truthOf(rec);
    assert.ok(fit.starts.every((s) => s.start.rho !== truth.rho), "no start at the truth");
    assert.ok(Math.abs(fit.estimate.rho / truth.rho - 1) < 1e-6, `${observe}: rho ${fit.estimate.rho} vs ${truth.rho}`);
    assert.ok(Math.abs(fit.estimate.l0 / truth.l0 - 1) < 1e-6, `${observe}: l0 ${fit.estimate.l0} vs ${truth.l0}`);
    if (observe === "xy+grf") assert.ok(Math.abs(fit.estimate.m / truth.m - 1) < 1e-6, `m ${fit.estimate.m} vs ${truth.m}`);
    else assert.equal(fit.standardErrors.m, Infinity, "m is not estimable from x, y");
    // The fitted walk against the record as the generator wrote it (float32, x from the start).
    const S = ds.samples, C = ds.channels;
    const p = predict(sim, fit.estimate, "xy", S, ds.manifest.dt)!;
    let worst = 0;
    for (let i = 0; i < S; i++) {
      worst = Math.max(worst, Math.abs(p.values[i] - (ds.X[(row.id * S + i) * C] - ds.X[row.id * S * C])), Math.abs(p.values[S + i] - ds.X[(row.id * S + i) * C + 1]));
    }
    assert.ok(worst < 2e-6, `${observe}: the fitted walk is ${worst} m from X.npy`);
  }
});

test("a start that falls or is not a VLO state is a large finite misfit, not an error", () => {
  const params = readDatasetParams(path.join(dir, "ds"));
  const m = readDatasetManifest(path.join(dir, "ds"));
  const scales = datasetChannelScales(path.join(dir, "ds"), m, params, 3);
  const sim = new WalkerSimulator();
  const rec = recordFromParams(params[0], m.duration, m.dt);
  const obs = noisyObservation(sim, rec, "xy", noiseSigma({ fraction: 0.01 }, scales, "xy"), scales, 1);
  const bad = residuals(sim, obs, { ...truthOf(rec), y0: rec.l0 * 1.01 });
  assert.equal(bad.failed, true);
  assert.ok(bad.r.every((v) => v === FAILED_RESIDUAL), "every sample missing");
  const falls = residuals(sim, obs, { ...truthOf(rec), vx0: 0.05 });
  assert.equal(falls.failed, true);
  assert.ok(falls.r.every(Number.isFinite) && falls.r.some((v) => v === FAILED_RESIDUAL) && falls.r.some((v) => v !== FAILED_RESIDUAL), "walked a while, then the missing samples");
  assert.ok(!residuals(sim, obs, truthOf(rec)).failed);
});

test("the channel scales are the noise experiment's (prepareData's training-set standard deviations)", () => {
  const ds = loadDataset(path.join(dir, "ds"));
  const scales = datasetChannelScales(ds.dir, ds.manifest, ds.params, 3);
  const prepared = prepareData(loadDataset(path.join(dir, "ds")), "rhol0", { noise: 0.01 });
  assert.ok(Math.abs(scales.x / prepared.standardization.channelStd[0] - 1) < 1e-12, `x ${scales.x} vs ${prepared.standardization.channelStd[0]}`);
  assert.ok(Math.abs(scales.y / prepared.standardization.channelStd[1] - 1) < 1e-12, `y ${scales.y} vs ${prepared.standardization.channelStd[1]}`);
  assert.ok(scales.fy > 50 && scales.fy < 2000, `fy scale ${scales.fy} N`);
});
