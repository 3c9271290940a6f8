// The integrator against problems with known solutions: harmonic oscillator, a falling body's
// event time, and the order of convergence of the DOP853 pair.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Dop853, type Rhs } from "../lib/src/integrate/dop853";
import { integratePhase, solve } from "../lib/src/integrate/solve";
import { brent } from "../lib/src/integrate/root";

const oscillator: Rhs = (_t, y, out) => {
  out[0] = y[1];
  out[1] = -y[0];
};

test("harmonic oscillator: solution and dense output match cos/sin to the tolerance", () => {
  const tEval = Array.from({ length: 201 }, (_, i) => i * 0.1);
  const sol = solve(oscillator, 0, [1, 0], 20, { rtol: 1e-10, atol: 1e-12 }, tEval);
  assert.equal(sol.t.length, 201);
  let maxErr = 0;
  sol.t.forEach((t, i) => {
    maxErr = Math.max(maxErr, Math.abs(sol.y[i][0] - Math.cos(t)), Math.abs(sol.y[i][1] + Math.sin(t)));
  });
  assert.ok(maxErr < 1e-8, `max error ${maxErr}`);
  assert.ok(maxErr > 0, "a numerical solution is not exact to the last bit");
  // An 8th-order method needs few steps for 20 s of a unit oscillator at rtol 1e-10.
  assert.ok(sol.nsteps < 120, `steps ${sol.nsteps}`);
});

test("falling body: the ground-contact event time is located to 1e-12 s", () => {
  // y'' = -g from height h0 at rest: contact at sqrt(2 h0 / g).
  const g = 9.81, h0 = 1.7;
  const rhs: Rhs = (_t, y, out) => {
    out[0] = y[1];
    out[1] = -g;
  };
  const sol = solve(rhs, 0, [h0, 0], 10, { rtol: 1e-9, atol: 1e-10 }, [], [{ g: (_t, y) => y[0], direction: -1 }]);
  assert.equal(sol.end.event, 0);
  const exact = Math.sqrt((2 * h0) / g);
  assert.ok(Math.abs(sol.end.t - exact) < 1e-12, `event time error ${sol.end.t - exact}`);
  assert.ok(Math.abs(sol.yEnd[0]) < 1e-12, `height at the event ${sol.yEnd[0]}`);
});

test("events respect their direction and do not fire at a zero start", () => {
  // x = sin t: zero at t = 0 (start, ignored), crosses downward at pi, upward at 2 pi.
  const stepper = new Dop853(2);
  stepper.reset((_t, y, out) => { out[0] = y[1]; out[1] = -y[0]; }, 0, [0, 1], { rtol: 1e-10, atol: 1e-12 });
  const yEnd = new Float64Array(2);
  const end = integratePhase(stepper, 10, [{ g: (_t, y) => y[0], direction: 1 }], yEnd);
  assert.equal(end.event, 0);
  assert.ok(Math.abs(end.t - 2 * Math.PI) < 1e-10, `upward crossing at ${end.t}`);
});

test("order of convergence: the global error of fixed steps falls like h^8", () => {
  // Force fixed steps by huge tolerances and a fixed h; measure the error at t = 2 for the oscillator.
  const errAt = (h: number): number => {
    const stepper = new Dop853(2);
    stepper.reset(oscillator, 0, [1, 0], { rtol: 1e3, atol: 1e3 }, h);
    while (stepper.t < 2 - 1e-12) {
      stepper.h = h;
      stepper.step(2);
    }
    return Math.hypot(stepper.y[0] - Math.cos(2), stepper.y[1] + Math.sin(2));
  };
  const e1 = errAt(0.4), e2 = errAt(0.2), e3 = errAt(0.1);
  const p1 = Math.log2(e1 / e2), p2 = Math.log2(e2 / e3);
  assert.ok(p1 > 7.5 && p1 < 9.5, `observed order ${p1}`);
  assert.ok(p2 > 7.5 && p2 < 9.5, `observed order ${p2}`);
});

test("dense output is 7th order: interpolation error at step midpoints falls like h^8", () => {
  const midErr = (h: number): number => {
    const stepper = new Dop853(2);
    stepper.reset(oscillator, 0, [1, 0], { rtol: 1e3, atol: 1e3 }, h);
    stepper.step(h);
    const out = new Float64Array(2);
    // compare against the exact solution, minus the step's own end error scale
    stepper.dense(h / 2, out);
    return Math.abs(out[0] - Math.cos(h / 2));
  };
  const p = Math.log2(midErr(0.4) / midErr(0.2));
  assert.ok(p > 6.5, `local interpolation order ${p}`);
});

test("brent finds a bracketed root and refuses an unbracketed one", () => {
  const r = brent((x) => x * x - 2, 0, 2, -2, 2);
  assert.ok(Math.abs(r - Math.SQRT2) < 1e-15);
  assert.ok(Number.isNaN(brent((x) => x * x + 1, 0, 2, 1, 5)));
});

// The stepper's compiled kernels (integrate/dop853-kernels.ts: unrolled for small n, a loop above
// 16 components) against the tableau read plainly, one sum at a time, in the same order: the
// steps, step sizes and dense output must agree to the last bit.
import * as T from "../lib/src/integrate/dop853-tableau";

/** One step of a plain DOP853 from (t, y) with step h: the new y, the error norm and the dense output at x. */
function plainStep(rhs: Rhs, t: number, y: Float64Array, h: number, rtol: number, atol: number, x: number) {
  const n = y.length;
  const K = Array.from({ length: T.N_STAGES_EXTENDED }, () => new Float64Array(n));
  rhs(t, y, K[0]);
  const combine = (row: readonly (readonly [number, number])[], base: Float64Array): Float64Array => {
    const out = new Float64Array(n);
    const terms = row.filter(([, a]) => a !== 0);
    for (let i = 0; i < n; i++) {
      let s = terms.length ? terms[0][1] * K[terms[0][0]][i] : 0;
      for (let q = 1; q < terms.length; q++) s = s + terms[q][1] * K[terms[q][0]][i];
      out[i] = base[i] + h * s;
    }
    return out;
  };
  for (let s = 1; s < T.N_STAGES; s++) rhs(t + T.C[s] * h, combine(T.A_SPARSE[s], y), K[s]);
  const yNew = combine(T.B.map((b, j) => [j, b] as const), y);
  rhs(t + h, yNew, K[T.N_STAGES]);
  let err5 = 0, err3 = 0;
  const t5 = T.E5.map((e, j) => [j, e] as const).filter(([, e]) => e !== 0);
  const t3 = T.E3.map((e, j) => [j, e] as const).filter(([, e]) => e !== 0);
  for (let i = 0; i < n; i++) {
    const sc = atol + Math.max(Math.abs(y[i]), Math.abs(yNew[i])) * rtol;
    let a5 = t5[0][1] * K[t5[0][0]][i];
    for (let q = 1; q < t5.length; q++) a5 = a5 + t5[q][1] * K[t5[q][0]][i];
    let a3 = t3[0][1] * K[t3[0][0]][i];
    for (let q = 1; q < t3.length; q++) a3 = a3 + t3[q][1] * K[t3[q][0]][i];
    err5 += (a5 / sc) ** 2;
    err3 += (a3 / sc) ** 2;
  }
  const errNorm = err5 === 0 && err3 === 0 ? 0 : h * (err5 / Math.sqrt((err5 + 0.01 * err3) * n));
  for (let s = T.N_STAGES + 1; s < T.N_STAGES_EXTENDED; s++) rhs(t + T.C[s] * h, combine(T.A_SPARSE[s], y), K[s]);
  const dense = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const dy = yNew[i] - y[i];
    const F = [dy, h * K[0][i] - dy, 2 * dy - h * (K[T.N_STAGES][i] + K[0][i])];
    for (const row of T.D) {
      let acc = 0;
      for (let s = 0; s < T.N_STAGES_EXTENDED; s++) acc += row[s] * K[s][i];
      F.push(h * acc);
    }
    let v = 0;
    for (let r = F.length - 1, j = 0; r >= 0; r--, j++) v = (v + F[r]) * (j % 2 === 0 ? x : 1 - x);
    dense[i] = v + y[i];
  }
  return { yNew, errNorm, dense };
}

for (const n of [4, 23]) {
  test(`compiled kernels (n = ${n}, ${n <= 16 ? "unrolled" : "looped"}) agree with the plain tableau to the last bit`, () => {
    // A coupled nonlinear system: y_i' = sin(y_{i+1}) - 0.3 y_i + 0.1 t.
    const rhs: Rhs = (t, y, out) => {
      for (let i = 0; i < y.length; i++) out[i] = Math.sin(y[(i + 1) % y.length]) - 0.3 * y[i] + 0.1 * t;
    };
    const y0 = Float64Array.from({ length: n }, (_, i) => Math.cos(1.7 * i + 0.2));
    const stepper = new Dop853(n);
    const h = 0.37, rtol = 1e-6, atol = 1e-8;
    stepper.reset(rhs, 0.5, y0, { rtol, atol }, h);
    stepper.step(10);
    assert.equal(stepper.nrejected, 0, "the step is accepted");
    const tq = 0.5 + 0.3 * h;
    const plain = plainStep(rhs, 0.5, y0, h, rtol, atol, (tq - 0.5) / h);
    assert.deepEqual(Array.from(stepper.y), Array.from(plain.yNew));
    // The next step size follows from the error norm alone: equal only if the norms are.
    const factor = plain.errNorm === 0 ? 10 : Math.min(10, 0.9 * plain.errNorm ** (-1 / 8));
    assert.equal(stepper.h, h * factor);
    const out = new Float64Array(n);
    stepper.dense(tq, out);
    assert.deepEqual(Array.from(out), Array.from(plain.dense));
  });
}

test("an event list changed between two phases is watched as it is now", () => {
  // x = sin t from 0: the list first watches x = 0.5 going up (t = pi/6); then, with a second event
  // added to the same array, x = -0.9 going down (t = pi + asin 0.9) fires before x = 0.5 going up
  // can recur (t = pi/6 + 2 pi).
  const events: { g: (t: number, y: Float64Array) => number; direction: 1 | -1 | 0 }[] = [{ g: (_t, y) => y[0] - 0.5, direction: 1 }];
  const stepper = new Dop853(2);
  stepper.reset(oscillator, 0, [0, 1], { rtol: 1e-10, atol: 1e-12 });
  const yEnd = new Float64Array(2);
  const first = integratePhase(stepper, 10, events, yEnd);
  assert.equal(first.event, 0);
  assert.ok(Math.abs(first.t - Math.PI / 6) < 1e-9, `first event at ${first.t}`);
  events.push({ g: (_t, y) => y[0] + 0.9, direction: -1 });
  stepper.reset(oscillator, first.t, yEnd, { rtol: 1e-10, atol: 1e-12 });
  const second = integratePhase(stepper, 10, events, yEnd);
  assert.equal(second.event, 1, "the event added to the list fires");
  assert.ok(Math.abs(second.t - (Math.PI + Math.asin(0.9))) < 1e-9, `second event at ${second.t}`);
});
