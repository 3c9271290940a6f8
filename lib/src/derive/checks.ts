/**
 * The checks of the mechanics, per phase: the Euler-Lagrange equations and their solution (step
 * euler-lagrange), the normalization and its readable form, the simulator's right-hand side (step
 * normalization), and the energy (step record). Each is proved symbolically where it is an
 * identity and evaluated at the random points; comparisons with the simulator's code are numeric.
 */
import { derivative, parse } from "./mathjs";
import { rhsDouble, rhsSingle, specificEnergy, type Mechanics } from "../walker/physics";
import { relativeError, type Point } from "./numeric";
import { evaluator, legLengthNode, legSymbol, mentions, minus, provesZero, substitute, text, type ZeroProof } from "./symbolic";
import { CheckList, maxOver } from "./checklist";
import { QDD, readableEnergy, type PhaseWork } from "./mechanics";
import { code, m, r, tex, type Rich } from "./rich";
import { DERIVATION_FEET, type DerivationPhase } from "./types";

/** The simulator's mechanics (rho, l0, g) at a point. */
export function mechanicsAt(p: Point): Mechanics {
  return { rho: p.k / p.m, l0: p.l0, g: p.g };
}

function simulatorRhs(phase: DerivationPhase, p: Point): Float64Array {
  const out = new Float64Array(4);
  const s = [p.x, p.y, p.x_dot, p.y_dot];
  if (phase === "single") rhsSingle(mechanicsAt(p), p.x_a, s, out);
  else rhsDouble(mechanicsAt(p), p.x_a, p.x_b, s, out);
  return out;
}

/** "single support" / "double support" as the start of a claim. */
export function phaseLabel(phase: DerivationPhase): string {
  return phase === "single" ? "single support" : "double support";
}

/** Step euler-lagrange: linear in the accelerations with M = m I, and solved by (x'', y''). */
export function checkEulerLagrange(phase: DerivationPhase, w: PhaseWork, points: readonly Point[], checks: CheckList): void {
  const el = w.el.map(evaluator);
  const M = w.mass.map((row) => row.map(evaluator));
  const res = w.residual.map(evaluator);
  const acc = w.acc.map(evaluator);
  const second: ZeroProof[] = [];
  for (let i = 0; i < 2; i++)
    for (let j = 0; j < 2; j++)
      for (let l = 0; l < 2; l++) second.push(provesZero(derivative(derivative(w.el[i], QDD[j]), QDD[l])));
  const massIsMI =
    text(w.mass[0][0]) === "m" && text(w.mass[1][1]) === "m" && provesZero(w.mass[0][1]) !== null && provesZero(w.mass[1][0]) !== null;
  checks.add({
    id: `el.${phase}.linear`,
    step: "euler-lagrange",
    claim: r`${phaseLabel(phase)}: the Euler–Lagrange equations are ${tex("M\\,(\\ddot{x}, \\ddot{y})^\\top + r = 0", "M (x_dd, y_dd) + r = 0")} with the mass matrix ${tex("M = m\\,I", "M = m I")} (second derivatives in the accelerations vanish)`,
    proofs: massIsMI ? second : [null],
    value: maxOver(points, (p) => {
      let worst = 0;
      for (let i = 0; i < 2; i++) {
        const lin = M[i][0](p) * p.x_dd + M[i][1](p) * p.y_dd + res[i](p);
        worst = Math.max(worst, relativeError(el[i](p), lin), relativeError(M[i][i](p), p.m));
      }
      return worst;
    }),
  });
  const solved = w.el.map((e) => substitute(e, { x_dd: w.acc[0], y_dd: w.acc[1] }));
  checks.add({
    id: `el.${phase}.solution`,
    step: "euler-lagrange",
    claim: r`${phaseLabel(phase)}: the accelerations ${tex("(\\ddot{x}, \\ddot{y})", "(x_dd, y_dd)")} found by Cramer's rule solve the Euler–Lagrange equations`,
    proofs: solved.map(provesZero),
    value: maxOver(points, (p) => {
      const a = { ...p, x_dd: acc[0](p), y_dd: acc[1](p) };
      return Math.max(...[0, 1].map((i) => relativeError(el[i](a), 0, Math.abs(res[i](a)))));
    }),
  });
}

/** Step normalization: k = rho m removes m; the readable form; the simulator integrates the same. */
export function checkNormalization(phase: DerivationPhase, w: PhaseWork, points: readonly Point[], checks: CheckList): void {
  const acc = w.acc.map(evaluator);
  const nrm = w.normalized.map(evaluator);
  const noM = w.normalized.every((n) => !mentions(n, "m"));
  const withRho = (p: Point): Point => ({ ...p, rho: p.k / p.m });
  checks.add({
    id: `normalization.${phase}.no-m`,
    step: "normalization",
    claim: r`${phaseLabel(phase)}: with ${m("k = rho*m")} the accelerations no longer contain ${m("m")}`,
    proofs: noM ? [0, 1].map((i) => provesZero(minus(w.normalized[i], substitute(w.acc[i], { k: "rho*m" })))) : [null],
    value: maxOver(points, (p) =>
      Math.max(
        ...[0, 1].map((i) =>
          // m changed with rho kept: the normalized form must not notice (it has no m)
          Math.max(relativeError(nrm[i](withRho(p)), acc[i](p)), relativeError(nrm[i]({ ...withRho(p), m: 2 * p.m }), acc[i](p))),
        ),
      ),
    ),
  });
  const readable = w.readable.map((x) => evaluator(x.node));
  checks.add({
    id: `normalization.${phase}.readable`,
    step: "normalization",
    claim: r`${phaseLabel(phase)}: the normalized accelerations equal the readable form ${readableClaim(w)}`,
    proofs: [0, 1].map((i) => provesZero(minus(w.normalized[i], w.readable[i].node))),
    value: maxOver(points, (p) => Math.max(...[0, 1].map((i) => relativeError(readable[i](withRho(p)), nrm[i](withRho(p)))))),
  });
  checks.add({
    id: `normalization.${phase}.simulator`,
    step: "normalization",
    claim: r`${phaseLabel(phase)}: the derived accelerations equal the ones the simulator integrates (${code(phase === "single" ? "rhsSingle" : "rhsDouble")} in ${code("walker/physics.ts")})`,
    proofs: "compares with the simulator's code",
    value: maxOver(points, (p) => {
      const out = simulatorRhs(phase, p);
      return Math.max(
        relativeError(out[0], p.x_dot),
        relativeError(out[1], p.y_dot),
        ...[0, 1].flatMap((i) => [relativeError(out[2 + i], acc[i](p)), relativeError(out[2 + i], nrm[i](withRho(p)))]),
      );
    }),
  });
}

function readableClaim(w: PhaseWork): Rich {
  return r`${m(`x_dd = ${w.readable[0].display}`)}, ${m(`y_dd = ${w.readable[1].display}`)}`;
}

/** The specific energy e = E/m (with k = rho m): its readable form, free of m, and the simulator's. */
export function checkEnergy(phase: DerivationPhase, w: PhaseWork, points: readonly Point[], checks: CheckList): void {
  const feet = DERIVATION_FEET[phase];
  const shown = readableEnergy(phase);
  const readable = substitute(parse(shown), Object.fromEntries(feet.map((f) => [legSymbol(f), legLengthNode(f)])));
  const e = evaluator(w.specificEnergy);
  checks.add({
    id: `record.energy.${phase}`,
    step: "record",
    claim: r`${phaseLabel(phase)}: the energy per unit mass ${m("e = E/m")} (with ${m("k = rho*m")}) is ${m(shown)}, free of ${m("m")}, and equals the simulator's ${code("specificEnergy")}`,
    proofs: [mentions(w.specificEnergy, "m") ? null : provesZero(minus(w.specificEnergy, readable))],
    value: maxOver(points, (p) => {
      const q = { ...p, rho: p.k / p.m };
      const sim = specificEnergy(mechanicsAt(p), [p.x, p.y, p.x_dot, p.y_dot], feet.map((f) => p[f]));
      return relativeError(e(q), sim);
    }),
  });
}
