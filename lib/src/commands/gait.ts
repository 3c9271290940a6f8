/** `gaitid gait`: the symmetric periodic gaits for one subject and gait condition. */
import type { Command } from "../cli/args";
import { interval, parseFlags, printHelp, requiredNumber } from "../cli/args";
import { alpha0FromFlags, subjectFromFlags } from "../cli/walker-flags";
import { WALKER_RANGES } from "../config";
import { EXIT } from "../errors";
import { G } from "../walker/physics";
import { findGaits } from "../walker/gait";
import { mechanicsOf } from "../walker/simulate";

const R = WALKER_RANGES;

const HELP = `usage: gaitid gait (--rho R | --m M --k K) --l0 L --alpha0 DEG --energy E [--json]

Finds every symmetric periodic walking gait (VLO with y' = 0 that returns to VLO with y' = 0) for
the given subject, angle of attack and specific energy, by bracketing and Brent's method on the
VLO height. For each: VLO height y0 (m), forward speed vx0 (m/s), step period (s) and length (m),
mean speed, how exactly it returns, the eigenvalues of the linearised step map and whether a walk
started on it lasts 15 s.

  --rho R        k/m, 1/s^2, in ${interval(R.rho)}   (or --m kg in ${interval(R.m)} and --k N/m in ${interval(R.k)})
  --l0 L         rest leg length, m, in ${interval(R.l0)}
  --alpha0 DEG   angle of attack, degrees from the ground, in ${interval(R.alpha0Deg)}
  --energy E     specific energy in units of g*l0, in ${interval(R.energy)}
  --json         print the gaits as JSON`;

export const gaitCommand: Command = {
  name: "gait",
  summary: "find the symmetric periodic gaits for (rho, l0, alpha0, e)",
  help: HELP,
  async run(argv) {
    const num = { type: "string" } as const;
    const { values, help } = parseFlags("gait", argv, { m: num, k: num, rho: num, l0: num, alpha0: num, energy: num, json: { type: "boolean" } });
    if (help) return printHelp(HELP);
    const subject = subjectFromFlags(values);
    const alpha0 = alpha0FromFlags(values);
    const energy = requiredNumber(values, "energy", "specific energy", R.energy);
    const gaits = findGaits(mechanicsOf(subject), alpha0, energy * G * subject.l0);
    if (values.json) {
      console.log(JSON.stringify({ rho: mechanicsOf(subject).rho, l0: subject.l0, alpha0Deg: (alpha0 * 180) / Math.PI, energy, gaits }, null, 2));
      return EXIT.OK;
    }
    if (gaits.length === 0) {
      console.log("no symmetric periodic gait found for these values");
      return EXIT.OK;
    }
    console.log(`${gaits.length} gait(s):`);
    gaits.forEach((g, i) => {
      console.log(
        `  ${i + 1}. y0 ${g.y0.toFixed(6)} m, vx0 ${g.vx0.toFixed(4)} m/s, step ${g.period.toFixed(4)} s / ${g.stepLength.toFixed(4)} m, ` +
          `speed ${g.speed.toFixed(4)} m/s, |lambda|max ${g.maxModulus.toFixed(4)} (${g.stable ? "not unstable" : "unstable"}), ` +
          `${g.walks ? "walks 15 s" : `does not walk 15 s (${g.failure})`}`,
      );
    });
    return EXIT.OK;
  },
};
