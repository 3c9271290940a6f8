/**
 * The walker seen from a notebook: a simulated walk as the figures' input, the gaits of the gait
 * search as a table, and a walk's bookkeeping (status, steps, energy drift) as a table.
 */
import type { LocatedEvent, RecordSeries } from "../figures/records";
import type { WalkSamples } from "../figures/model";
import { fixed, fmt } from "../report/format";
import type { Gait } from "../walker/gait";
import type { Walk } from "../walker/simulate";
import { keyValueHtml, specTableHtml } from "./display";

/** Linear interpolation of a uniformly sampled series at time `time` (s). */
function at(t: ArrayLike<number>, v: ArrayLike<number>, time: number): number {
  if (t.length < 2) return v[0];
  const dt = t[1] - t[0];
  const i = Math.min(Math.max(Math.floor((time - t[0]) / dt), 0), t.length - 2);
  const f = (time - t[i]) / (t[i + 1] - t[i]);
  return v[i] + f * (v[i + 1] - v[i]);
}

/** A simulated walk as the animation's input: its samples and events, with l0 (m) and alpha0 (rad). */
export function walkSamples(walk: Walk, l0: number, alpha0: number): WalkSamples {
  return { t: walk.t, x: walk.x, y: walk.y, events: walk.events, l0, alpha0 };
}

/** A simulated walk as one subject of recordsFigure: CoM samples, events located on the path. */
export function walkRecordSeries(walk: Walk, label: string): RecordSeries {
  const n = walk.samples;
  const t = walk.t.subarray(0, n), x = walk.x.subarray(0, n), y = walk.y.subarray(0, n);
  const events: LocatedEvent[] = walk.events.filter((e) => e.t <= t[n - 1]).map((e) => ({ type: e.type, t: e.t, x: at(t, x, e.t), y: at(t, y, e.t) }));
  return { label, t, x, y, events };
}

/** The gaits of findGaits as an HTML table (SI units; stability from the step map's eigenvalues). */
export function gaitsHtml(gaits: readonly Gait[], caption = ""): string {
  if (gaits.length === 0) return "<p>No symmetric periodic gait was found on the search grid.</p>";
  return specTableHtml(
    {
      head: ["VLO height <i>y</i><sub>0</sub> (m)", "speed at VLO (m/s)", "step time (s)", "step length (m)", "mean speed (m/s)", "largest |λ| of the step map", "stable", "walks the whole check"],
      rows: gaits.map((g) => [
        fixed(g.y0, 5),
        fixed(g.vx0, 4),
        fixed(g.period, 4),
        fixed(g.stepLength, 4),
        fixed(g.speed, 4),
        fmt(g.maxModulus, 4),
        g.stable ? "yes" : "no",
        g.walks === undefined ? "not checked" : g.walks ? "yes" : `no (${g.failure ?? ""})`,
      ]),
    },
    caption,
  );
}

/** How a simulated walk went, as an HTML table: status, duration, steps, energy drift, integrator work. */
export function walkHtml(walk: Walk, caption = ""): string {
  const touchdowns = walk.events.filter((e) => e.type === "touchdown").length;
  return keyValueHtml(
    [
      ["status", walk.status === "walking" ? "walking for the whole record" : `${walk.status} at ${fixed(walk.failureTime, 2)} s`],
      ["samples", `${walk.samples} (t = 0 to ${fixed(walk.t[walk.samples - 1], 2)} s)`],
      ["touchdowns / lift-offs", `${touchdowns} / ${walk.events.length - touchdowns}`],
      ["distance walked (m)", fixed(walk.x[walk.samples - 1] - walk.x[0], 3)],
      ["specific energy e (J/kg)", fixed(walk.energy, 4)],
      ["largest relative energy drift", walk.energyDrift.toExponential(2)],
      ["integrator steps / right-hand side evaluations", `${walk.nsteps} / ${walk.nfev}`],
    ],
    caption,
  );
}

/** Largest |x_a - x_b|, |y_a - y_b| over the samples both walks reached (m): how far two walks differ. */
export function pathDifference(a: Walk, b: Walk): number {
  const n = Math.min(a.samples, b.samples);
  let d = 0;
  for (let i = 0; i < n; i++) d = Math.max(d, Math.abs(a.x[i] - b.x[i]), Math.abs(a.y[i] - b.y[i]));
  return d;
}
