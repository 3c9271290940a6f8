/** The quantitative identifiability measure: sensitivities, their SVD, and their distribution over records. */
export * from "./svd";
export * from "./sensitivity";
export * from "./records";
export * from "./analysis";
