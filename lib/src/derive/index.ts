/** Symbolic derivation of the walker's equations, their scaling symmetries and the constructive inversion. */
export {
  derive,
  parseDeriveObservationModel,
  parseDerivationDesign,
  DERIVE_OBSERVATION_MODELS,
  DERIVATION_DESIGNS,
  DERIVATION_PARAMETERS,
  DERIVATION_PHASES,
  DERIVATION_FEET,
  type DeriveObservationModel,
  type DerivationDesign,
  type DerivationParameter,
  type DerivationPhase,
  type DerivedAccelerations,
  type ScalingAction,
  type DerivationCheck,
  type CheckMethod,
  type ObservedQuantity,
  type ObservationAnalysis,
  type DesignAnalysis,
  type InversionSummary,
  type Proposition,
  type DerivationStep,
  type DerivationExpressions,
  type Derivation,
  type DeriveOptions,
} from "./derivation";
export { derivationText, derivationLatex, checkMethod, checksByStep } from "./format";
export {
  derivationJson,
  derivationJsonObject,
  readDerivationJson,
  validateDerivationJson,
  DERIVATION_FORMAT,
  DERIVATION_VERSION,
  type DerivationJson,
  type DerivationFile,
} from "./json";
export { invertStance, type Inversion, type StanceSample } from "./inversion";
export { simulateRecord, stanceSamples, singleSupportIntervals, type SimulatedRecord, type RecordSample, type RecordOptions } from "./records";
export { BIBLIOGRAPHY, referenceText, type Reference } from "./bibliography";
export { plainText, latexText, type Inline as RichInline, type Rich } from "./rich";
export { sympyScript } from "./cas";
export { maximaScript } from "./cas-maxima";
export { integerKernel, hermiteFromRight, monomialText } from "./lattice";
export { scalingConstraints, scalingWeight, type Constraint as ScalingConstraint } from "./scaling";
export { provesZero, freezeRoots, type ZeroProof } from "./symbolic";
export type { Block as DerivationBlock, Equation as DerivationEquation } from "./render";
