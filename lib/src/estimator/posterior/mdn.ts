/**
 * The posterior variant's conditional density: a mixture density network (Bishop 1994). The
 * network's outputs for a record parametrize a mixture of K Gaussians with diagonal covariance
 * over three standardized coordinates, z = (log rho, l0, m):
 *
 *     q(z | record) = sum_k  pi_k  prod_d  N(z_d; mu_kd, sigma_kd)
 *
 * Why these coordinates and this family: the exact posterior (exact.ts) pins rho and l0 (narrow,
 * close to Gaussian; log rho keeps rho positive and makes its spread relative) and spreads m over
 * an interval [a, b] with density proportional to m, a flat-topped shape with sharp edges that a
 * single Gaussian cannot take but a mixture of a few narrow Gaussians along m can. k = rho m is
 * then exact by construction for every sample, on the segment of constant rho, as it is in the
 * truth; a density over (m, k) would have to learn that line. Diagonal components suffice because
 * within a record rho and l0 barely vary. K = 8 components.
 *
 * Outputs of a record, 7K numbers: K mixture logits, K x 3 means, K x 3 log standard deviations
 * (clipped to [-9, 5]), component-major. Trained by the mean negative log-likelihood of the
 * standardized coordinates (nats, including the constant (3/2) log 2 pi).
 */
import * as tf from "@tensorflow/tfjs";
import type { Standardization } from "../data";

/** Mixture components. */
export const COMPONENTS = 8;
/** Coordinates of the density: log rho (rho in 1/s^2), l0 (m), m (kg). */
export const DIMS = 3;
/** Network outputs per record. */
export const MDN_OUTPUTS = COMPONENTS * (1 + 2 * DIMS);
const LOG_SD_MIN = -9, LOG_SD_MAX = 5;
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** Mean negative log-likelihood of standardized targets y [n, 3] under the mixtures of `out` [n, 7K]. */
export function mdnLoss(out: tf.Tensor2D, y: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const n = out.shape[0], K = COMPONENTS, D = DIMS;
    const logits = tf.slice(out, [0, 0], [n, K]);
    const mu = tf.reshape(tf.slice(out, [0, K], [n, K * D]), [n, K, D]);
    const logSd = tf.clipByValue(tf.reshape(tf.slice(out, [0, K + K * D], [n, K * D]), [n, K, D]), LOG_SD_MIN, LOG_SD_MAX);
    const z = tf.mul(tf.sub(tf.reshape(y, [n, 1, D]), mu), tf.exp(tf.neg(logSd)));
    const logComp = tf.sum(tf.sub(tf.mul(tf.square(z), -0.5), logSd), 2);
    const ll = tf.logSumExp(tf.add(tf.logSoftmax(logits), logComp), 1);
    return tf.add(tf.neg(tf.mean(ll)), D * HALF_LOG_2PI) as tf.Scalar;
  });
}

/** One record's mixture in SI coordinates (log rho, l0, m): weights, means and standard deviations, component-major. */
export interface Mixture {
  weights: Float64Array;
  /** [K * 3]: mean of coordinate d of component k at k * 3 + d. */
  mean: Float64Array;
  sd: Float64Array;
}

/** The mixture of output row `row` of `out` (width 7K), standardized coordinates. */
function rawMixture(out: ArrayLike<number>, row: number): Mixture {
  const K = COMPONENTS, D = DIMS, base = row * MDN_OUTPUTS;
  let max = -Infinity;
  for (let k = 0; k < K; k++) max = Math.max(max, out[base + k]);
  const weights = new Float64Array(K);
  let s = 0;
  for (let k = 0; k < K; k++) s += weights[k] = Math.exp(out[base + k] - max);
  for (let k = 0; k < K; k++) weights[k] /= s;
  const mean = new Float64Array(K * D), sd = new Float64Array(K * D);
  for (let j = 0; j < K * D; j++) {
    mean[j] = out[base + K + j];
    sd[j] = Math.exp(Math.min(LOG_SD_MAX, Math.max(LOG_SD_MIN, out[base + K + K * D + j])));
  }
  return { weights, mean, sd };
}

/** Negative log-likelihood (nats) of standardized targets of the records `idx` under the outputs `out` (rows in the order of idx), averaged. */
export function mdnMeanLoss(out: Float32Array, targets: Float32Array, idx: Int32Array): number {
  const K = COMPONENTS, D = DIMS;
  let total = 0;
  const lc = new Float64Array(K);
  for (let i = 0; i < idx.length; i++) {
    const mix = rawMixture(out, i);
    let max = -Infinity;
    for (let k = 0; k < K; k++) {
      let l = Math.log(mix.weights[k]);
      for (let d = 0; d < D; d++) {
        const z = (targets[idx[i] * D + d] - mix.mean[k * D + d]) / mix.sd[k * D + d];
        l += -0.5 * z * z - Math.log(mix.sd[k * D + d]);
      }
      lc[k] = l;
      max = Math.max(max, l);
    }
    let s = 0;
    for (let k = 0; k < K; k++) s += Math.exp(lc[k] - max);
    total += -(max + Math.log(s)) + D * HALF_LOG_2PI;
  }
  return total / idx.length;
}

/** The mixture of output row `row` in SI coordinates (undoing the standardization `st`). */
export function mixtureOf(out: ArrayLike<number>, row: number, st: Pick<Standardization, "targetMean" | "targetStd">): Mixture {
  const m = rawMixture(out, row);
  for (let k = 0; k < COMPONENTS; k++) {
    for (let d = 0; d < DIMS; d++) {
      const j = k * DIMS + d;
      m.mean[j] = m.mean[j] * st.targetStd[d] + st.targetMean[d];
      m.sd[j] *= st.targetStd[d];
    }
  }
  return m;
}

/** Posterior means of m (kg), k (N/m), l0 (m) and rho (1/s^2) under a mixture (log-normal rho within each component). */
export function mixtureMeans(mix: Mixture): { m: number; k: number; l0: number; rho: number } {
  let m = 0, k = 0, l0 = 0, rho = 0;
  for (let c = 0; c < COMPONENTS; c++) {
    const w = mix.weights[c], j = c * DIMS;
    const eRho = Math.exp(mix.mean[j] + 0.5 * mix.sd[j] ** 2);
    rho += w * eRho;
    l0 += w * mix.mean[j + 1];
    m += w * mix.mean[j + 2];
    k += w * eRho * mix.mean[j + 2];
  }
  return { m, k, l0, rho };
}
