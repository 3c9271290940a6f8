/**
 * Reading a study's results: from the study's own folders (data/ under a root, see layout.ts) or
 * from a published results bundle (bundle.ts). Both give the same {@link StudyResults}; every file
 * is validated once here, and a run trained on another dataset than the one beside it is refused.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { readDatasetManifest } from "../dataset/format";
import { parseSummaryCsv } from "../dataset/summary";
import { GaitidError } from "../errors";
import { STUDY_VARIANTS, type StudyLayout, type StudyVariant } from "../layout";
import { sha256File } from "../provenance";
import { readExperimentResultSet } from "./experiments";
import { readFitResults } from "../fit/results";
import { readRunFiles, type RunFiles } from "./runs";
import { displayPath, readDerivationResults, studyNumbers, type DatasetResults, type StudyResults } from "./study";
import { readWalks } from "./walks";
import { readStudySeeds } from "./seeds";

/** Reads a dataset's manifest (checked), its summary and the hash runs record of it. */
export function readDatasetResults(dir: string): DatasetResults {
  const manifest = readDatasetManifest(dir);
  const sFile = path.join(dir, "summary.csv");
  const summary = fs.existsSync(sFile) ? parseSummaryCsv(fs.readFileSync(sFile, "utf8")) : undefined;
  return { manifest, summary, hash: sha256File(path.join(dir, "manifest.json")) };
}

/** Reads both runs, checking that each is of its variant and was trained on `dataset`. */
export function readStudyRuns(dirs: Record<StudyVariant, string>, dataset: DatasetResults, datasetDir: string, subsample = false): Record<StudyVariant, RunFiles> {
  const runs = {} as Record<StudyVariant, RunFiles>;
  for (const v of STUDY_VARIANTS) {
    const run = readRunFiles(dirs[v], v, { subsample });
    if (run.manifest.dataset?.hash !== dataset.hash) {
      throw new GaitidError(
        `${dirs[v]} was trained on another dataset than ${datasetDir} (its manifest records dataset sha256 ${String(run.manifest.dataset?.hash).slice(0, 12)}..., ${datasetDir}/manifest.json has ${dataset.hash.slice(0, 12)}...); retrain it, or give the dataset it was trained on`,
      );
    }
    runs[v] = run;
  }
  return runs;
}

export interface ReadStudyOptions {
  /** The dataset folder (default: the layout's). */
  dataset?: string;
  /** The run folders (default: the layout's). */
  runs?: Record<StudyVariant, string>;
  /** At most this many test records in the figures' scatter traces (default 2000). */
  maxPoints?: number;
}

/**
 * The results of the study of `layout`'s preset, from its folders. The derivation JSON and the
 * walks of the figures must have been written (gaitid reproduce does; gaitid report makes them
 * when they are missing).
 */
export function readStudyResults(layout: StudyLayout, opts: ReadStudyOptions = {}): StudyResults {
  const datasetDir = opts.dataset ?? layout.dataset;
  const runDirs = opts.runs ?? layout.runs;
  const dataset = readDatasetResults(datasetDir);
  const runs = readStudyRuns(runDirs, dataset, datasetDir);
  const reproduce = fs.existsSync(layout.reproduce) ? (JSON.parse(fs.readFileSync(layout.reproduce, "utf8")) as Record<string, unknown>) : undefined;
  return {
    preset: layout.preset,
    source: { kind: "study", dir: layout.root },
    paths: { dataset: displayPath(datasetDir), mkl0: displayPath(runDirs.mkl0), rhol0: displayPath(runDirs.rhol0) },
    dataset,
    runs,
    seeds: readStudySeeds(path.dirname(runDirs.mkl0), path.basename(runDirs.mkl0).replace(/-mkl0$/, ""), runs),
    training: { mkl0: runs.mkl0.manifest.training, rhol0: runs.rhol0.manifest.training },
    derivation: readDerivationResults(layout.derivation),
    walks: readWalks(layout.walks, dataset.hash),
    experiments: readExperimentResultSet(layout.root, layout.preset),
    profiles: fs.existsSync(path.join(layout.profiles, "manifest.json")) ? { dir: displayPath(layout.profiles), results: readFitResults(layout.profiles) } : undefined,
    reproduce,
    numbers: studyNumbers(runs, dataset.manifest, opts.maxPoints),
  };
}

/** The layout a published bundle uses inside its folder (the study's files under one roof). */
export function bundleLayout(dir: string): { dataset: string; runs: Record<StudyVariant, string>; seeds: string; derivation: string; walks: string; reproduce: string; experiments: string; profiles: string; manifest: string } {
  return {
    dataset: path.join(dir, "dataset"),
    runs: { mkl0: path.join(dir, "runs", "mkl0"), rhol0: path.join(dir, "runs", "rhol0") },
    // The other seeds' runs (manifest and metrics), as <preset>-<variant>-seed<s>/.
    seeds: path.join(dir, "seeds"),
    derivation: path.join(dir, "derivation.json"),
    walks: path.join(dir, "walks.json"),
    reproduce: path.join(dir, "reproduce.json"),
    experiments: path.join(dir, "experiments"),
    profiles: path.join(dir, "profiles"),
    manifest: path.join(dir, "manifest.json"),
  };
}

/** The manifest of a published results bundle. */
export interface BundleManifest {
  kind: "gaitid-results";
  preset: string;
  /** Paths of the study's folders the bundle was made from. */
  from: { dataset: string } & Record<StudyVariant, string>;
  /** How the test-set predictions were kept: all rows, or an evenly spread subsample. */
  predictions: { kept: number; of: number; rule: string };
  /** sha256 and size of every file of the bundle. */
  files: Record<string, { sha256: string; bytes: number }>;
  environment: Record<string, unknown>;
}

/** The results of a published bundle (see bundle.ts): the files alone, no dataset needed. */
export function readBundleResults(dir: string, opts: { maxPoints?: number } = {}): StudyResults {
  const b = bundleLayout(dir);
  if (!fs.existsSync(b.manifest)) throw new GaitidError(`${dir} is not a gaitid results bundle (no manifest.json); publish one with gaitid reproduce or gaitid publish`);
  const manifest = JSON.parse(fs.readFileSync(b.manifest, "utf8")) as BundleManifest;
  if (manifest.kind !== "gaitid-results") throw new GaitidError(`${b.manifest} is not the manifest of a gaitid results bundle (kind ${JSON.stringify(manifest.kind)})`);
  for (const [name, f] of Object.entries(manifest.files)) {
    const file = path.join(dir, name);
    if (!fs.existsSync(file) || fs.statSync(file).size !== f.bytes) throw new GaitidError(`${file} is missing or has another size than the bundle's manifest records (${f.bytes} bytes)`);
  }
  const dataset = readDatasetResults(b.dataset);
  const runs = readStudyRuns(b.runs, dataset, b.dataset, true);
  return {
    preset: manifest.preset,
    source: { kind: "bundle", dir },
    paths: manifest.from,
    dataset,
    runs,
    seeds: readStudySeeds(b.seeds, manifest.preset, runs),
    training: { mkl0: runs.mkl0.manifest.training, rhol0: runs.rhol0.manifest.training },
    derivation: readDerivationResults(b.derivation),
    walks: readWalks(b.walks, dataset.hash),
    experiments: readExperimentResultSet(dir, manifest.preset, (name) => path.join(b.experiments, name)),
    profiles: fs.existsSync(path.join(b.profiles, "manifest.json")) ? { dir: b.profiles, results: readFitResults(b.profiles) } : undefined,
    reproduce: fs.existsSync(b.reproduce) ? (JSON.parse(fs.readFileSync(b.reproduce, "utf8")) as Record<string, unknown>) : undefined,
    numbers: studyNumbers(runs, dataset.manifest, opts.maxPoints),
  };
}

