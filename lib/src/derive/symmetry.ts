/**
 * The scaling analysis of an observation model. What it covers: the scalings
 * (m, k, l0) -> (c^a m, c^b k, c^d l0), c > 0, with everything else held fixed (the angle of
 * attack alpha0, the feet, the state, the initial state, g). A scaling is a symmetry when every
 * quantity the record depends on is unchanged for every c. (Transformations of other kinds are not
 * searched here; the constructive inversion, inversion.ts, settles what (x, y) determines.)
 *
 * Both directions:
 * - Every vector of the integer null space of the exponent matrix (the parameter monomials read
 *   off the parse trees, scaling.ts) is a symmetry: by induction over the trees, and confirmed by
 *   substituting the scaling and simplifying the difference to 0 for each basis vector.
 * - No other real exponent vector is one: if c^v leaves a quantity f unchanged for all c, then at
 *   c = 1 its generator vanishes, sum_p v_p p df/dp = 0, at every state. Stacking the
 *   log-sensitivities (m df/dm, k df/dk, l0 df/dl0) of the accelerations (and forces, and design
 *   quantities) over the random states gives a matrix S with S v = 0; its numeric rank (one-sided
 *   Jacobi SVD, svd.ts) equals 3 minus the dimension of the null space found, with a clear gap, so
 *   v lies in that null space. This covers every real vector, which a brute-force search over a
 *   box of small integer exponents cannot, and so replaces it.
 */
import { derivative, parse, type MathNode } from "./mathjs";
import { hermiteFromRight, integerKernel, monomialText, type IntVector } from "./lattice";
import { relativeError, uniform, type Point } from "./numeric";
import { jacobiSvd, lineAngle } from "./svd";
import { scalingConstraints } from "./scaling";
import { evaluator, minus, provesZero, substitute, text, type ZeroProof } from "./symbolic";
import { CheckList, maxOver } from "./checklist";
import type { Observable } from "./mechanics";
import { joinRich, m, r, tex, type Rich } from "./rich";
import {
  DERIVATION_PARAMETERS,
  type DerivationDesign,
  type DeriveObservationModel,
  type ObservationAnalysis,
  type ScalingAction,
} from "./types";

export function asScaling(v: IntVector): ScalingAction {
  return { m: v[0], k: v[1], l0: v[2] };
}

const TEX_PARAM: Record<string, string> = { m: "m", k: "k", l0: "\\ell_0" };

/** (m, k, l0) -> (c m, c k, l0) for the exponents (1, 1, 0), typeset. */
export function scalingArrow(v: IntVector): Rich {
  const f = (e: number, p: string, t: boolean): string =>
    e === 0 ? p : e === 1 ? (t ? `c\\,${p}` : `c ${p}`) : t ? `c^{${e}} ${p}` : `c^${e} ${p}`;
  const names = DERIVATION_PARAMETERS.map((p) => TEX_PARAM[p]);
  return [
    tex(
      `(m, k, \\ell_0) \\mapsto (${names.map((p, i) => f(v[i], p, true)).join(", ")})`,
      `(m, k, l0) -> (${DERIVATION_PARAMETERS.map((p, i) => f(v[i], p, false)).join(", ")})`,
    ),
  ];
}

export function vectorText(v: readonly number[]): string {
  return `(${v.join(", ")})`;
}

export function scalingMap(v: IntVector): Record<string, string> {
  const map: Record<string, string> = {};
  DERIVATION_PARAMETERS.forEach((p, i) => {
    if (v[i] !== 0) map[p] = v[i] === 1 ? `c*${p}` : `c^(${v[i]})*${p}`;
  });
  return map;
}

export function scaledScope(p: Point, v: IntVector, c: number): Point {
  return { ...p, m: p.m * c ** v[0], k: p.k * c ** v[1], l0: p.l0 * c ** v[2], c };
}

/** The generator of a scaling v: sum_p v_p * p * df/dp (unsimplified) and its terms. */
export function generator(f: MathNode, v: IntVector): { expr: MathNode; terms: MathNode[] } {
  const terms: MathNode[] = [];
  DERIVATION_PARAMETERS.forEach((p, i) => {
    if (v[i] !== 0) terms.push(parse(`${v[i]} * ${p} * (${text(derivative(f, p, { simplify: false }))})`));
  });
  const expr = terms.length === 0 ? parse("0") : parse(terms.map((t) => `(${text(t)})`).join(" + "));
  return { expr, terms };
}

/** The generator of v applied to f, typeset: m df/dm + k df/dk (= rhs when given). */
export function generatorRich(v: IntVector, f: string, rhs?: string): Rich {
  const fTex = f;
  const parts: string[] = [];
  const plain: string[] = [];
  DERIVATION_PARAMETERS.forEach((p, i) => {
    if (v[i] === 0) return;
    const coef = v[i] === 1 ? "" : v[i] === -1 ? "-" : `${v[i]}`;
    parts.push(`${coef}${TEX_PARAM[p]}\\,\\frac{\\partial ${fTex}}{\\partial ${TEX_PARAM[p]}}`);
    plain.push(`${coef}${p}*d${f}/d${p}`);
  });
  const eq = rhs === undefined ? "" : ` = ${rhs}`;
  return [tex(parts.join(" + ").replace(/\+ -/g, "- ") + eq, plain.join(" + ").replace(/\+ -/g, "- ") + eq)];
}

/** An observation model (and design) to analyse. */
export interface AnalysisInput {
  observe: DeriveObservationModel;
  design: DerivationDesign;
  observables: Observable[];
  /** The step the analysis's checks support. */
  step: string;
  /** Record the symbolic confirmation of the symmetries (false for a design variant of an analysed model). */
  confirm: boolean;
}

/** The exponent matrix read off the observables, deduplicated. */
function exponentMatrix(observables: readonly Observable[]): ObservationAnalysis["constraints"] {
  const constraints: ObservationAnalysis["constraints"] = [];
  const seen = new Set<string>();
  for (const o of observables) {
    for (const c of scalingConstraints(o.node, DERIVATION_PARAMETERS)) {
      const key = c.exponents.join(",");
      if (seen.has(key)) continue;
      seen.add(key);
      constraints.push({ exponents: c.exponents, monomial: monomialText(c.exponents, DERIVATION_PARAMETERS), source: c.source, observable: o.name });
    }
  }
  return constraints;
}

/** Symmetries and invariants of one observation model; records its checks. */
export function analyze(input: AnalysisInput, points: readonly Point[], rng: () => number, checks: CheckList): ObservationAnalysis {
  const n = DERIVATION_PARAMETERS.length;
  const constraints = exponentMatrix(input.observables);
  const nullSpace = integerKernel(
    constraints.map((c) => c.exponents),
    n,
  );
  if (input.confirm) confirmSymmetries(input, nullSpace, points, rng, checks);
  const sensitivity = converse(input, nullSpace, points, checks);
  const invariantExponents = hermiteFromRight(integerKernel(nullSpace, n));
  const identifiable = invariantExponents.map((e) => monomialText(e, DERIVATION_PARAMETERS));
  if (input.confirm && nullSpace.length > 0) confirmInvariants(input, nullSpace, identifiable, points, rng, checks);
  return {
    observe: input.observe,
    design: input.design,
    observables: input.observables.map(({ name, label, expression, kind }) => ({ name, label, expression, kind })),
    constraints,
    nullSpace,
    symmetries: nullSpace.map(asScaling),
    invariantExponents,
    identifiable,
    sensitivity,
  };
}

function checkPrefix(input: AnalysisInput): string {
  return `${input.observe}.${input.design}`;
}

/** Each basis symmetry leaves every observable unchanged (finite form, and the generator of the accelerations). */
function confirmSymmetries(input: AnalysisInput, nullSpace: IntVector[], points: readonly Point[], rng: () => number, checks: CheckList): void {
  const evals = input.observables.map((o) => evaluator(o.node));
  nullSpace.forEach((v, i) => {
    const map = scalingMap(v);
    checks.add({
      id: `${checkPrefix(input)}.symmetry.${i + 1}`,
      step: input.step,
      claim: r`the scaling ${scalingArrow(v)} leaves every quantity the record depends on unchanged (both phases' accelerations and the three gait events)`,
      proofs: input.observables.map((o) => provesZero(minus(substitute(o.node, map), o.node))),
      value: maxOver(points, (p) => {
        const q = scaledScope(p, v, uniform(rng, 0.2, 5));
        return Math.max(...evals.map((f) => relativeError(f(q), f(p))));
      }),
    });
    const rhs = input.observables.filter((x) => x.kind === "rhs");
    const gens = rhs.map((o) => generator(o.node, v));
    const ge = gens.map((g) => evaluator(g.expr));
    const te = gens.map((g) => g.terms.map(evaluator));
    checks.add({
      id: `${checkPrefix(input)}.generator.${i + 1}`,
      step: input.step,
      claim: r`infinitesimally: ${generatorRich(v, "f", "0")} for each acceleration ${tex("f", "f")} of both phases`,
      proofs: gens.map((g) => provesZero(g.expr)),
      value: maxOver(points, (p) =>
        Math.max(...ge.map((g, j) => relativeError(g(p), 0, Math.max(...te[j].map((t) => Math.abs(t(p))))))),
      ),
    });
  });
}

/**
 * The log-sensitivity matrix at the random points: its singular values, rank and null direction,
 * and the checks that its rank leaves room for no scaling beyond the null space.
 */
function converse(input: AnalysisInput, nullSpace: IntVector[], points: readonly Point[], checks: CheckList): ObservationAnalysis["sensitivity"] {
  const n = DERIVATION_PARAMETERS.length;
  const sens = input.observables
    .filter((o) => o.kind !== "event")
    .map((o) => DERIVATION_PARAMETERS.map((p) => evaluator(parse(`${p} * (${text(derivative(o.node, p, { simplify: false }))})`))));
  const rows: number[][] = [];
  for (const p of points) {
    for (const row of sens) {
      const v = row.map((f) => f(p));
      const norm = Math.hypot(...v);
      if (norm > 0) rows.push(v.map((x) => x / norm));
    }
  }
  const svd = jacobiSvd(DERIVATION_PARAMETERS.map((_, j) => rows.map((row) => row[j])));
  const singular = svd.singularValues.map((x) => x / svd.singularValues[0]);
  const rank = singular.filter((s) => s > 1e-10).length;
  const expected = n - nullSpace.length;
  if (rank !== expected) {
    throw new Error(`derive: sensitivity rank ${rank} does not match ${nullSpace.length} symmetries for ${input.observe} (${input.design})`);
  }
  let nullDirection: number[] | null = null;
  if (rank < n) {
    const col = svd.vectors[n - 1];
    const big = col.reduce((acc, x) => (Math.abs(x) > Math.abs(acc) ? x : acc), 0);
    nullDirection = col.map((x) => x / big);
  }
  const what = input.observables.some((o) => o.kind === "force") ? "accelerations and forces" : input.observables.some((o) => o.kind === "initial") ? "accelerations and the initial energy" : "accelerations";
  checks.add({
    id: `${checkPrefix(input)}.rank`,
    step: input.step,
    claim: r`no other scaling: the log-sensitivities ${tex("p\\,\\partial f/\\partial p", "p*df/dp")} of the ${what} at the random states have rank ${expected}, so every real exponent vector that leaves them unchanged lies in the null space found`,
    proofs: "singular values of the stacked log-sensitivities (one-sided Jacobi SVD)",
    value: (singular[expected] ?? 1e-16) / singular[expected - 1],
    measure: "gap: the next singular value (1e-16 at full rank) over the last non-zero one",
    tolerance: 1e-6,
  });
  if (nullDirection && nullSpace.length === 1) {
    checks.add({
      id: `${checkPrefix(input)}.null-direction`,
      step: input.step,
      claim: r`the null direction of the log-sensitivities in ${tex("(\\log m, \\log k, \\log \\ell_0)", "(log m, log k, log l0)")} is the scaling ${tex(vectorText(nullSpace[0]), vectorText(nullSpace[0]))}`,
      proofs: "right singular vector of the smallest singular value",
      value: lineAngle(nullSpace[0], nullDirection),
      measure: "angle between the two directions, rad",
    });
  }
  return { singularValues: singular, rank, nullDirection };
}

/** The invariants are unchanged by every symmetry. */
function confirmInvariants(
  input: AnalysisInput,
  nullSpace: IntVector[],
  identifiable: string[],
  points: readonly Point[],
  rng: () => number,
  checks: CheckList,
): void {
  const proofs: ZeroProof[] = [];
  const inv = identifiable.map((s) => parse(s));
  for (const v of nullSpace) for (const i of inv) proofs.push(provesZero(minus(substitute(i, scalingMap(v)), i)));
  const ie = inv.map(evaluator);
  checks.add({
    id: `${checkPrefix(input)}.invariants`,
    step: input.step.replace(/^symmetry/, "identifiable"),
    claim: r`the invariants ${joinRich(identifiable.map((s) => [m(s)]), " and ")} (an integer basis of the exponent vectors orthogonal to every symmetry) are unchanged by every symmetry`,
    proofs,
    value: maxOver(points, (p) => {
      let worst = 0;
      for (const v of nullSpace) {
        const q = scaledScope(p, v, uniform(rng, 0.2, 5));
        for (const f of ie) worst = Math.max(worst, relativeError(f(q), f(p)));
      }
      return worst;
    }),
  });
}
