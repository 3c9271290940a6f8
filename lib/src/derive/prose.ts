/**
 * The prose of the derivation: each step's text and displayed equations, as blocks (render.ts
 * turns them into text and LaTeX).
 */
import { parse, type MathNode } from "./mathjs";
import { blocksToLatex, blocksToMathjs, blocksToText, type Block, type Equation } from "./render";
import { abbreviateLegs, mentions, symbolsOf, text } from "./symbolic";
import type { PhaseWork } from "./mechanics";
import { generatorText, scalingMap, vectorText } from "./symmetry";
import { DERIVATION_FEET, DERIVATION_PARAMETERS, DERIVATION_PHASES, type DerivationPhase, type DerivationStep, type ObservationAnalysis } from "./types";

export function eq(lhs: string, lhsTex: string, rhs: MathNode, key?: string, feet: readonly string[] = ["x_a", "x_b"]): Equation {
  return { lhs, lhsTex, rhs: text(rhs), display: text(abbreviateLegs(rhs, feet)), key };
}

export function step(id: string, title: string, blocks: Block[], extra: Record<string, string> = {}): DerivationStep {
  return {
    id,
    title,
    blocks,
    text: blocksToText(blocks),
    latex: blocksToLatex(blocks),
    mathjs: { ...blocksToMathjs(blocks), ...extra },
  };
}

/** mathjs text of an analysis for a step's `mathjs` map: monomials, symmetries, invariants. */
export function analysisMathjs(a: ObservationAnalysis, part: "symmetry" | "identifiable"): Record<string, string> {
  const out: Record<string, string> = {};
  if (part === "symmetry") {
    a.constraints.forEach((c, i) => (out[`monomial.${i + 1}`] = c.monomial));
    a.nullSpace.forEach((v, i) => {
      const map = scalingMap(v);
      DERIVATION_PARAMETERS.forEach((p) => (out[`symmetry.${i + 1}.${p}`] = map[p] ?? p));
    });
  } else {
    a.identifiable.forEach((e, i) => (out[`identifiable.${i + 1}`] = e));
  }
  return out;
}

export const PHASE_LABEL: Record<DerivationPhase, string> = {
  single: "single support (stance foot x_a)",
  double: "double support (rear foot x_a, front foot x_b)",
};

export function symmetryBlocks(a: ObservationAnalysis, grf: boolean): Block[] {
  const blocks: Block[] = [];
  const obs = a.observables;
  blocks.push({
    kind: "prose",
    text:
      (grf
        ? "The record now also holds the leg forces F_a, F_b in newtons, besides everything the (x, y) record " +
          "depends on: the accelerations of both phases and the gait events."
        : "A record (x(t), y(t)) sampled at fixed times follows from the initial state and the gait condition " +
          "(drawn per unit mass, independently of m and k; model.md, 'A trap') through the accelerations of both " +
          "phases and the gait events.") +
      " Time is not scaled (the samples are taken at fixed times), and x, y must stay as they are, so lengths " +
      "cannot be rescaled either." +
      "\nObserved quantities: " +
      obs.map((o) => o.name).join("; ") +
      "." +
      "\nA scaling (m, k, l0) -> (c^a m, c^b k, c^d l0) leaves them all unchanged when every parameter monomial " +
      "through which they depend on (m, k, l0) is unchanged. Read off the parse trees (sums of terms that scale " +
      "differently, and each quantity as a whole):",
  });
  blocks.push({
    kind: "prose",
    text: a.constraints
      .map(
        (c) =>
          `- ${c.monomial}: exponents ${vectorText(c.exponents)}, from ${text(abbreviateLegs(parse(c.source), ["x_a", "x_b"]))} ` +
          `in ${c.observable}`,
      )
      .join("\n"),
  });
  blocks.push({
    kind: "prose",
    text:
      `Integer null space of the exponent matrix (rows ${a.constraints.map((c) => vectorText(c.exponents)).join(", ")}): ` +
      (a.nullSpace.length === 0 ? "only 0, so no scaling symmetry." : a.nullSpace.map(vectorText).join(", ") + ".") +
      `\nBrute-force search over all ${a.search.candidates} exponent vectors (a, b, d) in [-${a.search.range}, ${a.search.range}]^3 ` +
      "except 0, each evaluated at random points with a random c in [1.5, 3] (a changed value is a counter-example; " +
      "simplify can prove a zero but never a non-zero): " +
      (a.search.passed.length === 0
        ? "none leaves the observed quantities unchanged."
        : `unchanged only for ${a.search.passed.map(vectorText).join(", ")}, exactly the multiples of the null space.`) +
      (a.nullSpace.length > 0
        ? " Symbolically, for each basis vector (a, b, d) of the null space, substituting m -> c^a m, k -> c^b k, " +
          "l0 -> c^d l0 and simplifying the difference gives 0 for every observed quantity (proved by mathjs " +
          "simplify or, where it stops short, by the exact rational normal form; see the checks); the multiples " +
          "follow, since c^(t a) = (c^t)^a."
        : ""),
  });
  for (const v of a.nullSpace) {
    blocks.push({
      kind: "prose",
      text:
        `Infinitesimally: ${generatorText(v, "f")} = 0 for every right-hand side f (proved symbolically, checked at random points), ` +
        `so the sensitivity of any record to (m, k, l0) has the null direction ` +
        `(${DERIVATION_PARAMETERS.map((p, i) => (v[i] === 0 ? "0" : v[i] === 1 ? p : `${v[i]}*${p}`)).join(", ")}).`,
    });
  }
  const sv = a.sensitivity.singularValues.map((s) => s.toPrecision(3)).join(", ");
  blocks.push({
    kind: "prose",
    text:
      `Log-sensitivities p*df/dp of the ${grf ? "accelerations and forces" : "accelerations"} at ${"random"} states: ` +
      `singular values ${sv} (relative), rank ${a.sensitivity.rank}` +
      (a.sensitivity.nullDirection
        ? `, null direction ${vectorText(a.sensitivity.nullDirection.map((x) => Number(x.toFixed(6))))} in (log m, log k, log l0).`
        : ": no null direction."),
  });
  return blocks;
}

export function identifiableBlocks(a: ObservationAnalysis): Block[] {
  const inv = a.invariantExponents;
  return [
    {
      kind: "prose",
      text:
        (a.nullSpace.length === 0
          ? "No symmetry: every monomial m^p k^q l0^r is invariant; an integer basis is "
          : `The invariants of the symmetries are the monomials m^p k^q l0^r with (p, q, r) . v = 0 for every symmetry v; ` +
            "an integer basis of that lattice is ") +
        inv.map((e, i) => `${vectorText(e)}, that is $${a.identifiable[i]}$`).join(", and ") +
        ". " +
        (a.observe === "xy"
          ? "Only these can be identified from (x, y): the equations depend on the subject through $rho = k/m$ and $l0$ alone, " +
            "and (m, k) and (c m, c k) give the same record for every c > 0."
          : "Each of m, k and l0 is identifiable from the data model."),
    },
  ];
}

export function grfBlocks(force: MathNode, forceNodes: MathNode[], xy: ObservationAnalysis, grf: ObservationAnalysis): Block[] {
  const blocks: Block[] = [
    {
      kind: "prose",
      text:
        "Each leg pushes along itself with the force F = -dV/dl of its elastic energy V = k/2*(l0 - l)^2, " +
        "measured in newtons (a force plate under each foot).",
    },
    {
      kind: "equations",
      items: [
        { lhs: "F(l)", lhsTex: "F(l)", rhs: text(force), display: text(force), key: "F" },
        eq("F_a", "F_a", forceNodes[0], "F_a", ["x_a"]),
        eq("F_b", "F_b", forceNodes[1], "F_b", ["x_b"]),
      ],
    },
    {
      kind: "prose",
      text:
        `Under the (x, y) symmetr${xy.nullSpace.length === 1 ? "y" : "ies"} ${xy.nullSpace.map(vectorText).join(", ")} ` +
        "the forces are not unchanged: " +
        xy.nullSpace.map((v) => `${generatorText(v, "F_a")} = F_a`).join(", ") +
        " (proved and checked), and F_a is not 0 while the leg is compressed.",
    },
    ...symmetryBlocks(grf, true),
    ...identifiableBlocks(grf),
    {
      kind: "prose",
      text:
        "Constructively: l0 and rho = k/m follow from (x, y) (step 5); F_a is linear in k, so k = F_a/(dF_a/dk) = " +
        "F_a/(l0 - l_a) from a single force sample with l_a computed from the observed (x, y) and foot position; " +
        "then m = k/rho. This is the multimodal remedy the paper proposes.",
    },
  ];
  return blocks;
}

/** Step 1: the Lagrangian of each phase. */
export function lagrangianStep(work: Record<DerivationPhase, PhaseWork>): DerivationStep {
  return step("lagrangian", "Lagrangian", [
      {
        kind: "prose",
        text:
          "A point mass $m$ at (x, y) with velocity (x_dot, y_dot); each leg on the ground is a spring of " +
          "stiffness $k$ and rest length $l0$ from the CoM to its foot (x_i, 0), of length " +
          "$l_i = sqrt((x - x_i)^2 + y^2)$ and elastic energy $k/2*(l0 - l_i)^2$. " +
          "L = kinetic energy - gravitational energy - elastic energy of the legs in contact.",
      },
      ...DERIVATION_PHASES.map<Block>((phase) => ({
        kind: "equations",
        heading: PHASE_LABEL[phase],
        items: [eq("L", "L", work[phase].lagrangian, `L.${phase}`, DERIVATION_FEET[phase])],
      })),
    ]);
}

/** Step 2: the Euler-Lagrange equations, solved for the accelerations. */
export function eulerLagrangeStep(work: Record<DerivationPhase, PhaseWork>): DerivationStep {
  const elBlocks: Block[] = [
    {
      kind: "prose",
      text:
        "Euler-Lagrange: d/dt(dL/dq_dot) - dL/dq = 0 for q = x, y. mathjs has no time derivative, so " +
        "x, y, x_dot, y_dot, x_dd, y_dd are independent symbols and d/dt is the chain rule " +
        "sum_j (d/dq_j) q_dot_j + (d/dq_dot_j) q_dd_j. The equations are linear in the accelerations; " +
        "the mass matrix M_ij = d EL_i / d q_dd_j (computed by differentiation) comes out as m I, and " +
        "solving M (x_dd, y_dd) = -r by Cramer's rule and simplifying gives the accelerations.",
    },
  ];
  for (const phase of DERIVATION_PHASES) {
    const w = work[phase];
    const feet = DERIVATION_FEET[phase];
    elBlocks.push({
      kind: "equations",
      heading: PHASE_LABEL[phase],
      items: [
        eq("dL/dx_dot", "\\frac{\\partial L}{\\partial \\dot{x}}", w.momenta[0], undefined, feet),
        eq("dL/dy_dot", "\\frac{\\partial L}{\\partial \\dot{y}}", w.momenta[1], undefined, feet),
        eq("d/dt dL/dx_dot", "\\frac{d}{dt}\\frac{\\partial L}{\\partial \\dot{x}}", w.dtMomenta[0], undefined, feet),
        eq("d/dt dL/dy_dot", "\\frac{d}{dt}\\frac{\\partial L}{\\partial \\dot{y}}", w.dtMomenta[1], undefined, feet),
        eq("dL/dx", "\\frac{\\partial L}{\\partial x}", w.dLdq[0], undefined, feet),
        eq("dL/dy", "\\frac{\\partial L}{\\partial y}", w.dLdq[1], undefined, feet),
        eq("EL_x", "\\mathrm{EL}_x", w.el[0], `EL.${phase}.x`, feet),
        eq("EL_y", "\\mathrm{EL}_y", w.el[1], `EL.${phase}.y`, feet),
        eq("M_xx", "M_{xx}", w.mass[0][0], undefined, feet),
        eq("M_xy", "M_{xy}", w.mass[0][1], undefined, feet),
        eq("M_yx", "M_{yx}", w.mass[1][0], undefined, feet),
        eq("M_yy", "M_{yy}", w.mass[1][1], undefined, feet),
        eq("x_dd", "\\ddot{x}", w.acc[0], `${phase}.xdd`, feet),
        eq("y_dd", "\\ddot{y}", w.acc[1], `${phase}.ydd`, feet),
      ],
    });
  }
  return step("euler-lagrange", "Euler-Lagrange equations, solved for the accelerations", elBlocks);
}

/** Step 3: the normalization k = rho m, after which m no longer occurs. */
export function normalizationStep(work: Record<DerivationPhase, PhaseWork>): DerivationStep {
  const normBlocks: Block[] = [
    {
      kind: "prose",
      text:
        "The accelerations are forces divided by the mass matrix m I. Substitute $k = rho*m$ and simplify: " +
        `m no longer occurs in either phase (checked on the expression tree: ${DERIVATION_PHASES.map(
          (ph) => `${ph} ${work[ph].normalized.some((x) => mentions(x, "m")) ? "contains m" : "free of m"}`,
        ).join(", ")}). The free symbols are now ` +
        [...new Set(DERIVATION_PHASES.flatMap((ph) => work[ph].normalized.flatMap((x) => [...symbolsOf(x)])))].sort().join(", ") +
        ".",
    },
  ];
  for (const phase of DERIVATION_PHASES) {
    normBlocks.push({
      kind: "equations",
      heading: PHASE_LABEL[phase],
      items: [
        eq("x_dd", "\\ddot{x}", work[phase].normalized[0], `normalized.${phase}.xdd`, DERIVATION_FEET[phase]),
        eq("y_dd", "\\ddot{y}", work[phase].normalized[1], `normalized.${phase}.ydd`, DERIVATION_FEET[phase]),
      ],
    });
  }
  return step("normalization", "Normalization: divide by m, k = rho m", normBlocks);
}
