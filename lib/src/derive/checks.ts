/**
 * The checks of the mechanics (steps 1-3, per phase: the Euler-Lagrange equations, their solution,
 * the normalization, the simulator's right-hand side) and of the force observation model.
 */
import { derivative, parse, type MathNode } from "./mathjs";
import { grfPerMass, rhsDouble, rhsSingle, type Mechanics } from "../walker/physics";
import { dot } from "./lattice";
import { relativeError, type Point } from "./numeric";
import { scalingWeight } from "./scaling";
import { evaluator, legLengthNode, mentions, minus, provesZero, substitute, text, type ZeroProof } from "./symbolic";
import { CheckList, maxOver } from "./checklist";
import { QDD, type PhaseWork } from "./mechanics";
import { generator, generatorText, vectorText } from "./symmetry";
import { DERIVATION_FEET, DERIVATION_PARAMETERS, DERIVATION_PHASES, type DerivationPhase, type ObservationAnalysis } from "./types";

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

/** Step 1-3 checks on one phase. */
export function checkPhase(phase: DerivationPhase, w: PhaseWork, points: readonly Point[], checks: CheckList): void {
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

/** GRF checks: the leg forces add up to m (x_dd, y_dd + g), equal the simulator's, and break the scaling. */
export function grfChecks(
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
