/**
 * The types of the derivation (derivation.ts): observation models, designs, parameters, phases,
 * checks, analyses, steps, the proposition. A {@link Derivation} is plain data (strings, numbers,
 * arrays): it is what `gaitid derive --json` prints and what the report reads (json.ts).
 */
import type { Channels } from "../config";
import type { Reference } from "./bibliography";
import type { IntVector } from "./lattice";
import type { Block } from "./render";
import type { Rich } from "./rich";

/** The observation models: positions only, or positions and the total ground reaction force in newtons. */
export type DeriveObservationModel = Channels;
export const DERIVE_OBSERVATION_MODELS: readonly DeriveObservationModel[] = ["xy", "xy+grf"];

/**
 * How the walks are started (the experimental design): the gait condition drawn per unit mass
 * (the specific energy e in multiples of g l0, the study's design), or the initial energy E drawn
 * in joules.
 */
export type DerivationDesign = "per-unit-mass" | "joules";
export const DERIVATION_DESIGNS: readonly DerivationDesign[] = ["per-unit-mass", "joules"];

/** The subject parameters, in the order of every exponent vector. */
export const DERIVATION_PARAMETERS = ["m", "k", "l0"] as const;
export type DerivationParameter = (typeof DERIVATION_PARAMETERS)[number];

export type DerivationPhase = "single" | "double";
export const DERIVATION_PHASES: readonly DerivationPhase[] = ["single", "double"];
/** The feet on the ground in each phase. */
export const DERIVATION_FEET: Record<DerivationPhase, readonly string[]> = { single: ["x_a"], double: ["x_a", "x_b"] };

/** The accelerations x'' and y'' in mathjs syntax. */
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

/** How a check was established: proved symbolically (and evaluated numerically), or numerically only. */
export type CheckMethod = "symbolic" | "numeric";

/** One verified claim of the derivation. */
export interface DerivationCheck {
  /** Stable identifier, e.g. "normalization.single". */
  id: string;
  /** The id of the step of the argument the check supports. */
  step: string;
  /** The claim, plain text (formulas in mathjs syntax). */
  name: string;
  /** The claim, with its formulas typeset. */
  claim: Rich;
  method: CheckMethod;
  /** True when the claim was proved symbolically (mathjs simplify or the exact rational normal form). */
  symbolic: boolean;
  /** How it was proved, or what the numeric comparison is. */
  proof: string;
  /** What {@link numericMaxError} measures, e.g. "largest relative error at 24 random points". */
  measure: string;
  /** The numeric result (an error: 0 is exact). */
  numericMaxError: number;
  tolerance: number;
  /** numericMaxError <= tolerance (and, for a symbolic check, the proof reached 0). */
  passed: boolean;
}

/** One quantity the observed record depends on. */
export interface ObservedQuantity {
  /** Plain text. */
  name: string;
  /** The same with its formulas typeset. */
  label: Rich;
  /** mathjs syntax, explicit. */
  expression: string;
  /**
   * "rhs": an acceleration; "event": a gait event or foot placement; "force": a measured force;
   * "initial": a quantity of the initial state fixed by the design.
   */
  kind: "rhs" | "event" | "force" | "initial";
}

/** The scaling analysis of one observation model (and design). */
export interface ObservationAnalysis {
  observe: DeriveObservationModel;
  design: DerivationDesign;
  observables: ObservedQuantity[];
  /** Parameter monomials that must not scale (read off the parse trees). */
  constraints: { exponents: IntVector; monomial: string; source: string; observable: string }[];
  /** Integer basis of the null space of the constraint (exponent) matrix. */
  nullSpace: IntVector[];
  /** The symmetries (= nullSpace, confirmed symbolically). */
  symmetries: ScalingAction[];
  /** Exponent vectors of the invariants (integer basis of the orthogonal complement). */
  invariantExponents: IntVector[];
  /** The invariants in mathjs syntax. */
  identifiable: string[];
  /**
   * Log-sensitivities p df/dp (p = m, k, l0) of the accelerations (and forces, and design
   * quantities) at the random states, each row scaled to length 1: singular values relative to the
   * largest, the rank (values above 1e-10), and the null direction in (log m, log k, log l0) when
   * rank < 3. Its rank bounds the scalings that can leave the record unchanged from above, over
   * every real exponent vector (see symmetry.ts).
   */
  sensitivity: { singularValues: number[]; rank: number; nullDirection: number[] | null };
}

/** The identifiable set under one experimental design (design.ts). */
export interface DesignAnalysis {
  design: DerivationDesign;
  /** What the design draws, plain text. */
  draws: string;
  /** The design's quantity of the initial state, mathjs syntax (e = eps*g*l0, or e = E/m). */
  initial: string;
  /** Identifiable from the (x, y) record under this design, mathjs syntax. */
  identifiable: string[];
  /** Symmetries left under this design. */
  symmetries: ScalingAction[];
  /**
   * What is only partly identifiable, when the design's quantity is drawn from a range rather than
   * fixed: the quantity and the bounds a record gives (mathjs syntax).
   */
  partial: { quantity: string; bounds: string; when: string }[];
}

/** The constructive inversion on simulated records (inversion.ts, records.ts). */
export interface InversionSummary {
  /** How the accelerations were obtained for each row. */
  rows: {
    derivatives: "state" | "differences";
    /** Records, single-support samples used. */
    records: number;
    samples: number;
    /** Largest relative error of the recovered rho, l0 (and of the feet, relative to l0). */
    rhoError: number;
    l0Error: number;
    footError: number;
  }[];
}

/** The proposition the derivation proves. */
export interface Proposition {
  /** Its statement in one sentence. */
  statement: Rich;
  hypotheses: { id: string; text: Rich }[];
  claims: {
    id: string;
    text: Rich;
    /** The proof in a few sentences, naming the steps. */
    proof: Rich;
    /** The steps that prove it. */
    steps: string[];
    /** The checks that support it (ids of {@link DerivationCheck}). */
    checks: string[];
  }[];
}

/** One step of the derivation. */
export interface DerivationStep {
  id: string;
  /** Title, plain text. */
  title: string;
  /** Title with its formulas typeset. */
  titleRich: Rich;
  blocks: Block[];
  /** Plain text (mathjs syntax for formulas). */
  text: string;
  /** LaTeX: prose with inline math, one \[ ... \] display per equations block. */
  latex: string;
  /** The step's exported expressions, explicit mathjs syntax. */
  mathjs: Record<string, string>;
}

/** Every expression of the data model, explicit mathjs syntax (phases single and double). */
export interface DerivationExpressions {
  lagrangian: Record<DerivationPhase, string>;
  /** Total mechanical energy (J) and specific energy e = E/m with k = rho m (J/kg). */
  energy: { total: Record<DerivationPhase, string>; specific: Record<DerivationPhase, string> };
  accelerations: Record<DerivationPhase, DerivedAccelerations>;
  normalized: Record<DerivationPhase, DerivedAccelerations>;
  /** The normalized accelerations in the form a reader expects, legs abbreviated to l_a, l_b. */
  readable: Record<DerivationPhase, DerivedAccelerations>;
  events: { touchdown: string; footPlacement: string; liftoff: string };
  /** The total ground reaction force (N), and the force along one leg of length l. */
  forces: { fx: Record<DerivationPhase, string>; fy: Record<DerivationPhase, string>; leg: string };
  /** The state at the start of a record: vertical leg orientation over the foot x_a. */
  initialState: { x: string; y: string; x_dot: string; y_dot: string };
  /** The constructive inversion: foot, affine relation, rho and l0 from two instants, m from the force. */
  inversion: { foot: string; affine: string; rho: string; l0: string; m: string };
}

export interface Derivation {
  observe: DeriveObservationModel;
  design: DerivationDesign;
  parameters: DerivationParameter[];
  /** Same as expressions.lagrangian. */
  lagrangian: Record<DerivationPhase, string>;
  /** x'' and y'' from the Euler-Lagrange equations (symbols m, k, l0, g, x, y, x_a, x_b). */
  equations: Record<DerivationPhase, DerivedAccelerations>;
  /** The same divided by m with k = rho m (symbols rho, l0, g, x, y, x_a, x_b). */
  normalized: Record<DerivationPhase, DerivedAccelerations>;
  expressions: DerivationExpressions;
  /** Symmetries of the selected observation model and design (empty when none). */
  symmetries: ScalingAction[];
  /** Identifiable combinations of the selected model and design, mathjs syntax. */
  identifiable: string[];
  /** What is only partly identifiable under the selected design (empty for per-unit-mass). */
  partial: DesignAnalysis["partial"];
  proposition: Proposition;
  checks: DerivationCheck[];
  steps: DerivationStep[];
  /** The (x, y) analysis, and the (x, y) + force one when observe = "xy+grf". */
  analyses: ObservationAnalysis[];
  /** Both designs, for the (x, y) record. */
  designs: DesignAnalysis[];
  inversion: InversionSummary;
  bibliography: Reference[];
  /** Seed and number of random points of the numeric checks; tolerance of the exact ones. */
  numeric: { seed: number; points: number; tolerance: number };
}

export interface DeriveOptions {
  /** Seed of the random points (default 2307). */
  seed?: number;
  /** Number of random points per numeric check (default 24). */
  points?: number;
  /** The experimental design (default "per-unit-mass"). */
  design?: DerivationDesign | string;
}
