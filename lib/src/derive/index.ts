/** Symbolic derivation of the walker's equations and their scaling symmetries (issue 3). */
export {
  derive,
  parseDeriveObservationModel,
  DERIVE_OBSERVATION_MODELS,
  DERIVATION_PARAMETERS,
  DERIVATION_PHASES,
  DERIVATION_FEET,
  type DeriveObservationModel,
  type DerivationParameter,
  type DerivationPhase,
  type DerivedAccelerations,
  type ScalingAction,
  type DerivationCheck,
  type ObservedQuantity,
  type ObservationAnalysis,
  type DerivationStep,
  type Derivation,
  type DeriveOptions,
} from "./derivation";
export { derivationText, derivationLatex, derivationJson, derivationJsonObject, type DerivationJson } from "./format";
export { integerKernel, hermiteFromRight, monomialText } from "./lattice";
export { scalingConstraints, scalingWeight, type Constraint as ScalingConstraint } from "./scaling";
export { provesZero, freezeRoots, type ZeroProof } from "./symbolic";
export type { Block as DerivationBlock, Equation as DerivationEquation } from "./render";
