/**
 * The symbolic derivation behind the study's central claim: from the Lagrangian of Geyer's walker
 * to "only k/m and l0 can be identified from (x, y)", and "m, k and l0 can be, once the ground
 * reaction forces are observed too". Everything is computed with mathjs (parse, derivative,
 * simplify); nothing about the result is typed in. Every symbolic identity is also evaluated at
 * random points (seeded), and the derived right-hand sides are compared with the ones the
 * simulator integrates (walker/physics.ts), so that neither a simplifier mistake nor a drift
 * between derivation and simulation can go unnoticed.
 *
 * This file runs the steps in order; the work is done in
 *   mechanics.ts  Lagrangian, Euler-Lagrange equations, normalization, observed quantities;
 *   symmetry.ts   the scaling analysis of an observation model;
 *   checks.ts     the checks of the mechanics and of the force model (checklist.ts: the list);
 *   prose.ts      the text and displayed equations of each step.
 *
 * Steps: 1 Lagrangian, 2 Euler-Lagrange equations solved for (x'', y''), 3 normalization
 * (k = rho m, m cancels), 4 scaling symmetries of the (x, y) data model, 5 its identifiable
 * combinations, 6 (with observe = "xy+grf") the data model with ground reaction forces.
 *
 * Symbols (mathjs syntax): m, k, l0 (parameters), g, the state x, y, x_dot, y_dot, the
 * accelerations x_dd, y_dd, the feet x_a (rear / stance) and x_b (front), rho = k/m, alpha0
 * (angle of attack, a nuisance quantity of the gait events), c (scale factor).
 */
import { simplify } from "./mathjs";
import { GaitidError, requireInteger, show } from "../errors";
import { randomPoint, seededRandom } from "./numeric";
import { legLengthNode, substitute, text } from "./symbolic";
import { CheckList, TOLERANCE } from "./checklist";
import { checkPhase, grfChecks } from "./checks";
import { derivePhase, legForceOfLength, xyObservables, type PhaseWork } from "./mechanics";
import {
  analysisMathjs,
  eulerLagrangeStep,
  grfBlocks,
  identifiableBlocks,
  lagrangianStep,
  normalizationStep,
  step,
  symmetryBlocks,
} from "./prose";
import { analyze, type AnalysisInput } from "./symmetry";
import {
  DERIVATION_PARAMETERS,
  DERIVATION_PHASES,
  DERIVE_OBSERVATION_MODELS,
  type Derivation,
  type DerivationPhase,
  type DerivationStep,
  type DeriveObservationModel,
  type DeriveOptions,
} from "./types";

export * from "./types";

/** Throws a GaitidError unless `value` names an observation model. */
export function parseDeriveObservationModel(value: string): DeriveObservationModel {
  if (!(DERIVE_OBSERVATION_MODELS as readonly string[]).includes(value)) {
    throw new GaitidError(`unknown observation model ${show(value)}; choose one of ${DERIVE_OBSERVATION_MODELS.join(", ")}`);
  }
  return value as DeriveObservationModel;
}

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

  const steps: DerivationStep[] = [lagrangianStep(work), eulerLagrangeStep(work), normalizationStep(work)];

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
