/**
 * The symbolic derivation behind the study's central claim (issue 3): from the Lagrangian of
 * Geyer's walker to "only k/m and l0 can be identified from (x, y)", and "m, k and l0 can be, once
 * the ground reaction forces are observed too". Everything is computed with mathjs (parse,
 * derivative, simplify); nothing about the result is typed in. Every symbolic identity is also
 * evaluated at random points (seeded), and the derived right-hand sides are compared with the
 * ones the simulator integrates (walker/physics.ts), so that neither a simplifier mistake nor a
 * drift between derivation and simulation can go unnoticed.
 *
 * Steps: 1 Lagrangian, 2 Euler-Lagrange equations solved for (x'', y''), 3 normalization
 * (k = rho m, m cancels), 4 scaling symmetries of the (x, y) data model, 5 its identifiable
 * combinations, 6 (with observe = "xy+grf") the data model with ground reaction forces.
 *
 * Symbols (mathjs syntax): m, k, l0 (parameters), g, the state x, y, x_dot, y_dot, the
 * accelerations x_dd, y_dd, the feet x_a (rear / stance) and x_b (front), rho = k/m, alpha0
 * (angle of attack, a nuisance quantity of the gait events), c (scale factor).
 */
import { derivative, parse, simplify, type MathNode } from "./mathjs";
import type { Channels } from "../config";
import { GaitidError, requireInteger, show } from "../errors";
import { grfPerMass, rhsDouble, rhsSingle, type Mechanics } from "../walker/physics";
import {
  dot,
  hermiteFromRight,
  inSpan,
  integerKernel,
  isZeroVector,
  monomialText,
  type IntVector,
} from "./lattice";
import { randomPoint, relativeError, seededRandom, singularValues, uniform, type Point } from "./numeric";
import { blocksToLatex, blocksToMathjs, blocksToText, type Block, type Equation } from "./render";
import { scalingConstraints, scalingWeight, type Constraint } from "./scaling";
import {
  abbreviateLegs,
  evaluator,
  legLengthNode,
  mentions,
  minus,
  provesZero,
  substitute,
  symbolsOf,
  text,
  totalTimeDerivative,
  type ZeroProof,
} from "./symbolic";

/** The observation models: positions only, or positions and the leg forces in newtons. */
export type DeriveObservationModel = Channels;
export const DERIVE_OBSERVATION_MODELS: readonly DeriveObservationModel[] = ["xy", "xy+grf"];

/** The subject parameters, in the order of every exponent vector. */
export const DERIVATION_PARAMETERS = ["m", "k", "l0"] as const;
export type DerivationParameter = (typeof DERIVATION_PARAMETERS)[number];

export type DerivationPhase = "single" | "double";
export const DERIVATION_PHASES: readonly DerivationPhase[] = ["single", "double"];
/** The feet on the ground in each phase. */
export const DERIVATION_FEET: Record<DerivationPhase, readonly string[]> = { single: ["x_a"], double: ["x_a", "x_b"] };

const Q = ["x", "y"] as const;
const QDOT = ["x_dot", "y_dot"] as const;
const QDD = ["x_dd", "y_dd"] as const;

/** DerivedAccelerations in mathjs syntax. */
export interface DerivedAccelerations {
  xdd: string;
  ydd: string;
}

/** A scaling action (m, k, l0) -> (c^m m, c^k k, c^l0 l0), by its integer exponents. */
export interface ScalingAction {
  m: number;
  k: number;
  l0: number;
}

/** One verified identity. */
export interface DerivationCheck {
  name: string;
  /** True when mathjs proved the identity (simplify reached 0); false when it was not asked or failed. */
  symbolic: boolean;
  /** How it was proved, or why not (e.g. "numeric only: compares with the simulator's code"). */
  proof: string;
  /** Largest relative error over the random points. */
  numericMaxError: number;
  tolerance: number;
  /** numericMaxError <= tolerance. */
  passed: boolean;
}

/** One quantity the observed record depends on. */
export interface ObservedQuantity {
  name: string;
  /** mathjs syntax, explicit. */
  expression: string;
  /** "rhs": an acceleration; "event": a gait event or foot placement; "force": a measured force. */
  kind: "rhs" | "event" | "force";
}

/** The scaling analysis of one observation model. */
export interface ObservationAnalysis {
  observe: DeriveObservationModel;
  observables: ObservedQuantity[];
  /** DerivationParameter monomials that must not scale (from the parse trees). */
  constraints: { exponents: IntVector; monomial: string; source: string; observable: string }[];
  /** Integer basis of the null space of the constraint (exponent) matrix. */
  nullSpace: IntVector[];
  /** Brute-force search over all exponent vectors in [-range, range]^3 except 0. */
  search: { range: number; candidates: number; passed: IntVector[] };
  /** The symmetries (= nullSpace, confirmed by the search and symbolically). */
  symmetries: ScalingAction[];
  /** Exponent vectors of the invariants (integer basis of the orthogonal complement). */
  invariantExponents: IntVector[];
  /** The invariants in mathjs syntax. */
  identifiable: string[];
  /**
   * Log-sensitivities p*df/dp (p = m, k, l0) of the accelerations (and forces) at the random
   * states, each row scaled to length 1: singular values relative to the largest, the rank
   * (values above 1e-10), and the null direction in (log m, log k, log l0) when rank < 3.
   */
  sensitivity: { singularValues: number[]; rank: number; nullDirection: number[] | null };
}

/** One step of the derivation. */
export interface DerivationStep {
  id: string;
  title: string;
  blocks: Block[];
  /** Plain text (mathjs syntax for formulas). */
  text: string;
  latex: string;
  /** The step's exported expressions, explicit mathjs syntax. */
  mathjs: Record<string, string>;
}

export interface Derivation {
  observe: DeriveObservationModel;
  parameters: DerivationParameter[];
  lagrangian: Record<DerivationPhase, string>;
  /** x'' and y'' from the Euler-Lagrange equations (symbols m, k, l0, g, x, y, x_a, x_b). */
  equations: Record<DerivationPhase, DerivedAccelerations>;
  /** The same divided by m with k = rho m (symbols rho, l0, g, x, y, x_a, x_b). */
  normalized: Record<DerivationPhase, DerivedAccelerations>;
  /** ScalingAction symmetries of the selected observation model (empty when none). */
  symmetries: ScalingAction[];
  /** Identifiable combinations of the selected model, mathjs syntax. */
  identifiable: string[];
  checks: DerivationCheck[];
  steps: DerivationStep[];
  /** The (x, y) analysis, and the (x, y) + GRF one when observe = "xy+grf". */
  analyses: ObservationAnalysis[];
  /** Seed and number of random points of the numeric checks. */
  numeric: { seed: number; points: number; tolerance: number };
}

export interface DeriveOptions {
  /** Seed of the random points (default 2307). */
  seed?: number;
  /** Number of random points per numeric check (default 24). */
  points?: number;
  /** Exponent range of the brute-force symmetry search (default 2: exponents -2..2). */
  range?: number;
}

const TOLERANCE = 1e-10;
/** A scaled quantity that differs from the original by more than this is certainly changed. */
const CHANGED = 1e-6;

/** Throws a GaitidError unless `value` names an observation model. */
export function parseDeriveObservationModel(value: string): DeriveObservationModel {
  if (!(DERIVE_OBSERVATION_MODELS as readonly string[]).includes(value)) {
    throw new GaitidError(`unknown observation model ${show(value)}; choose one of ${DERIVE_OBSERVATION_MODELS.join(", ")}`);
  }
  return value as DeriveObservationModel;
}

function asScaling(v: IntVector): ScalingAction {
  return { m: v[0], k: v[1], l0: v[2] };
}

/** "(m, k, l0) -> (c m, c k, l0)" for the exponents (1, 1, 0). */
function scalingArrow(v: IntVector): string {
  const f = (e: number, p: string) => (e === 0 ? p : e === 1 ? `c ${p}` : `c^${e} ${p}`);
  return `(m, k, l0) -> (${DERIVATION_PARAMETERS.map((p, i) => f(v[i], p)).join(", ")})`;
}

function vectorText(v: readonly number[]): string {
  return `(${v.join(", ")})`;
}

function scalingMap(v: IntVector): Record<string, string> {
  const map: Record<string, string> = {};
  DERIVATION_PARAMETERS.forEach((p, i) => {
    if (v[i] !== 0) map[p] = v[i] === 1 ? `c*${p}` : `c^(${v[i]})*${p}`;
  });
  return map;
}

function scaledScope(p: Point, v: IntVector, c: number): Point {
  return { ...p, m: p.m * c ** v[0], k: p.k * c ** v[1], l0: p.l0 * c ** v[2], c };
}

/** Collects checks; `symbolic` is a ZeroProof (or several, all must hold) or a reason. */
class CheckList {
  readonly list: DerivationCheck[] = [];
  add(name: string, proofs: ZeroProof[] | string, numericMaxError: number): DerivationCheck {
    let symbolic: boolean;
    let proof: string;
    if (typeof proofs === "string") {
      symbolic = false;
      proof = proofs;
    } else {
      symbolic = proofs.length > 0 && proofs.every((p) => p !== null);
      const kinds = [...new Set(proofs.map((p) => p ?? "not proved by simplify"))];
      proof = kinds.join("; ");
    }
    const c: DerivationCheck = {
      name,
      symbolic,
      proof,
      numericMaxError,
      tolerance: TOLERANCE,
      passed: Number.isFinite(numericMaxError) && numericMaxError <= TOLERANCE,
    };
    this.list.push(c);
    return c;
  }
}

/** Largest of f(point) over the points (f returns an error). */
function maxOver(points: readonly Point[], f: (p: Point) => number): number {
  let worst = 0;
  for (const p of points) {
    const e = f(p);
    if (!(e <= worst)) worst = e; // NaN propagates as "worst"
  }
  return worst;
}

interface PhaseWork {
  lagrangian: MathNode;
  momenta: MathNode[];
  dtMomenta: MathNode[];
  dLdq: MathNode[];
  el: MathNode[];
  mass: MathNode[][];
  residual: MathNode[];
  acc: MathNode[];
  normalized: MathNode[];
}

function lagrangianOf(phase: DerivationPhase): MathNode {
  const elastic = DERIVATION_FEET[phase].map((f) => `k/2*(l0 - sqrt((x - ${f})^2 + y^2))^2`);
  return parse(`m/2*(x_dot^2 + y_dot^2) - m*g*y - ${elastic.join(" - ")}`);
}

function derivePhase(phase: DerivationPhase): PhaseWork {
  const lagrangian = lagrangianOf(phase);
  const momenta = QDOT.map((qd) => simplify(derivative(lagrangian, qd)));
  const dtMomenta = momenta.map((p) => totalTimeDerivative(p, Q, QDOT, QDD));
  const dLdq = Q.map((q) => simplify(derivative(lagrangian, q)));
  const el = [0, 1].map((i) => simplify(minus(dtMomenta[i], dLdq[i])));
  // The equations are linear in the accelerations: M q_dd + r = 0 with M_ij = d EL_i / d q_dd_j
  // (checked: second derivatives vanish) and r = EL at q_dd = 0.
  const mass = [0, 1].map((i) => [0, 1].map((j) => simplify(derivative(el[i], QDD[j]))));
  const zeroAcc = { x_dd: "0", y_dd: "0" };
  const residual = el.map((e) => simplify(substitute(e, zeroAcc)));
  // Cramer's rule for the 2 x 2 system (general; simplify reduces it since M = m I).
  const [M, r] = [mass.map((row) => row.map(text)), residual.map(text)];
  const det = `((${M[0][0]})*(${M[1][1]}) - (${M[0][1]})*(${M[1][0]}))`;
  const acc = [
    simplify(parse(`(-(${r[0]})*(${M[1][1]}) + (${r[1]})*(${M[0][1]})) / ${det}`)),
    simplify(parse(`((${r[0]})*(${M[1][0]}) - (${r[1]})*(${M[0][0]})) / ${det}`)),
  ];
  const normalized = acc.map((a) => simplify(substitute(a, { k: "rho*m" })));
  return { lagrangian, momenta, dtMomenta, dLdq, el, mass, residual, acc, normalized };
}

function mechanicsOf(p: Point): Mechanics {
  return { rho: p.k / p.m, l0: p.l0, g: p.g };
}

function simulatorRhs(phase: DerivationPhase, p: Point): Float64Array {
  const out = new Float64Array(4);
  const s = [p.x, p.y, p.x_dot, p.y_dot];
  if (phase === "single") rhsSingle(mechanicsOf(p), p.x_a, s, out);
  else rhsDouble(mechanicsOf(p), p.x_a, p.x_b, s, out);
  return out;
}

function eq(lhs: string, lhsTex: string, rhs: MathNode, key?: string, feet: readonly string[] = ["x_a", "x_b"]): Equation {
  return { lhs, lhsTex, rhs: text(rhs), display: text(abbreviateLegs(rhs, feet)), key };
}

/** Step 1-3 checks on one phase. */
function checkPhase(phase: DerivationPhase, w: PhaseWork, points: readonly Point[], checks: CheckList): void {
  const label = phase === "single" ? "single support" : "double support";
  const el = w.el.map(evaluator);
  const M = w.mass.map((row) => row.map(evaluator));
  const r = w.residual.map(evaluator);
  const acc = w.acc.map(evaluator);
  const nrm = w.normalized.map(evaluator);

  // Linearity in the accelerations and M = m I.
  const second: ZeroProof[] = [];
  for (let i = 0; i < 2; i++)
    for (let j = 0; j < 2; j++)
      for (let l = 0; l < 2; l++) second.push(provesZero(derivative(derivative(w.el[i], QDD[j]), QDD[l])));
  const massIsMI =
    text(w.mass[0][0]) === "m" && text(w.mass[1][1]) === "m" && provesZero(w.mass[0][1]) !== null && provesZero(w.mass[1][0]) !== null;
  checks.add(
    `${label}: the Euler-Lagrange equations are M (x_dd, y_dd) + r = 0 with mass matrix M = m I`,
    massIsMI ? second : [null],
    maxOver(points, (p) => {
      let worst = 0;
      for (let i = 0; i < 2; i++) {
        const lin = M[i][0](p) * p.x_dd + M[i][1](p) * p.y_dd + r[i](p);
        worst = Math.max(worst, relativeError(el[i](p), lin), relativeError(M[i][i](p), p.m));
      }
      return worst;
    }),
  );

  // The solution satisfies the equations.
  const solved = w.el.map((e) => substitute(e, { x_dd: w.acc[0], y_dd: w.acc[1] }));
  checks.add(
    `${label}: (x_dd, y_dd) solve the Euler-Lagrange equations`,
    solved.map(provesZero),
    maxOver(points, (p) => {
      const a = { ...p, x_dd: acc[0](p), y_dd: acc[1](p) };
      return Math.max(...[0, 1].map((i) => relativeError(el[i](a), 0, Math.abs(r[i](a)))));
    }),
  );

  // Normalization: k = rho m, and m is gone.
  const noM = w.normalized.every((n) => !mentions(n, "m"));
  checks.add(
    `${label}: with k = rho*m the accelerations no longer contain m`,
    noM ? [0, 1].map((i) => provesZero(minus(w.normalized[i], substitute(w.acc[i], { k: "rho*m" })))) : [null],
    maxOver(points, (p) =>
      Math.max(
        ...[0, 1].map((i) =>
          Math.max(
            relativeError(nrm[i]({ ...p, rho: p.k / p.m }), acc[i](p)),
            // m changed, rho kept: the normalized form must not notice (it has no m)
            relativeError(nrm[i]({ ...p, rho: p.k / p.m, m: 2 * p.m }), acc[i](p)),
          ),
        ),
      ),
    ),
  );

  // The simulator's right-hand side.
  checks.add(
    `${label}: derived (x_dd, y_dd) equal the simulator's ${phase === "single" ? "rhsSingle" : "rhsDouble"}`,
    "numeric only: compares with the simulator's code",
    maxOver(points, (p) => {
      const out = simulatorRhs(phase, p);
      const q = { ...p, rho: p.k / p.m };
      return Math.max(
        relativeError(out[0], p.x_dot),
        relativeError(out[1], p.y_dot),
        relativeError(out[2], acc[0](p)),
        relativeError(out[3], acc[1](p)),
        relativeError(out[2], nrm[0](q)),
        relativeError(out[3], nrm[1](q)),
      );
    }),
  );
}

/** The generator of a scaling v: sum_p v_p * p * df/dp (unsimplified) and its terms. */
function generator(f: MathNode, v: IntVector): { expr: MathNode; terms: MathNode[] } {
  const terms: MathNode[] = [];
  DERIVATION_PARAMETERS.forEach((p, i) => {
    if (v[i] !== 0) terms.push(parse(`${v[i]} * ${p} * (${text(derivative(f, p))})`));
  });
  const expr = terms.length === 0 ? parse("0") : parse(terms.map((t) => `(${text(t)})`).join(" + "));
  return { expr, terms };
}

function generatorText(v: IntVector, f: string): string {
  const parts: string[] = [];
  DERIVATION_PARAMETERS.forEach((p, i) => {
    if (v[i] === 0) return;
    const coef = v[i] === 1 ? "" : v[i] === -1 ? "-" : `${v[i]}*`;
    parts.push(`${coef}${p}*d${f}/d${p}`);
  });
  return parts.join(" + ").replace(/\+ -/g, "- ");
}

interface AnalysisInput {
  observe: DeriveObservationModel;
  observables: (ObservedQuantity & { node: MathNode })[];
}

/** ScalingAction symmetries and invariants of one observation model (steps 4-5, or 6). */
function analyze(input: AnalysisInput, points: readonly Point[], rng: () => number, range: number, checks: CheckList): ObservationAnalysis {
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
  const svd = singularValues(rows);
  const singular = svd.values.map((x) => x / svd.values[0]);
  const sensRank = singular.filter((s) => s > 1e-10).length;
  let nullDirection: number[] | null = null;
  if (sensRank < n) {
    const col = svd.vectors.map((row) => row[n - 1]);
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

/** Observables of the (x, y) model: the accelerations of both phases and the gait events. */
function xyObservables(work: Record<DerivationPhase, PhaseWork>): AnalysisInput["observables"] {
  const out: AnalysisInput["observables"] = [];
  for (const phase of DERIVATION_PHASES) {
    ["x_dd", "y_dd"].forEach((name, i) => {
      const node = work[phase].acc[i];
      out.push({ name: `${name} (${phase} support)`, expression: text(node), kind: "rhs", node });
    });
  }
  const events: [string, string][] = [
    ["touchdown event (y = l0 sin(alpha0))", "y - l0*sin(alpha0)"],
    ["front foot placed at touchdown", "x + l0*cos(alpha0)"],
    ["lift-off event (l_a = l0)", "sqrt((x - x_a)^2 + y^2) - l0"],
  ];
  for (const [name, e] of events) out.push({ name, expression: e, kind: "event", node: parse(e) });
  return out;
}

/** The leg force F = -dV/dl of the elastic energy V = k/2 (l0 - l)^2, as a function of l. */
function legForceOfLength(): MathNode {
  return simplify(parse(`-(${text(derivative(parse("k/2*(l0 - l)^2"), "l"))})`));
}

function step(id: string, title: string, blocks: Block[], extra: Record<string, string> = {}): DerivationStep {
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
function analysisMathjs(a: ObservationAnalysis, part: "symmetry" | "identifiable"): Record<string, string> {
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

const PHASE_LABEL: Record<DerivationPhase, string> = {
  single: "single support (stance foot x_a)",
  double: "double support (rear foot x_a, front foot x_b)",
};

/**
 * Runs the whole derivation for an observation model. Pure: the same options give the same
 * result (seeded random points). Throws a GaitidError for an unknown model; throws an Error if the
 * symbolic and the numeric sides disagree (the derivation then claims nothing).
 */
export function derive(observe: DeriveObservationModel | string = "xy", options: DeriveOptions = {}): Derivation {
  const model = parseDeriveObservationModel(observe);
  const seed = requireInteger("seed", options.seed ?? 2307, 0, 2 ** 32 - 1);
  const nPoints = requireInteger("points", options.points ?? 24, 4, 100000);
  const range = requireInteger("range", options.range ?? 2, 1, 6);
  const rng = seededRandom(seed);
  const points = Array.from({ length: nPoints }, () => randomPoint(rng));
  const checks = new CheckList();

  const work = { single: derivePhase("single"), double: derivePhase("double") } as Record<DerivationPhase, PhaseWork>;
  for (const phase of DERIVATION_PHASES) checkPhase(phase, work[phase], points, checks);

  const steps: DerivationStep[] = [];

  // Step 1: Lagrangian.
  steps.push(
    step("lagrangian", "Lagrangian", [
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
    ]),
  );

  // Step 2: Euler-Lagrange.
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
  steps.push(step("euler-lagrange", "Euler-Lagrange equations, solved for the accelerations", elBlocks));

  // Step 3: normalization.
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
  steps.push(step("normalization", "Normalization: divide by m, k = rho m", normBlocks));

  // Steps 4-5: the (x, y) model.
  const xyInput: AnalysisInput = { observe: "xy", observables: xyObservables(work) };
  const xy = analyze(xyInput, points, rng, range, checks);
  steps.push(
    step("symmetry-xy", "Scaling symmetries of the (x, y) data model", symmetryBlocks(xy, false), analysisMathjs(xy, "symmetry")),
  );
  steps.push(
    step("identifiable-xy", "Identifiable combinations from (x, y)", identifiableBlocks(xy), analysisMathjs(xy, "identifiable")),
  );

  const analyses = [xy];
  if (model === "xy+grf") {
    const force = legForceOfLength();
    const forceNodes = ["x_a", "x_b"].map((f) => substitute(force, { l: legLengthNode(f) }));
    const grfInput: AnalysisInput = {
      observe: "xy+grf",
      observables: [
        ...xyInput.observables,
        ...forceNodes.map((nodeF, i) => ({
          name: `F_${i === 0 ? "a" : "b"} (force along the ${i === 0 ? "rear / stance" : "front"} leg, N)`,
          expression: text(nodeF),
          kind: "force" as const,
          node: simplify(nodeF),
        })),
      ],
    };
    grfChecks(work, force, forceNodes, xy, points, checks);
    const grf = analyze(grfInput, points, rng, range, checks);
    analyses.push(grf);
    steps.push(
      step("grf", "Second observation model: (x, y) and the leg forces in newtons", grfBlocks(force, forceNodes, xy, grf), {
        ...analysisMathjs(grf, "symmetry"),
        ...analysisMathjs(grf, "identifiable"),
      }),
    );
  }

  const selected = analyses[analyses.length - 1];
  const failed = checks.list.filter((c) => !c.passed);
  if (failed.length > 0) {
    throw new Error(`derive: numeric check failed: ${failed.map((c) => `${c.name} (error ${c.numericMaxError})`).join("; ")}`);
  }
  return {
    observe: model,
    parameters: [...DERIVATION_PARAMETERS],
    lagrangian: { single: text(work.single.lagrangian), double: text(work.double.lagrangian) },
    equations: {
      single: { xdd: text(work.single.acc[0]), ydd: text(work.single.acc[1]) },
      double: { xdd: text(work.double.acc[0]), ydd: text(work.double.acc[1]) },
    },
    normalized: {
      single: { xdd: text(work.single.normalized[0]), ydd: text(work.single.normalized[1]) },
      double: { xdd: text(work.double.normalized[0]), ydd: text(work.double.normalized[1]) },
    },
    symmetries: selected.symmetries,
    identifiable: selected.identifiable,
    checks: checks.list,
    steps,
    analyses,
    numeric: { seed, points: nPoints, tolerance: TOLERANCE },
  };
}

/** GRF checks: the leg forces add up to m (x_dd, y_dd + g), equal the simulator's, and break the scaling. */
function grfChecks(
  work: Record<DerivationPhase, PhaseWork>,
  force: MathNode,
  forceNodes: MathNode[],
  xy: ObservationAnalysis,
  points: readonly Point[],
  checks: CheckList,
): void {
  checks.add(
    "xy+grf: the leg force F = -dV/dl of V = k/2*(l0 - l)^2 is k*(l0 - l)",
    [provesZero(minus(force, parse("k*(l0 - l)")))],
    maxOver(points, (p) => relativeError(evaluator(force)({ ...p, l: p.y }), p.k * (p.l0 - p.y))),
  );
  const fe = forceNodes.map(evaluator);
  for (const phase of DERIVATION_PHASES) {
    const feet = DERIVATION_FEET[phase];
    const label = phase === "single" ? "single support" : "double support";
    const sumX = parse(feet.map((f, i) => `(${text(forceNodes[i])}) * (x - ${f}) / (${text(legLengthNode(f))})`).join(" + "));
    const sumY = parse(feet.map((f, i) => `(${text(forceNodes[i])}) * y / (${text(legLengthNode(f))})`).join(" + "));
    const [ax, ay] = work[phase].acc;
    const exprX = minus(sumX, parse(`m * (${text(ax)})`));
    const exprY = minus(sumY, parse(`m * ((${text(ay)}) + g)`));
    const sx = evaluator(sumX), sy = evaluator(sumY), aX = evaluator(ax), aY = evaluator(ay);
    checks.add(
      `${label}: the leg forces along the legs add up to m*(x_dd, y_dd + g)`,
      [provesZero(exprX), provesZero(exprY)],
      maxOver(points, (p) => Math.max(relativeError(sx(p), p.m * aX(p)), relativeError(sy(p), p.m * (aY(p) + p.g)))),
    );
    checks.add(
      `${label}: the leg forces add up to m times the simulator's grfPerMass`,
      "numeric only: compares with the simulator's code",
      maxOver(points, (p) => {
        const out = new Float64Array(2);
        const s = [p.x, p.y, p.x_dot, p.y_dot];
        grfPerMass(mechanicsOf(p), s, feet.map((f) => p[f]), out);
        return Math.max(relativeError(sx(p), p.m * out[0]), relativeError(sy(p), p.m * out[1]));
      }),
    );
  }
  // The symmetries of (x, y) act on the forces with a non-zero weight: G F = (w . v) F.
  forceNodes.forEach((F, i) => {
    const name = `F_${i === 0 ? "a" : "b"}`;
    const w = scalingWeight(F, DERIVATION_PARAMETERS);
    for (const v of xy.nullSpace) {
      const factor = dot(w, v);
      const g = generator(F, v);
      const ge = evaluator(g.expr);
      checks.add(
        `xy+grf: ${generatorText(v, name)} = ${factor === 1 ? "" : `${factor}*`}${name}, not 0: the scaling ${vectorText(v)} changes the force record`,
        [provesZero(minus(g.expr, parse(`${factor} * (${text(F)})`)))],
        maxOver(points, (p) => relativeError(ge(p), factor * fe[i](p))),
      );
    }
  });
  // Constructive: k from one force sample once l0 is known (l0 is identifiable from (x, y)).
  const Fa = forceNodes[0];
  const kFromF = parse(`(${text(Fa)}) / (${text(derivative(Fa, "k"))})`);
  const kf = evaluator(kFromF);
  checks.add(
    "xy+grf: F_a is linear in k, so k = F_a / (dF_a/dk) = F_a / (l0 - l_a)",
    [provesZero(minus(kFromF, parse("k")))],
    maxOver(points, (p) => relativeError(kf(p), p.k)),
  );
}

function symmetryBlocks(a: ObservationAnalysis, grf: boolean): Block[] {
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

function identifiableBlocks(a: ObservationAnalysis): Block[] {
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

function grfBlocks(force: MathNode, forceNodes: MathNode[], xy: ObservationAnalysis, grf: ObservationAnalysis): Block[] {
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
