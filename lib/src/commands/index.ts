/**
 * The registry of `gaitid` commands, in the order of the study. Each command lives in its own file
 * in this folder and is loaded only when it runs: `gaitid --help` and `gaitid simulate` never load
 * TensorFlow.js, danfojs, mathjs or MathJax, which the training, dataset, derivation and report
 * commands need. The summary here is the command's own (a test checks that they agree).
 *
 * Modules are loaded with require, not import(): this package compiles to CommonJS, where
 * TypeScript keeps import() as an ECMAScript import (which would need file extensions); require
 * loads the module at the same moment, and `typeof import(...)` keeps it typed.
 */
import type { Command } from "../cli/args";

/** A command as the command line lists it, before its module is loaded. */
export interface CommandEntry {
  /** The word after `gaitid`. */
  name: string;
  /** One line for `gaitid --help`. */
  summary: string;
  /** Loads the command's module. */
  load(): Promise<Command>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: "simulate",
    summary: "simulate one walk of the spring-mass walker",
    load: async () => (require("./simulate") as typeof import("./simulate")).simulateCommand,
  },
  {
    name: "gait",
    summary: "find the symmetric periodic gaits for (rho, l0, alpha0, e)",
    load: async () => (require("./gait") as typeof import("./gait")).gaitCommand,
  },
  {
    name: "derive",
    summary: "symbolic derivation (mathjs): equations of motion, scaling symmetries, what a record determines",
    load: async () => (require("./derive") as typeof import("./derive")).deriveCommand,
  },
  {
    name: "generate",
    summary: "generate a synthetic gait dataset (parallel, deterministic)",
    load: async () => (require("./generate") as typeof import("./generate")).generateCommand,
  },
  {
    name: "merge",
    summary: "join dataset parts made with generate --shard",
    load: async () => (require("./generate") as typeof import("./generate")).mergeCommand,
  },
  {
    name: "check",
    summary: "verify a dataset or run folder (sizes, hashes, values)",
    load: async () => (require("./check") as typeof import("./check")).checkCommand,
  },
  {
    name: "train",
    summary: "train the estimators (mkl0, rhol0 or both) on a dataset",
    load: async () => (require("./train") as typeof import("./train")).trainCommand,
  },
  {
    name: "evaluate",
    summary: "score a trained run against the identifiability floor",
    load: async () => (require("./evaluate") as typeof import("./evaluate")).evaluateCommand,
  },
  {
    name: "fit",
    summary: "fit the walker to a record by maximum likelihood",
    load: async () => (require("./fit") as typeof import("./fit")).fitCommand,
  },
  {
    name: "profile",
    summary: "profile likelihood of one parameter of a record",
    load: async () => (require("./profile") as typeof import("./profile")).profileCommand,
  },
  {
    name: "identifiability",
    summary: "singular values of d(observation)/d(log m, log k, log l0): the identifiability measure",
    load: async () => (require("./identifiability") as typeof import("./identifiability")).identifiabilityCommand,
  },
  {
    name: "report",
    summary: "build the self-contained HTML report (figures, derivation, metrics, manifests)",
    load: async () => (require("./report") as typeof import("./report")).reportCommand,
  },
  {
    name: "experiment",
    summary: "run an experiment beyond the paper (data-volume, noise, architecture, multimodal, identifiability, design, posterior, all)",
    load: async () => (require("./experiment") as typeof import("./experiment")).experimentCommand,
  },
  {
    name: "reproduce",
    summary: "run the whole study (derive, generate, train, report)",
    load: async () => (require("./reproduce") as typeof import("./reproduce")).reproduceCommand,
  },
];
