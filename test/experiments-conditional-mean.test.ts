/** The design floor's estimator: local linear kernel regression against conditional means known in closed form. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { kernelConditionalMean } from "../lib/src/experiments/conditional-mean";
import { posteriorMean, PAPER_PRIORS } from "../lib/src/estimator/floor";
import { Rng } from "../lib/src/random";

/** Uniform draws of m (kg), k (N/m) and E (J) from the paper's priors and an energy range. */
function sample(n: number, seed: number, E: [number, number]) {
  const rng = new Rng(seed, 1, 0);
  const m: number[] = [], rho: number[] = [], e: number[] = [];
  for (let i = 0; i < n; i++) {
    const mi = rng.uniform(60, 75), ki = rng.uniform(8000, 10000), Ei = rng.uniform(E[0], E[1]);
    m.push(mi);
    rho.push(ki / mi);
    e.push(Ei / mi);
  }
  return { m, rho, e };
}

const rms = (a: number[], b: number[]): number => Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0) / a.length);

test("E[m | rho] under uniform priors: the regression is within 5 % of the floor of the closed form", () => {
  const train = sample(6000, 1, [400, 500]);
  const test = sample(400, 2, [400, 500]);
  const f = kernelConditionalMean([train.rho], train.m, { cvPoints: 400 });
  const exact = test.rho.map((r) => posteriorMean(r, PAPER_PRIORS).m);
  const est = test.rho.map((r) => f.predict([r]));
  const floor = rms(exact, test.m);
  assert.ok(floor > 3 && floor < 4, `floor ${floor} kg`);
  assert.ok(rms(est, exact) < 0.05 * floor, `regression off the closed form by ${rms(est, exact)} kg (floor ${floor} kg)`);
  assert.ok(Math.abs(rms(est, test.m) - floor) < 0.03 * floor);
});

test("E[m | rho, e] with e = E/m, E drawn in joules: the regression finds the closed form, far below E[m | rho]", () => {
  const E: [number, number] = [440, 470];
  const train = sample(8000, 3, E);
  const test = sample(400, 4, E);
  // The density of (m, rho, e) is proportional to m^2 on the box the priors allow (Jacobians m of k = rho m and of E = e m).
  const exact = test.rho.map((r, i) => {
    const a = Math.max(60, 8000 / r, E[0] / test.e[i]), b = Math.min(75, 10000 / r, E[1] / test.e[i]);
    return (0.75 * (b ** 4 - a ** 4)) / (b ** 3 - a ** 3);
  });
  const f = kernelConditionalMean([train.rho, train.e], train.m, { cvPoints: 400 });
  const est = test.rho.map((r, i) => f.predict([r, test.e[i]]));
  const designFloor = rms(exact, test.m);
  const perUnitMass = rms(test.rho.map((r) => posteriorMean(r).m), test.m);
  assert.ok(designFloor < 0.5 * perUnitMass, `design floor ${designFloor} kg against ${perUnitMass} kg`);
  assert.ok(rms(est, exact) < 0.1 * designFloor, `regression off the closed form by ${rms(est, exact)} kg (floor ${designFloor} kg)`);
});

test("bad input is refused", () => {
  assert.throws(() => kernelConditionalMean([], [1, 2, 3]), /at least one coordinate/);
  assert.throws(() => kernelConditionalMean([[1, 2]], [1, 2]), /at least 10 sample points/);
  assert.throws(() => kernelConditionalMean([new Array(12).fill(1)], new Array(12).fill(0)), /constant/);
});

test("a sparse sample in three coordinates still predicts everywhere (weights relative to the nearest point)", () => {
  const rng = new Rng(5, 1, 0);
  const z = [0, 1, 2].map(() => Array.from({ length: 54 }, () => rng.uniform(0, 1)));
  const y = z[0].map((v, i) => 2 * v + z[1][i]);
  const f = kernelConditionalMean(z, y, { cvPoints: 54 });
  for (const q of [[0.5, 0.5, 0.5], [0.01, 0.99, 0.3]]) assert.ok(Number.isFinite(f.predict(q)), `E[y | ${q}]`);
  // A linear function is reproduced by the local line wherever its neighbourhood is not degenerate.
  assert.ok(Math.abs(f.predict([0.5, 0.5, 0.5]) - 1.5) < 0.05);
});
