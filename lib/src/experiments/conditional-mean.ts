/**
 * A conditional mean E[y | z] estimated from a sample: local linear kernel regression with a
 * Gaussian kernel on the standardized coordinates z, the bandwidth chosen by leave-one-out cross
 * validation over a grid.
 *
 * Why this and not a closed form: the floor of a design is the posterior mean of m given what a
 * record determines, under the design's joint distribution of subject and gait condition. That
 * distribution includes the generator's acceptance (a gait condition is redrawn until the walk
 * works, the subject never), whose probability depends on the subject through a simulation and has
 * no closed form; a generated dataset is an exact sample from it. Local linear regression (rather
 * than a plain kernel average) keeps the bias first order at the edges of the support, where the
 * posterior mean has its kinks (the prior bounds of m and k at a given rho). The estimate's own
 * error makes the estimated floor slightly larger than the true one, never smaller on average;
 * {@link kernelConditionalMean} is tested against cases with a known answer (E[m | rho] under
 * uniform priors, and E[m | rho, e] with e = E/m for E drawn in joules without acceptance).
 */
import { GaitidError } from "../errors";

/** Bandwidths tried, in standard deviations of each coordinate. */
export const BANDWIDTHS: readonly number[] = [0.015, 0.025, 0.04, 0.06, 0.09, 0.13, 0.2, 0.3];

/** A fitted conditional mean. */
export interface ConditionalMean {
  /** Chosen bandwidth, standard deviations of each coordinate. */
  bandwidth: number;
  /** Leave-one-out RMSE at each bandwidth tried (units of y). */
  cv: { bandwidth: number; rmse: number }[];
  /** E[y | z] at a point (z in the original units). */
  predict(z: readonly number[]): number;
}

/** Solves the small symmetric system A b = v (Gaussian elimination with partial pivoting); undefined when singular. */
function solve(A: number[][], v: number[]): number[] | undefined {
  const n = v.length;
  const M = A.map((row, i) => [...row, v[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    if (!(Math.abs(M[p][c]) > 1e-12 * Math.abs(M[0][0]))) return undefined;
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = c + 1; r < n; r++) {
      const f = M[r][c] / M[c][c];
      for (let j = c; j <= n; j++) M[r][j] -= f * M[c][j];
    }
  }
  const b = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r][n];
    for (let j = r + 1; j < n; j++) s -= M[r][j] * b[j];
    b[r] = s / M[r][r];
  }
  return b;
}

/** Local linear estimate at q (standardized) from the standardized sample, leaving out index `skip`. */
function localLinear(Z: readonly Float64Array[], y: readonly number[], q: readonly number[], h: number, skip = -1): number {
  const d = q.length, p = d + 1;
  const A = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const v = new Array<number>(p).fill(0);
  const u = new Array<number>(p);
  const inv = 1 / (2 * h * h);
  const dist2 = (i: number): number => {
    let r2 = 0;
    for (let j = 0; j < d; j++) r2 += (Z[j][i] - q[j]) ** 2;
    return r2;
  };
  // Weights relative to the nearest point, so that they never all underflow (a sparse sample, a small bandwidth).
  let nearest = Infinity;
  for (let i = 0; i < y.length; i++) if (i !== skip) nearest = Math.min(nearest, dist2(i));
  let wsum = 0, wy = 0;
  for (let i = 0; i < y.length; i++) {
    if (i === skip) continue;
    u[0] = 1;
    for (let j = 0; j < d; j++) u[j + 1] = Z[j][i] - q[j];
    const w = Math.exp(-(dist2(i) - nearest) * inv);
    if (w < 1e-300) continue;
    wsum += w;
    wy += w * y[i];
    for (let a = 0; a < p; a++) {
      v[a] += w * u[a] * y[i];
      for (let b = a; b < p; b++) A[a][b] += w * u[a] * u[b];
    }
  }
  if (!(wsum > 0)) return Number.NaN;
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) A[a][b] = A[b][a];
  const beta = solve(A, v);
  // Too few neighbours for a local line: the local average.
  return beta && Number.isFinite(beta[0]) ? beta[0] : wy / wsum;
}

/**
 * Fits E[y | z] to the sample (z: one array per coordinate, each as long as y). `cvPoints` sample
 * points (evenly spread over the sample) score each bandwidth by leave-one-out.
 */
export function kernelConditionalMean(z: readonly (readonly number[])[], y: readonly number[], opts: { bandwidths?: readonly number[]; cvPoints?: number } = {}): ConditionalMean {
  const n = y.length;
  if (z.length === 0) throw new GaitidError("a conditional mean needs at least one coordinate to condition on");
  if (n < 10) throw new GaitidError(`a conditional mean needs at least 10 sample points; got ${n}`);
  for (const c of z) if (c.length !== n) throw new GaitidError(`every coordinate needs ${n} values (one per sample point); got ${c.length}`);
  const scale = z.map((c) => {
    const mean = c.reduce((s, v) => s + v, 0) / n;
    const sd = Math.sqrt(c.reduce((s, v) => s + (v - mean) ** 2, 0) / n);
    if (!(sd > 0)) throw new GaitidError("a coordinate to condition on is constant over the sample");
    return { mean, sd };
  });
  const Z = z.map((c, j) => Float64Array.from(c, (v) => (v - scale[j].mean) / scale[j].sd));
  const std = (q: readonly number[]): number[] => q.map((v, j) => (v - scale[j].mean) / scale[j].sd);
  const m = Math.min(n, opts.cvPoints ?? 1000);
  const cvIdx = Array.from({ length: m }, (_, i) => Math.floor((i * n) / m));
  const cv = (opts.bandwidths ?? BANDWIDTHS).map((h) => {
    let s = 0;
    for (const i of cvIdx) s += (localLinear(Z, y, Z.map((c) => c[i]), h, i) - y[i]) ** 2;
    // A bandwidth that cannot predict every held-out point (NaN) is not a candidate.
    return { bandwidth: h, rmse: Number.isFinite(s) ? Math.sqrt(s / m) : Infinity };
  });
  const best = cv.reduce((a, b) => (b.rmse < a.rmse ? b : a));
  return { bandwidth: best.bandwidth, cv, predict: (q) => localLinear(Z, y, std(q), best.bandwidth) };
}
