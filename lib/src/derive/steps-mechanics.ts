/**
 * The prose of the mechanics steps: the Lagrangian, the Euler-Lagrange equations, the
 * normalization, and what a record depends on (events, initial state, energy, design).
 */
import { equations, list, prose, type Block } from "./render";
import { cite, code, joinRich, m, mathjsLatex, r, tex } from "./rich";
import { mentions, symbolsOf, text } from "./symbolic";
import { EVENTS, INITIAL_STATE, readableEnergy, type PhaseWork } from "./mechanics";
import { eq, eqText, phaseHeading, step } from "./prose";
import { DERIVATION_FEET, DERIVATION_PHASES, type DerivationPhase, type DerivationStep } from "./types";

type Work = Record<DerivationPhase, PhaseWork>;

/** Step lagrangian. */
export function lagrangianStep(work: Work): DerivationStep {
  return step("lagrangian", r`The Lagrangian`, [
    prose(
      r`A point mass ${m("m")} at the centre of mass (CoM) ${tex("(x, y)", "(x, y)")} with velocity ${tex("(\\dot{x}, \\dot{y})", "(x_dot, y_dot)")}; each leg on the ground is a massless linear spring of stiffness ${m("k")} and rest length ${m("l0")} from the CoM to its foot ${tex("(x_i, 0)", "(x_i, 0)")}, of length ${m("l_i = sqrt((x - x_i)^2 + y^2)")} and elastic energy ${m("k/2*(l0 - l_i)^2")}: Geyer's walker (${cite("geyer2006")}). The Lagrangian is the kinetic energy minus the gravitational energy and the elastic energy of the legs in contact: one leg (foot ${m("x_a")}) in single support, two (rear foot ${m("x_a")}, front foot ${m("x_b")}) in double support.`,
    ),
    ...DERIVATION_PHASES.map<Block>((phase) =>
      equations([eq("L", "L", work[phase].lagrangian, `L.${phase}`, DERIVATION_FEET[phase])], phaseHeading(phase)),
    ),
  ]);
}

/** Step euler-lagrange. */
export function eulerLagrangeStep(work: Work): DerivationStep {
  const blocks: Block[] = [
    prose(
      r`The Euler–Lagrange equations ${tex("\\frac{d}{dt}\\frac{\\partial L}{\\partial \\dot{q}} - \\frac{\\partial L}{\\partial q} = 0", "d/dt dL/dq_dot - dL/dq = 0")} for ${tex("q = x, y", "q = x, y")}. mathjs has no time derivative, so ${tex("x, y, \\dot{x}, \\dot{y}, \\ddot{x}, \\ddot{y}", "x, y, x_dot, y_dot, x_dd, y_dd")} are independent symbols and ${tex("\\frac{d}{dt}", "d/dt")} is the chain rule ${tex("\\sum_j \\frac{\\partial}{\\partial q_j}\\,\\dot{q}_j + \\frac{\\partial}{\\partial \\dot{q}_j}\\,\\ddot{q}_j", "sum_j (d/dq_j) q_dot_j + (d/dq_dot_j) q_dd_j")}. The equations ${tex("\\mathrm{EL}_x = 0, \\mathrm{EL}_y = 0", "EL_x = 0, EL_y = 0")} are linear in the accelerations; the mass matrix ${tex("M_{ij} = \\partial \\mathrm{EL}_i / \\partial \\ddot{q}_j", "M_ij = d EL_i / d q_dd_j")}, computed by differentiation, comes out as ${tex("m\\,I", "m I")}, and solving ${tex("M\\,(\\ddot{x}, \\ddot{y})^\\top = -r", "M (x_dd, y_dd) = -r")} (with ${m("r")} the equations at zero acceleration) by Cramer's rule and simplifying gives the accelerations.`,
    ),
  ];
  for (const phase of DERIVATION_PHASES) {
    const w = work[phase];
    const feet = DERIVATION_FEET[phase];
    blocks.push(
      equations(
        [
          eq("dL/dx_dot", "\\frac{\\partial L}{\\partial \\dot{x}}", w.momenta[0], undefined, feet),
          eq("dL/dy_dot", "\\frac{\\partial L}{\\partial \\dot{y}}", w.momenta[1], undefined, feet),
          eq("dL/dx", "\\frac{\\partial L}{\\partial x}", w.dLdq[0], undefined, feet),
          eq("dL/dy", "\\frac{\\partial L}{\\partial y}", w.dLdq[1], undefined, feet),
          eq("EL_x", "\\mathrm{EL}_x", w.el[0], `EL.${phase}.x`, feet),
          eq("EL_y", "\\mathrm{EL}_y", w.el[1], `EL.${phase}.y`, feet),
          eq("x_dd", "\\ddot{x}", w.acc[0], `${phase}.xdd`, feet),
          eq("y_dd", "\\ddot{y}", w.acc[1], `${phase}.ydd`, feet),
        ],
        phaseHeading(phase),
      ),
    );
  }
  return step("euler-lagrange", r`Euler–Lagrange equations, solved for the accelerations`, blocks);
}

/** Step normalization: the derived normalized form, then the readable one. */
export function normalizationStep(work: Work): DerivationStep {
  const status = joinRich(
    DERIVATION_PHASES.map((ph) => r`${ph} support ${work[ph].normalized.some((x) => mentions(x, "m")) ? "contains" : "free of"} ${m("m")}`),
    ", ",
  );
  const free = [...new Set(DERIVATION_PHASES.flatMap((ph) => work[ph].normalized.flatMap((x) => [...symbolsOf(x)])))].sort();
  const blocks: Block[] = [
    prose(
      r`The accelerations are forces divided by the mass matrix ${tex("m\\,I", "m I")}. Substitute ${m("k = rho*m")} and simplify: ${m("m")} no longer occurs (checked on the expression trees: ${status}). The free symbols are now ${tex(free.map(mathjsLatex).join(", "), free.join(", "))}. Collected by leg, each leg on the ground pulls the CoM along itself, towards or away from its foot, with ${m("rho*(l0/l_i - 1)")} per metre of ${tex("(x - x_i, y)", "(x - x_i, y)")} (proved equal to the derived form):`,
    ),
  ];
  for (const phase of DERIVATION_PHASES) {
    const w = work[phase];
    const feet = DERIVATION_FEET[phase];
    blocks.push(
      equations(
        [
          eq("x_dd", "\\ddot{x}", w.normalized[0], `normalized.${phase}.xdd`, feet),
          eqText("", "", w.readable[0].display, `readable.${phase}.xdd`),
          eq("y_dd", "\\ddot{y}", w.normalized[1], `normalized.${phase}.ydd`, feet),
          eqText("", "", w.readable[1].display, `readable.${phase}.ydd`),
        ],
        phaseHeading(phase),
      ),
    );
  }
  return step("normalization", r`Normalization: divide by ${m("m")}, write ${m("k = rho*m")}`, blocks);
}

/** Step record: what a record depends on besides the accelerations. */
export function recordStep(work: Work): DerivationStep {
  return step("record", r`What a record depends on: gait events, initial state, energy`, [
    prose(
      r`A record is the CoM path ${tex("(x(t_i), y(t_i))", "(x(t_i), y(t_i))")} at fixed sample times ${tex("t_i = 0, \\Delta t, 2\\Delta t, \\dots", "t_i = 0, dt, 2 dt, ...")}. Besides the accelerations of both phases it depends on:`,
    ),
    list(
      r`the touchdown: in single support the swing leg is held at the angle of attack ${m("alpha0")}; it touches down when the CoM, moving down, reaches ${m(EVENTS.touchdown.equation)}, and its foot lands at ${m(EVENTS.footPlacement.equation)}, its spring at rest. Both conditions hold ${m("l0")} and ${m("alpha0")};`,
      r`the lift-off: in double support the rear leg leaves the ground when it has extended back to ${m(EVENTS.liftoff.equation)};`,
      r`the initial state: a record starts at vertical leg orientation over its first foot, on the symmetric periodic gait of the gait condition ${tex("(\\alpha_0, e)", "(alpha0, e)")}, below. Its height ${m("y_0")} is found numerically from ${tex("(\\rho, \\ell_0, g, \\alpha_0, e)", "(rho, l0, g, alpha0, e)")} alone (the gait search, ${code("findGaits")} in ${code("walker/gait.ts")}, receives nothing else), and the speed from the energy;`,
      r`the specific energy ${m("e = E/m")}, conserved along the walk, which with ${m("k = rho*m")} is free of ${m("m")} (below, proved in both phases).`,
    ),
    equations(
      [
        eqText("x(0)", "x(0)", INITIAL_STATE.x),
        eqText("y(0)", "y(0)", INITIAL_STATE.y),
        eqText("x_dot(0)", "\\dot{x}(0)", INITIAL_STATE.x_dot, "initial.x_dot"),
        eqText("y_dot(0)", "\\dot{y}(0)", INITIAL_STATE.y_dot),
        eqText("e", "e", readableEnergy("single"), "energy.single", text(work.single.specificEnergy)),
        eqText("e", "e", readableEnergy("double"), "energy.double", text(work.double.specificEnergy)),
      ],
      r`initial state (single support, foot ${m("x_a")}); energy per unit mass in single and double support`,
    ),
    prose(
      r`So a walk is a function of ${tex("(\\rho, \\ell_0, g, \\alpha_0, e)", "(rho, l0, g, alpha0, e)")} and the sample times. What the subject contributes besides ${m("rho")} and ${m("l0")} could only enter through the gait condition: how ${tex("(\\alpha_0, e)", "(alpha0, e)")} is drawn is part of the data model. The study draws ${m("alpha0")} in degrees and ${m("e")} in multiples of ${m("g*l0")}, independently of ${m("m")} and ${m("k")} (per unit mass); the last step analyses the alternative, the initial energy drawn in joules.`,
    ),
  ]);
}
