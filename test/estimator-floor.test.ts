// The identifiability floor (E[m | rho], E[k | rho] under uniform priors) and the scores:
// a case worked by hand, a Monte Carlo estimate, and the expected floor of the paper's priors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { bayesFloor, expectedFloor, massInterval, PAPER_PRIORS, posteriorMean, posteriorMoments } from "../lib/src/estimator/floor";
import { evaluatePredictions } from "../lib/src/estimator/evaluate";
import { scores } from "../lib/src/estimator/metrics";
import { Rng } from "../lib/src/random";
import { GaitidError } from "../lib/src/errors";

test("posterior mean by hand: m, k ~ U[1, 2], rho = 1 gives density 2m/3 on [1, 2], E[m] = 14/9", () => {
  const priors = { m: [1, 2], k: [1, 2] } as const;
  // p(m | rho = 1) ∝ m on [max(1, 1/1), min(2, 2/1)] = [1, 2]; normaliser ∫ m dm = 3/2.
  // E[m] = ∫ m^2 dm / (3/2) = (7/3) / (3/2) = 14/9; E[m^2] = (15/4) / (3/2) = 5/2.
  const p = posteriorMoments(1, priors);
  assert.ok(Math.abs(p.m - 14 / 9) < 1e-14);
  assert.ok(Math.abs(p.k - 14 / 9) < 1e-14);
  assert.ok(Math.abs(p.varM - (5 / 2 - (14 / 9) ** 2)) < 1e-14);
  // rho = 1.5: interval [max(1, 1/1.5), min(2, 2/1.5)] = [1, 4/3]; E[m] = (2/3)(1 + 4/3 + 16/9)/(7/3) = 74/63.
  assert.deepEqual(massInterval(1.5, priors), [1, 4 / 3]);
  const q = posteriorMean(1.5, priors);
  assert.ok(Math.abs(q.m - 74 / 63) < 1e-14, `${q.m}`);
  assert.ok(Math.abs(q.k - 1.5 * (74 / 63)) < 1e-14);
  // At the edge of the allowed range (rho = k2/m1 = 2) the posterior is the point m = 1.
  assert.ok(Math.abs(posteriorMean(2, priors).m - 1) < 1e-12);
});

test("posterior mean agrees with a Monte Carlo estimate under the paper's priors", () => {
  const r = new Rng(12345, 9);
  const [m1, m2] = PAPER_PRIORS.m, [k1, k2] = PAPER_PRIORS.k;
  const bins = [110, 125, 133.3, 145, 160];
  const halfWidth = 0.4; // 1/s^2
  const sums = bins.map(() => ({ n: 0, m: 0, k: 0 }));
  for (let i = 0; i < 2_000_000; i++) {
    const m = m1 + (m2 - m1) * r.next(), k = k1 + (k2 - k1) * r.next();
    const rho = k / m;
    bins.forEach((b, j) => {
      if (Math.abs(rho - b) < halfWidth) {
        sums[j].n++;
        sums[j].m += m;
        sums[j].k += k;
      }
    });
  }
  bins.forEach((b, j) => {
    const s = sums[j];
    assert.ok(s.n > 5000, `bin ${b}: ${s.n} samples`);
    const exact = posteriorMean(b);
    // Standard error of a bin mean is about sd/sqrt(n) < 4.5 kg / 70 = 0.065 kg; the bin width adds less than 0.1 kg.
    assert.ok(Math.abs(s.m / s.n - exact.m) < 0.25, `rho ${b}: MC ${s.m / s.n}, exact ${exact.m}`);
    assert.ok(Math.abs(s.k / s.n - exact.k) < 35, `rho ${b}: MC ${s.k / s.n}, exact ${exact.k}`);
  });
});

test("the floor over the priors: R^2 ceiling of m and k about 0.5 with the paper's priors; a sample agrees", () => {
  const f = expectedFloor();
  assert.ok(f.m.r2Ceiling > 0.48 && f.m.r2Ceiling < 0.52, `${f.m.r2Ceiling}`);
  assert.ok(Math.abs(f.k.r2Ceiling - f.m.r2Ceiling) < 0.01);
  // On a large sample from the priors, bayesFloor (RMSE of E[.|rho] against the truth) matches.
  const r = new Rng(7, 9);
  const recs = Array.from({ length: 200_000 }, () => {
    const m = 60 + 15 * r.next(), k = 8000 + 2000 * r.next();
    return { m, k, rho: k / m };
  });
  const s = bayesFloor(recs);
  assert.ok(Math.abs(s.m.rmse - f.m.rmse) / f.m.rmse < 0.01, `${s.m.rmse} vs ${f.m.rmse}`);
  assert.ok(Math.abs(s.k.rmse - f.k.rmse) / f.k.rmse < 0.01, `${s.k.rmse} vs ${f.k.rmse}`);
  assert.ok(Math.abs(s.m.r2Ceiling - f.m.r2Ceiling) < 0.01);
  // No estimator of m from rho beats it: the prior mean and a shrunk posterior mean both do worse.
  const mse = (g: (rho: number) => number): number => recs.reduce((a, x) => a + (x.m - g(x.rho)) ** 2, 0) / recs.length;
  assert.ok(mse(() => 67.5) > s.m.rmse ** 2);
  assert.ok(mse((rho) => 0.9 * posteriorMean(rho).m + 0.1 * 67.5) > s.m.rmse ** 2);
});

test("a rho outside the priors' range or bad priors are refused with the valid range", () => {
  assert.throws(() => posteriorMean(50), (e: unknown) => e instanceof GaitidError && /106\.6.*166\.6/.test(e.message));
  assert.throws(() => posteriorMean(Number.NaN), GaitidError);
  assert.throws(() => posteriorMean(120, { m: [75, 60], k: [8000, 10000] }), /prior of m/);
});

test("scores: RMSE, MAE, bias and R^2 of a small case worked by hand", () => {
  const s = scores([1, 2, 3, 4], [1.5, 2, 2, 5]);
  // errors 0.5, 0, -1, 1: SSE 2.25, SAE 2.5, sum 0.5; SST about mean 2.5 is 5.
  assert.ok(Math.abs(s.rmse - Math.sqrt(2.25 / 4)) < 1e-15);
  assert.equal(s.mae, 2.5 / 4);
  assert.equal(s.bias, 0.5 / 4);
  assert.ok(Math.abs(s.r2! - (1 - 2.25 / 5)) < 1e-15);
  // R^2 over records of equal truth is undefined: null, as it is written to JSON.
  assert.equal(scores([2, 2], [1, 3]).r2, null);
  assert.throws(() => scores([], []), GaitidError);
});

test("metrics of an mkl0 run that predicts the posterior mean exactly sit on the floor", () => {
  const r = new Rng(3, 9);
  const n = 5000;
  const truth = { m: [] as number[], k: [] as number[], l0: [] as number[] };
  const pred = { m: [] as number[], k: [] as number[], l0: [] as number[] };
  for (let i = 0; i < n; i++) {
    const m = 60 + 15 * r.next(), k = 8000 + 2000 * r.next(), l0 = 0.6 + 0.2 * r.next();
    const p = posteriorMean(k / m);
    truth.m.push(m), truth.k.push(k), truth.l0.push(l0);
    pred.m.push(p.m), pred.k.push(p.k), pred.l0.push(l0 + 0.001);
  }
  const met = evaluatePredictions({ id: truth.m.map((_, i) => i), params: ["m", "k", "l0"], truth, pred }, "mkl0", PAPER_PRIORS, "cpu");
  assert.ok(Math.abs(met.params.m.rmse / met.params.m.floorRmse - 1) < 1e-12);
  assert.ok(Math.abs(met.params.k.r2! - met.params.k.r2Ceiling!) < 1e-12);
  assert.equal(met.params.l0.floorRmse, 0);
  assert.ok(Math.abs(met.params.l0.bias - 0.001) < 1e-12);
  // k_pred / m_pred is exactly the true rho.
  assert.ok(met.ratio && met.ratio.rmse < 1e-9 && met.ratio.r2! > 1 - 1e-12);
  assert.throws(() => evaluatePredictions({ id: [0], params: ["rho", "l0"], truth: { rho: [1], l0: [1] }, pred: { rho: [1], l0: [1] } }, "mkl0", PAPER_PRIORS, "cpu"), /m, k, l0/);
});
