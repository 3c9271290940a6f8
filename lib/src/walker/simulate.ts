/**
 * The hybrid driver of the walker: switches between single and double support on located events
 * (touchdown, lift-off), detects the failures of docs/model.md (flight, falling back, falling, moving
 * backward) and writes the samples t = 0, dt, ..., duration from the dense output, never by
 * stepping to the sample times.
 */
import { Dop853 } from "../integrate/dop853";
import { integratePhase, type EventFunction } from "../integrate/solve";
import { checkSampling, WALKER_RANGES } from "../config";
import { GaitidError, requireInRange, requireOpenRange, requirePositive, show } from "../errors";
import * as physics from "./physics";
import type { Mechanics } from "./physics";
import { sampleClock, WalkSamples } from "./samples";

// Module-local copies of the physics (see the note in integrate/dop853.ts).
const { G, hypot2, rhsDouble, rhsSingle, specificEnergy, touchdownHeight, touchdownOffset } = physics;

/** Subject parameters, either as mass and stiffness or directly as their ratio. */
export type Subject =
  | {
      /** Body mass, kg. */
      m: number;
      /** Leg stiffness, N/m. */
      k: number;
      /** Rest leg length, m. */
      l0: number;
    }
  | {
      /** Leg stiffness per unit mass k/m, 1/s^2. */
      rho: number;
      /** Rest leg length, m. */
      l0: number;
    };

/** rho = k / m of a subject (1/s^2), after checking that m, k (or rho) and l0 are positive. */
export function subjectRho(s: Subject): number {
  requirePositive("l0", s.l0, "m");
  if ("rho" in s) return requirePositive("rho", s.rho, "1/s^2");
  requirePositive("m", s.m, "kg");
  requirePositive("k", s.k, "N/m");
  return s.k / s.m;
}

/** Mechanics (rho, l0, g) of a subject. */
export function mechanicsOf(s: Subject, g = G): Mechanics {
  return { rho: subjectRho(s), l0: s.l0, g };
}

/** State at the start of a walk: single support on the foot at x = 0. */
export interface InitialState {
  /** CoM horizontal position, m (0: vertical leg orientation, VLO). */
  x0?: number;
  /** CoM height, m; the stance leg must be compressed: l0 sin(alpha0) < y0 <= l0 at VLO. */
  y0: number;
  /** Horizontal velocity, m/s (> 0: walking forward). */
  vx0: number;
  /** Vertical velocity, m/s (0 at a symmetric VLO). */
  vy0?: number;
}

/** Options of a simulation. */
export interface SimulateOptions {
  /** Angle of attack of the swing leg, rad, measured from the ground, in (0, pi/2). */
  alpha0: number;
  /** Length of the record, s (default 15). */
  duration?: number;
  /** Sampling interval, s (default 0.1); samples at 0, dt, ..., duration inclusive. */
  dt?: number;
  /** Relative tolerance of the integrator (default 1e-9). */
  rtol?: number;
  /** Absolute tolerance of the integrator, m and m/s (default 1e-10). */
  atol?: number;
  /** Also sample the total ground reaction force per unit mass (N/kg) into fx, fy. */
  grf?: boolean;
  /** Stop at the n-th VLO after the start (used by the gait search); 0: never. */
  stopAtVlo?: number;
  /** Gravitational acceleration, m/s^2 (default 9.81). */
  g?: number;
}

/** How a walk ended. "walking": it walked for the whole duration (or reached the VLO asked for). */
export type WalkStatus = "walking" | "flight" | "fallback" | "fall" | "backward";

/** A contact event: a foot touching down or lifting off. */
export interface ContactEvent {
  type: "touchdown" | "liftoff";
  /** Time, s. */
  t: number;
  /** Horizontal position of the foot, m. */
  foot: number;
}

/** A simulated walk. Arrays hold the samples that were reached (all of them when walking). */
export interface Walk {
  /** Sample times, s. */
  t: Float64Array;
  /** CoM position, m. */
  x: Float64Array;
  y: Float64Array;
  /** CoM velocity, m/s. */
  vx: Float64Array;
  vy: Float64Array;
  /** Total ground reaction force per unit mass, N/kg (only with `grf`); multiply by m for N. */
  fx?: Float64Array;
  fy?: Float64Array;
  /** Touchdowns and lift-offs in time order. */
  events: ContactEvent[];
  status: WalkStatus;
  /** Time of the failure, s (NaN when walking). */
  failureTime: number;
  /** Largest |e(t) - e(0)| / |e(0)| over samples and events: the relative energy drift. */
  energyDrift: number;
  /** Specific energy at the start, J/kg. */
  energy: number;
  /** Number of samples reached. */
  samples: number;
  /** With stopAtVlo: time and state at the VLO where the walk stopped. */
  vlo?: { t: number; x: number; y: number; vx: number; vy: number; foot: number };
  /** Integrator work: accepted steps and right-hand side evaluations. */
  nsteps: number;
  nfev: number;
}

/** Options of {@link WalkerSimulator.run}: the driver's inputs, already validated. */
export interface RunOptions {
  /** Mechanics per unit mass (rho, l0, g). */
  mechanics: Mechanics;
  /** Angle of attack of the swing leg, rad, from the ground. */
  alpha0: number;
  /** State at the start, [x, y, vx, vy] in m and m/s: single support on the foot at x = 0. */
  start: ArrayLike<number>;
  /** Length of the record, s (with `stopAtVlo`: the longest time to look for the VLO). */
  duration: number;
  /** Sampling interval, s. */
  dt: number;
  /** Relative and absolute tolerances of the integrator. */
  rtol: number;
  atol: number;
  /** Also sample the ground reaction force per unit mass (default false). */
  grf?: boolean;
  /** Stop at the n-th VLO after the start, without samples (the gait search); 0: never (default). */
  stopAtVlo?: number;
}

const enum Phase {
  Single = 1,
  Double = 2,
}

/**
 * What ends a phase: a contact change (touchdown, lift-off of the rear leg), a VLO (with
 * stopAtVlo) or a failure of the walk (named as its {@link WalkStatus}).
 */
type PhaseEvent = "touchdown" | "liftoff" | "vlo" | Exclude<WalkStatus, "walking">;

/** An event function with the name of what its zero crossing means. */
/** How the phase loop ended: the contact events, the walk's status and, if asked for, its VLO. */
interface PhaseLoopEnd {
  events: ContactEvent[];
  status: WalkStatus;
  failureTime: number;
  vlo: Walk["vlo"];
}

interface WalkerEvent extends EventFunction {
  readonly name: PhaseEvent;
}

/**
 * A reusable simulator: holds the stepper, the event functions and scratch buffers, so that
 * simulating millions of records allocates only the output arrays. Not thread-safe (one per
 * worker).
 */
export class WalkerSimulator {
  private readonly stepper = new Dop853(4);
  private readonly yEnd = new Float64Array(4);
  private readonly probe = new Float64Array(4);
  private p: Mechanics = { rho: 1, l0: 1, g: G };
  private phase: Phase = Phase.Single;
  private xa = 0; // stance foot (single) or rear foot (double)
  private xb = 0; // front foot (double)
  private yTouchdown = 0;
  private yFall = 0;
  private footOffset = 0; // l0 cos(alpha0): where a new foot lands ahead of the CoM, m
  private readonly rhs = (_t: number, s: Float64Array, out: Float64Array): void => {
    if (this.phase === Phase.Single) rhsSingle(this.p, this.xa, s, out);
    else rhsDouble(this.p, this.xa, this.xb, s, out);
  };
  // Event functions (pure in the state; they read the current feet), named by what they mean.
  // Touchdown: the CoM comes down to the height where the swing leg, held at alpha0, meets the ground.
  private readonly touchdown: WalkerEvent = { name: "touchdown", g: (_t, s) => s[1] - this.yTouchdown, direction: -1 };
  // The leg on foot xa (the stance leg; in double support the rear leg) extends to its rest length:
  // in single support the walker leaves the ground (flight), in double support the rear leg lifts off.
  private readonly rearAtRest = (_t: number, s: Float64Array): number => hypot2(s[0] - this.xa, s[1]) - this.p.l0;
  private readonly flight: WalkerEvent = { name: "flight", g: this.rearAtRest, direction: 1 };
  private readonly liftoff: WalkerEvent = { name: "liftoff", g: this.rearAtRest, direction: 1 };
  // The front leg extends to its rest length before the rear one: the walker falls back.
  private readonly fallback: WalkerEvent = {
    name: "fallback",
    g: (_t, s) => hypot2(s[0] - this.xb, s[1]) - this.p.l0,
    direction: 1,
  };
  private readonly backward: WalkerEvent = { name: "backward", g: (_t, s) => s[2], direction: -1 };
  private readonly fall: WalkerEvent = { name: "fall", g: (_t, s) => s[1] - this.yFall, direction: -1 };
  private readonly vlo: WalkerEvent = { name: "vlo", g: (_t, s) => s[0] - this.xa, direction: 1 };
  // Event lists per phase. On an exact tie in time the first listed wins (integratePhase).
  private readonly singleEvents = [this.touchdown, this.flight, this.backward, this.fall];
  private readonly singleEventsVlo = [this.touchdown, this.flight, this.backward, this.fall, this.vlo];
  private readonly doubleEvents = [this.liftoff, this.fallback, this.backward, this.fall];

  /** Simulates a walk from `init` (single support on the foot at x = 0). Inputs are validated. */
  simulate(subject: Subject, init: InitialState, opts: SimulateOptions): Walk {
    const p = mechanicsOf(subject, opts.g ?? G);
    const alpha0 = requireOpenRange("alpha0", opts.alpha0, 0, Math.PI / 2, "rad (0 to 90 degrees)");
    const duration = requirePositive("duration", opts.duration ?? 15, "s");
    const dt = requirePositive("dt", opts.dt ?? 0.1, "s");
    const rtol = requireInRange("rtol", requirePositive("rtol", opts.rtol ?? 1e-9), WALKER_RANGES.rtol);
    const atol = requireInRange("atol", requirePositive("atol", opts.atol ?? 1e-10), WALKER_RANGES.atol);
    checkSampling(duration, dt, { duration: "duration", dt: "dt" });
    const x0 = init.x0 ?? 0;
    const vy0 = init.vy0 ?? 0;
    for (const [name, v] of [["x0", x0], ["y0", init.y0], ["vx0", init.vx0], ["vy0", vy0]] as const) {
      if (!Number.isFinite(v)) throw new GaitidError(`${name} must be a finite number; got ${show(v)}`);
    }
    const yTd = touchdownHeight(p, alpha0);
    const stance = Math.hypot(x0, init.y0);
    if (!(init.y0 > yTd) || !(stance <= p.l0)) {
      throw new GaitidError(
        `y0 must put the CoM above the touchdown height l0 sin(alpha0) = ${yTd.toFixed(6)} m with the stance leg ` +
          `no longer than l0 = ${p.l0} m (so ${yTd.toFixed(6)} < y0 <= ${p.l0} m at VLO); got y0 = ${show(init.y0)}`,
      );
    }
    if (!(init.vx0 > 0)) throw new GaitidError(`vx0 must be > 0 m/s (walking forward); got ${show(init.vx0)}`);
    const walk = this.run({
      mechanics: p, alpha0, start: [x0, init.y0, init.vx0, vy0], duration, dt, rtol, atol, grf: opts.grf ?? false, stopAtVlo: opts.stopAtVlo ?? 0,
    });
    return requireAboveGround(walk, rtol, atol);
  }

  /**
   * The driver without input checks, for callers that validated already (gait search, dataset
   * generation): from `start`, single support on the foot at 0.
   */
  run(opts: RunOptions): Walk {
    const { mechanics: p, alpha0, start: s0, duration, dt } = opts;
    const stopAtVlo = opts.stopAtVlo ?? 0;
    this.p = p;
    this.stepper.nsteps = 0;
    this.stepper.nfev = 0;
    this.phase = Phase.Single;
    this.xa = 0;
    this.xb = 0;
    this.yTouchdown = touchdownHeight(p, alpha0);
    this.yFall = 0.5 * p.l0;
    this.footOffset = touchdownOffset(p, alpha0);
    const nSamples = stopAtVlo > 0 ? 0 : Math.round(duration / dt) + 1;
    const time = sampleClock(dt);
    const feet: number[] = [0];
    const rec = new WalkSamples(p, nSamples, time, opts.grf ?? false, specificEnergy(p, s0, feet));
    if (nSamples > 0) {
      this.probe.set(s0);
      rec.write(this.probe, feet);
    }
    const end = this.integrate(opts, rec, feet, stopAtVlo > 0 ? duration : time(nSamples - 1));
    const k = rec.count;
    // The arrays themselves when every sample was reached (a whole walk, or a gait search's step
    // with none): a view costs about 100 ns, and the generator makes 80 per record.
    const cut = (a: Float64Array): Float64Array => (k === rec.n ? a : a.subarray(0, k));
    return {
      t: cut(rec.t), x: cut(rec.x), y: cut(rec.y), vx: cut(rec.vx), vy: cut(rec.vy),
      fx: rec.fx && cut(rec.fx), fy: rec.fy && cut(rec.fy),
      events: end.events, status: end.status, failureTime: end.failureTime,
      energyDrift: rec.drift / Math.abs(rec.e0),
      energy: rec.e0,
      samples: k,
      vlo: end.vlo,
      nsteps: this.stepper.nsteps,
      nfev: this.stepper.nfev,
    };
  }

  /** Integrates phase after phase from opts.start to tEnd (s), sampling into `rec`, until the record ends, a failure, or the asked VLO. */
  private integrate(opts: RunOptions, rec: WalkSamples, feet: number[], tEnd: number): PhaseLoopEnd {
    const stepper = this.stepper, probe = this.probe, stopAtVlo = opts.stopAtVlo ?? 0;
    const tol = { rtol: opts.rtol, atol: opts.atol };
    const dense = (t: number, out: Float64Array): void => stepper.dense(t, out);
    const onSegment = (_a: number, b: number): void => rec.fillUntil(b, dense, probe, feet);
    const out: PhaseLoopEnd = { events: [], status: "walking", failureTime: Number.NaN, vlo: undefined };
    let t = 0, h = 0, vloCount = 0;
    const y = this.yEnd;
    y.set(opts.start);
    for (;;) {
      // Each phase starts with half the step the last one proposed: the proposal was made for the
      // old dynamics, and halving it cut the rejected first steps by a quarter (measured).
      stepper.reset(this.rhs, t, y, tol, 0.5 * h);
      const single = this.phase === Phase.Single;
      const list = single ? (stopAtVlo > 0 && out.events.length > 0 ? this.singleEventsVlo : this.singleEvents) : this.doubleEvents;
      const end = integratePhase(stepper, tEnd, list, y, onSegment);
      h = stepper.h;
      t = end.t;
      if (end.event < 0) return out; // reached the end of the record
      rec.watchEnergy(y, feet);
      const event = list[end.event].name;
      if (event === "vlo") {
        if (++vloCount < stopAtVlo) continue;
        out.vlo = { t, x: y[0], y: y[1], vx: y[2], vy: y[3], foot: this.xa };
        return out;
      }
      if (!this.changeSupport(event, t, y[0], feet, out.events)) {
        out.status = event as WalkStatus;
        out.failureTime = t;
        return out;
      }
    }
  }

  /**
   * Applies a touchdown or a liftoff at time t (s) with the CoM at x (m): the feet, the phase and
   * the event list change. False for any other event (a failure: the walk ends).
   */
  private changeSupport(event: PhaseEvent, t: number, x: number, feet: number[], events: ContactEvent[]): boolean {
    if (event === "touchdown") {
      // The new foot lands l0 cos(alpha0) ahead of the CoM, its spring at rest.
      this.xb = x + this.footOffset;
      this.phase = Phase.Double;
      feet.push(this.xb);
      events.push({ type: "touchdown", t, foot: this.xb });
      return true;
    }
    if (event === "liftoff") {
      // The rear leg lifts off: single support continues on the front foot.
      events.push({ type: "liftoff", t, foot: this.xa });
      this.xa = this.xb;
      this.phase = Phase.Single;
      feet.shift();
      return true;
    }
    return false;
  }
}

/**
 * Refuses a walk whose CoM passed below the ground (y < 0, or not a number, at a sample): no state
 * of the model, but of an integration too coarse to follow it (rtol and atol name the tolerances
 * it ran with). Returns the walk.
 */
export function requireAboveGround(walk: Walk, rtol: number, atol: number): Walk {
  for (let i = 0; i < walk.samples; i++) {
    if (!(walk.y[i] >= 0)) {
      throw new GaitidError(
        `the walk reached a CoM height of ${show(walk.y[i])} m at t = ${walk.t[i]} s, below the ground: the integration with ` +
          `rtol ${show(rtol)} and atol ${show(atol)} is too coarse to follow the walker; tighten both (defaults 1e-9 and 1e-10)`,
      );
    }
  }
  return walk;
}

let shared: WalkerSimulator | undefined;

/** Simulates one walk (a convenience over a shared {@link WalkerSimulator}). */
export function simulateWalk(subject: Subject, init: InitialState, opts: SimulateOptions): Walk {
  shared ??= new WalkerSimulator();
  return shared.simulate(subject, init, opts);
}
