/**
 * Numeric side of the derivation: a seeded random number generator, random points (parameters and
 * walking states) and relative errors.
 */

/** mulberry32: a small seeded PRNG with uniform output in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function uniform(rng: () => number, lo: number, hi: number): number {
  return lo + (hi - lo) * rng();
}

/** A random point: subject parameters (the paper's priors), g, and a state with compressed legs. */
export interface Point {
  m: number;
  k: number;
  l0: number;
  g: number;
  rho: number;
  x: number;
  y: number;
  x_a: number;
  x_b: number;
  x_dot: number;
  y_dot: number;
  x_dd: number;
  y_dd: number;
  alpha0: number;
  [name: string]: number;
}

/**
 * Draws a point: m ~ U[60, 75] kg, k ~ U[8000, 10000] N/m, l0 ~ U[0.6, 0.8] m, g ~ U[9, 10.5]
 * (g is a symbol, so any value tests the identities), rho = k / m; the CoM at height
 * y ~ U[0.8, 0.97] l0 between a rear foot x_a and a front foot x_b, both legs shorter than l0
 * (the double-support configuration; single support uses x_a only).
 */
export function randomPoint(rng: () => number): Point {
  const m = uniform(rng, 60, 75);
  const k = uniform(rng, 8000, 10000);
  const l0 = uniform(rng, 0.6, 0.8);
  const y = l0 * uniform(rng, 0.8, 0.97);
  const reach = Math.sqrt(l0 * l0 - y * y);
  const x_a = uniform(rng, -1, 1);
  const x = x_a + reach * uniform(rng, 0.05, 0.95);
  const x_b = x + reach * uniform(rng, 0.05, 0.95);
  return {
    m,
    k,
    l0,
    g: uniform(rng, 9, 10.5),
    rho: k / m,
    x,
    y,
    x_a,
    x_b,
    x_dot: uniform(rng, 0.5, 1.2),
    y_dot: uniform(rng, -0.3, 0.3),
    x_dd: uniform(rng, -5, 5),
    y_dd: uniform(rng, -5, 5),
    alpha0: uniform(rng, 1.0, 1.15),
  };
}

/** |a - b| relative to the largest of |a|, |b| and `scale` (use scale for quantities near 0). */
export function relativeError(a: number, b: number, scale = 0): number {
  const d = Math.abs(a - b);
  if (d === 0) return 0;
  return d / Math.max(Math.abs(a), Math.abs(b), Math.abs(scale), Number.MIN_VALUE);
}
