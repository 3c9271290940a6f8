/** The experiments beyond the paper: data volume, noise, architecture, multimodal data, the design, the posterior variant, and the identifiability measure over records. They compute and write results; their sections are in report/sections/experiments/. */
export * from "./settings";
export * from "./run";
export * from "./experiments";
export * from "./identifiability";

export * from "./format";
export * from "./design";
export * from "./posterior";
export * from "./noise-crb";
export * from "./conditional-mean";
