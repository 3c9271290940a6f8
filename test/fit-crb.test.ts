// The Cramér-Rao bound (lib/src/fit/fisher.ts) against the spread of maximum-likelihood fits over
// many noise draws on one short record: the empirical variances of rho and l0 agree with the bound
// within 20 % (with 400 draws a variance is known to about 7 %). And the covariance from the
// Jacobian's SVD: exact on a linear model, infinite along a direction the data do not see.
import { before, after, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { preset } from "../lib/src/config";
import { readDatasetManifest, readDatasetParams } from "../lib/src/dataset/format";
import { generateDataset } from "../lib/src/dataset/generate";
import { covarianceOf, datasetChannelScales, fitRecord, noisyObservation, parameterNames, priorsOf, residualJacobian, standardErrors, truthOf } from "../lib/src/fit";
import { recordFromParams } from "../lib/src/identifiability/records";
import { WalkerSimulator } from "../lib/src/walker/simulate";

let dir = "";
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "gaitid-fit-crb-"));
  await generateDataset({ ...preset("tiny").dataset, records: 6, duration: 2 }, path.join(dir, "ds"), { workers: 0, quiet: true });
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test("the bound of rho and l0 equals the variance of the maximum-likelihood fits over 400 noise draws within 20 %", () => {
  const ds = path.join(dir, "ds");
  const manifest = readDatasetManifest(ds);
  const params = readDatasetParams(ds);
  const priors = priorsOf(manifest.config as never);
  const scales = datasetChannelScales(ds, manifest, params, 2);
  const sim = new WalkerSimulator();
  const rec = recordFromParams(params[0], manifest.duration, manifest.dt);
  const truth = truthOf(rec);
  const sigma = [2e-4, 2e-4]; // m: small enough for the linear regime the bound speaks about
  const obs0 = noisyObservation(sim, rec, "xy", sigma, scales, 0);
  const { J } = residualJacobian(sim, obs0, "rhol0", truth);
  const se = standardErrors(covarianceOf(J, parameterNames("rhol0", "xy")), truth);
  const draws = 400;
  const rho: number[] = [], l0: number[] = [];
  for (let s = 1; s <= draws; s++) {
    const obs = noisyObservation(sim, rec, "xy", sigma, scales, s);
    const fit = fitRecord(sim, obs, { priors, startPoints: [truth], windows: [] });
    rho.push(fit.estimate.rho);
    l0.push(fit.estimate.l0);
  }
  const variance = (v: number[], mean: number): number => v.reduce((a, x) => a + (x - mean) ** 2, 0) / v.length;
  const vr = variance(rho, truth.rho), vl = variance(l0, truth.l0);
  const rr = vr / se.rho ** 2, rl = vl / se.l0 ** 2;
  console.log(`empirical / Cramér-Rao variance over ${draws} draws: rho ${rr.toFixed(3)}, l0 ${rl.toFixed(3)}`);
  assert.ok(Math.abs(rr - 1) < 0.2, `rho: ${vr} vs bound ${se.rho ** 2}`);
  assert.ok(Math.abs(rl - 1) < 0.2, `l0: ${vl} vs bound ${se.l0 ** 2}`);
});

test("covariance from the SVD: (J^T J)^-1 of a linear model, Infinity along an unseen direction", () => {
  const x = Float64Array.from({ length: 20 }, (_, i) => i / 4);
  const J = [Float64Array.from(x, () => 1), Float64Array.from(x, (v) => v)];
  const c = covarianceOf(J, ["a", "b"]);
  // (J^T J)^-1 for a straight line: n = 20, sum x, sum x^2.
  const n = 20, sx = x.reduce((a, v) => a + v, 0), sxx = x.reduce((a, v) => a + v * v, 0), det = n * sxx - sx * sx;
  assert.ok(Math.abs(c.matrix[0][0] / (sxx / det) - 1) < 1e-10 && Math.abs(c.matrix[1][1] / (n / det) - 1) < 1e-10 && Math.abs(c.matrix[0][1] / (-sx / det) - 1) < 1e-10);
  const blind = covarianceOf([Float64Array.from(x, () => 1), Float64Array.from(x, () => 1), Float64Array.from(x, (v) => v)], ["m", "k", "b"]);
  assert.equal(blind.nullDirections, 1);
  assert.equal(blind.matrix[0][0], Infinity);
  assert.equal(blind.matrix[1][1], Infinity);
  assert.ok(Number.isFinite(blind.matrix[2][2]), "a parameter off the null direction keeps its variance");
});
