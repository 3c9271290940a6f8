/**
 * Numeric side of the derivation: a seeded random number generator, random points (parameters and
 * walking states), relative errors, and the eigenvalues of small symmetric matrices.
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

/**
 * Singular values (descending) and right singular vectors (columns of `vectors`, same order) of a
 * tall matrix given by its rows, by one-sided Jacobi rotations (accurate to rounding, unlike the
 * eigenvalues of J^T J whose square roots cannot resolve values below ~1e-8 of the largest).
 */
export function singularValues(rows: readonly number[][]): { values: number[]; vectors: number[][] } {
  const n = rows.length === 0 ? 0 : rows[0].length;
  const U = rows.map((r) => r.slice());
  const V: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        let alpha = 0, beta = 0, gamma = 0;
        for (const r of U) {
          alpha += r[p] * r[p];
          beta += r[q] * r[q];
          gamma += r[p] * r[q];
        }
        if (gamma === 0 || Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (const r of U) {
          const a = r[p], b = r[q];
          r[p] = c * a - s * b;
          r[q] = s * a + c * b;
        }
        for (const r of V) {
          const a = r[p], b = r[q];
          r[p] = c * a - s * b;
          r[q] = s * a + c * b;
        }
      }
    }
    if (!rotated) break;
  }
  const norms = Array.from({ length: n }, (_, j) => Math.sqrt(U.reduce((acc, r) => acc + r[j] * r[j], 0)));
  const order = norms.map((_, i) => i).sort((i, j) => norms[j] - norms[i]);
  return { values: order.map((i) => norms[i]), vectors: V.map((row) => order.map((i) => row[i])) };
}
