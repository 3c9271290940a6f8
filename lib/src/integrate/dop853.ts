/**
 * An adaptive explicit Runge-Kutta stepper, Dormand-Prince 8(5,3), with error control and a
 * 7th-order dense output. It knows nothing about legs: it integrates y' = f(t, y) for any f.
 *
 * Why our own and not a package: the walker is integrated millions of times (one 15 s walk and a
 * gait search per record), so the stepper must allocate nothing per step and hand its dense
 * output to an event locator and a sampler without copies; no maintained npm package offers an
 * 8th-order pair with dense output and events. The algorithm follows scipy.integrate's DOP853
 * (step-size control, the combined 5th/3rd-order error norm, the dense output), and the tests
 * check it against known solutions and its order of convergence (test/integrate.test.ts).
 * An 8th-order pair takes far fewer steps than a 5th-order one at the tight tolerances used here.
 */
import * as tableau from "./dop853-tableau";
import { kernelsFor, type Kernels } from "./dop853-kernels";

// Module-local copies: imported bindings can compile to property getters (esbuild's CommonJS
// interop), which cost more than the arithmetic in the hot loops below.
const N_STAGES = tableau.N_STAGES;
const N_STAGES_EXTENDED = tableau.N_STAGES_EXTENDED;
const INTERPOLATOR_POWER = tableau.INTERPOLATOR_POWER;

/** Right-hand side of y' = f(t, y): writes f into `dydt`; must not keep references to its arrays. */
export type Rhs = (t: number, y: Float64Array, dydt: Float64Array) => void;

/** Error control of the stepper. */
export interface Tolerances {
  /** Relative tolerance (default 1e-9). */
  rtol: number;
  /** Absolute tolerance, in the units of each component (default 1e-10). */
  atol: number;
}

const SAFETY = 0.9;
const MIN_FACTOR = 0.2;
const MAX_FACTOR = 10;
const ERROR_EXPONENT = -1 / 8; // -1 / (error estimator order 7 + 1)

/**
 * The stepper. Create one per state dimension and reuse it: `reset` starts a new problem, `step`
 * takes one accepted step, `dense` evaluates the interpolant on the last step [tOld, t].
 */
export class Dop853 {
  readonly n: number;
  rtol = 1e-9;
  atol = 1e-10;
  /** Current time and state (after the last accepted step). */
  t = 0;
  readonly y: Float64Array;
  /** f(t, y) at the current point. */
  readonly f: Float64Array;
  /** Start of the last accepted step and the state there. */
  tOld = 0;
  readonly yOld: Float64Array;
  /** Size of the next step to try (s). */
  h = 0;
  /** Counters: right-hand side evaluations, accepted and rejected steps. */
  nfev = 0;
  nsteps = 0;
  nrejected = 0;

  private rhs: Rhs = () => undefined;
  private readonly K: Float64Array; // 16 stages x n, flat
  private readonly Ks: Float64Array[]; // views of K, one per stage (made once: no allocation per step)
  private readonly F: Float64Array; // 7 dense coefficients x n
  private readonly tmp: Float64Array;
  private readonly yNew: Float64Array;
  private readonly kernels: Kernels; // the tableau compiled for this n (dop853-kernels.ts)
  private denseReady = false;

  constructor(n: number) {
    this.n = n;
    this.y = new Float64Array(n);
    this.f = new Float64Array(n);
    this.yOld = new Float64Array(n);
    this.K = new Float64Array(N_STAGES_EXTENDED * n);
    this.Ks = Array.from({ length: N_STAGES_EXTENDED }, (_, s) => this.K.subarray(s * n, s * n + n));
    this.F = new Float64Array(INTERPOLATOR_POWER * n);
    this.tmp = new Float64Array(n);
    this.yNew = new Float64Array(n);
    this.kernels = kernelsFor(n);
  }

  /**
   * Starts a problem at (t0, y0). `h0` is the first step to try; without it (or when <= 0) one is
   * chosen as scipy's select_initial_step does.
   */
  reset(rhs: Rhs, t0: number, y0: ArrayLike<number>, tol: Tolerances, h0 = 0): void {
    this.rhs = rhs;
    this.rtol = tol.rtol;
    this.atol = tol.atol;
    this.t = t0;
    this.tOld = t0;
    for (let i = 0; i < this.n; i++) {
      this.y[i] = y0[i];
      this.yOld[i] = y0[i];
    }
    rhs(t0, this.y, this.f);
    this.nfev++;
    this.h = h0 > 0 ? h0 : this.initialStep();
    this.denseReady = false;
  }

  private initialStep(): number {
    const { n, y, f, tmp, yNew } = this;
    let d0 = 0, d1 = 0;
    for (let i = 0; i < n; i++) {
      const sc = this.atol + Math.abs(y[i]) * this.rtol;
      d0 += (y[i] / sc) ** 2;
      d1 += (f[i] / sc) ** 2;
    }
    d0 = Math.sqrt(d0 / n);
    d1 = Math.sqrt(d1 / n);
    const h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : (0.01 * d0) / d1;
    for (let i = 0; i < n; i++) yNew[i] = y[i] + h0 * f[i];
    this.rhs(this.t + h0, yNew, tmp);
    this.nfev++;
    let d2 = 0;
    for (let i = 0; i < n; i++) {
      const sc = this.atol + Math.abs(y[i]) * this.rtol;
      d2 += ((tmp[i] - f[i]) / sc) ** 2;
    }
    d2 = Math.sqrt(d2 / n) / h0;
    const h1 = d1 <= 1e-15 && d2 <= 1e-15 ? Math.max(1e-6, h0 * 1e-3) : (0.01 / Math.max(d1, d2)) ** (1 / 8);
    return Math.min(100 * h0, h1);
  }

  /** Stages 1..11 of a step of size h from (t, y) into K; K[0] must hold f. */
  private stepStages(h: number): void {
    this.kernels.stepStages(this.y, h, this.K, this.Ks, this.tmp, this.t, this.rhs);
    this.nfev += N_STAGES - 1;
  }

  /**
   * Takes one accepted step, never beyond `tMax`. Afterwards [tOld, t] is the step just taken and
   * `dense` interpolates on it. Throws when the step size underflows (a singular right-hand side).
   */
  step(tMax: number): void {
    const { n, K, y, f, yNew } = this;
    let rejected = false;
    for (;;) {
      let h = this.h;
      if (this.t + h > tMax) h = tMax - this.t;
      if (!(h > 1e-14 * Math.max(1, Math.abs(this.t)))) {
        throw new Error(`step size underflow at t = ${this.t} (h = ${h})`);
      }
      for (let i = 0; i < n; i++) K[i] = f[i];
      this.stepStages(h);
      // 8th-order solution and the FSAL evaluation (stage 12).
      this.kernels.solution(y, h, this.K, yNew);
      const kNew = this.Ks[N_STAGES];
      this.rhs(this.t + h, yNew, kNew);
      this.nfev++;
      // Error norm (scipy's DOP853._estimate_error_norm).
      const errNorm = h * this.kernels.errorNorm(y, yNew, this.K, this.atol, this.rtol);
      if (errNorm < 1) {
        let factor = errNorm === 0 ? MAX_FACTOR : Math.min(MAX_FACTOR, SAFETY * errNorm ** ERROR_EXPONENT);
        if (rejected) factor = Math.min(1, factor);
        this.tOld = this.t;
        for (let i = 0; i < n; i++) {
          this.yOld[i] = y[i];
          y[i] = yNew[i];
          f[i] = kNew[i];
        }
        // K[0] must keep f(tOld) for the dense output: it still does (copied above from f).
        this.t = this.t + h;
        this.h = h * factor;
        this.nsteps++;
        this.denseReady = false;
        return;
      }
      this.h = h * Math.max(MIN_FACTOR, SAFETY * errNorm ** ERROR_EXPONENT);
      this.nrejected++;
      rejected = true;
    }
  }

  /** Builds the 7th-order interpolant of the last step (3 more right-hand side evaluations). */
  private prepareDense(): void {
    const { F, y, yOld, f } = this;
    const h = this.t - this.tOld;
    // The extra stages 13..15 start from (tOld, yOld).
    this.kernels.denseStages(yOld, h, this.K, this.Ks, this.tmp, this.tOld, this.rhs);
    this.nfev += N_STAGES_EXTENDED - N_STAGES - 1;
    this.kernels.denseCoefficients(yOld, y, f, this.K, h, F);
    this.denseReady = true;
  }

  /** The interpolated state at time tq in [tOld, t] of the last step, into `out`. */
  dense(tq: number, out: Float64Array): void {
    if (!this.denseReady) this.prepareDense();
    const h = this.t - this.tOld;
    const x = h === 0 ? 0 : (tq - this.tOld) / h;
    this.kernels.denseEvaluate(this.F, this.yOld, x, out);
  }
}
