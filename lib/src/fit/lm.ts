/**
 * A compact Levenberg-Marquardt least-squares optimiser: minimises cost(theta) = |r(theta)|^2 for a
 * residual vector r of a few parameters (at most a dozen).
 *
 * Why our own and not an npm package: ml-levenberg-marquardt (the well-kept one) fits a scalar
 * function of x with absolute convergence thresholds (it iterates to maxIterations whenever the
 * best misfit is not near zero, as it never is with noisy data), does not expose the Jacobian at
 * the solution (needed for the Fisher information), and knows nothing of evaluations that fail
 * (a walk that falls); each of its iterations would also re-run the simulator once per sample.
 * This one is Marquardt's method with the scaling D = diag(J^T J) (invariant to the units of the
 * parameters) and Nielsen's damping update (Nielsen 1999; Madsen, Nielsen & Tingleff, "Methods
 * for non-linear least squares problems", 2004, algorithm 3.16), tested on Rosenbrock's function
 * and an exponential fit with a known answer (test/fit-lm.test.ts).
 */
import { GaitidError } from "../errors";

/** One evaluation of the residuals. `failed`: the model could not be evaluated there (the residuals are then a large finite penalty). */
export interface Evaluation {
  r: Float64Array;
  failed?: boolean;
}

/** A least-squares problem in `n` parameters. */
export interface LeastSquaresProblem {
  n: number;
  /** Residuals at theta; always the same length, always finite. */
  evaluate(theta: Float64Array): Evaluation;
  /**
   * The Jacobian dr/dtheta as n columns, given the evaluation at theta (default: central
   * differences with {@link LmOptions.step}, one-sided where one side failed).
   */
  jacobian?(theta: Float64Array, at: Evaluation): Float64Array[];
}

/** Options of {@link levenbergMarquardt}. */
export interface LmOptions {
  /** Iterations (Jacobians computed) at most (default 100). */
  maxIterations?: number;
  /** Stop when an accepted step lowers the cost by less than this fraction of it (default 1e-10). */
  ftol?: number;
  /** Stop when a step is smaller than xtol (|theta| + xtol) (default 1e-12). */
  xtol?: number;
  /** Stop when the cost is at most this (default 0: a zero-residual problem then runs to xtol). */
  costFloor?: number;
  /** First damping mu (dimensionless: the scaling D = diag(J^T J) carries the units; default 1e-3). */
  damping?: number;
  /** Central-difference step of the default Jacobian, in the units of theta (default 1e-6). */
  step?: number;
  /** Called after every accepted step with the iteration count and the cost. */
  onIteration?: (iteration: number, cost: number) => void;
}

/** Why the optimiser stopped. */
export type LmReason = "ftol" | "xtol" | "costFloor" | "maxIterations" | "damping";

/** The result of {@link levenbergMarquardt}. */
export interface LmResult {
  theta: Float64Array;
  r: Float64Array;
  cost: number;
  /** The Jacobian columns at theta (as last computed: at the solution unless the last step was accepted at maxIterations). */
  jacobian: Float64Array[];
  iterations: number;
  /** Residual evaluations, Jacobian ones included. */
  evaluations: number;
  reason: LmReason;
  /** Whether the evaluation at the solution failed (the start and every step failed to walk). */
  failed: boolean;
}

/** The squared 2-norm of r. */
export function sumOfSquares(r: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < r.length; i++) s += r[i] * r[i];
  return s;
}

/**
 * Central differences of the residuals (n columns); where the evaluation on one side failed, the
 * one-sided difference with the other side and `at`; a zero column when both failed.
 */
export function centralJacobian(evaluate: (theta: Float64Array) => Evaluation, theta: Float64Array, at: Evaluation, step: number): Float64Array[] {
  const cols: Float64Array[] = [];
  for (let j = 0; j < theta.length; j++) {
    const tp = Float64Array.from(theta), tm = Float64Array.from(theta);
    tp[j] += step;
    tm[j] -= step;
    const p = evaluate(tp), m = evaluate(tm);
    const col = new Float64Array(at.r.length);
    if (!p.failed && !m.failed) for (let i = 0; i < col.length; i++) col[i] = (p.r[i] - m.r[i]) / (2 * step);
    else if (!p.failed && !at.failed) for (let i = 0; i < col.length; i++) col[i] = (p.r[i] - at.r[i]) / step;
    else if (!m.failed && !at.failed) for (let i = 0; i < col.length; i++) col[i] = (at.r[i] - m.r[i]) / step;
    cols.push(col);
  }
  return cols;
}

/** Solves the symmetric positive definite system A x = b (n x n, row-major) by Cholesky; undefined when A is not positive definite. */
export function choleskySolve(A: Float64Array, b: Float64Array): Float64Array | undefined {
  const n = b.length;
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(s > 0)) return undefined;
        L[i * n + i] = Math.sqrt(s);
      } else L[i * n + j] = s / L[j * n + j];
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * n + k] * y[k];
    y[i] = s / L[i * n + i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * x[k];
    x[i] = s / L[i * n + i];
  }
  return x;
}

/** J^T J (row-major) and J^T r of Jacobian columns J. */
function normalEquations(J: Float64Array[], r: Float64Array): { A: Float64Array; g: Float64Array } {
  const n = J.length;
  const A = new Float64Array(n * n), g = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < r.length; k++) s += J[i][k] * r[k];
    g[i] = s;
    for (let j = 0; j <= i; j++) {
      let t = 0;
      for (let k = 0; k < r.length; k++) t += J[i][k] * J[j][k];
      A[i * n + j] = t;
      A[j * n + i] = t;
    }
  }
  return { A, g };
}

/**
 * Minimises |r(theta)|^2 from `start`. Each iteration solves (J^T J + mu D) delta = -J^T r with
 * D = diag(J^T J) (floored at 1e-30 of its largest entry, so a parameter the residuals do not see
 * stays put), accepts the step when the cost falls, and adapts mu by the ratio of the actual to the
 * predicted reduction. A failed evaluation has a large cost and is simply rejected.
 */
export function levenbergMarquardt(problem: LeastSquaresProblem, start: ArrayLike<number>, opts: LmOptions = {}): LmResult {
  const n = problem.n;
  if (start.length !== n) throw new GaitidError(`levenbergMarquardt: the start has ${start.length} parameters, the problem ${n}`);
  const maxIterations = opts.maxIterations ?? 100, ftol = opts.ftol ?? 1e-10, xtol = opts.xtol ?? 1e-12;
  const costFloor = opts.costFloor ?? 0, step = opts.step ?? 1e-6;
  let evaluations = 0;
  const evaluate = (t: Float64Array): Evaluation => {
    evaluations++;
    return problem.evaluate(t);
  };
  const jac = (t: Float64Array, e: Evaluation): Float64Array[] => problem.jacobian ? problem.jacobian(t, e) : centralJacobian(evaluate, t, e, step);
  let theta = Float64Array.from(start);
  let at = evaluate(theta);
  let cost = sumOfSquares(at.r);
  let J = jac(theta, at);
  let { A, g } = normalEquations(J, at.r);
  const maxDiag = (): number => Math.max(...Array.from({ length: n }, (_, i) => A[i * n + i]), 1e-300);
  let mu = opts.damping ?? 1e-3;
  let nu = 2;
  let iterations = 0;
  let reason: LmReason = "maxIterations";
  while (iterations < maxIterations) {
    if (cost <= costFloor) {
      reason = "costFloor";
      break;
    }
    const floor = 1e-30 * maxDiag();
    const M = Float64Array.from(A);
    for (let i = 0; i < n; i++) M[i * n + i] += mu * Math.max(A[i * n + i], floor);
    const delta = choleskySolve(M, g.map((v) => -v));
    if (!delta || !(mu < 1e30)) {
      if (!(mu < 1e30)) {
        reason = "damping";
        break;
      }
      mu *= nu;
      nu *= 2;
      continue;
    }
    let dNorm = 0, tNorm = 0;
    for (let i = 0; i < n; i++) {
      dNorm += delta[i] * delta[i];
      tNorm += theta[i] * theta[i];
    }
    if (Math.sqrt(dNorm) <= xtol * (Math.sqrt(tNorm) + xtol)) {
      reason = "xtol";
      break;
    }
    const trial = theta.map((v, i) => v + delta[i]);
    const e = evaluate(trial);
    const c = sumOfSquares(e.r);
    // Predicted reduction of the linear model: -(2 g.delta + delta^T A delta) = delta^T (mu D delta - g).
    let predicted = 0;
    for (let i = 0; i < n; i++) predicted += delta[i] * (mu * Math.max(A[i * n + i], floor) * delta[i] - g[i]);
    const ratio = predicted > 0 ? (cost - c) / predicted : -1;
    if (!e.failed && c < cost && ratio > 0) {
      const drop = cost - c;
      theta = trial;
      at = e;
      cost = c;
      iterations++;
      opts.onIteration?.(iterations, cost);
      if (drop <= ftol * (cost + drop)) {
        reason = "ftol";
        break;
      }
      J = jac(theta, at);
      ({ A, g } = normalEquations(J, at.r));
      mu *= Math.max(1 / 3, 1 - (2 * ratio - 1) ** 3);
      nu = 2;
    } else {
      mu *= nu;
      nu *= 2;
    }
  }
  return { theta, r: at.r, cost, jacobian: J, iterations, evaluations, reason, failed: Boolean(at.failed) };
}
