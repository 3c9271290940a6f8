/**
 * gaitid: the library. Reads like the table of contents of the study.
 */
// Foundations: errors, the one configuration and its presets, provenance, progress.
export * from "./errors";
export * from "./config";
export * from "./provenance";
export * from "./progress";
export * from "./random";
export * from "./layout";
export * from "./outputs";
// 1. The data model: the walker's mechanics, the integrator, the hybrid driver, the gait search.
export * from "./walker/physics";
export * from "./integrate/dop853";
export * from "./integrate/solve";
export * from "./integrate/root";
export * from "./walker/simulate";
export * from "./walker/gait";
// 2. The derivation: only k/m and l0 are identifiable from (x, y).
export * from "./derive";
// 3. Synthetic datasets.
export * from "./dataset/format";
export * from "./dataset/npy";
export * from "./dataset/record";
export * from "./dataset/summary";
export * from "./dataset/generate";
// 4. Estimators and the identifiability floor.
export * from "./estimator";
// 5. Identifiability measured: the sensitivity analysis.
export * from "./identifiability";
// 5b. Model-based identification: fits, profile likelihoods, the Cramér-Rao bound.
export * from "./fit";
// 6. Beyond the paper: the experiments.
export * from "./experiments";
// 7. Figures, the results model, the report, the whole study, the notebooks' helpers.
export * from "./figures";
// One name per concept: the estimator's Variant and Quantity (figures/style.ts spells the same values).
export type { Variant, Quantity } from "./estimator/variant";
export * from "./results/study";
export * from "./results/read";
export * from "./results/bundle";
export * from "./results/walks";
export * from "./results/figure-data";
export * from "./results/experiments";
export { readRunFiles, type RunFiles } from "./results/runs";
export * from "./report";
export * from "./study/reproduce";
export * from "./study/prepare";
export * from "./study/estimate";
export * from "./notebook";
