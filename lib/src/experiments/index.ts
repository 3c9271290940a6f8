/** The experiments beyond the paper (issue 8): data volume, noise, architecture, multimodal data, and the identifiability measure over records; their report sections. */
export * from "./settings";
export * from "./run";
export * from "./experiments";
export * from "./identifiability";
export * from "../figures/experiments";

export * from "./format";
