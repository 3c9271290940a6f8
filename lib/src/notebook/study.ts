/**
 * The study a notebook works on: the preset named by GAITID_PRESET, its files under the study
 * root in the layout of `gaitid reproduce` (data/<preset>/, data/runs/<preset>-<variant>/,
 * report/), and the dataset and runs made, or reused when a finished one with the same
 * configuration is there already.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Writable } from "node:stream";
import { preset, PRESETS, sameConfig, type StudyConfig } from "../config";
import { ensureDataset, type EnsuredDataset } from "../dataset/generate";
import type { DatasetManifest } from "../dataset/format";
import { GaitidError, show } from "../errors";
import type { BackendRequest } from "../estimator/backend";
import type { PaperVariant } from "../estimator/variant";
import { readRunManifest, RUN_FILES } from "../estimator/run";
import { trainEstimator, type RunSummary } from "../estimator/train";
import { sha256File } from "../provenance";
import { studyLayout, type StudyLayout } from "../layout";

/** Whether the environment says it is CI (CI set to anything but "", "0" or "false"). */
export function isCI(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = (env.CI ?? "").trim().toLowerCase();
  return v !== "" && v !== "0" && v !== "false";
}

/**
 * The preset of the notebooks: GAITID_PRESET, else "tiny" on CI and "quick" elsewhere. An unknown
 * name is a {@link GaitidError} that lists the presets.
 */
export function notebookPreset(env: NodeJS.ProcessEnv = process.env): string {
  const given = env.GAITID_PRESET?.trim();
  const name = given || (isCI(env) ? "tiny" : "quick");
  if (!Object.prototype.hasOwnProperty.call(PRESETS, name)) {
    throw new GaitidError(`GAITID_PRESET=${show(name)} is not a preset; choose one of ${Object.keys(PRESETS).join(", ")}`);
  }
  return name;
}

/** The repository root: the folder above lib/ whose package.json declares the workspaces. */
function repositoryRoot(): string | undefined {
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, "package.json");
    if (fs.existsSync(pkg)) {
      try {
        if ((JSON.parse(fs.readFileSync(pkg, "utf8")) as { workspaces?: unknown }).workspaces) return dir;
      } catch {
        // not a readable package.json: keep looking
      }
    }
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/**
 * The folder under which data/ and report/ are read and written: GAITID_ROOT if set, else the
 * repository this library belongs to (not the notebook's folder, not the kernel's working
 * directory), else the working directory. Absolute.
 */
export function studyRoot(env: NodeJS.ProcessEnv = process.env): string {
  const given = env.GAITID_ROOT?.trim();
  if (given) return path.resolve(given);
  return repositoryRoot() ?? process.cwd();
}

/** What a notebook works on. */
export interface NotebookStudy {
  /** Preset name (tiny, quick, paper). */
  preset: string;
  /** Its configuration (a fresh copy). */
  config: StudyConfig;
  /** Absolute folder of data/ and report/. */
  root: string;
  /** Dataset, runs and report paths (absolute), as gaitid reproduce lays them out. */
  paths: StudyLayout;
  /** Where the notebooks' HTML exports go: <root>/report/notebooks. */
  notebookExports: string;
}

/** The study of the notebooks, from GAITID_PRESET and GAITID_ROOT (see {@link notebookPreset}, {@link studyRoot}). */
export function notebookStudy(env: NodeJS.ProcessEnv = process.env): NotebookStudy {
  const name = notebookPreset(env);
  const root = studyRoot(env);
  return { preset: name, config: preset(name), root, paths: studyLayout(name, root), notebookExports: path.join(root, "report", "notebooks") };
}

/** Options of {@link ensureStudyDataset} and {@link ensureRun}. */
export interface EnsureOptions {
  /** Receives each progress line (instead of stderr), e.g. to update one line of a notebook. */
  onProgress?: (line: string) => void;
  /** No progress at all. */
  quiet?: boolean;
}

/**
 * Runs `work` with whatever it writes to stderr (progress lines) passed line by line to `onLine`;
 * stderr is restored afterwards. Worker threads' own output is not intercepted.
 */
export async function withStderrLines<T>(onLine: (line: string) => void, work: () => Promise<T>): Promise<T> {
  const original = process.stderr.write;
  let pending = "";
  const write = (chunk: unknown, encoding?: unknown, cb?: unknown): boolean => {
    pending += typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8");
    const lines = pending.split(/\r|\n/);
    pending = lines.pop() ?? "";
    for (const l of lines) if (l.trim()) onLine(l);
    const done = typeof encoding === "function" ? encoding : cb;
    if (typeof done === "function") (done as () => void)();
    return true;
  };
  process.stderr.write = write as typeof process.stderr.write;
  try {
    return await work();
  } finally {
    process.stderr.write = original;
    if (pending.trim()) onLine(pending);
  }
}

/** A writable stream that hands each complete line to `onLine`. */
export function lineStream(onLine: (line: string) => void): Writable {
  let pending = "";
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      pending += String(chunk);
      const lines = pending.split(/\r|\n/);
      pending = lines.pop() ?? "";
      for (const l of lines) if (l.trim()) onLine(l);
      callback();
    },
    final(callback) {
      if (pending.trim()) onLine(pending);
      callback();
    },
  });
}

/** A dataset made or found by {@link ensureStudyDataset}. */
export type { EnsuredDataset };

/**
 * The study's dataset (data/<preset>/): kept when its manifest holds the same dataset
 * configuration, generated otherwise (the library's {@link ensureDataset}, the rule of
 * `gaitid reproduce`), with the generator's progress lines handed to `onProgress`.
 */
export async function ensureStudyDataset(study: NotebookStudy, opts: EnsureOptions & { workers?: number } = {}): Promise<EnsuredDataset> {
  const make = (): Promise<EnsuredDataset> =>
    ensureDataset(study.config.dataset, study.paths.dataset, { quiet: opts.quiet, preset: study.preset, workers: opts.workers });
  return opts.onProgress && !opts.quiet ? withStderrLines(opts.onProgress, make) : make();
}

/** A training run made or found by {@link ensureRun}. */
export interface EnsuredRun {
  dir: string;
  variant: PaperVariant;
  /** True when a finished run with the same settings on the same dataset was there and was kept. */
  reused: boolean;
  /** What training reported (undefined when reused). */
  summary?: RunSummary;
  /** Time spent, s. */
  seconds: number;
  /** Why a run that was there was not kept ("" when none was there or it was kept). */
  replaced: string;
}

/**
 * Why the finished run in `dir` does not fit the study (different training settings, another
 * dataset, other inputs), or "" when it fits.
 */
export function runMismatch(study: NotebookStudy, dir: string): string {
  const m = readRunManifest(dir);
  if (!sameConfig(m.training, study.config.training)) return "its training settings differ from the preset's";
  const datasetManifest = path.join(study.paths.dataset, "manifest.json");
  if (!fs.existsSync(datasetManifest) || m.dataset?.hash !== sha256File(datasetManifest)) return "it was trained on another dataset";
  if ((m.inputs ?? "xy") !== "xy" || (m.subset ?? null) !== null) return "it used other inputs or a subset of the records";
  return "";
}

/**
 * The study's run of one variant (data/runs/<preset>-<variant>/): kept when it is finished with
 * the preset's training settings on the study's dataset; an interrupted run continues from its
 * checkpoint; anything else is trained again. Call {@link ensureStudyDataset} first.
 */
export async function ensureRun(study: NotebookStudy, variant: PaperVariant, opts: EnsureOptions & { backend?: BackendRequest } = {}): Promise<EnsuredRun> {
  const t0 = performance.now();
  const dir = study.paths.runs[variant];
  if (!fs.existsSync(path.join(study.paths.dataset, "manifest.json"))) {
    throw new GaitidError(`no dataset at ${study.paths.dataset}; make it first (ensureStudyDataset, notebook 02, or gaitid generate --preset ${study.preset} --out ${study.paths.dataset})`);
  }
  let replaced = "";
  let force = false;
  if (fs.existsSync(path.join(dir, RUN_FILES.manifest))) {
    replaced = runMismatch(study, dir);
    if (!replaced) return { dir, variant, reused: true, seconds: (performance.now() - t0) / 1000, replaced };
    force = true;
  }
  const train = async (resume: boolean, forceIt: boolean): Promise<RunSummary> => {
    const base = { dataset: study.paths.dataset, target: variant, out: dir, training: study.config.training, backend: opts.backend ?? "auto", resume, force: forceIt, quiet: opts.quiet };
    return opts.onProgress && !opts.quiet ? trainEstimator({ ...base, progressStream: lineStream(opts.onProgress) }) : trainEstimator(base);
  };
  let summary: RunSummary;
  if (force) summary = await train(false, true);
  else {
    try {
      summary = await train(true, false);
    } catch (err) {
      // A checkpoint of other settings: start over.
      if (!(err instanceof GaitidError) || !/other settings|corrupt|not a gaitid checkpoint/.test(err.message)) throw err;
      replaced = err.message;
      summary = await train(false, true);
    }
  }
  return { dir, variant, reused: false, summary, seconds: (performance.now() - t0) / 1000, replaced };
}
