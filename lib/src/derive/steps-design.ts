/**
 * The prose of the two steps that change what a record tells: the total ground reaction force
 * (step grf, only with observe = "xy+grf") and the experimental design (step design).
 */
import type { MathNode } from "./mathjs";
import { equations, list, prose } from "./render";
import { code, m, r, tex } from "./rich";
import { kernelBlocks } from "./steps-identifiability";
import { analysisMathjs, constraintItems, eq, formulas, phaseHeading, step } from "./prose";
import { generatorRich } from "./symmetry";
import { DERIVATION_FEET, DERIVATION_PHASES, type DerivationPhase, type DerivationStep, type DesignAnalysis, type ObservationAnalysis } from "./types";

/** Step grf. */
export function grfStep(forces: Record<DerivationPhase, MathNode[]>, xy: ObservationAnalysis, grf: ObservationAnalysis, mass: { m: number; k: number }): DerivationStep {
  const v = xy.nullSpace[0] ?? [1, 1, 0];
  return step("grf", r`Second observation model: ${tex("(x, y)", "(x, y)")} and the total ground reaction force in newtons`, [
    prose(
      r`The dataset's force channel is the total ground reaction force, what a force plate under the walker measures, in newtons: ${tex("(f_x, f_y) = m\\,(\\ddot{x}, \\ddot{y} + g)", "(fx, fy) = m (x_dd, y_dd + g)")}, with the derived accelerations:`,
    ),
    ...DERIVATION_PHASES.map((phase) =>
      equations(
        [eq("fx", "f_x", forces[phase][0], `grf.${phase}.fx`, DERIVATION_FEET[phase]), eq("fy", "f_y", forces[phase][1], `grf.${phase}.fy`, DERIVATION_FEET[phase])],
        phaseHeading(phase),
      ),
    ),
    prose(
      r`It is the sum of the leg forces ${m("k*(l0 - l_i)")} along the legs (Newton's second law for the CoM, proved in both phases) and ${m("m")} times the simulator's force channel. The symmetry of the ${tex("(x, y)", "(x, y)")} model moves it: ${generatorRich(v, "f", "f")} for each component (proved), so ${tex("(c\\,m, c\\,k)", "(c m, c k)")} multiplies the force record by ${m("c")}; ${m("m")} no longer cancels. Read off the parse trees, the quantities of the record now depend on the monomials:`,
    ),
    list(...constraintItems(grf)),
    ...kernelBlocks(grf, "accelerations and forces"),
    prose(
      r`So ${formulas(grf.identifiable)} are each identifiable. Constructively: ${m("rho")} and ${m("l0")} from the positions (the inversion above), then ${m("m = fy/(y_dd + g)")} at any stance instant and ${m("k = rho*m")}. On the simulated records, with ${m("y_dd")} from the positions and ${m("fy")} from the force channel, this recovers ${m("m")} to ${mass.m.toExponential(1)} and ${m("k")} to ${mass.k.toExponential(1)} (relative).`,
      r`Remark: a plate under each foot would give the leg forces ${m("F_i = k*(l0 - l_i)")} separately; they too scale with ${m("k")} and break the symmetry (${m("k = F_a/(l0 - l_a)")} from one sample). The dataset holds only the total force, and the total force suffices.`,
    ),
  ], analysisMathjs(grf));
}

/** Step design. */
export function designStep(designs: readonly DesignAnalysis[], energyError: number): DerivationStep {
  const unit = designs.find((d) => d.design === "per-unit-mass")!;
  const joules = designs.find((d) => d.design === "joules")!;
  return step("design", r`The experimental design: per unit mass or in joules`, [
    prose(
      r`Whether ${m("m")} is identifiable also depends on how the walks are started. The specific energy can be computed from the record: once ${m("rho")} and ${m("l0")} are known, ${m("e = (x_dot^2 + y_dot^2)/2 + g*y + rho/2*(l0 - l_a)^2")} at any single-support sample (on the simulated records, from the positions alone, to ${energyError.toExponential(1)} relative). So the law by which the design draws ${m("e")} is part of the data model. Added to the quantities of the record, the design's energy gives:`,
    ),
    list(
      r`per unit mass (the study's design): ${m(unit.initial)} with ${m("eps")} drawn from a fixed range, ${m("alpha0")} in degrees, independently of ${m("m")} and ${m("k")}. It adds the monomial ${m("l0")}, already there: the symmetry ${tex("(1, 1, 0)", "(1, 1, 0)")} stays, and ${formulas(unit.identifiable)} are identifiable, ${m("m")} and ${m("k")} are not.`,
      r`in joules, the initial energy ${m("E")} fixed and known: ${m(joules.initial)} adds the monomial ${m("m")}; no scaling symmetry remains (log-sensitivity rank 3), ${m("m = E/e")} and ${m("k = rho*m")}: ${formulas(joules.identifiable)} are identifiable from ${tex("(x, y)", "(x, y)")} alone.`,
      r`in joules, ${m("E")} drawn from a known range ${tex("[E_{\\min}, E_{\\max}]", "[E_min, E_max]")}: a record gives ${m("e")}, hence ${m("E_min/e <= m <= E_max/e")} and ${m("rho*E_min/e <= k <= rho*E_max/e")}: ${m("m")} and ${m("k")} are only partly identifiable. The best estimate of ${m("m")} is its posterior mean given ${tex("(\\rho, \\ell_0, e)", "(rho, l0, e)")} under the priors, whose error is the floor of that design, below the per-unit-mass floor of ${tex("E[m \\mid \\rho]", "E[m | rho]")}.`,
    ),
    prose(
      r`A network trained on walks started in joules would thus partly "identify" ${m("m")} for a reason that has nothing to do with the mechanics: the floor belongs to the design. The study's design keeps the question the paper asks. ${code("gaitid derive --design joules")} gives the identifiable set of the second design.`,
    ),
  ]);
}
