/**
 * The scaling analysis of an observation model: the exponent matrix read off the observed
 * quantities, its integer null space (the symmetries), a brute-force search that confirms it, the
 * symbolic confirmation, the log-sensitivities, and the invariants (the identifiable combinations).
 */
import { derivative, parse, type MathNode } from "./mathjs";
import { dot, hermiteFromRight, inSpan, integerKernel, isZeroVector, monomialText, type IntVector } from "./lattice";
import { relativeError, uniform, type Point } from "./numeric";
import { jacobiSvd } from "./svd";
import { scalingConstraints, type Constraint } from "./scaling";
import { evaluator, minus, provesZero, substitute, text, type ZeroProof } from "./symbolic";
import { CHANGED, CheckList, TOLERANCE, maxOver } from "./checklist";
import { DERIVATION_PARAMETERS, type DeriveObservationModel, type ObservationAnalysis, type ObservedQuantity, type ScalingAction } from "./types";

export function asScaling(v: IntVector): ScalingAction {
  return { m: v[0], k: v[1], l0: v[2] };
}

/** "(m, k, l0) -> (c m, c k, l0)" for the exponents (1, 1, 0). */
export function scalingArrow(v: IntVector): string {
  const f = (e: number, p: string) => (e === 0 ? p : e === 1 ? `c ${p}` : `c^${e} ${p}`);
  return `(m, k, l0) -> (${DERIVATION_PARAMETERS.map((p, i) => f(v[i], p)).join(", ")})`;
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
    if (v[i] !== 0) terms.push(parse(`${v[i]} * ${p} * (${text(derivative(f, p))})`));
  });
  const expr = terms.length === 0 ? parse("0") : parse(terms.map((t) => `(${text(t)})`).join(" + "));
  return { expr, terms };
}

export function generatorText(v: IntVector, f: string): string {
  const parts: string[] = [];
  DERIVATION_PARAMETERS.forEach((p, i) => {
    if (v[i] === 0) return;
    const coef = v[i] === 1 ? "" : v[i] === -1 ? "-" : `${v[i]}*`;
    parts.push(`${coef}${p}*d${f}/d${p}`);
  });
  return parts.join(" + ").replace(/\+ -/g, "- ");
}

export interface AnalysisInput {
  observe: DeriveObservationModel;
  observables: (ObservedQuantity & { node: MathNode })[];
}

/** ScalingAction symmetries and invariants of one observation model (steps 4-5, or 6). */
export function analyze(input: AnalysisInput, points: readonly Point[], rng: () => number, range: number, checks: CheckList): ObservationAnalysis {
  const n = DERIVATION_PARAMETERS.length;
  // Exponent matrix from the parse trees.
  const constraints: ObservationAnalysis["constraints"] = [];
  const seen = new Set<string>();
  for (const o of input.observables) {
    for (const c of scalingConstraints(o.node, DERIVATION_PARAMETERS) as Constraint[]) {
      const key = c.exponents.join(",");
      if (seen.has(key)) continue;
      seen.add(key);
      constraints.push({ exponents: c.exponents, monomial: monomialText(c.exponents, DERIVATION_PARAMETERS), source: c.source, observable: o.name });
    }
  }
  const nullSpace = integerKernel(
    constraints.map((c) => c.exponents),
    n,
  );

  // Brute force: every exponent vector in the box, tested numerically (a changed value at one
  // point is a rigorous counter-example; simplify could not show that), confirmed symbolically
  // for the basis below.
  const evals = input.observables.map((o) => evaluator(o.node));
  const passed: IntVector[] = [];
  let candidates = 0;
  for (let a = -range; a <= range; a++)
    for (let b = -range; b <= range; b++)
      for (let d = -range; d <= range; d++) {
        const v = [a, b, d];
        if (isZeroVector(v)) continue;
        candidates++;
        let worst = 0;
        outer: for (const p of points) {
          const c = uniform(rng, 1.5, 3);
          const q = scaledScope(p, v, c);
          for (const f of evals) {
            worst = Math.max(worst, relativeError(f(q), f(p)));
            if (worst > CHANGED) break outer;
          }
        }
        if (worst <= TOLERANCE) passed.push(v);
        else if (worst <= CHANGED) {
          throw new Error(`derive: scaling ${vectorText(v)} is neither clearly a symmetry nor clearly not (error ${worst})`);
        }
      }
  // The search and the null space must agree: the box vectors in the lattice are exactly the ones found.
  const expected = [];
  for (let a = -range; a <= range; a++)
    for (let b = -range; b <= range; b++)
      for (let d = -range; d <= range; d++) {
        const v = [a, b, d];
        if (!isZeroVector(v) && nullSpace.length > 0 && inSpan(v, nullSpace)) expected.push(v.join(","));
      }
  const found = passed.map((v) => v.join(","));
  if (expected.length !== found.length || expected.some((e) => !found.includes(e))) {
    throw new Error(
      `derive: the exponent-matrix null space ${JSON.stringify(nullSpace)} and the brute-force search ` +
        `(${found.join(" ")}) disagree for ${input.observe}`,
    );
  }

  // Symbolic confirmation of each basis symmetry, and its numeric error (random c).
  for (const v of nullSpace) {
    const map = scalingMap(v);
    const proofs = input.observables.map((o) => provesZero(minus(substitute(o.node, map), o.node)));
    checks.add(
      `${input.observe}: the scaling ${scalingArrow(v)} leaves every observed quantity unchanged`,
      proofs,
      maxOver(points, (p) => {
        const q = scaledScope(p, v, uniform(rng, 0.2, 5));
        return Math.max(...evals.map((f) => relativeError(f(q), f(p))));
      }),
    );
    // Infinitesimal form: the generator annihilates every observed quantity.
    for (const o of input.observables.filter((x) => x.kind === "rhs")) {
      const g = generator(o.node, v);
      const ge = evaluator(g.expr);
      const te = g.terms.map(evaluator);
      checks.add(
        `${input.observe}: ${generatorText(v, "f")} = 0 for f = ${o.name}`,
        [provesZero(g.expr)],
        maxOver(points, (p) => relativeError(ge(p), 0, Math.max(...te.map((t) => Math.abs(t(p)))))),
      );
    }
  }

  // Sensitivity matrix of the accelerations (and forces) in log-parameters, rows normalized.
  const sens = input.observables
    .filter((o) => o.kind !== "event")
    .map((o) => DERIVATION_PARAMETERS.map((p) => evaluator(parse(`${p} * (${text(derivative(o.node, p))})`))));
  const rows: number[][] = [];
  for (const p of points) {
    for (const row of sens) {
      const v = row.map((f) => f(p));
      const norm = Math.hypot(...v);
      if (norm > 0) rows.push(v.map((x) => x / norm));
    }
  }
  const svd = jacobiSvd(DERIVATION_PARAMETERS.map((_, j) => rows.map((r) => r[j])));
  const singular = svd.singularValues.map((x) => x / svd.singularValues[0]);
  const sensRank = singular.filter((s) => s > 1e-10).length;
  let nullDirection: number[] | null = null;
  if (sensRank < n) {
    const col = svd.vectors[n - 1];
    const big = col.reduce((acc, x) => (Math.abs(x) > Math.abs(acc) ? x : acc), 0);
    nullDirection = col.map((x) => x / big);
  }
  if (sensRank !== n - nullSpace.length) {
    throw new Error(`derive: sensitivity rank ${sensRank} does not match ${nullSpace.length} symmetries for ${input.observe}`);
  }
  if (nullDirection && nullSpace.length === 1) {
    const v = nullSpace[0];
    const cos = Math.abs(dot(v, nullDirection)) / (Math.hypot(...v) * Math.hypot(...nullDirection));
    checks.add(
      `${input.observe}: the null direction of the log-sensitivity matrix is the scaling ${vectorText(v)}`,
      "numeric only: eigenvector of J^T J",
      1 - cos,
    );
  }

  // Invariants: the integer orthogonal complement of the symmetries.
  const invariantExponents = hermiteFromRight(integerKernel(nullSpace, n));
  const identifiable = invariantExponents.map((e) => monomialText(e, DERIVATION_PARAMETERS));
  if (nullSpace.length > 0) {
    const proofs: ZeroProof[] = [];
    const inv = identifiable.map((s) => parse(s));
    for (const v of nullSpace) for (const i of inv) proofs.push(provesZero(minus(substitute(i, scalingMap(v)), i)));
    const ie = inv.map(evaluator);
    checks.add(
      `${input.observe}: ${identifiable.join(" and ")} are unchanged by every symmetry`,
      proofs,
      maxOver(points, (p) => {
        let worst = 0;
        for (const v of nullSpace) {
          const q = scaledScope(p, v, uniform(rng, 0.2, 5));
          for (const f of ie) worst = Math.max(worst, relativeError(f(q), f(p)));
        }
        return worst;
      }),
    );
  }

  return {
    observe: input.observe,
    observables: input.observables.map(({ name, expression, kind }) => ({ name, expression, kind })),
    constraints,
    nullSpace,
    search: { range, candidates, passed },
    symmetries: nullSpace.map(asScaling),
    invariantExponents,
    identifiable,
    sensitivity: { singularValues: singular, rank: sensRank, nullDirection },
  };
}

