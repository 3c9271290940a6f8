// The Levenberg-Marquardt optimiser of lib/src/fit/lm.ts on problems with known answers: Rosenbrock's
// function, NIST's certified exponential fit Misra1a, a noise-free exponential decay, a rank-deficient
// problem, and an evaluation that fails (a large finite penalty, rejected like any worse step).
import { test } from "node:test";
import assert from "node:assert/strict";
import { centralJacobian, choleskySolve, levenbergMarquardt, sumOfSquares, type Evaluation } from "../lib/src/fit/lm";

test("Rosenbrock's function from (-1.2, 1) reaches (1, 1)", () => {
  const res = levenbergMarquardt({ n: 2, evaluate: (t) => ({ r: Float64Array.of(10 * (t[1] - t[0] * t[0]), 1 - t[0]) }) }, [-1.2, 1], { xtol: 1e-15 });
  assert.ok(Math.abs(res.theta[0] - 1) < 1e-9 && Math.abs(res.theta[1] - 1) < 1e-9, `theta ${Array.from(res.theta)}`);
  assert.ok(res.cost < 1e-20, `cost ${res.cost}`);
  assert.ok(res.iterations < 100, `${res.iterations} iterations (${res.reason})`);
});

// NIST StRD nonlinear regression, Misra1a (lower difficulty): y = b1 (1 - exp(-b2 x)); certified
// b1 = 2.3894212918E+02, b2 = 5.5015643181E-04, residual sum of squares 1.2455138894E-01.
const MISRA_X = [77.6, 114.9, 141.1, 190.8, 239.9, 289.0, 332.8, 378.4, 434.8, 477.3, 536.8, 593.1, 689.1, 760.0];
const MISRA_Y = [10.07, 14.73, 17.94, 23.93, 29.61, 35.18, 40.02, 44.82, 50.76, 55.05, 61.01, 66.4, 75.47, 81.78];

test("NIST Misra1a from both certified starts: the certified estimates and residual sum of squares", () => {
  const evaluate = (t: Float64Array): Evaluation => ({ r: Float64Array.from(MISRA_X, (x, i) => t[0] * (1 - Math.exp(-t[1] * x)) - MISRA_Y[i]) });
  for (const start of [[500, 1e-4], [250, 5e-4]]) {
    const res = levenbergMarquardt({ n: 2, evaluate }, start, { step: 1e-9, ftol: 1e-15 });
    assert.ok(Math.abs(res.theta[0] / 238.94212918 - 1) < 1e-6, `b1 ${res.theta[0]} from ${start}`);
    assert.ok(Math.abs(res.theta[1] / 5.5015643181e-4 - 1) < 1e-6, `b2 ${res.theta[1]} from ${start}`);
    assert.ok(Math.abs(res.cost / 0.12455138894 - 1) < 1e-8, `RSS ${res.cost}`);
  }
});

test("a noise-free exponential decay a exp(-b t) + c is recovered exactly, with an analytic Jacobian too", () => {
  const t = Array.from({ length: 40 }, (_, i) => i * 0.25);
  const truth = [2.5, 0.7, -0.3];
  const y = t.map((ti) => truth[0] * Math.exp(-truth[1] * ti) + truth[2]);
  const evaluate = (p: Float64Array): Evaluation => ({ r: Float64Array.from(t, (ti, i) => p[0] * Math.exp(-p[1] * ti) + p[2] - y[i]) });
  const jacobian = (p: Float64Array): Float64Array[] => [
    Float64Array.from(t, (ti) => Math.exp(-p[1] * ti)),
    Float64Array.from(t, (ti) => -p[0] * ti * Math.exp(-p[1] * ti)),
    Float64Array.from(t, () => 1),
  ];
  for (const problem of [{ n: 3, evaluate }, { n: 3, evaluate, jacobian }]) {
    const res = levenbergMarquardt(problem, [1, 2, 0], { xtol: 1e-14 });
    truth.forEach((v, i) => assert.ok(Math.abs(res.theta[i] - v) < 1e-8, `parameter ${i}: ${res.theta[i]} vs ${v}`));
  }
});

test("a rank-deficient problem (only the sum of two parameters is seen) converges, the unseen direction untouched", () => {
  const res = levenbergMarquardt({ n: 2, evaluate: (p) => ({ r: Float64Array.of(p[0] + p[1] - 3, 2 * (p[0] + p[1]) - 6) }) }, [0.5, 0.5]);
  assert.ok(Math.abs(res.theta[0] + res.theta[1] - 3) < 1e-9, `sum ${res.theta[0] + res.theta[1]}`);
  assert.ok(Math.abs(res.theta[0] - res.theta[1]) < 1e-9, "the difference was not seen and did not move");
});

test("failed evaluations: a large finite penalty beyond a wall is never accepted; one-sided differences at the wall", () => {
  // Minimum of (x - 2)^2 at 2, but x > 1.5 "falls": the optimum on the feasible side is the wall.
  const evaluate = (p: Float64Array): Evaluation => (p[0] > 1.5 ? { r: Float64Array.of(1e6), failed: true } : { r: Float64Array.of(p[0] - 2) });
  const res = levenbergMarquardt({ n: 1, evaluate }, [0], { maxIterations: 200 });
  assert.equal(res.failed, false);
  assert.ok(res.theta[0] <= 1.5 && res.theta[0] > 1.49, `stopped at ${res.theta[0]} by the wall`);
  const at = evaluate(Float64Array.of(1.5));
  const [col] = centralJacobian(evaluate, Float64Array.of(1.5), at, 1e-3);
  assert.ok(Math.abs(col[0] - 1) < 1e-9, "the backward difference where the forward side fails");
});

test("choleskySolve and sumOfSquares", () => {
  const x = choleskySolve(Float64Array.of(4, 2, 2, 3), Float64Array.of(2, 5))!;
  assert.ok(Math.abs(4 * x[0] + 2 * x[1] - 2) < 1e-12 && Math.abs(2 * x[0] + 3 * x[1] - 5) < 1e-12);
  assert.equal(choleskySolve(Float64Array.of(1, 2, 2, 1), Float64Array.of(1, 1)), undefined, "not positive definite");
  assert.equal(sumOfSquares([3, 4]), 25);
});
