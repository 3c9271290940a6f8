/**
 * The experimental design as part of the data model. A record determines its specific energy e
 * (e = v^2/2 + g y + rho/2 (l0 - l_a)^2 in single support, with rho and l0 from the inversion), so
 * how e is drawn decides what else the record tells:
 * - per unit mass (the study's design): e = eps g l0 with eps drawn from a fixed range, alpha0 in
 *   degrees, independently of m and k. e adds the monomial l0, which is there already: the
 *   symmetry (1, 1, 0) stays, rho and l0 are identifiable, m and k are not.
 * - in joules: e = E/m with the initial energy E in joules. With E fixed and known, the monomial m
 *   must not scale: no symmetry remains, m = E/e and k = rho m. With E drawn from a known range
 *   [E_min, E_max], a record only bounds m: E_min/e <= m <= E_max/e (m partly identifiable; the
 *   best estimate is the posterior mean of m given rho, l0 and e under the priors, not the
 *   per-unit-mass E[m | rho]).
 */
import { parse } from "./mathjs";
import { relativeError, type Point } from "./numeric";
import { CheckList } from "./checklist";
import type { Observable } from "./mechanics";
import { invertStance } from "./inversion";
import { stanceSamples, type SimulatedRecord } from "./records";
import { m, r } from "./rich";
import { analyze } from "./symmetry";
import type { DerivationDesign, DesignAnalysis } from "./types";

/** How each design draws the gait condition (plain text). */
export const DESIGN_DRAWS: Record<DerivationDesign, string> = {
  "per-unit-mass": "alpha0 in degrees and the specific energy e = eps*g*l0 with eps from a fixed range, independently of m and k",
  joules: "alpha0 in degrees and the initial energy E in joules (fixed and known, or from a known range [E_min, E_max])",
};

/** The design's quantity of the initial state, mathjs syntax. */
export const DESIGN_ENERGY: Record<DerivationDesign, string> = {
  "per-unit-mass": "eps*g*l0",
  joules: "E/m",
};

/** The design's observable (the specific energy it prescribes). */
function designObservable(design: DerivationDesign): Observable {
  const expression = DESIGN_ENERGY[design];
  const label = r`${m(`e = ${expression}`)} (initial specific energy, J/kg)`;
  return { name: `e = ${expression} (initial specific energy, J/kg)`, label, expression, kind: "initial", node: parse(expression) };
}

/** The points with the design's constants bound: eps = 1.02, E = m e (J). */
function designPoints(points: readonly Point[]): Point[] {
  return points.map((p) => ({ ...p, eps: 1.02, E: p.m * 1.02 * p.g * p.l0 }));
}

/** Both designs for the (x, y) record: identifiable sets, symmetries, what is only partly identifiable. */
export function analyzeDesigns(xy: readonly Observable[], points: readonly Point[], rng: () => number, checks: CheckList): DesignAnalysis[] {
  const pts = designPoints(points);
  return (["per-unit-mass", "joules"] as const).map((design) => {
    const a = analyze(
      { observe: "xy", design, observables: [...xy, designObservable(design)], step: "design", confirm: false },
      pts,
      rng,
      design === "joules" ? checks : new CheckList(points.length),
    );
    return {
      design,
      draws: DESIGN_DRAWS[design],
      initial: `e = ${DESIGN_ENERGY[design]}`,
      identifiable: a.identifiable,
      symmetries: a.symmetries,
      partial:
        design === "joules"
          ? [
              { quantity: "m", bounds: "E_min/e <= m <= E_max/e", when: "E drawn from a known range [E_min, E_max]" },
              { quantity: "k", bounds: "rho*E_min/e <= k <= rho*E_max/e", when: "E drawn from a known range [E_min, E_max]" },
            ]
          : [],
    };
  });
}

/**
 * On simulated records: e from the positions alone (rho, l0 and the foot from the inversion,
 * velocities by five-point differences) equals the simulator's; so with E = m e known, m = E/e.
 */
export function checkEnergyFromRecords(records: readonly SimulatedRecord[], checks: CheckList): number {
  let worst = 0;
  for (const rec of records) {
    const samples = stanceSamples(rec, "differences");
    const inv = invertStance(samples, rec.g);
    const E = rec.m * rec.walk.energy;
    samples.forEach((s, i) => {
      const la = Math.hypot(s.x - inv.feet[i], s.y);
      const e = 0.5 * (s.vx * s.vx + s.vy * s.vy) + rec.g * s.y + 0.5 * inv.rho * (inv.l0 - la) ** 2;
      worst = Math.max(worst, relativeError(e, rec.walk.energy), relativeError(E / e, rec.m));
    });
  }
  checks.add({
    id: "design.energy-from-record",
    step: "design",
    claim: r`on ${records.length} simulated records: ${m("e = (x_dot^2 + y_dot^2)/2 + g*y + rho/2*(l0 - l_a)^2")} computed from the positions alone (with ${m("rho")}, ${m("l0")} and the foot from the inversion) equals the walk's specific energy, so that with ${m("E")} known in joules ${m("m = E/e")}`,
    proofs: "simulated records (walker/simulate.ts), velocities and accelerations by five-point differences",
    value: worst,
    measure: "largest relative error of e and of m = E/e",
    tolerance: 1e-8,
  });
  return worst;
}
