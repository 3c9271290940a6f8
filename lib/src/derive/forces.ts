/**
 * The second observation model: (x, y) and the total ground reaction force in newtons,
 * (fx, fy) = m (x'', y'' + g), the dataset's xy+grf channel. Checks that it is the sum of the leg
 * forces (Newton's second law for the centre of mass) and the simulator's force channel times m,
 * that the (x, y) symmetry multiplies it by c, and, on simulated records, that m = fy / (y'' + g)
 * and k = rho m recover the subject.
 */
import { parse, type MathNode } from "./mathjs";
import { grfPerMass } from "../walker/physics";
import type { IntVector } from "./lattice";
import { relativeError, type Point } from "./numeric";
import { evaluator, legLengthNode, minus, provesZero, text, type ZeroProof } from "./symbolic";
import { CheckList, maxOver } from "./checklist";
import { mechanicsAt, phaseLabel } from "./checks";
import type { Observable } from "./mechanics";
import { generator, generatorRich, vectorText } from "./symmetry";
import { invertStance } from "./inversion";
import { stanceSamples, type SimulatedRecord } from "./records";
import { code, m, r, tex } from "./rich";
import { DERIVATION_FEET, DERIVATION_PHASES, type DerivationPhase } from "./types";

/** The force observables of both phases. */
export function forceObservables(forces: Record<DerivationPhase, MathNode[]>): Observable[] {
  return DERIVATION_PHASES.flatMap((phase) =>
    ["fx", "fy"].map((name, i) => ({
      name: `${name} (total ground reaction force, N, ${phase} support)`,
      label: r`${m(name)} (total ground reaction force, N, ${phase} support)`,
      expression: text(forces[phase][i]),
      kind: "force" as const,
      node: forces[phase][i],
    })),
  );
}

/** Newton: the leg forces k (l0 - l_i) along the legs add up to (fx, fy); and the simulator's channel. */
export function checkForceSum(forces: Record<DerivationPhase, MathNode[]>, points: readonly Point[], checks: CheckList): void {
  for (const phase of DERIVATION_PHASES) {
    const feet = DERIVATION_FEET[phase];
    const leg = (f: string): string => `k*(l0 - ${text(legLengthNode(f))})`;
    const sumX = parse(feet.map((f) => `${leg(f)} * (x - ${f}) / ${text(legLengthNode(f))}`).join(" + "));
    const sumY = parse(feet.map((f) => `${leg(f)} * y / ${text(legLengthNode(f))}`).join(" + "));
    const [fx, fy] = forces[phase];
    const sx = evaluator(sumX), sy = evaluator(sumY), ex = evaluator(fx), ey = evaluator(fy);
    checks.add({
      id: `grf.newton.${phase}`,
      step: "grf",
      claim: r`${phaseLabel(phase)}: the leg forces ${m("k*(l0 - l_i)")} along the legs add up to ${tex("(f_x, f_y) = m\\,(\\ddot{x}, \\ddot{y} + g)", "(fx, fy) = m (x_dd, y_dd + g)")} with the derived accelerations`,
      proofs: [provesZero(minus(sumX, fx)), provesZero(minus(sumY, fy))],
      value: maxOver(points, (p) => Math.max(relativeError(sx(p), ex(p)), relativeError(sy(p), ey(p)))),
    });
    checks.add({
      id: `grf.simulator.${phase}`,
      step: "grf",
      claim: r`${phaseLabel(phase)}: ${tex("(f_x, f_y)", "(fx, fy)")} is ${m("m")} times the simulator's force channel (${code("grfPerMass")} in ${code("walker/physics.ts")})`,
      proofs: "compares with the simulator's code",
      value: maxOver(points, (p) => {
        const out = new Float64Array(2);
        grfPerMass(mechanicsAt(p), [p.x, p.y, p.x_dot, p.y_dot], feet.map((f) => p[f]), out);
        return Math.max(relativeError(ex(p), p.m * out[0]), relativeError(ey(p), p.m * out[1]));
      }),
    });
  }
}

/** The (x, y) symmetries act on the force record with weight 1: G f = f, so they change it. */
export function checkForceMoves(forces: Record<DerivationPhase, MathNode[]>, nullSpace: IntVector[], points: readonly Point[], checks: CheckList): void {
  nullSpace.forEach((v, j) => {
    const nodes = DERIVATION_PHASES.flatMap((phase) => forces[phase]);
    const gens = nodes.map((f) => generator(f, v));
    const ge = gens.map((g) => evaluator(g.expr));
    const fe = nodes.map(evaluator);
    const proofs: ZeroProof[] = gens.map((g, i) => provesZero(minus(g.expr, nodes[i])));
    checks.add({
      id: `grf.moves.${j + 1}`,
      step: "grf",
      claim: r`${generatorRich(v, "f", "f")} for both force components in both phases, not 0: the scaling ${tex(vectorText(v), vectorText(v))} multiplies the force record by ${m("c")}`,
      proofs,
      value: maxOver(points, (p) => Math.max(...ge.map((g, i) => relativeError(g(p), fe[i](p))))),
    });
  });
}

/**
 * On simulated records: rho and l0 from the positions (inversion), then m = fy / (y'' + g) with
 * y'' from the positions (five-point differences) and fy = m times the force channel, k = rho m.
 * Returns the largest relative errors of m and k.
 */
export function checkMassFromRecords(records: readonly SimulatedRecord[], checks: CheckList): { m: number; k: number } {
  let em = 0, ek = 0;
  for (const rec of records) {
    const samples = stanceSamples(rec, "differences");
    const inv = invertStance(samples, rec.g);
    const w = rec.walk;
    // Least squares of fy = m (y'' + g) over the samples: near the end of a stance phase y'' + g
    // is small and a single sample's quotient would amplify the error of y''.
    let num = 0, den = 0;
    for (const s of samples) {
      const lift = s.ydd + rec.g;
      num += rec.m * w.fy![s.index] * lift;
      den += lift * lift;
    }
    const mass = num / den;
    em = Math.max(em, relativeError(mass, rec.m));
    ek = Math.max(ek, relativeError(inv.rho * mass, rec.k));
  }
  checks.add({
    id: "grf.mass-from-record",
    step: "grf",
    claim: r`on ${records.length} simulated records: ${m("m = fy/(y_dd + g)")} (least squares over the single-support samples), with ${m("y_dd")} from the positions, and ${m("k = rho*m")} with ${m("rho")} from the inversion, recover the subject`,
    proofs: "simulated records (walker/simulate.ts), accelerations by five-point differences",
    value: Math.max(em, ek),
    measure: "largest relative error of m and k",
    tolerance: 1e-8,
  });
  return { m: em, k: ek };
}
