/**
 * The results model of a study: everything the report and the notebooks show, read from the files
 * the stages wrote (or from a published results bundle, the same files in one folder) and turned
 * into numbers once. The report only presents it: it never derives, simulates or trains, and it
 * computes nothing that is not a formatting of these numbers.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { TrainingConfig } from "../config";
import { readDerivationJson, type DerivationFile } from "../derive/json";
import type { DatasetManifest } from "../dataset/format";
import type { ParameterSummary } from "../dataset/summary";
import { expectedFloor, rhoRange, type MkPriors } from "../estimator/floor";
import type { TargetMetrics } from "../estimator/run";
import type { VariantPredictions } from "../figures/results";
import type { StudyVariant } from "../layout";
import { GaitidError } from "../errors";
import { bayesEstimates, bayesLocus, posteriorDistances, rhoIsolines, FIGURE_POINTS, runPredictions, spread } from "./figure-data";
import type { RunFiles } from "./runs";
import type { WalkFigureData } from "./walks";
import type { ExperimentResultSet } from "./experiments";
import type { FitStudyResults } from "../fit/results";
import type { StudySeeds } from "./seeds";

/** The dataset as the results show it: its manifest and summary, not its records. */
export interface DatasetResults {
  manifest: DatasetManifest;
  /** summary.csv, when the dataset has one. */
  summary?: Omit<ParameterSummary, "text">;
  /** sha256 of its manifest.json: the hash a run records of the dataset it was trained on. */
  hash: string;
}

/** The derivation JSON the study wrote: one object per observation model (derive/json.ts). */
export type DerivationResults = DerivationFile;

/** Numbers computed from the runs and the priors, for the text and the figures. */
export interface StudyNumbers {
  /** Priors of m (kg) and k (N/m) of the dataset. */
  priors: MkPriors;
  /** Range of rho the priors allow, 1/s^2. */
  rhoRange: [number, number];
  /** RMSE and R^2 ceiling of E[m | rho], E[k | rho] averaged over the priors. */
  expectedFloor: ReturnType<typeof expectedFloor>;
  /** Test records of the runs. */
  testRecords: number;
  /** RMS distance of the (m, k, l0) network's m and k to the Bayes estimator at each true rho (kg, N/m). */
  toBayes: { m: number; k: number };
  /** The test predictions drawn (an evenly spread subsample of at most maxPoints records). */
  shown: { mkl0: VariantPredictions; rhol0: VariantPredictions; bayes: { m: number[]; k: number[] }; count: number };
  /** The Bayes locus (E[m | rho], E[k | rho]) and the lines of constant rho of the (m, k) plane. */
  locus: { m: number[]; k: number[] };
  rhoLines: number[];
  /** Spread (standard deviation) of the true test values by quantity, in its unit. */
  spread: Record<"m" | "k" | "l0" | "rho", number>;
}

/** Everything a report of a study is built from. */
export interface StudyResults {
  preset: string;
  /** Where the results were read from. */
  source: { kind: "study" | "bundle"; dir: string };
  /** Paths of the dataset and the runs as the study named them (for the text). */
  paths: { dataset: string } & Record<StudyVariant, string>;
  dataset: DatasetResults;
  runs: Record<StudyVariant, RunFiles>;
  /** The runs of other training seeds beside the study's own (gaitid reproduce --seeds N), when there are any. */
  seeds?: StudySeeds;
  training: Record<StudyVariant, TrainingConfig>;
  derivation: DerivationResults;
  walks: WalkFigureData;
  experiments: ExperimentResultSet;
  /** Profile likelihoods and the Cramér-Rao comparison of test records, when they have been run. */
  profiles?: { dir: string; results: FitStudyResults };
  /** The summary of gaitid reproduce (steps and their times), when there is one. */
  reproduce?: Record<string, unknown>;
  numbers: StudyNumbers;
}

/** The metrics of quantity `q` of a run (a run of the right variant has them). */
export function metricOf(run: RunFiles, q: string): TargetMetrics {
  const m = run.metrics.params[q];
  if (!m) throw new GaitidError(`${run.dir}/metrics.json has no entry for ${q}`);
  return m;
}

/** The numbers of {@link StudyNumbers} from the runs and the dataset's priors. */
export function studyNumbers(runs: Record<StudyVariant, RunFiles>, manifest: DatasetManifest, maxPoints = FIGURE_POINTS): StudyNumbers {
  const priors: MkPriors = { m: manifest.config.m, k: manifest.config.k };
  const a = runs.mkl0;
  const mkl0 = runPredictions(a, maxPoints), rhol0 = runPredictions(runs.rhol0, maxPoints);
  const T = a.predictions.true;
  return {
    priors,
    rhoRange: rhoRange(priors) as [number, number],
    expectedFloor: expectedFloor(priors),
    testRecords: a.predictions.id.length,
    toBayes: posteriorDistances(a, priors),
    shown: { mkl0, rhol0, bayes: bayesEstimates(mkl0, priors), count: mkl0.true.m?.length ?? 0 },
    locus: bayesLocus(priors, 200),
    rhoLines: rhoIsolines(priors, 6),
    spread: { m: spread(T.m), k: spread(T.k), l0: spread(T.l0), rho: spread(T.m.map((m, i) => T.k[i] / m)) },
  };
}

/** Reads a JSON file that must exist, with a message naming it and how to make it. */
export function readJsonFile<T>(file: string, how: string): T {
  if (!fs.existsSync(file)) throw new GaitidError(`${file} is missing; ${how}`);
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as T;
  } catch (err) {
    throw new GaitidError(`${file} is not valid JSON (${(err as Error).message})`);
  }
}

/** Reads the derivation JSON ({ xy, "xy+grf" }) that gaitid reproduce wrote, validated by the derive stage. */
export function readDerivationResults(file: string): DerivationResults {
  return readDerivationJson(file);
}

/** A path relative to the current folder when it lies below it (for the report's text). */
export function displayPath(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : p;
}
