/**
 * Helpers for the prose of the derivation's steps (steps-*.ts): a step from its blocks, an
 * equation from a derived tree, phase headings, and the text of an analysis.
 */
import { parse, type MathNode } from "./mathjs";
import { blocksToLatex, blocksToMathjs, blocksToText, equation, type Block, type Equation } from "./render";
import { joinRich, m, plainText, r, tex, type Rich } from "./rich";
import { abbreviateLegs, text } from "./symbolic";
import { scalingMap } from "./symmetry";
import { DERIVATION_PARAMETERS, type DerivationPhase, type DerivationStep, type ObservationAnalysis } from "./types";

/** An equation lhs = (derived tree), displayed with the leg lengths of `feet` abbreviated. */
export function eq(lhs: string, lhsTex: string, rhs: MathNode, key?: string, feet: readonly string[] = ["x_a", "x_b"]): Equation {
  return equation(lhs, lhsTex, text(rhs), text(abbreviateLegs(rhs, feet)), key);
}

/** An equation lhs = (mathjs text written as shown; `explicit` is the exported form). */
export function eqText(lhs: string, lhsTex: string, display: string, key?: string, explicit = display): Equation {
  return equation(lhs, lhsTex, explicit, display, key);
}

/** A step from its blocks; `extra` adds exported expressions to the step's mathjs map. */
export function step(id: string, title: Rich, blocks: Block[], extra: Record<string, string> = {}): DerivationStep {
  return {
    id,
    title: plainText(title),
    titleRich: title,
    blocks,
    text: blocksToText(blocks),
    latex: blocksToLatex(blocks),
    mathjs: { ...blocksToMathjs(blocks), ...extra },
  };
}

/** The heading of a phase's equations. */
export function phaseHeading(phase: DerivationPhase): Rich {
  return phase === "single"
    ? r`single support (stance foot ${m("x_a")})`
    : r`double support (rear foot ${m("x_a")}, front foot ${m("x_b")})`;
}

/** An exponent vector, typeset as a tuple. */
export function vector(v: readonly number[]): Rich {
  return [tex(`(${v.join(", ")})`, `(${v.join(", ")})`)];
}

/** A list of mathjs formulas joined by ", " and a last "and". */
export function formulas(list: readonly string[]): Rich {
  const parts = list.map((s) => [m(s)]);
  if (parts.length <= 1) return parts[0] ?? [];
  return r`${joinRich(parts.slice(0, -1), ", ")} and ${parts[parts.length - 1]}`;
}

/** mathjs text of an analysis for a step's `mathjs` map: monomials, symmetries, invariants. */
export function analysisMathjs(a: ObservationAnalysis): Record<string, string> {
  const out: Record<string, string> = {};
  a.constraints.forEach((c, i) => (out[`monomial.${i + 1}`] = c.monomial));
  a.nullSpace.forEach((v, i) => {
    const map = scalingMap(v);
    DERIVATION_PARAMETERS.forEach((p) => (out[`symmetry.${i + 1}.${p}`] = map[p] ?? p));
  });
  a.identifiable.forEach((e, i) => (out[`identifiable.${i + 1}`] = e));
  return out;
}

/** The constraints read off the parse trees, one list item each. */
export function constraintItems(a: ObservationAnalysis): Rich[] {
  return a.constraints.map((c) => {
    const source = text(abbreviateLegs(parse(c.source), ["x_a", "x_b"]));
    const short = source.length <= 60;
    const observable = a.observables.find((o) => o.name === c.observable);
    return r`${m(c.monomial)}: exponents ${vector(c.exponents)}, from ${short ? [m(source)] : "a term"} in ${observable ? observable.label : c.observable}`;
  });
}

/** Singular values as text with 3 significant digits. */
export function singularText(values: readonly number[]): string {
  return values.map((s) => s.toPrecision(3)).join(", ");
}
