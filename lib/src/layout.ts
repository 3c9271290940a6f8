/**
 * Where a study's files live: the one place that spells the paths. Every stage, command, notebook
 * helper and test asks here. Relative to a root folder (default: the current directory):
 *
 *   data/<preset>/                        the dataset (x, y)            written by the dataset stage
 *   data/<preset>-grf/                    the dataset with forces       (the multimodal experiment)
 *   data/<preset>-joules/                 the dataset with the initial energy drawn in joules (the design experiment)
 *   data/runs/<preset>-<variant>/         a trained estimator           written by the estimator stage
 *   data/runs/<preset>-<variant>-seed<s>/ the same estimator trained with seed s (reproduce --seeds N:
 *                                         the first seed's run is the folder above, the others here)
 *   data/derivation.json                  the derivation, both observation models
 *   data/results/<preset>/                what the report shows that is not in a stage's folder
 *                                         (walks.json: the re-simulated records of the figures)
 *   data/experiments/<preset>-<name>/     an experiment beyond the paper
 *   data/fits/<preset>-profiles/          profile likelihoods and the Cramér-Rao comparison (gaitid profile)
 *   data/reproduce-<preset>.json          the summary of `gaitid reproduce`
 *   report/index.html                     the report
 *   report/<preset>/                      a published study: index.html and results/ (the bundle
 *                                         the report can be rebuilt from)
 */
import * as path from "node:path";

/** The estimator variants a study trains, in the report's order. */
export const STUDY_VARIANTS = ["mkl0", "rhol0"] as const;
export type StudyVariant = (typeof STUDY_VARIANTS)[number];

/** The paths of one preset's study under `root`. */
export interface StudyLayout {
  root: string;
  preset: string;
  /** The (x, y) dataset. */
  dataset: string;
  /** The dataset with ground reaction forces (fx, fy in N). */
  grfDataset: string;
  /** The dataset whose initial energy is drawn in joules instead of per unit mass (the design experiment). */
  joulesDataset: string;
  /** Run folders of the two estimators. */
  runs: Record<StudyVariant, string>;
  /** The folder that holds every run (a trial's runs go in experiment folders instead). */
  runsRoot: string;
  /** The derivation JSON ({ xy, "xy+grf" }). */
  derivation: string;
  /** Results of the study that no stage folder holds (walks.json). */
  results: string;
  /** The re-simulated walks of the figures. */
  walks: string;
  /** The folder holding every experiment of every preset. */
  experimentsRoot: string;
  /** The profile likelihoods of the test records and the Cramér-Rao comparison (gaitid profile --out). */
  profiles: string;
  /** The summary of gaitid reproduce. */
  reproduce: string;
  /** The report. */
  report: string;
  /** A published study of this preset: report/<preset>/ with index.html and results/. */
  published: { dir: string; report: string; results: string };
}

/** The layout of `preset`'s study under `root`. */
export function studyLayout(preset: string, root = "."): StudyLayout {
  const data = path.join(root, "data");
  const published = path.join(root, "report", preset);
  return {
    root,
    preset,
    dataset: path.join(data, preset),
    grfDataset: path.join(data, `${preset}-grf`),
    joulesDataset: path.join(data, `${preset}-joules`),
    runs: { mkl0: runFolder(preset, "mkl0", root), rhol0: runFolder(preset, "rhol0", root) },
    runsRoot: path.join(data, "runs"),
    derivation: path.join(data, "derivation.json"),
    results: path.join(data, "results", preset),
    walks: path.join(data, "results", preset, "walks.json"),
    experimentsRoot: path.join(data, "experiments"),
    profiles: path.join(data, "fits", `${preset}-profiles`),
    reproduce: path.join(data, `reproduce-${preset}.json`),
    report: path.join(root, "report", "index.html"),
    published: { dir: published, report: path.join(published, "index.html"), results: path.join(published, "results") },
  };
}

/** The run folder of a dataset's estimator: data/runs/<dataset name>-<variant>. */
export function runFolder(datasetName: string, variant: string, root = "."): string {
  return path.join(root, "data", "runs", `${datasetName}-${variant}`);
}

/**
 * The run folder of a dataset's estimator trained with training seed `seed` when the study's own
 * seed is `firstSeed`: the ordinary run folder for the first seed, data/runs/<dataset
 * name>-<variant>-seed<seed> for the others (gaitid reproduce --seeds N).
 */
export function seedRunFolder(datasetName: string, variant: string, seed: number, firstSeed: number, root = "."): string {
  return seed === firstSeed ? runFolder(datasetName, variant, root) : `${runFolder(datasetName, variant, root)}-seed${seed}`;
}

/** The folder of an experiment: data/experiments/<preset>-<name>. */
export function experimentFolder(preset: string, name: string, root = "."): string {
  return path.join(root, "data", "experiments", `${preset}-${name}`);
}
