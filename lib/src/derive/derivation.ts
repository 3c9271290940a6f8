/**
 * The symbolic derivation behind the study's central claim, as a proof: from the Lagrangian of
 * Geyer's walker to the proposition "an (x, y) record determines rho = k/m and l0, and nothing
 * else about (m, k, l0)", with its hypotheses (g known, fixed sample times, the gait condition
 * drawn per unit mass, acceptance through (rho, l0, alpha0, e) only), and what changes when the
 * total ground reaction force is observed or the walks are started in joules. Everything symbolic
 * is computed with mathjs (parse, derivative, simplify); every identity is also evaluated at
 * seeded random points, the derived right-hand sides are compared with the simulator's, and the
 * constructive inversion is run on simulated records, so that neither a simplifier mistake nor a
 * drift between derivation and simulation can go unnoticed.
 *
 * This file runs the steps in order; the work is done in
 *   mechanics.ts     Lagrangian, Euler-Lagrange equations, normalization, events, initial state, forces;
 *   checks.ts        the checks of the mechanics (checklist.ts: the list of checks);
 *   symmetry.ts      the scaling analysis of an observation model (both directions);
 *   constructive.ts  the constructive inversion (inversion.ts: the method; records.ts: the records);
 *   forces.ts        the total-force observation model;
 *   design.ts        the experimental design;
 *   steps-*.ts       the text and displayed equations of each step (prose.ts, render.ts, rich.ts);
 *   proposition.ts   the statement, hypotheses and claims, linked to steps and checks.
 *
 * Steps: lagrangian, euler-lagrange, normalization, record, symmetry-xy, identifiable-xy,
 * inversion, grf (with observe = "xy+grf"), design.
 *
 * Symbols (mathjs syntax): m, k, l0 (parameters), g, the state x, y, x_dot, y_dot, the
 * accelerations x_dd, y_dd, the feet x_a (rear / stance) and x_b (front), rho = k/m, alpha0 (angle
 * of attack), e (specific energy, J/kg), E (energy, J), c (scale factor).
 */
import { GaitidError, requireInteger, show } from "../errors";
import { BIBLIOGRAPHY } from "./bibliography";
import { randomPoint, seededRandom } from "./numeric";
import { text } from "./symbolic";
import { CheckList, TOLERANCE } from "./checklist";
import { checkEnergy, checkEulerLagrange, checkNormalization } from "./checks";
import { checkInversionRecords, checkInversionSymbolic, INVERSION } from "./constructive";
import { analyzeDesigns, checkEnergyFromRecords } from "./design";
import { checkForceMoves, checkForceSum, checkMassFromRecords, forceObservables } from "./forces";
import { EVENTS, INITIAL_STATE, legForceOfLength, mechanics, totalForces, xyObservables, type PhaseWork } from "./mechanics";
import { proposition } from "./proposition";
import { simulatedRecords } from "./records";
import { eulerLagrangeStep, lagrangianStep, normalizationStep, recordStep } from "./steps-mechanics";
import { identifiableStep, inversionStep, symmetryStep } from "./steps-identifiability";
import { designStep, grfStep } from "./steps-design";
import { analyze } from "./symmetry";
import {
  DERIVATION_DESIGNS,
  DERIVATION_PARAMETERS,
  DERIVATION_PHASES,
  DERIVE_OBSERVATION_MODELS,
  type Derivation,
  type DerivationDesign,
  type DerivationExpressions,
  type DerivationPhase,
  type DerivationStep,
  type DeriveObservationModel,
  type DeriveOptions,
  type ObservationAnalysis,
} from "./types";

export * from "./types";

/** Throws a GaitidError unless `value` names an observation model. */
export function parseDeriveObservationModel(value: string): DeriveObservationModel {
  if (!(DERIVE_OBSERVATION_MODELS as readonly string[]).includes(value)) {
    throw new GaitidError(`unknown observation model ${show(value)}; choose one of ${DERIVE_OBSERVATION_MODELS.join(", ")}`);
  }
  return value as DeriveObservationModel;
}

/** Throws a GaitidError unless `value` names an experimental design. */
export function parseDerivationDesign(value: string): DerivationDesign {
  if (!(DERIVATION_DESIGNS as readonly string[]).includes(value)) {
    throw new GaitidError(`unknown design ${show(value)}; choose one of ${DERIVATION_DESIGNS.join(", ")}`);
  }
  return value as DerivationDesign;
}

/**
 * Runs the whole derivation for an observation model and a design. Pure: the same options give
 * the same result (seeded random points and records). Throws a GaitidError for an unknown model
 * or design; throws an Error if a check fails (the derivation then claims nothing).
 */
export function derive(observe: DeriveObservationModel | string = "xy", options: DeriveOptions = {}): Derivation {
  const model = parseDeriveObservationModel(observe);
  const design = parseDerivationDesign(options.design ?? "per-unit-mass");
  const seed = requireInteger("seed", options.seed ?? 2307, 0, 2 ** 32 - 1);
  const nPoints = requireInteger("points", options.points ?? 24, 4, 100000);
  const rng = seededRandom(seed);
  const points = Array.from({ length: nPoints }, () => randomPoint(rng));
  const checks = new CheckList(nPoints);
  const work = mechanics();
  for (const phase of DERIVATION_PHASES) {
    checkEulerLagrange(phase, work[phase], points, checks);
    checkNormalization(phase, work[phase], points, checks);
    checkEnergy(phase, work[phase], points, checks);
  }
  const xyObs = xyObservables(work);
  const xy = analyze({ observe: "xy", design: "per-unit-mass", observables: xyObs, step: "symmetry-xy", confirm: true }, points, rng, checks);
  checkInversionSymbolic(work.single, points, checks);
  const records = simulatedRecords(points, { dt: 0.002 });
  const inversion = checkInversionRecords(records, checks);
  const designs = analyzeDesigns(xyObs, points, rng, checks);
  const energyError = checkEnergyFromRecords(records, checks);
  const steps: DerivationStep[] = [
    lagrangianStep(work),
    eulerLagrangeStep(work),
    normalizationStep(work),
    recordStep(work),
    symmetryStep(xy),
    identifiableStep(xy),
    inversionStep(inversion),
  ];
  const analyses: ObservationAnalysis[] = [xy];
  const forces = totalForces(work);
  if (model === "xy+grf") {
    checkForceSum(forces, points, checks);
    checkForceMoves(forces, xy.nullSpace, points, checks);
    const observables = [...xyObs, ...forceObservables(forces)];
    const grf = analyze({ observe: "xy+grf", design: "per-unit-mass", observables, step: "grf", confirm: true }, points, rng, checks);
    analyses.push(grf);
    steps.push(grfStep(forces, xy, grf, checkMassFromRecords(records, checks)));
  }
  steps.push(designStep(designs, energyError));
  requirePassed(checks);
  const selected = model === "xy+grf" ? analyses[1] : design === "joules" ? designs[1] : designs[0];
  const prop = proposition(model, design, checks.list);
  requireSupported(prop, checks, steps);
  return {
    observe: model,
    design,
    parameters: [...DERIVATION_PARAMETERS],
    lagrangian: byPhase(work, (w) => text(w.lagrangian)),
    equations: byPhase(work, (w) => ({ xdd: text(w.acc[0]), ydd: text(w.acc[1]) })),
    normalized: byPhase(work, (w) => ({ xdd: text(w.normalized[0]), ydd: text(w.normalized[1]) })),
    expressions: expressionsOf(work, forces),
    symmetries: selected.symmetries,
    identifiable: selected.identifiable,
    partial: model === "xy" && design === "joules" ? designs[1].partial : [],
    proposition: prop,
    checks: checks.list,
    steps,
    analyses,
    designs,
    inversion,
    bibliography: [...BIBLIOGRAPHY],
    numeric: { seed, points: nPoints, tolerance: TOLERANCE },
  };
}

function byPhase<T>(work: Record<DerivationPhase, PhaseWork>, f: (w: PhaseWork) => T): Record<DerivationPhase, T> {
  return { single: f(work.single), double: f(work.double) };
}

/** Every expression of the data model, explicit mathjs syntax. */
function expressionsOf(work: Record<DerivationPhase, PhaseWork>, forces: ReturnType<typeof totalForces>): DerivationExpressions {
  return {
    lagrangian: byPhase(work, (w) => text(w.lagrangian)),
    energy: { total: byPhase(work, (w) => text(w.energy)), specific: byPhase(work, (w) => text(w.specificEnergy)) },
    accelerations: byPhase(work, (w) => ({ xdd: text(w.acc[0]), ydd: text(w.acc[1]) })),
    normalized: byPhase(work, (w) => ({ xdd: text(w.normalized[0]), ydd: text(w.normalized[1]) })),
    readable: byPhase(work, (w) => ({ xdd: w.readable[0].display, ydd: w.readable[1].display })),
    events: { touchdown: EVENTS.touchdown.expression, footPlacement: EVENTS.footPlacement.expression, liftoff: EVENTS.liftoff.expression },
    forces: {
      fx: { single: text(forces.single[0]), double: text(forces.double[0]) },
      fy: { single: text(forces.single[1]), double: text(forces.double[1]) },
      leg: text(legForceOfLength()),
    },
    initialState: { ...INITIAL_STATE },
    inversion: { ...INVERSION },
  };
}

function requirePassed(checks: CheckList): void {
  const failed = checks.list.filter((c) => !c.passed);
  if (failed.length > 0) {
    throw new Error(`derive: check failed: ${failed.map((c) => `${c.id} (${c.proof}; ${c.measure} ${c.numericMaxError})`).join("; ")}`);
  }
}

/** Every claim names steps that exist and at least one check, all of which exist and passed. */
function requireSupported(prop: Derivation["proposition"], checks: CheckList, steps: readonly DerivationStep[]): void {
  for (const c of prop.claims) {
    if (c.checks.length === 0) throw new Error(`derive: claim (${c.id}) has no check`);
    for (const id of c.checks) if (!checks.list.some((x) => x.id === id && x.passed)) throw new Error(`derive: claim (${c.id}): check ${id} missing or failed`);
    for (const s of c.steps) if (!steps.some((x) => x.id === s)) throw new Error(`derive: claim (${c.id}): no step ${s}`);
  }
}
