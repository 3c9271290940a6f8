/**
 * Simulated records for the numeric side of the constructive inversion (inversion.ts) and of the
 * force and design claims: a subject from the random points, its highest symmetric periodic gait
 * (walker/gait.ts), and a few seconds of walking with the total ground reaction force sampled.
 *
 * The accelerations of a sample come in two ways:
 * - "state": from the simulator's own state at the sample, through its force channel
 *   (fx, fy) = (x'', y'' + g) per unit mass (walker/physics.ts grfPerMass): exact to rounding;
 * - "differences": from the positions alone, by the five-point central difference
 *   (-f(t-2h) + 16 f(t-h) - 30 f(t) + 16 f(t+h) - f(t+2h)) / (12 h^2), error O(h^4), at the samples
 *   whose stencil lies inside one single-support interval (the acceleration is continuous at
 *   touchdown and lift-off, where the new or the leaving leg is at rest length, but its
 *   derivative jumps).
 */
import { findGaits } from "../walker/gait";
import { G } from "../walker/physics";
import { WalkerSimulator, type Walk } from "../walker/simulate";
import type { Point } from "./numeric";
import type { StanceSample } from "./inversion";

/** A simulated record and what it was simulated from. */
export interface SimulatedRecord {
  /** Subject: mass (kg), stiffness (N/m), rest length (m); rho = k/m (1/s^2). */
  m: number;
  k: number;
  l0: number;
  rho: number;
  /** Gravitational acceleration, m/s^2; angle of attack, rad; specific energy, J/kg. */
  g: number;
  alpha0: number;
  e: number;
  walk: Walk;
  dt: number;
}

/** Options of {@link simulateRecord}. */
export interface RecordOptions {
  /** Angle of attack, rad (default 60 degrees). */
  alpha0?: number;
  /** Specific energy as a multiple of g l0 (default 1.02). */
  energy?: number;
  /** Sampling interval, s (default 0.002: the differences are then accurate to about 1e-10). */
  dt?: number;
  /** Length of the record, s (default 3). */
  duration?: number;
  /** Gravitational acceleration, m/s^2 (default 9.81). */
  g?: number;
}

/**
 * A noise-free record of a subject (m in kg, k in N/m, l0 in m) on its highest symmetric periodic
 * gait (walker/gait.ts), with the force channel, integrated with rtol 1e-12, atol 1e-13 so that the
 * differences are accurate. Undefined when the gait search finds no gait or the walk has no
 * lift-off (no complete step).
 */
export function simulateRecord(subject: { m: number; k: number; l0: number }, opts: RecordOptions = {}, sim = new WalkerSimulator()): SimulatedRecord | undefined {
  const { m, k, l0 } = subject;
  const g = opts.g ?? G;
  const alpha0 = opts.alpha0 ?? (60 * Math.PI) / 180;
  const dt = opts.dt ?? 0.002;
  const rho = k / m;
  const e = (opts.energy ?? 1.02) * g * l0;
  const gaits = findGaits({ rho, l0, g }, alpha0, e, { grid: 12, checkDuration: 0, stability: false, g }, sim);
  const gait = gaits[gaits.length - 1];
  if (!gait) return undefined;
  const walk = sim.simulate({ rho, l0 }, { y0: gait.y0, vx0: gait.vx0 }, { alpha0, duration: opts.duration ?? 3, dt, grf: true, rtol: 1e-12, atol: 1e-13, g });
  if (!walk.events.some((ev) => ev.type === "liftoff")) return undefined;
  return { m, k, l0, rho, g, alpha0, e, walk, dt };
}

/** Records of the subjects at the first `count` points that have a walking gait (alpha0 from the point). */
export function simulatedRecords(points: readonly Point[], opts: Omit<RecordOptions, "alpha0"> & { count?: number } = {}): SimulatedRecord[] {
  const count = opts.count ?? 3;
  const sim = new WalkerSimulator();
  const out: SimulatedRecord[] = [];
  for (const p of points) {
    if (out.length >= count) break;
    const rec = simulateRecord(p, { ...opts, alpha0: p.alpha0 }, sim);
    if (rec) out.push(rec);
  }
  if (out.length < count) throw new Error(`derive: only ${out.length} of ${count} simulated records walked`);
  return out;
}

/** The single-support intervals of a walk: [start, end) times and the stance foot (m). */
export function singleSupportIntervals(walk: Walk): { start: number; end: number; foot: number }[] {
  const out: { start: number; end: number; foot: number }[] = [];
  let start = 0;
  let foot = 0; // a walk starts in single support on the foot at x = 0
  let single = true;
  let front = Number.NaN;
  for (const ev of walk.events) {
    if (ev.type === "touchdown") {
      out.push({ start, end: ev.t, foot });
      front = ev.foot;
      single = false;
    } else {
      start = ev.t;
      foot = front;
      single = true;
    }
  }
  if (single) out.push({ start, end: Number.POSITIVE_INFINITY, foot });
  return out;
}

/** A single-support sample of a record, with what the checks compare it with. */
export interface RecordSample extends StanceSample {
  /** Index of the sample in the record. */
  index: number;
  /** Velocity (m/s), from the same source as the accelerations. */
  vx: number;
  vy: number;
  /** The true stance foot (m), for checking the recovered one. */
  foot: number;
}

/**
 * The single-support samples of a record with their velocities and accelerations (see the file
 * comment), each with its stance index and the true stance foot.
 */
export function stanceSamples(rec: SimulatedRecord, derivatives: "state" | "differences"): RecordSample[] {
  const w = rec.walk;
  const intervals = singleSupportIntervals(w);
  const h = rec.dt;
  const margin = derivatives === "state" ? 1e-9 : 2 * h + 1e-9;
  const out: RecordSample[] = [];
  for (let i = 0; i < w.samples; i++) {
    const t = w.t[i];
    const s = intervals.findIndex((iv) => t - margin > iv.start && t + margin < iv.end);
    if (s < 0) continue;
    const base = { index: i, x: w.x[i], y: w.y[i], stance: s, foot: intervals[s].foot };
    if (derivatives === "state") {
      out.push({ ...base, vx: w.vx[i], vy: w.vy[i], xdd: w.fx![i], ydd: w.fy![i] - rec.g });
    } else {
      if (i < 2 || i + 2 >= w.samples) continue;
      const d1 = (f: Float64Array): number => (f[i - 2] - 8 * f[i - 1] + 8 * f[i + 1] - f[i + 2]) / (12 * h);
      const d2 = (f: Float64Array): number => (-f[i - 2] + 16 * f[i - 1] - 30 * f[i] + 16 * f[i + 1] - f[i + 2]) / (12 * h * h);
      out.push({ ...base, vx: d1(w.x), vy: d1(w.y), xdd: d2(w.x), ydd: d2(w.y) });
    }
  }
  return out;
}
