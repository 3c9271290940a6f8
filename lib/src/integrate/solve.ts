/**
 * One continuous phase of an initial value problem with events: steps the {@link Dop853} stepper,
 * watches the event functions on each accepted step and locates the first crossing by root
 * finding on the dense output (scipy's solve_ivp: find_active_events, solve_event_equation).
 * The caller samples the solution from the interpolant through `onSegment`.
 */
import { Dop853, type Rhs, type Tolerances } from "./dop853";
import { brent } from "./root";

/** An event: a zero crossing of g(t, y). */
export interface EventFunction {
  /** The event function; its zero crossing is the event. */
  g(t: number, y: Float64Array): number;
  /** +1: only crossings from negative to positive; -1: positive to negative; 0: both. */
  direction: 1 | -1 | 0;
}

/** All g_k(t, y) of a list of events, into out[k]. */
type EventScan = (t: number, y: Float64Array, out: Float64Array) => void;

const scans = new WeakMap<readonly EventFunction[], { events: EventFunction[]; scan: EventScan }>();

/**
 * The scan of an event list, compiled once per list with one call site per event. A loop calling
 * each event's g from one site is megamorphic: no call is inlined, and every time and value
 * crossing it is boxed (about a third of the walker's allocations); here each call is monomorphic
 * and the compiler can inline it. The values are those of calling each g in turn.
 */
function scanOf(events: readonly EventFunction[]): EventScan {
  const known = scans.get(events);
  // Compiled for this list as it is now (a caller may have changed its array since).
  if (known && known.events.length === events.length && known.events.every((ev, k) => ev === events[k])) return known.scan;
  const body = `return (t, y, out) => {\n${events.map((_, k) => `out[${k}] = e${k}.g(t, y);`).join("\n")}\n};`;
  const scan = new Function(...events.map((_, k) => `e${k}`), body)(...events) as EventScan;
  scans.set(events, { events: [...events], scan });
  return scan;
}

/** How a phase ended. */
export interface PhaseEnd {
  /** Time the phase ended (the located event time, or tEnd). */
  t: number;
  /** Index of the event that ended it, or -1 when tEnd was reached. */
  event: number;
}

/**
 * Integrates from the stepper's current point (after `stepper.reset`) until tEnd or the first
 * event. After each accepted step, `onSegment(a, b)` is called for the part [a, b] of it that
 * belongs to the phase (b is the event time on the last step); the caller may evaluate
 * `stepper.dense(t, out)` for t in [a, b]. On return, `yEnd` holds the state at the end.
 *
 * Events are located to about machine precision in t (Brent's method on the interpolant).
 * An event function that is exactly zero at the start of the phase does not fire there.
 */
export function integratePhase(
  stepper: Dop853,
  tEnd: number,
  events: readonly EventFunction[],
  yEnd: Float64Array,
  onSegment?: (a: number, b: number) => void,
): PhaseEnd {
  const nev = events.length;
  const gOld = new Float64Array(nev);
  const gNew = new Float64Array(nev);
  for (let k = 0; k < nev; k++) gOld[k] = events[k].g(stepper.t, stepper.y);
  const probe = yEnd; // scratch for the root finder; overwritten with the final state below
  const scan = scanOf(events);
  while (stepper.t < tEnd) {
    stepper.step(tEnd);
    let first = -1;
    let tFirst = Infinity;
    scan(stepper.t, stepper.y, gNew);
    for (let k = 0; k < nev; k++) {
      const ev = events[k];
      const gn = gNew[k];
      const go = gOld[k];
      const up = go < 0 && gn >= 0;
      const down = go > 0 && gn <= 0;
      if ((ev.direction >= 0 && up) || (ev.direction <= 0 && down)) {
        const tk = brent(
          (tq) => {
            stepper.dense(tq, probe);
            return ev.g(tq, probe);
          },
          stepper.tOld,
          stepper.t,
          go,
          gn,
          0,
        );
        if (tk < tFirst) {
          tFirst = tk;
          first = k;
        }
      }
    }
    if (first >= 0) {
      if (onSegment) onSegment(stepper.tOld, tFirst);
      stepper.dense(tFirst, yEnd);
      return { t: tFirst, event: first };
    }
    if (onSegment) onSegment(stepper.tOld, stepper.t);
    gOld.set(gNew);
  }
  yEnd.set(stepper.y);
  return { t: stepper.t, event: -1 };
}

/** Result of {@link solve}: samples at the requested times and the event that ended it. */
export interface Solution {
  /** The sample times that were reached. */
  t: number[];
  /** The states at those times. */
  y: Float64Array[];
  /** The end of the integration. */
  end: PhaseEnd;
  /** State at the end. */
  yEnd: Float64Array;
  nfev: number;
  nsteps: number;
}

/**
 * A one-phase convenience wrapper (like solve_ivp with terminal events): integrates y' = f(t, y)
 * from (t0, y0) and returns the dense-output values at `tEval` (sorted) up to the end.
 */
export function solve(
  rhs: Rhs,
  t0: number,
  y0: ArrayLike<number>,
  tEnd: number,
  tol: Tolerances,
  tEval: readonly number[] = [],
  events: readonly EventFunction[] = [],
): Solution {
  const n = y0.length;
  const stepper = new Dop853(n);
  stepper.reset(rhs, t0, y0, tol);
  const ts: number[] = [];
  const ys: Float64Array[] = [];
  let next = 0;
  while (next < tEval.length && tEval[next] < t0) next++;
  const yEnd = new Float64Array(n);
  const end = integratePhase(stepper, tEnd, events, yEnd, (a, b) => {
    while (next < tEval.length && tEval[next] <= b) {
      const out = new Float64Array(n);
      if (tEval[next] === t0) out.set(y0 as ArrayLike<number>);
      else stepper.dense(tEval[next], out);
      ts.push(tEval[next]);
      ys.push(out);
      next++;
    }
    void a;
  });
  return { t: ts, y: ys, end, yEnd, nfev: stepper.nfev, nsteps: stepper.nsteps };
}
