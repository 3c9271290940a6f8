/**
 * gaitid: the library. Reads like the table of contents of the study.
 */
export * from "./errors";
export * from "./config";
export * from "./walker/physics";
export * from "./estimator";
export * from "./identifiability";
export * from "./derive";
export * from "./figures";
export * from "./report";
export * from "./experiments";
export * from "./notebook";
