/**
 * The singular value decomposition of a tall matrix with a few columns by one-sided Jacobi
 * rotations (Hestenes 1958; Demmel & Veselic 1992), on the matrix itself, never on its Gram
 * matrix J^T J.
 *
 * Why not the Gram matrix: forming J^T J squares the singular values, and a symmetric eigen-solver
 * then resolves its eigenvalues only to about eps * sigma_max^2. The smallest singular value comes
 * back with an absolute error of about sqrt(eps) * sigma_max = 1.5e-8 sigma_max: the xy null
 * direction of the walker (sigma_min / sigma_max near 1e-12 or below) would drown in that.
 * One-sided Jacobi rotates the columns of J until they are mutually orthogonal; every rotation
 * touches the data in double precision, so the computed singular values carry an absolute error of
 * about eps * sigma_max (a relative error of about eps * cond(B) when J = B D with D a diagonal
 * column scaling: high relative accuracy for badly scaled but otherwise well-conditioned columns).
 * For three columns a handful of sweeps converge.
 *
 * The one SVD of the project: the derivation's log-sensitivities (symmetry.ts) and the record-level
 * sensitivity analysis (identifiability/analysis.ts, through identifiability/svd.ts) both use it.
 */
import { GaitidError } from "../errors";

/** A thin SVD J = U diag(singularValues) V^T (U is not returned). */
export interface Svd {
  /** Singular values, largest first. */
  singularValues: number[];
  /** Right singular vectors: vectors[i] (length = columns) belongs to singularValues[i]; unit norm. */
  vectors: number[][];
  /** Jacobi sweeps used. */
  sweeps: number;
}

/** Options of {@link jacobiSvd}. */
export interface JacobiOptions {
  /** Two columns count as orthogonal when |u.v| <= tol * |u| |v| (default 1e-15). */
  tol?: number;
  /** Give up after this many sweeps (default 60). */
  maxSweeps?: number;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * The singular values and right singular vectors of the matrix whose columns are `columns`
 * (each of the same length n >= number of columns), by one-sided Jacobi rotations. The input is
 * not modified. Each right singular vector is signed so that its largest-magnitude component is
 * positive (singular vectors are defined up to sign).
 */
export function jacobiSvd(columns: readonly ArrayLike<number>[], opts: JacobiOptions = {}): Svd {
  const p = columns.length;
  if (p === 0) throw new GaitidError("jacobiSvd needs at least one column");
  const n = columns[0].length;
  const U = columns.map((c, j) => {
    if (c.length !== n) throw new GaitidError(`jacobiSvd: column ${j} has ${c.length} rows, column 0 has ${n}`);
    const col = Float64Array.from(c);
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(col[i])) throw new GaitidError(`jacobiSvd: entry (${i}, ${j}) is not finite (${col[i]})`);
    }
    return col;
  });
  // V accumulates the rotations: J V = U, so the columns of V (stored as rows here) are the
  // right singular vectors once the columns of U are orthogonal.
  const V = Array.from({ length: p }, (_, j) => {
    const v = new Float64Array(p);
    v[j] = 1;
    return v;
  });
  const tol = opts.tol ?? 1e-15;
  const maxSweeps = opts.maxSweeps ?? 60;
  let sweeps = 0;
  for (; sweeps < maxSweeps; ) {
    let rotated = false;
    for (let i = 0; i < p - 1; i++) {
      for (let j = i + 1; j < p; j++) {
        const ui = U[i], uj = U[j];
        const a = dot(ui, ui), b = dot(uj, uj), c = dot(ui, uj);
        if (c === 0 || Math.abs(c) <= tol * Math.sqrt(a) * Math.sqrt(b)) continue;
        rotated = true;
        // The rotation that zeroes the off-diagonal entry of the 2x2 Gram block [[a, c], [c, b]]:
        // t = tan(theta) is the smaller root of t^2 + 2 zeta t - 1 = 0 (stable form).
        const zeta = (b - a) / (2 * c);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const cs = 1 / Math.sqrt(1 + t * t);
        const sn = cs * t;
        for (let r = 0; r < n; r++) {
          const x = ui[r], y = uj[r];
          ui[r] = cs * x - sn * y;
          uj[r] = sn * x + cs * y;
        }
        const vi = V[i], vj = V[j];
        for (let r = 0; r < p; r++) {
          const x = vi[r], y = vj[r];
          vi[r] = cs * x - sn * y;
          vj[r] = sn * x + cs * y;
        }
      }
    }
    sweeps++;
    if (!rotated) break;
  }
  if (sweeps >= maxSweeps) throw new GaitidError(`jacobiSvd did not converge in ${maxSweeps} sweeps`);
  const sigma = U.map((u) => Math.sqrt(dot(u, u)));
  const order = sigma.map((_, j) => j).sort((x, y) => sigma[y] - sigma[x]);
  const vectors = order.map((j) => {
    const v = Array.from(V[j]);
    let big = 0;
    for (let r = 1; r < p; r++) if (Math.abs(v[r]) > Math.abs(v[big])) big = r;
    return v[big] < 0 ? v.map((x) => -x) : v;
  });
  return { singularValues: order.map((j) => sigma[j]), vectors, sweeps };
}

/** The angle (rad, in [0, pi/2]) between the lines spanned by two vectors: sign does not matter. */
export function lineAngle(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new GaitidError(`lineAngle: vectors of lengths ${a.length} and ${b.length}`);
  const na = Math.hypot(...a), nb = Math.hypot(...b);
  let c = 0;
  for (let i = 0; i < a.length; i++) c += (a[i] / na) * (b[i] / nb);
  // atan2 of the orthogonal part against the parallel part: accurate for tiny angles, where
  // acos(|cos|) loses half the digits.
  let s2 = 0;
  for (let i = 0; i < a.length; i++) {
    const r = a[i] / na - c * (b[i] / nb);
    s2 += r * r;
  }
  return Math.atan2(Math.sqrt(s2), Math.abs(c));
}
