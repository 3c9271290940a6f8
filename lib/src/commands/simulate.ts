/** `gaitid simulate`: one walk of the spring-mass walker, as JSON or a short summary. */
import type { Command } from "../cli/args";
import { numberFlag, parseFlags, requiredNumber } from "../cli/args";
import { GaitidError, requireOpenRange, requirePositive } from "../errors";
import { G } from "../walker/physics";
import { findGaits, type Gait } from "../walker/gait";
import { mechanicsOf, simulateWalk, type Subject, type Walk } from "../walker/simulate";

const HELP = `usage: gaitid simulate (--m M --k K | --rho R) --l0 L --alpha0 DEG
                       (--y0 Y --vx0 V [--vy0 W] | --energy E)
                       [--duration 15] [--dt 0.1] [--rtol 1e-9] [--atol 1e-10] [--json]

Simulates one walk of Geyer's bipedal spring-mass walker from vertical leg orientation (VLO: the
CoM straight above the stance foot at x = 0).

  --m M          body mass, kg (> 0), together with --k
  --k K          leg stiffness, N/m (> 0)
  --rho R        k/m, 1/s^2 (> 0), instead of --m and --k (only rho matters)
  --l0 L         rest leg length, m (> 0)
  --alpha0 DEG   angle of attack of the swing leg, degrees from the ground, in (0, 90)
  --y0 Y         CoM height at VLO, m, in (l0 sin(alpha0), l0]
  --vx0 V        forward speed at VLO, m/s (> 0)
  --vy0 W        vertical speed at the start, m/s (default 0)
  --energy E     start on the symmetric periodic gait of specific energy E (in units of g*l0)
                 that the gait search finds (the highest VLO height among those that walk)
  --duration S   length of the record, s (default 15)
  --dt S         sampling interval, s (default 0.1); samples at 0, dt, ..., duration
  --rtol, --atol integrator tolerances (defaults 1e-9 and 1e-10)
  --json         print {t, x, y, vx, vy, events, status, energyDrift, ...} as JSON`;

/** Subject from --m/--k or --rho, and --l0 (validated). */
export function subjectFromFlags(values: Record<string, string | boolean | undefined>): Subject {
  const l0 = requiredNumber(values, "l0", "rest leg length in m");
  const rho = numberFlag(values, "rho");
  const m = numberFlag(values, "m");
  const k = numberFlag(values, "k");
  if (rho !== undefined) {
    if (m !== undefined || k !== undefined) throw new GaitidError("give either --rho or --m and --k, not both");
    requirePositive("rho", rho, "1/s^2");
    requirePositive("l0", l0, "m");
    return { rho, l0 };
  }
  if (m === undefined || k === undefined) throw new GaitidError("give --m and --k (kg, N/m), or --rho (1/s^2)");
  requirePositive("m", m, "kg");
  requirePositive("k", k, "N/m");
  requirePositive("l0", l0, "m");
  return { m, k, l0 };
}

/** alpha0 in degrees from the flags, checked to lie in (0, 90); returned in radians. */
export function alpha0FromFlags(values: Record<string, string | boolean | undefined>): number {
  const deg = requiredNumber(values, "alpha0", "angle of attack in degrees, in (0, 90)");
  requireOpenRange("alpha0", deg, 0, 90, "degrees");
  return (deg * Math.PI) / 180;
}

/** The gait that --energy selects: the walking gait with the highest VLO height. */
export function gaitForEnergy(subject: Subject, alpha0: number, energy: number): { gait: Gait; all: Gait[] } {
  requirePositive("energy", energy, "multiples of g*l0");
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
    `CoM height: ${Math.min(...w.y).toFixed(4)} ... ${Math.max(...w.y).toFixed(4)} m`,
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
    if (help) {
      console.log(HELP);
      return 0;
    }
    const subject = subjectFromFlags(values);
    const alpha0 = alpha0FromFlags(values);
    const energy = numberFlag(values, "energy");
    let y0 = numberFlag(values, "y0");
    let vx0 = numberFlag(values, "vx0");
    let vy0 = numberFlag(values, "vy0") ?? 0;
    let note = "";
    let gaitInfo: unknown;
    if (energy !== undefined) {
      if (y0 !== undefined || vx0 !== undefined || values.vy0 !== undefined) throw new GaitidError("give either --energy or --y0/--vx0, not both");
      const { gait, all } = gaitForEnergy(subject, alpha0, energy);
      y0 = gait.y0;
      vx0 = gait.vx0;
      vy0 = 0;
      note = `gait ${all.indexOf(gait) + 1} of ${all.length} found (the highest VLO height that walks): y0 = ${y0} m, vx0 = ${vx0} m/s`;
      gaitInfo = { index: all.indexOf(gait), of: all.length, y0, vx0 };
    } else {
      if (y0 === undefined || vx0 === undefined) throw new GaitidError("give --y0 and --vx0 (m, m/s), or --energy (in units of g*l0)");
      // Energy must be enough for the state: the forward speed must be positive.
      if (!(vx0 > 0)) throw new GaitidError(`vx0 must be > 0 m/s (walking forward); got ${vx0}`);
    }
    const w = simulateWalk(subject, { y0, vx0, vy0 }, {
      alpha0,
      duration: numberFlag(values, "duration") ?? 15,
      dt: numberFlag(values, "dt") ?? 0.1,
      rtol: numberFlag(values, "rtol") ?? 1e-9,
      atol: numberFlag(values, "atol") ?? 1e-10,
    });
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
    return 0;
  },
};
