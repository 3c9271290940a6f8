/**
 * The mechanics of the derivation: the Lagrangian of each phase, the Euler-Lagrange equations
 * solved for the accelerations, the normalization k = rho m, the leg force, and the quantities an
 * (x, y) record depends on.
 */
import { derivative, parse, simplify, type MathNode } from "./mathjs";
import { minus, substitute, text, totalTimeDerivative } from "./symbolic";
import { DERIVATION_FEET, DERIVATION_PHASES, type DerivationPhase } from "./types";
import type { AnalysisInput } from "./symmetry";

const Q = ["x", "y"] as const;
const QDOT = ["x_dot", "y_dot"] as const;
/** The accelerations as symbols of the Euler-Lagrange equations. */
export const QDD = ["x_dd", "y_dd"] as const;

export interface PhaseWork {
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

export function lagrangianOf(phase: DerivationPhase): MathNode {
  const elastic = DERIVATION_FEET[phase].map((f) => `k/2*(l0 - sqrt((x - ${f})^2 + y^2))^2`);
  return parse(`m/2*(x_dot^2 + y_dot^2) - m*g*y - ${elastic.join(" - ")}`);
}

export function derivePhase(phase: DerivationPhase): PhaseWork {
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

export function xyObservables(work: Record<DerivationPhase, PhaseWork>): AnalysisInput["observables"] {
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
export function legForceOfLength(): MathNode {
  return simplify(parse(`-(${text(derivative(parse("k/2*(l0 - l)^2"), "l"))})`));
}
