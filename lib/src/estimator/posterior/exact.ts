/**
 * The exact posterior of m given rho under the study's independent uniform priors
 * m ~ U[m1, m2] (kg), k ~ U[k1, k2] (N/m). The change of variables (m, k) -> (m, rho = k/m) has
 * Jacobian m, so given rho (1/s^2)
 *
 *     p(m | rho) = 2 m / (b^2 - a^2)   on   [a, b] = [max(m1, k1/rho), min(m2, k2/rho)],
 *     F(m | rho) = (m^2 - a^2) / (b^2 - a^2),   F^-1(u) = sqrt(a^2 + u (b^2 - a^2)),
 *
 * k = rho m exactly (the posterior of (m, k) lies on a segment of the line of constant rho), and
 * l0 is pinned by the record. floor.ts has the moments of the same density.
 */
import { GaitidError } from "../../errors";
import { massInterval, rhoRange, type MkPriors } from "../floor";
import type { Rng } from "../../random";

/** The exact conditional of m given rho: its support [a, b] (kg) and density, CDF, quantile. */
export interface MassPosterior {
  a: number;
  b: number;
  pdf(m: number): number;
  cdf(m: number): number;
  quantile(u: number): number;
  sample(r: Rng): number;
}

/** p(m | rho) under `priors` (a rho outside the range the priors allow is an error). */
export function massPosterior(rho: number, priors: MkPriors): MassPosterior {
  const [a, b] = massInterval(rho, priors);
  if (!(rho > 0) || !(b > a)) {
    const [lo, hi] = rhoRange(priors);
    throw new GaitidError(`rho = ${rho} 1/s^2 leaves no mass interval under the priors (rho must lie in (${lo}, ${hi}))`);
  }
  const a2 = a * a, d = b * b - a2;
  const cdf = (m: number): number => (m <= a ? 0 : m >= b ? 1 : (m * m - a2) / d);
  const quantile = (u: number): number => Math.sqrt(a2 + Math.min(1, Math.max(0, u)) * d);
  return { a, b, pdf: (m) => (m < a || m > b ? 0 : (2 * m) / d), cdf, quantile, sample: (r) => quantile(r.next()) };
}
