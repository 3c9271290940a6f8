/** The estimators (issue 5): networks from (x, y) to (m, k, l0) or (rho, l0), their training, scores and the identifiability floor. */
export * from "./backend";
export * from "./floor";
export * from "./metrics";
export * from "./data";
export * from "./network";
export * from "./run";
export * from "./train";
export * from "./evaluate";
export * from "./parallel";
