/**
 * The walker's flags, read the same way by every command that simulates (simulate, gait,
 * identifiability): the subject (--m/--k or --rho, --l0), the angle of attack, the start state,
 * the sampling and the integrator tolerances, each inside its range in {@link WALKER_RANGES}.
 */
import { dtRange, WALKER_RANGES } from "../config";
import { GaitidError, inRange, rangeText, type NumericRange } from "../errors";
import { touchdownHeight, type Mechanics } from "../walker/physics";
import { mechanicsOf, type Subject } from "../walker/simulate";
import { numberFlag, requiredNumber, requireFlagInRange, type Values } from "./args";

const R = WALKER_RANGES;

/** The subject from --m and --k, or --rho, and --l0; each in its range, and k/m in rho's. */
export function subjectFromFlags(values: Values): Subject {
  const l0 = requiredNumber(values, "l0", "rest leg length", R.l0);
  const rho = numberFlag(values, "rho", R.rho);
  const m = numberFlag(values, "m", R.m);
  const k = numberFlag(values, "k", R.k);
  if (rho !== undefined) {
    if (m !== undefined || k !== undefined) throw new GaitidError("give either --rho or --m and --k, not both");
    return { rho, l0 };
  }
  if (m === undefined || k === undefined) throw new GaitidError("give --m and --k (kg, N/m), or --rho (1/s^2)");
  if (!inRange(k / m, R.rho)) {
    throw new GaitidError(`--k / --m (rho) must be ${rangeText(R.rho)}; got ${values.k} / ${values.m} = ${k / m}`);
  }
  return { m, k, l0 };
}

/** alpha0 in degrees from --alpha0, in (0, 90); returned in radians. */
export function alpha0FromFlags(values: Values): number {
  const deg = requiredNumber(values, "alpha0", "angle of attack", R.alpha0Deg);
  return (deg * Math.PI) / 180;
}

/** The range of the VLO height y0 (m) for the mechanics p and the angle of attack alpha0 (rad). */
export function y0Range(p: Mechanics, alpha0: number): NumericRange {
  return {
    min: touchdownHeight(p, alpha0),
    minOpen: true,
    max: p.l0,
    unit: "m; above the touchdown height l0 sin(alpha0), at most l0",
  };
}

/** The start at VLO from --y0 (in {@link y0Range}), --vx0 and --vy0 (default 0). */
export function startFromFlags(values: Values, subject: Subject, alpha0: number): { y0: number; vx0: number; vy0: number } {
  const y0 = requiredNumber(values, "y0", "CoM height at VLO", y0Range(mechanicsOf(subject), alpha0));
  const vx0 = requiredNumber(values, "vx0", "forward speed at VLO", R.vx0);
  const vy0 = numberFlag(values, "vy0", R.vy0) ?? 0;
  return { y0, vx0, vy0 };
}

/**
 * --duration and --dt (defaults 15 s and 0.1 s): each in its range, dt at most the duration and
 * at least duration / (MAX_SAMPLES - 1).
 */
export function samplingFromFlags(values: Values, defaults = { duration: 15, dt: 0.1 }): { duration: number; dt: number } {
  const duration = numberFlag(values, "duration", R.duration) ?? defaults.duration;
  const dt = numberFlag(values, "dt", R.dt) ?? defaults.dt;
  requireFlagInRange(values, "dt", dt, dtRange(duration, "--duration"));
  return { duration, dt };
}

/** --rtol and --atol (defaults 1e-9 and 1e-10), in the ranges DOP853 honours. */
export function tolerancesFromFlags(values: Values): { rtol: number; atol: number } {
  return { rtol: numberFlag(values, "rtol", R.rtol) ?? 1e-9, atol: numberFlag(values, "atol", R.atol) ?? 1e-10 };
}
