/**
 * The constructive inversion: rho and l0 recovered from a noise-free (x, y) record, which proves
 * that they are identifiable (the scaling analysis, symmetry.ts, only shows that nothing beyond
 * them is).
 *
 * In single support the only force besides gravity is the stance leg's, along the leg, so
 * (x'', y'' + g) is parallel to (x - x_a, y):
 *   x - x_a = y x'' / (y'' + g)                         (the stance foot, from the record)
 * (y'' + g > 0 while the leg is compressed). With the foot, the leg length l_a is known, and
 *   (y'' + g) / y = rho (l0 / l_a - 1) = (rho l0) (1 / l_a) - rho,
 * affine in 1/l_a with slope rho l0 and intercept -rho: two instants with different leg lengths
 * fix rho and rho l0. At a single instant (x'', y'') depend on (rho, l0) only through
 * rho (l0/l_a - 1), so the Jacobian d(x'', y'')/d(rho, l0) is singular there: one state gives one
 * combination, a stance phase (along which l_a changes) gives both.
 *
 * {@link invertStance} does this on samples by least squares over all of them (exact on
 * noise-free data; the fit only averages rounding).
 */
import { GaitidError } from "../errors";

/** A single-support sample: position (m) and acceleration (m/s^2), with its stance phase index. */
export interface StanceSample {
  x: number;
  y: number;
  xdd: number;
  ydd: number;
  /** Index of the single-support phase the sample belongs to. */
  stance: number;
}

/** What the inversion recovers. */
export interface Inversion {
  /** Stiffness per unit mass k/m, 1/s^2. */
  rho: number;
  /** Rest leg length, m. */
  l0: number;
  /** The stance foot of each sample, m. */
  feet: number[];
  /** Spread of 1/l_a over the samples (1/m): zero would leave rho and l0 undetermined. */
  spread: number;
}

/**
 * rho and l0 from single-support samples of a record (g in m/s^2). Throws a GaitidError when
 * fewer than two samples are given, a sample has y'' + g <= 0 (the stance leg not compressed),
 * or the leg length does not vary.
 */
export function invertStance(samples: readonly StanceSample[], g: number): Inversion {
  if (samples.length < 2) throw new GaitidError(`the inversion needs at least 2 single-support samples; got ${samples.length}`);
  const u: number[] = [];
  const q: number[] = [];
  const feet: number[] = [];
  for (const s of samples) {
    const lift = s.ydd + g;
    if (!(lift > 0) || !(s.y > 0)) {
      throw new GaitidError(`a single-support sample needs y > 0 and y'' + g > 0 (compressed stance leg); got y = ${s.y}, y'' + g = ${lift}`);
    }
    const foot = s.x - (s.y * s.xdd) / lift;
    feet.push(foot);
    u.push(1 / Math.hypot(s.x - foot, s.y));
    q.push(lift / s.y);
  }
  // Least squares q = A u + B (A = rho l0, B = -rho), centred for accuracy.
  const n = u.length;
  const uMean = u.reduce((a, b) => a + b, 0) / n;
  const qMean = q.reduce((a, b) => a + b, 0) / n;
  let suu = 0, suq = 0;
  for (let i = 0; i < n; i++) {
    suu += (u[i] - uMean) ** 2;
    suq += (u[i] - uMean) * (q[i] - qMean);
  }
  const spread = Math.sqrt(suu / n);
  if (!(spread > 1e-12 * uMean)) throw new GaitidError("the inversion needs samples with different leg lengths; all have the same");
  const A = suq / suu;
  const rho = A * uMean - qMean;
  return { rho, l0: A / rho, feet, spread };
}
