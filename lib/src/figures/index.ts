/**
 * Figures of the study as pure functions: data in, plotly {data, layout[, frames]} out. They do
 * not simulate, read files or touch a DOM; the results model (src/results) prepares their data.
 */
export * from "./types";
export * from "./style";
export * from "./model";
export * from "./records";
export * from "./results";
export * from "./experiments";
export * from "./profiles";
export * from "./posterior";
