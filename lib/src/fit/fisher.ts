/**
 * The Fisher information of a record and what follows from it: Gauss-Newton standard errors of a
 * fit and the Cramér-Rao bound.
 *
 * With Gaussian noise of known standard deviation and residuals r = (predicted - observed) / sigma,
 * the Fisher information of theta is F = J^T J, J = dr/dtheta (the Gauss-Newton matrix); the
 * covariance of any unbiased estimator is at least F^-1 (the Cramér-Rao bound), and F^-1 at the
 * maximum-likelihood estimate is its asymptotic covariance (the fit's standard errors).
 *
 * Sensitivities by central differences through the simulator, step {@link FIT_STEP} in the
 * log-parameters. Why not forward sensitivity equations: the walker is hybrid, and the sensitivities
 * jump at every touchdown and lift-off (saltation matrices of the event times), which the event
 * location of the driver would have to carry through; central differences reuse the simulator
 * unchanged, and the sensitivity analysis measured their accuracy on these records (J(h) against
 * J(2 h) agree to about 1e-8 relative at h = 1e-6 with tolerances 1e-11, 1e-12 on most records;
 * see identifiability/sensitivity.ts). 2 p simulations per Jacobian.
 *
 * F^-1 is taken from the singular value decomposition of J (one-sided Jacobi, never J^T J: see
 * identifiability/svd.ts), sum_i v_i v_i^T / s_i^2. A singular value below {@link NULL_SINGULAR}
 * times the largest is a direction the record does not see (m and k scaled together from x, y):
 * every parameter with a component along it gets an infinite variance.
 */
import { SENSITIVITY_STEP } from "../identifiability/sensitivity";
import { jacobiSvd } from "../identifiability/svd";
import type { WalkerSimulator } from "../walker/simulate";
import { centralJacobian, type Evaluation } from "./lm";
import { fromTheta, residuals, toTheta, type FitParametrisation, type Observation, type WalkParams } from "./record";

/** Central-difference step of the Jacobians, in log-parameters (alpha0 in rad). */
export const FIT_STEP = SENSITIVITY_STEP;
/** Singular values below this fraction of the largest count as zero. */
export const NULL_SINGULAR = 1e-9;
/** A right-singular-vector component above this puts a parameter along a null direction. */
const NULL_COMPONENT = 1e-6;

/** The residual function of an observation in a parametrisation (theta -> residuals), for the first `samples` samples. */
export function residualFunction(sim: WalkerSimulator, obs: Observation, p: FitParametrisation, m: number, samples = obs.samples): (theta: Float64Array) => Evaluation {
  return (theta) => residuals(sim, obs, fromTheta(p, obs.observe, theta, m), samples);
}

/** J = dr/dtheta at `w` (columns in the order of {@link parameterNames}). */
export function residualJacobian(sim: WalkerSimulator, obs: Observation, p: FitParametrisation, w: WalkParams, step = FIT_STEP): { J: Float64Array[]; at: Evaluation } {
  const f = residualFunction(sim, obs, p, w.m);
  const theta = toTheta(p, obs.observe, w);
  const at = f(theta);
  return { J: centralJacobian(f, theta, at, step), at };
}

/** The inverse Fisher information of theta. */
export interface Covariance {
  /** Parameter names (entries of theta: logarithms, alpha0 in rad). */
  names: string[];
  /** F^-1, row-major lists; Infinity on and beside the diagonal of a parameter along a null direction. */
  matrix: number[][];
  /** Singular values of J, largest first. */
  singularValues: number[];
  /** Directions counted as unseen (singular values below NULL_SINGULAR of the largest). */
  nullDirections: number;
}

/** F^-1 from the Jacobian columns (see the module comment). */
export function covarianceOf(J: readonly Float64Array[], names: readonly string[], relTol = NULL_SINGULAR): Covariance {
  const { singularValues: s, vectors: V } = jacobiSvd(J);
  const p = names.length;
  const matrix = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const blind = new Array<boolean>(p).fill(false);
  let nulls = 0;
  s.forEach((si, i) => {
    if (!(si > relTol * s[0])) {
      nulls++;
      V[i].forEach((v, j) => {
        if (Math.abs(v) > NULL_COMPONENT) blind[j] = true;
      });
      return;
    }
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) matrix[a][b] += (V[i][a] * V[i][b]) / (si * si);
  });
  for (let a = 0; a < p; a++) {
    for (let b = 0; b < p; b++) if (blind[a] || blind[b]) matrix[a][b] = a === b || (blind[a] && blind[b]) ? Infinity : matrix[a][b];
  }
  return { names: [...names], matrix, singularValues: s, nullDirections: nulls };
}

/** Variance of log k from a covariance over theta (log k = log rho + log m in "rhol0"). */
function logKVariance(c: Covariance): number | undefined {
  const i = c.names.indexOf("k");
  if (i >= 0) return c.matrix[i][i];
  const r = c.names.indexOf("rho"), m = c.names.indexOf("m");
  if (r < 0 || m < 0) return undefined;
  return c.matrix[r][r] + c.matrix[m][m] + 2 * c.matrix[r][m];
}

/**
 * Standard errors in SI units (first-order: se(x) = x se(log x); alpha0 in rad): m, k, rho, l0,
 * alpha0, y0, vx0 where the parametrisation determines them; Infinity where the record does not.
 */
export function standardErrors(c: Covariance, w: WalkParams): Record<string, number> {
  const out: Record<string, number> = {};
  const value: Record<string, number> = { ...w, k: w.rho * w.m };
  c.names.forEach((n, i) => {
    const sd = Math.sqrt(c.matrix[i][i]);
    out[n] = n === "alpha0" ? sd : value[n] * sd;
  });
  if (out.rho === undefined && c.names.includes("k") && c.names.includes("m")) {
    const k = c.names.indexOf("k"), m = c.names.indexOf("m");
    out.rho = w.rho * Math.sqrt(c.matrix[k][k] + c.matrix[m][m] - 2 * c.matrix[k][m]);
  }
  const vk = logKVariance(c);
  if (out.k === undefined && vk !== undefined) out.k = value.k * Math.sqrt(vk);
  return out;
}
