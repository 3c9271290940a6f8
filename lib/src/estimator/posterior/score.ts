/**
 * Scores of a learned posterior on the test records against the exact one (exact.ts):
 * - m: Kolmogorov-Smirnov and Wasserstein-1 distances between the learned marginal of m (over
 *   the learned uncertainty of rho too) and the exact p(m | rho of the record), averaged over records;
 * - rho and l0: the posterior's width (root mean posterior variance) against the error of its
 *   mean (RMSE): a calibrated posterior has a ratio RMSE / width near 1;
 * - SBC ranks and their chi-square test, and the coverage of central 50 % and 90 % intervals, for
 *   m, k, l0 and rho, from `samples` posterior draws per record (seeded by the run's seed and the
 *   record id, so a score is reproducible; a tie of the truth with draws is broken at random from
 *   the same stream, as Talts et al. prescribe).
 * With a recalibration (recalibration.ts) the same scores are of the recalibrated posterior: each
 * draw's log rho and l0 mapped through the run's maps (the same random numbers as the raw draws),
 * m's marginal from the mapped nodes of log rho, and the widths by quadrature.
 */
import { Rng } from "../../random";
import type { MkPriors } from "../floor";
import { finiteOrNull, type MaybeNumber } from "../metrics";
import { STREAM } from "../rng";
import type { Quantity } from "../variant";
import { coverage, rankOf, sbc, type SbcResult } from "./calibration";
import { massPosterior, type MassPosterior } from "./exact";
import { massBounds, massFromProbit, massPriorCdf } from "./coords";
import { COMPONENTS, DIMS, gaussHermite, type Mixture } from "./mdn";
import { normalCdf, normalQuantile } from "./stats";
import { recalibrator } from "./marginal";
import { coordinateIndex, type PosteriorRecalibration } from "./recalibration";

/** Posterior draws per record for SBC and coverage (ranks 0..999, 1000 = 20 bins x 50). */
export const POSTERIOR_SAMPLES = 999;

/** What metrics.json holds of a posterior run (`posterior`). */
export interface PosteriorScores {
  components: number;
  samples: number;
  /** Distances between the learned and the exact posterior of m, over test records: mean, median and 90th percentile of KS; mean W1 (kg). */
  m: { ks: number; ksMedian: number; ksP90: number; w1: number };
  /** Posterior width against error: RMSE of the posterior mean and root mean posterior variance (1/s^2 for rho, m for l0), and RMSE / width. */
  width: Record<"rho" | "l0", { rmse: number; sd: number; ratio: MaybeNumber }>;
  sbc: Record<Quantity, SbcResult>;
  /** Fraction of test records inside the central 50 % and 90 % intervals. */
  coverage: Record<Quantity, { c50: number; c90: number }>;
}

const j = (k: number, d: number): number => k * DIMS + d;

/**
 * The learned marginal of m as a sum of pieces: each mixture component at each Gauss-Hermite node
 * of its log rho, with weight `w`, the support [lo, hi] of m at that rho, and mProbit ~ N(mu, sd)
 * (coords.ts: m = sqrt(lo^2 + Phi(mProbit) (hi^2 - lo^2))). A node at an end of the range of rho
 * has lo = hi: a point mass there.
 */
interface MassPieces {
  w: number[];
  lo: number[];
  hi: number[];
  mu: number[];
  sd: number[];
}

/** One record's recalibration: each recalibrated coordinate's value mapped (marginal.ts). */
export interface RecordRecalibration {
  logRho(x: number): number;
  l0(x: number): number;
}

/** The recalibration of the record whose mixture is `mix`, through the run's maps `recal`. */
export function recordRecalibration(mix: Mixture, recal: PosteriorRecalibration): RecordRecalibration {
  return { logRho: recalibrator(mix, coordinateIndex("logRho"), recal.maps.logRho), l0: recalibrator(mix, coordinateIndex("l0"), recal.maps.l0) };
}

/** Log rho of a draw or node as scored: recalibrated when `recal` is given. */
function logRhoOf(v: number, recal?: RecordRecalibration): number {
  return recal ? recal.logRho(v) : v;
}

/** The pieces of m's learned marginal for `nodes` Gauss-Hermite nodes per component (see {@link MassPieces}), each node of log rho recalibrated if `recal` is given. */
function massPieces(mix: Mixture, priors: MkPriors, nodes: number, recal?: RecordRecalibration): MassPieces {
  const gh = gaussHermite(nodes);
  const out: MassPieces = { w: [], lo: [], hi: [], mu: [], sd: [] };
  for (let k = 0; k < COMPONENTS; k++) {
    if (!(mix.weights[k] > 1e-12)) continue;
    for (let q = 0; q < gh.x.length; q++) {
      const [a, b] = massBounds(Math.exp(logRhoOf(mix.mean[j(k, 0)] + mix.sd[j(k, 0)] * gh.x[q], recal)), priors);
      out.w.push(mix.weights[k] * gh.w[q]);
      out.lo.push(a);
      out.hi.push(b);
      out.mu.push(mix.mean[j(k, 2)]);
      out.sd.push(mix.sd[j(k, 2)]);
    }
  }
  return out;
}

/**
 * The learned marginal density of m (1/kg) at each of `ms` (kg), by `nodes` Gauss-Hermite nodes over
 * log rho (more than the CDF needs: the density shows each node's edges). With u = F(m | rho) and
 * z = Phi^-1(u), a piece's density is phi((z - mu)/sd) / (sd phi(z)) * 2 m / (hi^2 - lo^2).
 */
export function massDensity(mix: Mixture, ms: readonly number[], priors: MkPriors, nodes = 24): number[] {
  const { w, lo, hi, mu, sd } = massPieces(mix, priors, nodes);
  return ms.map((m) => {
    let s = 0;
    for (let i = 0; i < w.length; i++) {
      if (!(m > lo[i] && m < hi[i])) continue; // also skips point masses, which have no density
      const d = hi[i] * hi[i] - lo[i] * lo[i];
      const z = normalQuantile(Math.min(1 - 1e-12, Math.max(1e-12, (m * m - lo[i] * lo[i]) / d)));
      const t = (z - mu[i]) / sd[i];
      s += w[i] * (Math.exp(0.5 * z * z - 0.5 * t * t) / sd[i]) * ((2 * m) / d);
    }
    return s;
  });
}

/**
 * KS and W1 (kg) between the mixture's marginal of m and the exact posterior. Within a piece
 * ({@link MassPieces}) the CDF of m is that of mProbit at Phi^-1(F(m | rho)); the pieces come from
 * Gauss-Hermite quadrature over log rho (9 nodes). Both CDFs are compared on `n` equal steps over
 * the union of the exact support [a, b] and the pieces' (outside it both are 0 below and 1 above).
 */
export function massDistances(mix: Mixture, exact: MassPosterior, priors: MkPriors, n = 1000, recal?: RecordRecalibration): { ks: number; w1: number } {
  const { w, lo, hi, mu, sd } = massPieces(mix, priors, 9, recal);
  const from = Math.min(exact.a, ...lo), to = Math.max(exact.b, ...hi);
  const F = (m: number): number => {
    let s = 0;
    for (let i = 0; i < w.length; i++) {
      // (A node at an end of the range of rho has a = b: a point mass there.)
      const u = massPriorCdf(m, lo[i], hi[i]);
      s += u <= 0 ? 0 : u >= 1 ? w[i] : w[i] * normalCdf((normalQuantile(u) - mu[i]) / sd[i]);
    }
    return s;
  };
  const h = (to - from) / n;
  let ks = 0, w1 = 0, prev = 0;
  for (let i = 0; i <= n; i++) {
    const x = from + i * h, d = Math.abs(F(x) - exact.cdf(x));
    ks = Math.max(ks, d);
    if (i > 0) w1 += 0.5 * (prev + d) * h;
    prev = d;
  }
  return { ks, w1 };
}

/**
 * `samples` draws of (m, k, l0, rho) from a mixture: m from mProbit at the drawn rho (coords.ts),
 * k = rho m; with `recal`, log rho and l0 of each draw recalibrated (before m is made from rho).
 */
export function sampleMixture(mix: Mixture, samples: number, r: Rng, priors: MkPriors, recal?: RecordRecalibration): Record<Quantity, Float64Array> {
  const out = { m: new Float64Array(samples), k: new Float64Array(samples), l0: new Float64Array(samples), rho: new Float64Array(samples) };
  for (let s = 0; s < samples; s++) {
    let u = r.next(), k = 0;
    while (k < COMPONENTS - 1 && u >= mix.weights[k]) u -= mix.weights[k++];
    const rho = Math.exp(logRhoOf(mix.mean[j(k, 0)] + mix.sd[j(k, 0)] * r.normal(), recal));
    const l0raw = mix.mean[j(k, 1)] + mix.sd[j(k, 1)] * r.normal();
    const l0 = recal ? recal.l0(l0raw) : l0raw;
    const m = massFromProbit(mix.mean[j(k, 2)] + mix.sd[j(k, 2)] * r.normal(), rho, priors);
    out.m[s] = m;
    out.k[s] = rho * m;
    out.l0[s] = l0;
    out.rho[s] = rho;
  }
  return out;
}

/** Nodes of the quadrature of the recalibrated moments. */
const GH_MOMENTS = gaussHermite(24);

/** Posterior mean and variance of rho and l0 after recalibration: each component's nodes mapped, by Gauss-Hermite quadrature. */
function recalibratedMoments(mix: Mixture, recal: RecordRecalibration): { rho: [number, number]; l0: [number, number] } {
  let r1 = 0, r2 = 0, l1 = 0, l2 = 0;
  for (let k = 0; k < COMPONENTS; k++) {
    if (!(mix.weights[k] > 1e-12)) continue;
    for (let q = 0; q < GH_MOMENTS.x.length; q++) {
      const w = mix.weights[k] * GH_MOMENTS.w[q];
      const rho = Math.exp(recal.logRho(mix.mean[j(k, 0)] + mix.sd[j(k, 0)] * GH_MOMENTS.x[q]));
      const l0 = recal.l0(mix.mean[j(k, 1)] + mix.sd[j(k, 1)] * GH_MOMENTS.x[q]);
      r1 += w * rho;
      r2 += w * rho * rho;
      l1 += w * l0;
      l2 += w * l0 * l0;
    }
  }
  return { rho: [r1, Math.max(0, r2 - r1 * r1)], l0: [l1, Math.max(0, l2 - l1 * l1)] };
}

/** Posterior mean and variance of rho (log-normal components) and of l0. */
function moments(mix: Mixture): { rho: [number, number]; l0: [number, number] } {
  let r1 = 0, r2 = 0, l1 = 0, l2 = 0;
  for (let k = 0; k < COMPONENTS; k++) {
    const w = mix.weights[k], mu = mix.mean[j(k, 0)], s2 = mix.sd[j(k, 0)] ** 2;
    r1 += w * Math.exp(mu + s2 / 2);
    r2 += w * Math.exp(2 * mu + 2 * s2);
    const lm = mix.mean[j(k, 1)], ls = mix.sd[j(k, 1)];
    l1 += w * lm;
    l2 += w * (ls * ls + lm * lm);
  }
  return { rho: [r1, Math.max(0, r2 - r1 * r1)], l0: [l1, Math.max(0, l2 - l1 * l1)] };
}

const quantile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

/**
 * Scores of the mixtures of the test records `truth` (true m, k, l0, rho) under `priors`; draws
 * seeded by (seed, record id); of the recalibrated posterior when `recal` is given.
 */
export function scorePosterior(ids: readonly number[], mixtures: readonly Mixture[], truth: Record<Quantity, readonly number[]>, priors: MkPriors, seed: number, samples = POSTERIOR_SAMPLES, recal?: PosteriorRecalibration): PosteriorScores {
  const n = ids.length;
  const ks: number[] = [], ranks: Record<Quantity, number[]> = { m: [], k: [], l0: [], rho: [] };
  let w1 = 0;
  const err = { rho: 0, l0: 0 }, vars = { rho: 0, l0: 0 };
  for (let i = 0; i < n; i++) {
    const mix = mixtures[i];
    const rr = recal && recordRecalibration(mix, recal);
    const d = massDistances(mix, massPosterior(truth.rho[i], priors), priors, 1000, rr);
    ks.push(d.ks);
    w1 += d.w1;
    const mo = rr ? recalibratedMoments(mix, rr) : moments(mix);
    for (const q of ["rho", "l0"] as const) {
      err[q] += (mo[q][0] - truth[q][i]) ** 2;
      vars[q] += mo[q][1];
    }
    const r = new Rng(seed, STREAM.posterior, ids[i]);
    const draws = sampleMixture(mix, samples, r, priors, rr);
    for (const q of ["m", "k", "l0", "rho"] as const) ranks[q].push(rankOf(truth[q][i], draws[q], r));
  }
  const sorted = [...ks].sort((a, b) => a - b);
  const width = (q: "rho" | "l0") => {
    const rmse = Math.sqrt(err[q] / n), sd = Math.sqrt(vars[q] / n);
    return { rmse, sd, ratio: finiteOrNull(rmse / sd) };
  };
  const qs = ["m", "k", "l0", "rho"] as const;
  return {
    components: COMPONENTS,
    samples,
    m: { ks: ks.reduce((a, b) => a + b, 0) / n, ksMedian: quantile(sorted, 0.5), ksP90: quantile(sorted, 0.9), w1: w1 / n },
    width: { rho: width("rho"), l0: width("l0") },
    sbc: Object.fromEntries(qs.map((q) => [q, sbc(ranks[q], samples)])) as Record<Quantity, SbcResult>,
    coverage: Object.fromEntries(qs.map((q) => [q, { c50: coverage(ranks[q], samples, 0.5), c90: coverage(ranks[q], samples, 0.9) }])) as PosteriorScores["coverage"],
  };
}
