/** `gaitid simulate`: one walk of the spring-mass walker, as JSON or a short summary. */
import type { Command } from "../cli/args";
import { interval, numberFlag, parseFlags, printHelp } from "../cli/args";
import { alpha0FromFlags, samplingFromFlags, startFromFlags, subjectFromFlags, tolerancesFromFlags } from "../cli/walker-flags";
import { MAX_SAMPLES, WALKER_RANGES } from "../config";
import { EXIT, GaitidError, requireInRange } from "../errors";
import { G } from "../walker/physics";
import { findGaits, type Gait } from "../walker/gait";
import { mechanicsOf, simulateWalk, type Subject, type Walk } from "../walker/simulate";

/** The walker's flags live in cli/walker-flags.ts; re-exported for commands that import them from here. */
export { alpha0FromFlags, subjectFromFlags };

const R = WALKER_RANGES;

const HELP = `usage: gaitid simulate (--m M --k K | --rho R) --l0 L --alpha0 DEG
                       (--y0 Y --vx0 V [--vy0 W] | --energy E)
                       [--duration 15] [--dt 0.1] [--rtol 1e-9] [--atol 1e-10] [--json]

Simulates one walk of Geyer's bipedal spring-mass walker from vertical leg orientation (VLO: the
CoM straight above the stance foot at x = 0). A walk that fails (flight, fall, ...) is a result
(exit 0, its status says how); a walk that passes through the ground is an error.

  --m M          body mass, kg, in ${interval(R.m)}, together with --k
  --k K          leg stiffness, N/m, in ${interval(R.k)}
  --rho R        k/m, 1/s^2, in ${interval(R.rho)}, instead of --m and --k (only rho matters;
                 k/m from --m and --k must lie in the same range)
  --l0 L         rest leg length, m, in ${interval(R.l0)}
  --alpha0 DEG   angle of attack of the swing leg, degrees from the ground, in ${interval(R.alpha0Deg)}
  --y0 Y         CoM height at VLO, m, in (l0 sin(alpha0), l0]
  --vx0 V        forward speed at VLO, m/s, in ${interval(R.vx0)}
  --vy0 W        vertical speed at the start, m/s, in ${interval(R.vy0)} (default 0)
  --energy E     start on the symmetric periodic gait of specific energy E (in units of g*l0,
                 in ${interval(R.energy)}) that the gait search finds (the highest VLO height
                 among those that walk)
  --duration S   length of the record, s, in ${interval(R.duration)} (default 15)
  --dt S         sampling interval, s (default 0.1); samples at 0, dt, ..., duration; at most
                 the duration and at least duration / ${MAX_SAMPLES - 1}
  --rtol X       relative tolerance of the integrator, in ${interval(R.rtol)} (default 1e-9)
  --atol X       absolute tolerance, m and m/s, in ${interval(R.atol)} (default 1e-10)
  --json         print {t, x, y, vx, vy, events, status, energyDrift, ...} as JSON

Numbers are plain decimals (15, 0.1, 1e-9); each flag is given once.`;

/** The gait that --energy selects: the walking gait with the highest VLO height. */
export function gaitForEnergy(subject: Subject, alpha0: number, energy: number): { gait: Gait; all: Gait[] } {
  requireInRange("energy", energy, R.energy);
  const p = mechanicsOf(subject);
  const all = findGaits(p, alpha0, energy * G * subject.l0);
  const walking = all.filter((g) => g.walks);
  if (walking.length === 0) {
    throw new GaitidError(
      `no walking symmetric gait at energy ${energy} g*l0 and alpha0 ${((alpha0 * 180) / Math.PI).toFixed(3)} degrees ` +
        `(${all.length} gait(s) found, none walks 15 s); try alpha0 in about 58-64 degrees and energy in about 1.00-1.03`,
    );
  }
  return { gait: walking[walking.length - 1], all };
}

function summary(w: Walk): string {
  const td = w.events.filter((e) => e.type === "touchdown").length;
  const lines = [
    `status: ${w.status}${w.status === "walking" ? "" : ` at t = ${w.failureTime.toFixed(4)} s`}`,
    `samples: ${w.samples} (t = 0 ... ${w.t[w.samples - 1].toFixed(3)} s)`,
    `touchdowns: ${td}, lift-offs: ${w.events.length - td}`,
    `distance: ${(w.x[w.samples - 1] - w.x[0]).toFixed(4)} m, mean speed ${((w.x[w.samples - 1] - w.x[0]) / Math.max(w.t[w.samples - 1], 1e-12)).toFixed(4)} m/s`,
    `CoM height: ${w.y.reduce((a, b) => Math.min(a, b)).toFixed(4)} ... ${w.y.reduce((a, b) => Math.max(a, b)).toFixed(4)} m`,
    `energy: ${w.energy.toFixed(6)} J/kg, largest relative drift ${w.energyDrift.toExponential(2)}`,
    `integrator: ${w.nsteps} steps, ${w.nfev} right-hand side evaluations`,
  ];
  return lines.join("\n");
}

export const simulateCommand: Command = {
  name: "simulate",
  summary: "simulate one walk of the spring-mass walker",
  help: HELP,
  async run(argv) {
    const num = { type: "string" } as const;
    const { values, help } = parseFlags("simulate", argv, {
      m: num, k: num, rho: num, l0: num, alpha0: num, y0: num, vx0: num, vy0: num, energy: num,
      duration: num, dt: num, rtol: num, atol: num, json: { type: "boolean" },
    });
    if (help) return printHelp(HELP);
    const subject = subjectFromFlags(values);
    const alpha0 = alpha0FromFlags(values);
    const energy = numberFlag(values, "energy", R.energy);
    const { duration, dt } = samplingFromFlags(values);
    const { rtol, atol } = tolerancesFromFlags(values);
    let start: { y0: number; vx0: number; vy0: number };
    let note = "";
    let gaitInfo: unknown;
    if (energy !== undefined) {
      if (values.y0 !== undefined || values.vx0 !== undefined || values.vy0 !== undefined) throw new GaitidError("give either --energy or --y0/--vx0, not both");
      const { gait, all } = gaitForEnergy(subject, alpha0, energy);
      start = { y0: gait.y0, vx0: gait.vx0, vy0: 0 };
      note = `gait ${all.indexOf(gait) + 1} of ${all.length} found (the highest VLO height that walks): y0 = ${gait.y0} m, vx0 = ${gait.vx0} m/s`;
      gaitInfo = { index: all.indexOf(gait), of: all.length, y0: gait.y0, vx0: gait.vx0 };
    } else {
      if (values.y0 === undefined || values.vx0 === undefined) throw new GaitidError("give --y0 and --vx0 (m, m/s), or --energy (in units of g*l0)");
      start = startFromFlags(values, subject, alpha0);
    }
    const w = simulateWalk(subject, start, { alpha0, duration, dt, rtol, atol });
    if (values.json) {
      console.log(JSON.stringify({
        t: Array.from(w.t), x: Array.from(w.x), y: Array.from(w.y), vx: Array.from(w.vx), vy: Array.from(w.vy),
        events: w.events, status: w.status, failureTime: Number.isNaN(w.failureTime) ? null : w.failureTime,
        energyDrift: w.energyDrift, energy: w.energy, gait: gaitInfo ?? null,
      }));
    } else {
      if (note) console.log(note);
      console.log(summary(w));
    }
    return EXIT.OK;
  },
};
