/**
 * Helpers of the notebooks (notebooks/*.ipynb, tslab): HTML for figures, tables and derivations,
 * the study of the notebook's preset, and the results of its runs. Every notebook computes through
 * these and the rest of the library, so a test reaches the same numbers.
 */
export * from "./display";
export * from "./study";
export * from "./dataset";
export * from "./results";
export * from "./walker";
export * from "./identifiability";
export * from "./experiments";
