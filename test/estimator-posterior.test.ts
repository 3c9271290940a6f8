// The posterior variant: the exact posterior of m given rho against Monte Carlo, the special
// functions against closed forms and tables, SBC and coverage on cases with a known answer, the
// mixture's distances to the exact posterior, the mixture loss, and a tiny-preset run that writes
// every file and lowers its validation negative log-likelihood.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { preset } from "../lib/src/config";
import { selectBackend } from "../lib/src/estimator/backend";
import { evaluateRun } from "../lib/src/estimator/evaluate";
import { PAPER_PRIORS } from "../lib/src/estimator/floor";
import { cdfDistances, coverage, rankOf, sbc } from "../lib/src/estimator/posterior/calibration";
import { massPosterior } from "../lib/src/estimator/posterior/exact";
import { COMPONENTS, DIMS, MDN_OUTPUTS, mdnLoss, mdnMeanLoss, type Mixture } from "../lib/src/estimator/posterior/mdn";
import { massDistances } from "../lib/src/estimator/posterior/score";
import { chiSquarePValue, erfc, logGamma, normalCdf } from "../lib/src/estimator/posterior/stats";
import { readHistory } from "../lib/src/estimator/run";
import { readRun } from "../lib/src/estimator/run-read";
import { trainEstimator } from "../lib/src/estimator/train";
import { Rng } from "../lib/src/random";
import { tempDir, tinyDataset } from "./helpers/estimator-data";

test("special functions: normal CDF, log Gamma and chi-square p-values against closed forms and tables", () => {
  assert.ok(Math.abs(erfc(0) - 1) < 1e-7);
  assert.ok(Math.abs(normalCdf(1.959963985) - 0.975) < 2e-7);
  assert.ok(Math.abs(normalCdf(-1) - 0.158655254) < 2e-7);
  assert.ok(Math.abs(logGamma(5) - Math.log(24)) < 1e-10);
  assert.ok(Math.abs(logGamma(0.5) - 0.5 * Math.log(Math.PI)) < 1e-10);
  for (const x of [0.1, 1, 4, 20]) assert.ok(Math.abs(chiSquarePValue(x, 2) - Math.exp(-x / 2)) < 1e-12, `2 dof at ${x}`);
  assert.ok(Math.abs(chiSquarePValue(3.841459, 1) - 0.05) < 1e-6);
  assert.ok(Math.abs(chiSquarePValue(36.19087, 19) - 0.01) < 1e-6);
  assert.ok(Math.abs(chiSquarePValue(10.85081, 20) - 0.95) < 1e-6);
});

test("the exact posterior of m given rho: density, CDF and sampler agree with Monte Carlo under the priors", () => {
  const rho0 = 140; // 1/s^2: [a, b] = [max(60, 8000/140), min(75, 10000/140)] = [60, 71.43]
  const exact = massPosterior(rho0, PAPER_PRIORS);
  assert.equal(exact.a, 60);
  assert.ok(Math.abs(exact.b - 10000 / 140) < 1e-12);
  // The density integrates to 1 and is the derivative of the CDF; the quantile inverts the CDF.
  let integral = 0;
  const n = 1000, h = (exact.b - exact.a) / n;
  for (let i = 0; i < n; i++) integral += exact.pdf(exact.a + (i + 0.5) * h) * h;
  assert.ok(Math.abs(integral - 1) < 1e-9);
  for (const u of [0.1, 0.5, 0.9]) assert.ok(Math.abs(exact.cdf(exact.quantile(u)) - u) < 1e-12);
  // Monte Carlo: (m, k) drawn from the priors, kept when rho is within 0.1 % of rho0.
  const r = new Rng(11, 1);
  const kept: number[] = [];
  while (kept.length < 3000) {
    const m = 60 + 15 * r.next(), k = 8000 + 2000 * r.next();
    if (Math.abs(k / m / rho0 - 1) < 1e-3) kept.push(m);
  }
  kept.sort((x, y) => x - y);
  let ks = 0;
  kept.forEach((m, i) => (ks = Math.max(ks, Math.abs(exact.cdf(m) - (i + 1) / kept.length), Math.abs(exact.cdf(m) - i / kept.length))));
  assert.ok(ks < 1.63 / Math.sqrt(kept.length), `KS ${ks}`); // not rejected at the 1 % level
  // The sampler: its draws have the same distribution.
  const s = new Rng(12, 1);
  const draws = Array.from({ length: 3000 }, () => exact.sample(s)).sort((x, y) => x - y);
  let ks2 = 0;
  draws.forEach((m, i) => (ks2 = Math.max(ks2, Math.abs(exact.cdf(m) - (i + 1) / draws.length))));
  assert.ok(ks2 < 1.63 / Math.sqrt(draws.length), `sampler KS ${ks2}`);
  assert.throws(() => massPosterior(200, PAPER_PRIORS), /no mass interval/);
});

test("SBC and coverage: a posterior equal to the prior is calibrated, the right posterior too, a too-narrow one is not", () => {
  const L = 999, N = 2000, r = new Rng(5, 1);
  const prior: number[] = [], right: number[] = [], narrow: number[] = [];
  for (let i = 0; i < N; i++) {
    // theta ~ N(0, 1), x = theta + N(0, 1): the posterior is N(x / 2, 1/2).
    const theta = r.normal(), x = theta + r.normal();
    prior.push(rankOf(theta, Float64Array.from({ length: L }, () => r.normal())));
    right.push(rankOf(theta, Float64Array.from({ length: L }, () => x / 2 + Math.SQRT1_2 * r.normal())));
    narrow.push(rankOf(theta, Float64Array.from({ length: L }, () => x / 2 + 0.3 * Math.SQRT1_2 * r.normal())));
  }
  for (const ranks of [prior, right]) {
    const s = sbc(ranks, L);
    assert.equal(s.histogram.length, 20);
    assert.equal(s.histogram.reduce((a, b) => a + b, 0), N);
    assert.ok(s.pValue > 0.01, `p ${s.pValue}`);
    assert.ok(Math.abs(coverage(ranks, L, 0.5) - 0.5) < 0.03 && Math.abs(coverage(ranks, L, 0.9) - 0.9) < 0.03);
  }
  const s = sbc(narrow, L);
  assert.ok(s.pValue < 1e-6, `p ${s.pValue}`);
  assert.ok(coverage(narrow, L, 0.5) < 0.25 && coverage(narrow, L, 0.9) < 0.6);
  // Distances between CDFs: two unit uniforms 0.2 apart.
  const U = (lo: number) => (x: number) => Math.min(1, Math.max(0, x - lo));
  const d = cdfDistances(U(0), U(0.2), -1, 2, 3000);
  assert.ok(Math.abs(d.ks - 0.2) < 1e-3 && Math.abs(d.w1 - 0.2) < 1e-6);
});

test("distances of a mixture to the exact posterior of m: a point mass at its median has KS 1/2 and W1 = E|m - median|", () => {
  const exact = massPosterior(130, PAPER_PRIORS);
  const median = exact.quantile(0.5);
  const mix: Mixture = { weights: new Float64Array(COMPONENTS), mean: new Float64Array(COMPONENTS * DIMS), sd: new Float64Array(COMPONENTS * DIMS).fill(1e-6) };
  mix.weights[0] = 1;
  for (let k = 0; k < COMPONENTS; k++) mix.mean[k * DIMS + 2] = median;
  let w1 = 0;
  const n = 100_000, h = (exact.b - exact.a) / n;
  for (let i = 0; i < n; i++) {
    const m = exact.a + (i + 0.5) * h;
    w1 += Math.abs(m - median) * exact.pdf(m) * h;
  }
  const d = massDistances(mix, exact);
  assert.ok(Math.abs(d.ks - 0.5) < 2e-3, `KS ${d.ks}`);
  assert.ok(Math.abs(d.w1 - w1) < 1e-3, `W1 ${d.w1} vs ${w1}`);
  // Far away: W1 is the distance of the means, KS 1.
  for (let k = 0; k < COMPONENTS; k++) mix.mean[k * DIMS + 2] = 100;
  const far = massDistances(mix, exact);
  const mean = (2 / 3) * (exact.b ** 3 - exact.a ** 3) / (exact.b ** 2 - exact.a ** 2);
  assert.ok(Math.abs(far.ks - 1) < 1e-9 && Math.abs(far.w1 - (100 - mean)) < 1e-3);
});

test("the mixture loss in TensorFlow.js equals its double-precision evaluation, and the Gaussian case by hand", async () => {
  await selectBackend("cpu");
  const r = new Rng(3, 2), n = 7;
  const out = Float32Array.from({ length: n * MDN_OUTPUTS }, () => r.normal());
  const y = Float32Array.from({ length: n * DIMS }, () => r.normal());
  const tfLoss = mdnLoss(tf.tensor2d(out, [n, MDN_OUTPUTS]), tf.tensor2d(y, [n, DIMS])).dataSync()[0];
  const js = mdnMeanLoss(out, y, Int32Array.from({ length: n }, (_, i) => i));
  assert.ok(Math.abs(tfLoss - js) < 1e-4 * Math.abs(js), `${tfLoss} vs ${js}`);
  // All components N(0, 1): NLL = (3/2) log 2 pi + |y|^2 / 2.
  const zero = new Float32Array(MDN_OUTPUTS);
  const one = Float32Array.from([0.5, -1, 2]);
  assert.ok(Math.abs(mdnMeanLoss(zero, one, Int32Array.from([0])) - (1.5 * Math.log(2 * Math.PI) + 0.5 * (0.25 + 1 + 4))) < 1e-12);
});

test("a posterior run on the tiny preset writes every file, lowers its validation NLL, and scores against the exact posterior", async () => {
  const dataset = await tinyDataset();
  const out = path.join(tempDir(), "posterior");
  const s = await trainEstimator({ dataset, target: "posterior", out, training: { ...preset("tiny").training, epochs: 12 }, backend: "wasm", quiet: true });
  for (const f of ["model/model.json", "model/weights.bin", "model/preprocessing.json", "history.csv", "predictions.csv", "posterior.csv", "metrics.json", "manifest.json"]) assert.ok(fs.existsSync(path.join(out, f)), f);
  const h = readHistory(out);
  assert.ok(s.bestValLoss < h[0].valLoss - 0.5, `validation NLL ${h[0].valLoss} -> ${s.bestValLoss}`);
  const run = readRun(out, "posterior");
  assert.deepEqual(run.predictions.params, ["m", "k", "l0", "rho"]);
  assert.equal(run.posterior!.mixtures.length, 40);
  assert.deepEqual(run.manifest.posterior, { components: COMPONENTS, coordinates: ["logRho", "l0", "m"] });
  const p = run.metrics.posterior!;
  assert.equal(p.samples, 999);
  for (const q of ["m", "k", "l0", "rho"] as const) {
    assert.equal(p.sbc[q].histogram.reduce((a, b) => a + b, 0), 40);
    assert.ok(p.coverage[q].c50 <= p.coverage[q].c90);
  }
  assert.ok(p.m.ks > 0 && p.m.ks < 1 && p.m.w1 > 0);
  // The posterior mean of m cannot beat the floor by much on 40 records; l0 is learned.
  assert.ok(run.metrics.params.l0.r2! > 0.5, `l0 R^2 ${run.metrics.params.l0.r2}`);
  assert.ok(run.metrics.params.m.floorRmse > 0);
  // gaitid evaluate recomputes the same scores from the files.
  assert.deepEqual(evaluateRun(out), run.metrics);
});
