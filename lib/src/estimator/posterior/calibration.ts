/**
 * Calibration of a posterior, known answers only (no network): simulation-based calibration
 * (Talts et al. 2018, arXiv 1804.06788) and the coverage of central intervals, for one
 * quantity over many records; and the distance between two one-dimensional distributions.
 *
 * SBC: for each record, the rank of the true value among L posterior samples (0..L, ties broken at
 * random). If the
 * posterior is the right one, the truth is one more draw from it and every rank is equally likely;
 * the ranks, grouped into B equal bins, are tested for uniformity by Pearson's chi-square
 * (B - 1 degrees of freedom). A central interval of probability p from the samples' quantiles
 * holds the truth exactly when its rank lies in [(1 - p)/2 (L + 1), (1 + p)/2 (L + 1)).
 */
import { GaitidError } from "../../errors";
import { chiSquarePValue } from "./stats";

/**
 * The rank of `truth` among `samples`: how many samples lie below it, plus, when some equal it, a
 * uniform draw from 0..(ties) with `r` (Talts et al., section 4: without it a posterior with
 * atoms, or draws clipped to an edge, piles every tie on the lowest rank); without `r` the ties
 * count half (rounded down).
 */
export function rankOf(truth: number, samples: ArrayLike<number>, r?: { next(): number }): number {
  let below = 0, ties = 0;
  for (let i = 0; i < samples.length; i++) {
    if (samples[i] < truth) below++;
    else if (samples[i] === truth) ties++;
  }
  if (ties === 0) return below;
  return below + (r ? Math.min(ties, Math.floor(r.next() * (ties + 1))) : Math.floor(ties / 2));
}

/** SBC of one quantity: the rank histogram and its chi-square test of uniformity. */
export interface SbcResult {
  /** Samples per record (ranks run from 0 to samples). */
  samples: number;
  /** Counts of ranks in `bins` equal bins. */
  histogram: number[];
  chiSquare: number;
  dof: number;
  /** P(chi-square >= the statistic) if the ranks were uniform: small means miscalibrated. */
  pValue: number;
}

/** The most bins (a divisor of L + 1, at most 20) that leave at least 5 expected ranks per bin. */
export function sbcBins(records: number, samples: number): number {
  for (let b = 20; b >= 2; b--) if ((samples + 1) % b === 0 && records / b >= 5) return b;
  return 1;
}

/** The SBC histogram and test of `ranks` (each 0..samples). */
export function sbc(ranks: readonly number[], samples: number, bins = sbcBins(ranks.length, samples)): SbcResult {
  if (ranks.length === 0) throw new GaitidError("SBC needs at least one record");
  if ((samples + 1) % bins !== 0) throw new GaitidError(`SBC bins (${bins}) must divide samples + 1 (${samples + 1})`);
  const histogram = new Array<number>(bins).fill(0);
  const width = (samples + 1) / bins;
  for (const r of ranks) histogram[Math.floor(r / width)]++;
  const expected = ranks.length / bins;
  const chiSquare = histogram.reduce((s, o) => s + (o - expected) ** 2 / expected, 0);
  const dof = bins - 1;
  return { samples, histogram, chiSquare, dof, pValue: dof > 0 ? chiSquarePValue(chiSquare, dof) : 1 };
}

/** Fraction of records whose truth lies in the central interval of probability p, from its rank among `samples`. */
export function coverage(ranks: readonly number[], samples: number, p: number): number {
  const lo = ((1 - p) / 2) * (samples + 1), hi = ((1 + p) / 2) * (samples + 1);
  return ranks.filter((r) => r >= lo && r < hi).length / ranks.length;
}

/**
 * Kolmogorov-Smirnov distance sup |F - G| and Wasserstein-1 distance (integral of |F - G|, in the
 * unit of x) between two distributions given by their CDFs, on [lo, hi] (outside it both must be
 * 0 below and 1 above), from n equal steps (the supremum to within the CDFs' change over a step).
 */
export function cdfDistances(F: (x: number) => number, G: (x: number) => number, lo: number, hi: number, n = 2000): { ks: number; w1: number } {
  const h = (hi - lo) / n;
  let ks = 0, w1 = 0, prev = Math.abs(F(lo) - G(lo));
  ks = prev;
  for (let i = 1; i <= n; i++) {
    const d = Math.abs(F(lo + i * h) - G(lo + i * h));
    ks = Math.max(ks, d);
    w1 += 0.5 * (prev + d) * h;
    prev = d;
  }
  return { ks, w1 };
}
