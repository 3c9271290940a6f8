/** Model-based identification: maximum-likelihood fits of the walker to a record, profile likelihoods, the Fisher information and the Cramér-Rao bound. */
export * from "./lm";
export * from "./record";
export * from "./noise";
export * from "./fisher";
export * from "./fit";
export * from "./verdict";
export * from "./profile";
export * from "./tasks";
export * from "./results";
export * from "./study";
export * from "./dataset-record";
