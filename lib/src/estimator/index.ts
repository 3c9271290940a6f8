/**
 * The estimators: networks from a record's (x, y) samples to (m, k, l0), (rho, l0) or a posterior
 * density of them, their training and run folders, their scores against the identifiability floor
 * and, for the posterior, against the exact posterior.
 */
export * from "./variant";
export * from "./backend";
export * from "./floor";
export * from "./metrics";
export * from "./data";
export * from "./network";
export * from "./net";
export * from "./run";
export * from "./run-read";
export * from "./train";
export * from "./evaluate";
export * from "./parallel";
export * from "./posterior/exact";
export * from "./posterior/calibration";
export * from "./posterior/score";
export * from "./seeds";
