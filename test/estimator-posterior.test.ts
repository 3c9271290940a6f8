// The posterior variant: the exact posterior of m given rho against Monte Carlo, the special
// functions against closed forms and tables, SBC and coverage on cases with a known answer (ties
// included), the mProbit coordinates, the mixture's distances to the exact posterior and its means
// against its own draws, the learning-rate schedule and the design in the checkpoint fingerprint,
// the mixture loss, and a tiny-preset run that writes every file and lowers its validation
// negative log-likelihood.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { preset } from "../lib/src/config";
import { selectBackend } from "../lib/src/estimator/backend";
import { describeMismatch, fingerprintOf } from "../lib/src/estimator/checkpoint";
import { evaluateRun } from "../lib/src/estimator/evaluate";
import { PAPER_PRIORS } from "../lib/src/estimator/floor";
import { cdfDistances, coverage, rankOf, sbc } from "../lib/src/estimator/posterior/calibration";
import { massPosterior } from "../lib/src/estimator/posterior/exact";
import { massBounds, massFromProbit, massProbit } from "../lib/src/estimator/posterior/coords";
import { COMPONENTS, DIMS, gaussHermite, MDN_OUTPUTS, mdnLoss, mdnMeanLoss, mixtureMeans, type Mixture } from "../lib/src/estimator/posterior/mdn";
import { POSTERIOR_DESIGN } from "../lib/src/estimator/posterior/design";
import { posteriorLearningRate, reducesRate } from "../lib/src/estimator/posterior/schedule";
import { readRecalibration } from "../lib/src/estimator/posterior/recalibration";
import { massDistances, sampleMixture } from "../lib/src/estimator/posterior/score";
import { chiSquarePValue, erfc, logGamma, normalCdf, normalQuantile } from "../lib/src/estimator/posterior/stats";
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
  for (let k = 0; k < COMPONENTS; k++) {
    mix.mean[k * DIMS] = Math.log(130);
    mix.mean[k * DIMS + 2] = massProbit(median, 130, PAPER_PRIORS);
  }
  let w1 = 0;
  const n = 100_000, h = (exact.b - exact.a) / n;
  for (let i = 0; i < n; i++) {
    const m = exact.a + (i + 0.5) * h;
    w1 += Math.abs(m - median) * exact.pdf(m) * h;
  }
  const d = massDistances(mix, exact, PAPER_PRIORS);
  assert.ok(Math.abs(d.ks - 0.5) < 2e-3, `KS ${d.ks}`);
  assert.ok(Math.abs(d.w1 - w1) < 1e-3, `W1 ${d.w1} vs ${w1}`);
  // At the upper edge b (the farthest a draw can be): W1 is b less the mean, KS 1 (to within the grid).
  for (let k = 0; k < COMPONENTS; k++) mix.mean[k * DIMS + 2] = 9;
  const far = massDistances(mix, exact, PAPER_PRIORS);
  const mean = (2 / 3) * (exact.b ** 3 - exact.a ** 3) / (exact.b ** 2 - exact.a ** 2);
  // (The jump of a point mass costs W1 up to half a grid step, (b - a) / 1000 / 2.)
  assert.ok(Math.abs(far.ks - 1) < 3e-3 && Math.abs(far.w1 - (exact.b - mean)) < (exact.b - exact.a) / 2000 + 1e-4, `KS ${far.ks} W1 ${far.w1} vs ${exact.b - mean}`);
});

test("mProbit coordinates: m and k of every draw lie within the priors, the map inverts, and the exact posterior is N(0, 1) in them", () => {
  const P = PAPER_PRIORS;
  for (const rho of [100, 106.7, 120, 133.33, 150, 166.6, 180]) {
    const [a, b] = massBounds(rho, P);
    assert.ok(a >= 60 && b <= 75 && b >= a, `rho ${rho}: [${a}, ${b}]`);
    for (const z of [-40, -5, 0, 3, 40]) {
      const m = massFromProbit(z, rho, P);
      assert.ok(m >= a && m <= b);
      const r = Math.min(10000 / 60, Math.max(8000 / 75, rho));
      assert.ok(r * m >= 8000 - 1e-9 && r * m <= 10000 + 1e-9, `k ${r * m}`);
    }
  }
  for (const [m, rho] of [[61, 140], [70, 130], [74.9, 110]]) assert.ok(Math.abs(massFromProbit(massProbit(m, rho, P), rho, P) - m) < 1e-6);
  // The median of p(m | rho) is mProbit 0, its quartiles +-0.6745.
  const exact = massPosterior(130, P);
  for (const [u, z] of [[0.5, 0], [0.25, -0.6744897502], [0.975, 1.9599639845]]) assert.ok(Math.abs(massProbit(exact.quantile(u), 130, P) - z) < 1e-7, `u ${u}`);
  // Exact draws in mProbit: not rejected as N(0, 1) by KS at the 1 % level.
  const r = new Rng(21, 1), N = 20_000;
  const z = Array.from({ length: N }, () => massProbit(exact.sample(r), 130, P)).sort((x, y) => x - y);
  let ks = 0;
  z.forEach((v, i) => (ks = Math.max(ks, Math.abs(normalCdf(v) - i / N), Math.abs(normalCdf(v) - (i + 1) / N))));
  assert.ok(ks < 1.63 / Math.sqrt(N), `KS ${ks}`);
  // The quantile function inverts the CDF to its accuracy, also in the tails.
  for (const p of [1e-10, 1e-4, 0.02, 0.3, 0.5, 0.9, 0.999]) assert.ok(Math.abs(normalCdf(normalQuantile(p)) / p - 1) < 1e-6, `p ${p}`);
});

test("Gauss-Hermite quadrature: moments and E cos Z of a standard normal", () => {
  const { x, w } = gaussHermite(9);
  const E = (f: (z: number) => number) => x.reduce((s, z, i) => s + w[i] * f(z), 0);
  assert.ok(Math.abs(E(() => 1) - 1) < 1e-13 && Math.abs(E((z) => z)) < 1e-13);
  assert.ok(Math.abs(E((z) => z * z) - 1) < 1e-12 && Math.abs(E((z) => z ** 4) - 3) < 1e-11 && Math.abs(E((z) => z ** 16) - 2027025) < 1e-3);
  assert.ok(Math.abs(E(Math.cos) - Math.exp(-0.5)) < 1e-7);
});

test("the marginal of m by quadrature over rho, and the posterior means, agree with draws of the mixture", () => {
  // Two components; rho spread 2 % so that the edges a(rho), b(rho) move by about 1 kg.
  const mix: Mixture = { weights: new Float64Array(COMPONENTS), mean: new Float64Array(COMPONENTS * DIMS), sd: new Float64Array(COMPONENTS * DIMS).fill(1) };
  mix.weights[0] = 0.7;
  mix.weights[1] = 0.3;
  mix.mean.set([Math.log(140), 0.7, 0.4, Math.log(142), 0.71, -1]);
  mix.sd.set([0.02, 0.002, 1.5, 0.01, 0.003, 0.8]);
  const exact = massPosterior(140, PAPER_PRIORS);
  const d = massDistances(mix, exact, PAPER_PRIORS);
  const N = 200_000, draws = sampleMixture(mix, N, new Rng(8, 1), PAPER_PRIORS);
  const m = Array.from(draws.m).sort((x, y) => x - y);
  let ks = 0, w1 = 0;
  for (let i = 0; i < N; i++) ks = Math.max(ks, Math.abs(exact.cdf(m[i]) - i / N), Math.abs(exact.cdf(m[i]) - (i + 1) / N));
  // W1 of the draws: integral of |F_N - G| from the sorted draws (G's steps are fine enough at 1e-3 kg).
  const lo = Math.min(m[0], exact.a), hi = Math.max(m[N - 1], exact.b), h = 1e-3;
  for (let x = lo, i = 0; x < hi; x += h) {
    while (i < N && m[i] <= x) i++;
    w1 += Math.abs(i / N - exact.cdf(x)) * h;
  }
  assert.ok(Math.abs(d.ks - ks) < 0.006, `KS quadrature ${d.ks} vs draws ${ks}`);
  assert.ok(Math.abs(d.w1 - w1) < 0.01, `W1 quadrature ${d.w1} vs draws ${w1}`);
  const means = mixtureMeans(mix, PAPER_PRIORS);
  const avg = (a: Float64Array) => a.reduce((x, y) => x + y, 0) / a.length;
  for (const q of ["m", "k", "l0", "rho"] as const) {
    const mc = avg(draws[q]), se = Math.sqrt(draws[q].reduce((x, y) => x + (y - mc) ** 2, 0) / N / N);
    assert.ok(Math.abs(means[q] - mc) < 4 * se, `${q}: ${means[q]} vs ${mc} +- ${se}`);
  }
});

test("SBC ranks with ties: a posterior with an atom has uniform ranks only when ties are broken at random", () => {
  const L = 99, N = 2000, r = new Rng(9, 1);
  const random: number[] = [], half: number[] = [];
  for (let i = 0; i < N; i++) {
    // Prior and posterior (no data) half an atom at 0, half N(0, 1): the truth is the atom half the time.
    const draw = () => (r.next() < 0.5 ? 0 : r.normal());
    const theta = draw();
    const draws = Float64Array.from({ length: L }, draw);
    random.push(rankOf(theta, draws, r));
    half.push(rankOf(theta, draws));
  }
  assert.ok(sbc(random, L).pValue > 0.01, `random ties: p ${sbc(random, L).pValue}`);
  assert.ok(sbc(half, L).pValue < 1e-6, `ties counted half: p ${sbc(half, L).pValue}`);
  assert.equal(rankOf(1, [0, 1, 1, 2]), 2); // one below, two ties counted half
  assert.equal(rankOf(1, [0, 2, 3]), 1);
});

test("the posterior's learning rate: halved after 4 epochs without a new best, down to 1/64, from the history alone", () => {
  assert.equal(posteriorLearningRate(1e-3, []), 1e-3);
  assert.equal(posteriorLearningRate(1e-3, [3, 2, 1, 0]), 1e-3);
  assert.equal(posteriorLearningRate(1e-3, [3, 2, 2.5, 2.1, 2.2]), 1e-3);
  assert.equal(posteriorLearningRate(1e-3, [3, 2, 2.5, 2.1, 2.2, 2.3]), 5e-4);
  // A new best resets the count; eight more without one halve twice more.
  assert.equal(posteriorLearningRate(1e-3, [3, 2, 2.5, 2.1, 2.2, 2.3, 1, ...Array(8).fill(5)]), 1.25e-4);
  assert.equal(posteriorLearningRate(1e-3, [0, ...Array(100).fill(1)]), 1e-3 / 64);
  // A reduction (after which training goes on from the best weights) happens in the epoch that completes the wait, and not at the floor.
  const losses = [3, 2, 2.5, 2.1, 2.2, 2.3, 1, ...Array(8).fill(5)];
  assert.deepEqual(losses.map((_, e) => reducesRate(losses.slice(0, e + 1))).flatMap((x, e) => (x ? [e + 1] : [])), [6, 11, 15]);
  assert.equal(reducesRate([]), false);
  assert.equal(reducesRate([0, ...Array(400).fill(1)]), false);
});

test("the posterior's design is in its checkpoint fingerprint: a checkpoint of the density over m (before mProbit and the schedule) is not resumed", () => {
  const training = preset("tiny").training;
  const base = { target: "posterior" as const, training, datasetHash: "h", channels: "xy" as const, backend: "wasm", components: COMPONENTS };
  const before = fingerprintOf(base), now = fingerprintOf({ ...base, posterior: POSTERIOR_DESIGN });
  assert.match(describeMismatch(before, now), /posterior: checkpoint none, now \{"coordinates":\["logRho","l0","mProbit"\],"learningRate":\{"kind":"plateau"/);
  assert.equal(describeMismatch(now, fingerprintOf({ ...base, posterior: structuredClone(POSTERIOR_DESIGN) })), "");
  // The point-estimate variants' fingerprints do not change.
  assert.deepEqual(Object.keys(fingerprintOf({ ...base, target: "mkl0", posterior: POSTERIOR_DESIGN })).sort(), ["backend", "channels", "datasetHash", "subset", "target", "training"]);
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
  for (const f of ["model/model.json", "model/weights.bin", "model/preprocessing.json", "history.csv", "predictions.csv", "posterior.csv", "recalibration.json", "metrics.json", "manifest.json"]) assert.ok(fs.existsSync(path.join(out, f)), f);
  const h = readHistory(out);
  assert.ok(s.bestValLoss < h[0].valLoss - 0.5, `validation NLL ${h[0].valLoss} -> ${s.bestValLoss}`);
  const run = readRun(out, "posterior");
  assert.deepEqual(run.predictions.params, ["m", "k", "l0", "rho"]);
  assert.equal(run.posterior!.mixtures.length, 40);
  assert.deepEqual(run.manifest.posterior, {
    components: COMPONENTS,
    coordinates: ["logRho", "l0", "mProbit"],
    learningRate: { kind: "plateau", factor: 0.5, patience: 4, minFraction: 1 / 64, restoreBest: true },
    recalibration: { method: "kuleshov2018-kernel-probit", coordinates: ["logRho", "l0"], fittedOn: "validation" },
  });
  // The recalibration was fitted on the 40 validation records (not the 40 test records) and is read back; its maps are monotone.
  const rec = readRecalibration(out);
  assert.equal(run.manifest.split.val, 40);
  for (const c of ["logRho", "l0"] as const) {
    assert.equal(rec.maps[c].records, run.manifest.split.val);
    assert.ok(rec.maps[c].x.every((v, i, a) => i === 0 || (v > a[i - 1] && rec.maps[c].y[i] > rec.maps[c].y[i - 1])));
  }
  // Every draw of m and k lies within the priors, so does every posterior mean.
  for (const q of ["m", "k"] as const) {
    const [lo, hi] = q === "m" ? PAPER_PRIORS.m : PAPER_PRIORS.k;
    for (const v of run.predictions.pred[q]) assert.ok(v >= lo && v <= hi, `${q} ${v}`);
  }
  const p = run.metrics.posterior!;
  assert.equal(p.samples, 999);
  for (const q of ["m", "k", "l0", "rho"] as const) {
    assert.equal(p.sbc[q].histogram.reduce((a, b) => a + b, 0), 40);
    assert.ok(p.coverage[q].c50 <= p.coverage[q].c90);
  }
  assert.ok(p.m.ks > 0 && p.m.ks < 1 && p.m.w1 > 0);
  // The recalibrated scores: the same records and draws per record, other ranks for l0 and rho.
  const pr = run.metrics.posteriorRecalibrated!;
  assert.equal(pr.samples, 999);
  for (const q of ["m", "k", "l0", "rho"] as const) assert.equal(pr.sbc[q].histogram.reduce((a, b) => a + b, 0), 40);
  assert.notDeepEqual(pr.sbc.l0.histogram, p.sbc.l0.histogram);
  // The posterior mean of m cannot beat the floor by much on 40 records; l0 is learned.
  assert.ok(run.metrics.params.l0.r2! > 0.5, `l0 R^2 ${run.metrics.params.l0.r2}`);
  assert.ok(run.metrics.params.m.floorRmse > 0);
  // gaitid evaluate recomputes the same scores from the files.
  assert.deepEqual(evaluateRun(out), run.metrics);
});

test("a resumed posterior run repeats the uninterrupted one, its learning rate lowered on plateaus before and after the checkpoint", async () => {
  const dataset = await tinyDataset();
  // A high rate, so that the validation NLL stalls within a few epochs.
  const training = { ...preset("tiny").training, epochs: 18, checkpointEvery: 7, learningRate: 1e-2 };
  const base = { dataset, target: "posterior" as const, training, backend: "wasm" as const, quiet: true };
  const full = path.join(tempDir(), "full");
  await trainEstimator({ ...base, out: full });
  const losses = readHistory(full).map((h) => h.valLoss);
  // The schedule acted before the checkpoint at 14: epoch 15, the first resumed, runs at a lower rate (a resume that
  // restarted at the preset's rate would differ from here on).
  const rates = losses.map((_, e) => posteriorLearningRate(training.learningRate, losses.slice(0, e)));
  assert.ok(rates[14] < training.learningRate, `rates ${rates.join(", ")}`);
  const crashed = path.join(tempDir(), "crashed");
  await assert.rejects(trainEstimator({ ...base, out: crashed, onEpoch: (r) => { if (r.epoch === 16) throw new Error("simulated crash"); } }), /simulated crash/);
  await trainEstimator({ ...base, out: crashed, resume: true });
  const strip = (dir: string): string[] => readHistory(dir).map((h) => `${h.epoch},${h.trainLoss},${h.valLoss}`);
  assert.deepEqual(strip(crashed), strip(full));
  assert.equal(fs.readFileSync(path.join(crashed, "posterior.csv"), "utf8"), fs.readFileSync(path.join(full, "posterior.csv"), "utf8"));
});
