/**
 * The types of the derivation (derivation.ts): observation models, parameters, phases, checks,
 * analyses and steps. Shared by the files that make up the derivation.
 */
import type { Channels } from "../config";
import type { IntVector } from "./lattice";
import type { Block } from "./render";

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
