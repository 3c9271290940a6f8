/**
 * The prose of the identifiability steps for the (x, y) record: the scaling symmetries (nothing
 * beyond rho and l0 can be identified), the invariants, and the constructive inversion (rho and l0
 * are identified).
 */
import { equations, list, prose, type Block } from "./render";
import { cite, code, m, r, tex, type Rich } from "./rich";
import { INVERSION } from "./constructive";
import { analysisMathjs, constraintItems, eqText, formulas, singularText, step, vector } from "./prose";
import { generatorRich, scalingArrow } from "./symmetry";
import type { DerivationStep, InversionSummary, ObservationAnalysis } from "./types";

/** The null space and its confirmation, and the converse from the log-sensitivity rank. */
export function kernelBlocks(a: ObservationAnalysis, what: string): Block[] {
  const rows = a.constraints.map((c) => vector(c.exponents));
  const kernel: Rich =
    a.nullSpace.length === 0
      ? r`only 0: no scaling symmetry.`
      : r`${a.nullSpace.map((v) => r`${vector(v)}, the scaling ${scalingArrow(v)}`).flat()}. Substituting it and simplifying the difference gives 0 for every quantity, and its generator vanishes, ${generatorRich(a.nullSpace[0], "f", "0")}, for each acceleration ${tex("f", "f")} (proved; see the checks).`;
  const sv = singularText(a.sensitivity.singularValues);
  const expected = 3 - a.nullSpace.length;
  return [
    prose(r`Integer null space of the exponent matrix (rows ${rows.flatMap((x, i) => (i === 0 ? x : [{ text: ", " }, ...x]))}): ${kernel}`),
    prose(
      r`No other scaling, integer or not: if ${tex("c^{v}", "c^v")} leaves a quantity ${tex("f", "f")} unchanged for every ${m("c")}, differentiating at ${m("c = 1")} gives ${tex("\\sum_p v_p\\, p\\, \\partial f/\\partial p = 0", "sum_p v_p p df/dp = 0")} at every state. The log-sensitivities of the ${what} at the random states, stacked, have the singular values ${sv} (relative to the largest): rank ${a.sensitivity.rank}${gap(a.sensitivity.singularValues, expected)}, so every such ${tex("v", "v")} lies in the null space found${a.sensitivity.nullDirection ? r` (numerically the direction ${vector(a.sensitivity.nullDirection.map((x) => Number(x.toFixed(9))))})` : ""}. This covers every real exponent vector, where a search over a box of small integers would not.`,
    ),
  ];
}

/** The gap at the expected rank, as a clause. */
function gap(values: readonly number[], expected: number): string {
  const below = values[expected];
  return below === undefined ? " (full)" : `, with a gap of ${(below / values[expected - 1]).toExponential(0)} below it`;
}

/** Step symmetry-xy. */
export function symmetryStep(a: ObservationAnalysis): DerivationStep {
  return step("symmetry-xy", r`Scaling symmetries of the ${tex("(x, y)", "(x, y)")} data model`, [
    prose(
      r`Which scalings ${tex("(m, k, \\ell_0) \\mapsto (c^a m, c^b k, c^d \\ell_0)", "(m, k, l0) -> (c^a m, c^b k, c^d l0)")}, ${m("c > 0")}, leave every quantity of the previous step unchanged? What the search covers: scalings of the three subject parameters, with the angle of attack ${m("alpha0")}, the feet, the state, the initial state and ${m("g")} held fixed. Time is not scaled (the samples are taken at fixed times) and ${m("x")}, ${m("y")} must stay as they are, so lengths cannot be rescaled either. A scaling symmetry is the simplest Lie symmetry of a model; a model whose outputs are left unchanged by one is not structurally identifiable (${cite("bellman1970")}; ${cite("massonis2020")}).`,
      r`A scaling leaves a quantity unchanged when every parameter monomial through which the quantity depends on ${tex("(m, k, \\ell_0)", "(m, k, l0)")} is unchanged. Read off the parse trees (sums of terms that scale differently, and each quantity as a whole):`,
    ),
    list(...constraintItems(a)),
    ...kernelBlocks(a, "four accelerations"),
  ], analysisMathjs(a));
}

/** Step identifiable-xy. */
export function identifiableStep(a: ObservationAnalysis): DerivationStep {
  const inv = a.invariantExponents.map((e, i) => r`${vector(e)}, that is ${m(a.identifiable[i])}`);
  return step("identifiable-xy", r`The invariants: nothing beyond ${m("rho")} and ${m("l0")}`, [
    prose(
      r`The invariants of the symmetry are the monomials ${tex("m^p k^q \\ell_0^r", "m^p k^q l0^r")} with ${tex("(p, q, r) \\cdot (1, 1, 0) = 0", "(p, q, r) . (1, 1, 0) = 0")}; an integer basis of that lattice is ${inv.flatMap((x, i) => (i === 0 ? x : [{ text: ", and " }, ...x]))}. Every quantity of the record is a function of ${formulas(a.identifiable)} (and ${m("g")}, ${m("alpha0")}, ${m("e")}, the state), so nothing beyond them can be identified from ${tex("(x, y)", "(x, y)")}: ${tex("(m, k)", "(m, k)")} and ${tex("(c\\,m, c\\,k)", "(c m, c k)")} give the same record for every ${m("c > 0")}.`,
      r`That ${m("rho = k/m")} and ${m("l0")} themselves can be identified does not follow from the absence of further symmetries. The next step shows it by recovering them from a record.`,
    ),
  ]);
}

/** Step inversion. */
export function inversionStep(summary: InversionSummary): DerivationStep {
  const [diff, state] = summary.rows;
  const e = (x: number): string => x.toExponential(1);
  return step("inversion", r`${m("rho")} and ${m("l0")} from the record: a constructive inversion`, [
    prose(
      r`In single support the only force besides gravity is the stance leg's, along the leg, so ${tex("(\\ddot{x}, \\ddot{y} + g)", "(x_dd, y_dd + g)")} is parallel to ${tex("(x - x_a, y)", "(x - x_a, y)")} and the stance foot follows from the record (${m("y_dd + g > 0")} while the leg is compressed). With the foot the leg length ${m("l_a")} is known, and the vertical equation becomes affine in ${m("1/l_a")}, with slope ${m("rho*l0")} and intercept ${m("-rho")}:`,
    ),
    equations([eqText("x_a", "x_a", INVERSION.foot, "inversion.foot"), eqText("(y_dd + g)/y", "\\frac{\\ddot{y} + g}{y}", INVERSION.affine, "inversion.affine")]),
    prose(
      r`Along a stance phase ${m("l_a")} changes, so two instants with leg lengths ${m("l_1 != l_2")} (${m("u_i = 1/l_i")}, ${m("q_i = (y_dd_i + g)/y_i")}) fix both:`,
    ),
    equations([eqText("rho", "\\rho", INVERSION.rho, "inversion.rho"), eqText("l0", "\\ell_0", INVERSION.l0, "inversion.l0")]),
    prose(
      r`All three are proved symbolically for the derived accelerations. One instant is not enough: there ${tex("(\\ddot{x}, \\ddot{y})", "(x_dd, y_dd)")} depend on ${tex("(\\rho, \\ell_0)", "(rho, l0)")} only through ${m("rho*(l0/l_a - 1)")}, and ${tex("\\det \\partial(\\ddot{x}, \\ddot{y})/\\partial(\\rho, \\ell_0) = 0", "det d(x_dd, y_dd)/d(rho, l0) = 0")} (proved); a stance phase, along which the leg length changes, gives both.`,
      r`On ${diff.records} simulated walks (${diff.samples} single-support samples), from the positions alone, with the accelerations by five-point central differences, a least-squares fit of the affine relation over all samples recovers ${m("rho")} to ${e(diff.rhoError)}, ${m("l0")} to ${e(diff.l0Error)} (relative) and the feet to ${e(diff.footError)} ${m("l0")}; from the simulator's own accelerations at the samples, to ${e(Math.max(state.rhoError, state.l0Error))}. So ${m("rho")} and ${m("l0")} are functions of the record: identifiable.`,
      r`The record-level sensitivity analysis (${code("gaitid identifiability")}) is the sampled-data counterpart: the Jacobian of the 151 samples of a 15 s record in ${tex("(\\log \\rho, \\log \\ell_0)", "(log rho, log l0)")} has both singular values far above the integration noise, and in ${tex("(\\log m, \\log k, \\log \\ell_0)", "(log m, log k, log l0)")} one at the noise, along ${tex("(1, 1, 0)", "(1, 1, 0)")}. With noise, how well they are determined is a question of practical identifiability (${cite("raue2009")}; ${cite("walter1997")}).`,
    ),
  ]);
}
