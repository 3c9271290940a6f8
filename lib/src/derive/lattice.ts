/**
 * Exact integer linear algebra for the scaling analysis: integer null spaces (kernels) by
 * unimodular row operations, canonical (Hermite) bases, and monomials m^p k^q l0^r as text.
 * Everything stays in safe integers; an overflow throws instead of rounding.
 */

/** An integer vector (exponents over the parameters). */
export type IntVector = number[];

function checkInt(v: number): number {
  if (!Number.isSafeInteger(v)) throw new Error(`lattice: integer overflow (${v})`);
  return v;
}

export function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Divides a non-zero integer vector by the gcd of its entries (the zero vector stays). */
export function primitive(v: IntVector): IntVector {
  const g = v.reduce((acc, x) => gcd(acc, x), 0);
  return g === 0 ? v.slice() : v.map((x) => x / g);
}

export function isZeroVector(v: IntVector): boolean {
  return v.every((x) => x === 0);
}

export function dot(a: IntVector, b: IntVector): number {
  return a.reduce((acc, x, i) => acc + x * b[i], 0);
}

/**
 * Integer row echelon form by unimodular row operations (swaps, adding integer multiples), applied
 * to `rows` and mirrored on `companion` (same number of rows). Pivots are made positive and the
 * entries above each pivot are reduced into [0, pivot): for a lattice basis this is the Hermite
 * normal form, which is unique for the lattice. Returns the pivot columns.
 */
function echelon(rows: IntVector[], companion: IntVector[] | null): number[] {
  const nRows = rows.length;
  const nCols = nRows === 0 ? 0 : rows[0].length;
  const swap = (i: number, j: number) => {
    [rows[i], rows[j]] = [rows[j], rows[i]];
    if (companion) [companion[i], companion[j]] = [companion[j], companion[i]];
  };
  const addMultiple = (target: number, source: number, factor: number) => {
    if (factor === 0) return;
    rows[target] = rows[target].map((x, c) => checkInt(x + factor * rows[source][c]));
    if (companion) companion[target] = companion[target].map((x, c) => checkInt(x + factor * companion[source][c]));
  };
  const negate = (i: number) => {
    rows[i] = rows[i].map((x) => (x === 0 ? 0 : -x));
    if (companion) companion[i] = companion[i].map((x) => (x === 0 ? 0 : -x));
  };
  const pivots: number[] = [];
  let r = 0;
  for (let c = 0; c < nCols && r < nRows; c++) {
    // Euclid on column c among rows r..: until one row holds the gcd and the others hold 0.
    for (;;) {
      let best = -1;
      for (let i = r; i < nRows; i++) {
        if (rows[i][c] !== 0 && (best < 0 || Math.abs(rows[i][c]) < Math.abs(rows[best][c]))) best = i;
      }
      if (best < 0) break;
      swap(r, best);
      let done = true;
      for (let i = r + 1; i < nRows; i++) {
        if (rows[i][c] !== 0) {
          addMultiple(i, r, -Math.trunc(rows[i][c] / rows[r][c]));
          if (rows[i][c] !== 0) done = false;
        }
      }
      if (done) break;
    }
    if (rows[r][c] === 0) continue;
    if (rows[r][c] < 0) negate(r);
    for (let i = 0; i < r; i++) addMultiple(i, r, -Math.floor(rows[i][c] / rows[r][c]));
    pivots.push(c);
    r++;
  }
  return pivots;
}

/**
 * A basis of the integer kernel {v in Z^n : A v = 0} of the r x n matrix `a` (rows of length n).
 * Method: row-reduce [A^T | I] by unimodular operations; the identity-part rows whose A^T-part
 * became zero form a basis of the kernel lattice (not just of the rational null space).
 * Returned in Hermite normal form (first non-zero entry of each vector positive).
 */
export function integerKernel(a: IntVector[], n: number): IntVector[] {
  if (a.length === 0) return identity(n);
  const at: IntVector[] = [];
  for (let j = 0; j < n; j++) at.push(a.map((row) => row[j]));
  const u = identity(n);
  echelon(at, u);
  const basis = u.filter((_, i) => isZeroVector(at[i]));
  return hermite(basis);
}

/** The n x n identity (rows). */
export function identity(n: number): IntVector[] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}

/** Hermite normal form of a lattice basis (zero rows dropped): canonical, pivots positive. */
export function hermite(basis: IntVector[]): IntVector[] {
  const rows = basis.map((v) => v.slice());
  echelon(rows, null);
  return rows.filter((v) => !isZeroVector(v));
}

/**
 * The same canonical form read from the right: each vector's last non-zero entry is its pivot and
 * positive; sorted by pivot position. Used for invariants, so that k/m (exponents (-1, 1, 0) over
 * (m, k, l0)) comes out rather than m/k.
 */
export function hermiteFromRight(basis: IntVector[]): IntVector[] {
  const reversed = hermite(basis.map((v) => v.slice().reverse())).map((v) => v.reverse());
  const lastNonZero = (v: IntVector) => v.reduce((acc, x, i) => (x !== 0 ? i : acc), -1);
  return reversed.sort((p, q) => lastNonZero(p) - lastNonZero(q));
}

/** Rank of an integer matrix (exact). */
export function rank(rows: IntVector[]): number {
  return hermite(rows).length;
}

/** Whether v lies in the rational span of `basis` (so, for a saturated lattice, in the lattice). */
export function inSpan(v: IntVector, basis: IntVector[]): boolean {
  return rank([...basis, v]) === rank(basis);
}

/** A vector scaled so that its last non-zero entry is positive (a monomial's canonical sign). */
export function signFromRight(v: IntVector): IntVector {
  for (let i = v.length - 1; i >= 0; i--) {
    if (v[i] !== 0) return v[i] < 0 ? v.map((x) => (x === 0 ? 0 : -x)) : v.slice();
  }
  return v.slice();
}

/** The monomial prod names[i]^v[i] in mathjs syntax: (-1, 1, 0) over (m, k, l0) -> "k/m". */
export function monomialText(v: IntVector, names: readonly string[]): string {
  const factor = (name: string, e: number) => (e === 1 ? name : `${name}^${e}`);
  const num: string[] = [];
  const den: string[] = [];
  v.forEach((e, i) => {
    if (e > 0) num.push(factor(names[i], e));
    if (e < 0) den.push(factor(names[i], -e));
  });
  const top = num.length === 0 ? "1" : num.join("*");
  if (den.length === 0) return top;
  return `${num.length > 1 ? `(${top})` : top}/${den.length > 1 ? `(${den.join("*")})` : den[0]}`;
}

/** Approximates a float by a fraction p/q with q <= maxDen (exactly, within 1e-9), else throws. */
export function asFraction(x: number, maxDen = 64): [number, number] {
  for (let q = 1; q <= maxDen; q++) {
    const p = Math.round(x * q);
    if (Math.abs(p / q - x) < 1e-9) return [p, q];
  }
  throw new Error(`lattice: ${x} is not a fraction with a small denominator`);
}

/** Scales a vector of small fractions to the primitive integer vector on the same ray. */
export function integerRay(v: number[]): IntVector {
  const fr = v.map((x) => asFraction(x));
  const lcm = fr.reduce((acc, [, q]) => (acc * q) / gcd(acc, q), 1);
  return primitive(fr.map(([p, q]) => (p * lcm) / q));
}
