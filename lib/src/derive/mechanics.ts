/**
 * The mechanics of the derivation: the Lagrangian of each phase, the Euler-Lagrange equations
 * solved for the accelerations, the energy, the normalization k = rho m and its readable form, the
 * gait events, the initial state, the forces, and the quantities an (x, y) record depends on.
 *
 * The symbolic work of a phase does not depend on the options of a derivation, so it is done once
 * per process ({@link phaseWork}) and shared: derive("xy") and derive("xy+grf") reuse it. The
 * trees are never modified in place (mathjs transform and the helpers of symbolic.ts copy).
 */
import { derivative, parse, simplify, type MathNode } from "./mathjs";
import { legLengthNode, legSymbol, minus, substitute, text, totalTimeDerivative } from "./symbolic";
import { m, r } from "./rich";
import { DERIVATION_FEET, DERIVATION_PHASES, type DerivationPhase, type ObservedQuantity } from "./types";

const Q = ["x", "y"] as const;
const QDOT = ["x_dot", "y_dot"] as const;
/** The accelerations as symbols of the Euler-Lagrange equations. */
export const QDD = ["x_dd", "y_dd"] as const;

/** An observed quantity with its tree. */
export type Observable = ObservedQuantity & { node: MathNode };

export interface PhaseWork {
  lagrangian: MathNode;
  momenta: MathNode[];
  dtMomenta: MathNode[];
  dLdq: MathNode[];
  el: MathNode[];
  mass: MathNode[][];
  residual: MathNode[];
  /** x'' and y'' (symbols m, k, l0, g, x, y and the feet). */
  acc: MathNode[];
  /** The same with k = rho m (no m). */
  normalized: MathNode[];
  /** The readable form: display text with l_a, l_b, and the explicit tree (to be proved equal). */
  readable: { display: string; node: MathNode }[];
  /** Total mechanical energy E = x_dot dL/dx_dot + y_dot dL/dy_dot - L (J). */
  energy: MathNode;
  /** Specific energy E/m with k = rho m (J/kg). */
  specificEnergy: MathNode;
}

export function lagrangianOf(phase: DerivationPhase): MathNode {
  const elastic = DERIVATION_FEET[phase].map((f) => `k/2*(l0 - sqrt((x - ${f})^2 + y^2))^2`);
  return parse(`m/2*(x_dot^2 + y_dot^2) - m*g*y - ${elastic.join(" - ")}`);
}

/**
 * The normalized accelerations as a reader writes them: each leg on the ground pulls with
 * rho (l0/l_i - 1) along (x - x_i, y). Typed as a form, not derived: a check proves it equal to
 * the derived normalized accelerations (checks.ts).
 */
export function readableOf(phase: DerivationPhase): { display: string; node: MathNode }[] {
  const feet = DERIVATION_FEET[phase];
  const c = (f: string): string => `rho*(l0/${legSymbol(f)} - 1)`;
  const display = [feet.map((f) => `${c(f)}*(x - ${f})`).join(" + "), `${feet.map((f) => `${c(f)}*y`).join(" + ")} - g`];
  const legs = Object.fromEntries(feet.map((f) => [legSymbol(f), legLengthNode(f)]));
  return display.map((d) => ({ display: d, node: substitute(parse(d), legs) }));
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
  // The energy by the Legendre transform of L (the Lagrangian does not depend on t).
  const energy = simplify(parse(`x_dot*(${text(momenta[0])}) + y_dot*(${text(momenta[1])}) - (${text(lagrangian)})`));
  const specificEnergy = simplify(parse(`(${text(substitute(energy, { k: "rho*m" }))}) / m`));
  return { lagrangian, momenta, dtMomenta, dLdq, el, mass, residual, acc, normalized, readable: readableOf(phase), energy, specificEnergy };
}

const cache = new Map<DerivationPhase, PhaseWork>();

/** The symbolic work of a phase (computed once per process; see the file comment). */
export function phaseWork(phase: DerivationPhase): PhaseWork {
  let w = cache.get(phase);
  if (!w) {
    w = derivePhase(phase);
    cache.set(phase, w);
  }
  return w;
}

/** Both phases. */
export function mechanics(): Record<DerivationPhase, PhaseWork> {
  return { single: phaseWork("single"), double: phaseWork("double") };
}

/**
 * The gait events, each a function of the state that is 0 at the event (the new foot: its
 * position). They hold the angle of attack alpha0 as well as l0.
 */
export const EVENTS = {
  touchdown: { name: "touchdown", equation: "y = l0*sin(alpha0)", expression: "y - l0*sin(alpha0)" },
  footPlacement: { name: "front foot placed at touchdown", equation: "x_b = x + l0*cos(alpha0)", expression: "x + l0*cos(alpha0)" },
  liftoff: { name: "lift-off", equation: "l_a = l0", expression: "sqrt((x - x_a)^2 + y^2) - l0" },
} as const;

/**
 * The state at the start of a record: vertical leg orientation over the foot x_a, at the height
 * y_0 of the symmetric periodic gait for (rho, l0, g, alpha0, e) (found numerically by
 * walker/gait.ts, whose inputs are exactly these), with the speed that gives the specific energy e.
 */
export const INITIAL_STATE = {
  x: "x_a",
  y: "y_0",
  x_dot: "sqrt(2*(e - g*y_0 - rho/2*(l0 - y_0)^2))",
  y_dot: "0",
} as const;

/** The specific energy as a reader writes it, leg lengths abbreviated (proved equal to the derived one in checks.ts). */
export function readableEnergy(phase: DerivationPhase): string {
  const legs = DERIVATION_FEET[phase].map((f) => `(l0 - ${legSymbol(f)})^2`).join(" + ");
  return `(x_dot^2 + y_dot^2)/2 + g*y + rho/2*${DERIVATION_FEET[phase].length > 1 ? `(${legs})` : legs}`;
}

/** The quantities an (x, y) record depends on: the accelerations of both phases and the gait events. */
export function xyObservables(work: Record<DerivationPhase, PhaseWork>): Observable[] {
  const out: Observable[] = [];
  for (const phase of DERIVATION_PHASES) {
    ["x_dd", "y_dd"].forEach((name, i) => {
      const node = work[phase].acc[i];
      out.push({ name: `${name} (${phase} support)`, label: r`${m(name)} (${phase} support)`, expression: text(node), kind: "rhs", node });
    });
  }
  for (const e of Object.values(EVENTS)) {
    out.push({ name: `${e.name} (${e.equation})`, label: r`${e.name} (${m(e.equation)})`, expression: e.expression, kind: "event", node: parse(e.expression) });
  }
  return out;
}

/**
 * The total ground reaction force in newtons, (fx, fy) = m (x'', y'' + g), of each phase: what a
 * force plate under the walker measures and what the dataset's xy+grf channel holds.
 */
export function totalForces(work: Record<DerivationPhase, PhaseWork>): Record<DerivationPhase, MathNode[]> {
  const of = (w: PhaseWork): MathNode[] => [
    simplify(parse(`m*(${text(w.acc[0])})`)),
    simplify(parse(`m*((${text(w.acc[1])}) + g)`)),
  ];
  return { single: of(work.single), double: of(work.double) };
}

/** The force along one leg of length l, F = -dV/dl of its elastic energy V = k/2 (l0 - l)^2 (N). */
export function legForceOfLength(): MathNode {
  return simplify(parse(`-(${text(derivative(parse("k/2*(l0 - l)^2"), "l"))})`));
}
