/**
 * What every training experiment shares: where its files go, the datasets it needs (reused when
 * one with the same configuration is on disk), running its training runs a few at a time (one
 * process each), and its result files.
 *
 * Layout under the root (the same as `gaitid reproduce`'s):
 * - data/<preset>/ and data/runs/<preset>-<variant>/: the study's dataset and its two runs;
 * - data/<preset>-grf/: the dataset with ground reaction forces (multimodal experiment);
 * - data/<preset>-joules/: the dataset with the initial energy drawn in joules (design experiment);
 * - data/experiments/<preset>-<experiment>/: manifest.json (written last), results.json,
 *   results.csv, and runs/<trial>-<variant>/, each a run folder as `gaitid train` writes it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { sameConfig, type Channels, type DatasetConfig, type StudyConfig, type TrainingConfig } from "../config";
import type { DatasetManifest } from "../dataset/format";
import { ensureDataset, type EnsuredDataset } from "../dataset/generate";
import { GaitidError } from "../errors";
import type { Arch } from "../estimator/arch";
import type { BackendInfo, BackendRequest } from "../estimator/backend";
import type { Variant } from "../estimator/variant";
import { designOfManifest, POSTERIOR_DESIGN } from "../estimator/posterior/design";
import type { Scores } from "../estimator/metrics";
import { trainInProcess, type WorkerTrainOptions } from "../estimator/parallel";
import { seedSpread, type SeedsResult } from "../estimator/seeds";
import { readMetrics, readPredictions, readRunManifest, RUN_FILES, type RunManifest } from "../estimator/run";
import { formatDuration, Progress } from "../progress";
import { sha256File, writeFileAtomic, writeJsonAtomic } from "../provenance";
import { experimentFolder, runFolder, studyLayout } from "../layout";
import type { ExperimentName } from "./settings";

/** Where a preset's study and experiment files are, relative to `root` (default "."), as layout.ts lays them out. */
export function experimentPaths(preset: string, root = ".") {
  const layout = studyLayout(preset, root);
  return {
    /** The preset's (x, y) dataset (as `gaitid reproduce` makes it). */
    dataset: layout.dataset,
    /** The preset's dataset with ground reaction forces. */
    grfDataset: layout.grfDataset,
    /** The preset's dataset with the initial energy drawn in joules (design experiment). */
    joulesDataset: layout.joulesDataset,
    /** The study's own runs (reused by a trial with exactly their settings). */
    mainRuns: layout.runs,
    /** The folder of an experiment. */
    experiment: (name: ExperimentName): string => experimentFolder(preset, name, root),
  };
}

/** Files of an experiment folder. */
export const EXPERIMENT_FILES = { manifest: "manifest.json", results: "results.json", csv: "results.csv", runs: "runs" } as const;


/** A dataset that an experiment uses: made now, or found on disk with the same configuration. */
export type DatasetUse = EnsuredDataset;

/**
 * The dataset of `config` in `dir` ({@link ensureDataset}: kept when it has the same
 * configuration, else made, replacing another one with a message).
 */
export function ensureExperimentDataset(
  config: DatasetConfig,
  dir: string,
  opts: { preset: string; workers?: number; quiet?: boolean; say?: (s: string) => void },
): Promise<DatasetUse> {
  return ensureDataset(config, dir, { ...opts, say: opts.say && ((line) => opts.say!(`  ${line}`)) });
}

/** One training run of an experiment. */
export interface TrialSpec {
  /** Folder-safe key of the setting, e.g. "subset-1000", "noise-0.05", "arch-7x50-elu", "inputs-xy+grf". */
  key: string;
  /** Label for tables and figures, e.g. "1000 records", "5 %". */
  label: string;
  /** The experiment's variable: training records, noise fraction, architecture name or input channels. */
  value: number | string;
  target: Variant;
  /** Which dataset: the preset's (x, y) one, the one with forces, or the one with the energy in joules. */
  dataset: "xy" | "grf" | "joules";
  /** Network inputs. */
  channels: Channels;
  /** First N training records (undefined: all). */
  subset?: number;
  /** Network architecture (default "mlp", the paper's fully connected network). */
  arch?: Arch;
  /** Full training configuration of the run. */
  training: TrainingConfig;
}

/** Scores of one parameter in a trial (SI units of the parameter). */
export interface ParamResult extends Scores {
  /** The identifiability floor (RMSE of E[. | rho]; 0 for l0 and rho). */
  floorRmse: number;
  /** R^2 of that estimator (null where undefined, as in metrics.json). */
  r2Ceiling: number | null;
  /** Standard deviation of the true values on the test records (the RMSE of answering their mean). */
  spread: number;
}

/** What a finished trial gave. */
export interface TrialResult {
  key: string;
  label: string;
  value: number | string;
  target: Variant;
  channels: Channels;
  /** Training-subset size asked for (null: all). */
  subset: number | null;
  /** Training records used. */
  trainRecords: number;
  testRecords: number;
  /** Epochs configured and run, and the epoch whose weights were kept. */
  epochs: number;
  epochsRun: number;
  bestEpoch: number;
  training: TrainingConfig;
  /** Weights of the network. */
  parameters: number;
  /** Network architecture ("mlp", "cnn", "gru"). */
  arch: Arch;
  /** Training samples per second of training time (epochs run x training records / training time). */
  samplesPerSecond: number;
  /** Run folder, relative to the root. */
  run: string;
  /** "trained" now, "resumed" from a checkpoint, or "reused" (a finished run with the same settings). */
  status: "trained" | "resumed" | "reused";
  /** Training time of the run, s. */
  trainSeconds: number;
  backend: string;
  /** Per parameter of the variant (m, k, l0 or rho, l0). */
  params: Record<string, ParamResult>;
  /** (m, k, l0) only: k_pred / m_pred scored against the true rho (1/s^2), with the spread of rho. */
  ratio?: Scores & { spread: number };
  /** With several seeds (--seeds N): every seed's run and scores, the first being this result's. */
  seeds?: { seed: number; run: string; status: TrialResult["status"]; trainSeconds: number; params: Record<string, ParamResult>; ratio?: Scores & { spread: number } }[];
  /** With several seeds: per parameter, mean, sample sd and smallest meaningful difference of R^2, RMSE and RMSE / floor. */
  spread?: SeedsResult["spread"];
}

/** results.json of a training experiment. */
export interface ExperimentResults {
  kind: "gaitid-experiment-results";
  experiment: ExperimentName;
  preset: string;
  /** The datasets used, relative to the root, with their manifest hashes. */
  datasets: Record<string, { dir: string; hash: string; records: number; channels: Channels }>;
  trials: TrialResult[];
  /** The experiment's part of the settings table (e.g. the data-volume subsets and epoch cap). */
  settings?: Record<string, unknown>;
}

function spreadOf(a: readonly number[]): number {
  const n = a.length;
  const mean = a.reduce((s, v) => s + v, 0) / n;
  return Math.sqrt(a.reduce((s, v) => s + (v - mean) ** 2, 0) / n);
}

/** The result of a trial from its finished run folder. */
export function trialResult(spec: TrialSpec, runDir: string, root: string, status: TrialResult["status"]): TrialResult {
  const manifest = readRunManifest(runDir);
  const metrics = readMetrics(runDir);
  const pred = readPredictions(runDir);
  const params: Record<string, ParamResult> = {};
  for (const [q, m] of Object.entries(metrics.params)) params[q] = { ...m, spread: spreadOf(pred.truth[q]) };
  const out: TrialResult = {
    key: spec.key,
    label: spec.label,
    value: spec.value,
    target: spec.target,
    channels: spec.channels,
    subset: spec.subset ?? null,
    trainRecords: manifest.split.train,
    testRecords: metrics.records,
    epochs: manifest.training.epochs,
    epochsRun: manifest.result.epochsRun,
    bestEpoch: manifest.result.bestEpoch,
    training: manifest.training,
    parameters: manifest.network?.parameters ?? Number.NaN,
    arch: manifest.network?.arch ?? "mlp",
    samplesPerSecond: (manifest.result.epochsRun * manifest.split.train) / manifest.timings.trainSeconds,
    run: path.relative(root, runDir) || ".",
    status,
    trainSeconds: manifest.timings.trainSeconds,
    backend: manifest.backend?.name ?? metrics.backend,
    params,
  };
  if (metrics.ratio) out.ratio = { ...metrics.ratio, spread: spreadOf(pred.truth.m.map((m, i) => pred.truth.k[i] / m)) };
  return out;
}

/** Whether the finished run in `dir` was made with exactly these settings on this dataset. */
export function runMatches(dir: string, spec: TrialSpec, datasetHash: string): boolean {
  if (!fs.existsSync(path.join(dir, RUN_FILES.manifest)) || !fs.existsSync(path.join(dir, RUN_FILES.metrics))) return false;
  let m: RunManifest;
  try {
    m = readRunManifest(dir);
  } catch {
    return false;
  }
  return (
    m.target === spec.target &&
    (m.network?.arch ?? "mlp") === (spec.arch ?? "mlp") &&
    m.dataset?.hash === datasetHash &&
    (m.inputs ?? "xy") === spec.channels &&
    (m.subset ?? null) === (spec.subset ?? null) &&
    sameConfig(m.training, spec.training) &&
    // A posterior run of another design (coordinates, learning-rate schedule, recalibration) is not this trial's.
    (m.target !== "posterior" || JSON.stringify(designOfManifest(m.posterior)) === JSON.stringify(POSTERIOR_DESIGN))
  );
}

/** How trials are run. */
export interface TrialRunOptions {
  root: string;
  /** Dataset folder and manifest hash of each dataset kind a trial may name. */
  datasets: Partial<Record<TrialSpec["dataset"], { dir: string; hash: string }>>;
  /** Folder that holds the experiment's run folders. */
  runsDir: string;
  /**
   * Other finished runs that a trial with exactly the same settings reuses instead of training
   * (the study's own runs, the runs of the other experiments), by variant.
   */
  candidates?: (target: Variant) => string[];
  backend?: BackendRequest;
  /** Train again even when a finished run with the same settings exists. */
  force?: boolean;
  /** Runs at the same time (one process each). */
  jobs: number;
  /** No progress lines from the runs (the trial lines are still printed unless `say` is silent). */
  quiet?: boolean;
  say: (s: string) => void;
  /** Label of the progress lines. */
  label: string;
  signal?: AbortSignal;
  /** Runs per trial differing in the training seed (default 1; see {@link runTrials}). */
  seeds?: number;
}

/**
 * Finished runs of a variant that other trials may reuse: the study's own run and the run folders
 * of every experiment of the preset (whether one has the right settings is checked per trial).
 */
export function candidateRuns(preset: string, root: string, target: Variant): string[] {
  const layout = studyLayout(preset, root);
  const out = [runFolder(preset, target, root)];
  // The study's runs of other seeds (gaitid reproduce --seeds N): data/runs/<preset>-<variant>-seed<s>.
  const runsRoot = layout.runsRoot;
  if (fs.existsSync(runsRoot)) out.push(...fs.readdirSync(runsRoot).filter((e) => e.startsWith(`${preset}-${target}-seed`)).sort().map((e) => path.join(runsRoot, e)));
  const base = layout.experimentsRoot;
  if (!fs.existsSync(base)) return out;
  for (const e of fs.readdirSync(base).sort()) {
    if (!e.startsWith(`${preset}-`)) continue;
    const runs = path.join(base, e, EXPERIMENT_FILES.runs);
    if (!fs.existsSync(runs)) continue;
    for (const r of fs.readdirSync(runs).sort()) if (r.endsWith(`-${target}`)) out.push(path.join(runs, r));
  }
  return out;
}

/** The run folder of a trial. */
export function trialRunDir(runsDir: string, spec: TrialSpec): string {
  return path.join(runsDir, `${spec.key}-${spec.target}`);
}

/**
 * Runs the trials, `jobs` at a time, each in its own process. A trial whose run folder (or one of
 * the candidates) is finished with the same settings on the same dataset is reused; an interrupted one continues from its checkpoint. Resolves to the results in the order
 * of `trials` and the backend that computed (of the last run trained). If a run fails, the
 * others that are running finish, no new one starts, and the first failure is thrown.
 */
async function runEach(trials: readonly TrialSpec[], o: TrialRunOptions): Promise<{ results: TrialResult[]; backend?: BackendInfo; seconds: number }> {
  const t0 = performance.now();
  const results: (TrialResult | undefined)[] = new Array(trials.length);
  let backend: BackendInfo | undefined;
  const progress = new Progress(trials.length, { unit: "runs", label: o.label, intervalMs: 0, quiet: o.quiet });
  let done = 0, next = 0;
  let failure: unknown;
  const finish = (i: number, r: TrialResult): void => {
    results[i] = r;
    done++;
    progress.update(done, `${trials[i].label} ${trials[i].target}: ${r.status}`);
  };
  const work = async (): Promise<void> => {
    while (next < trials.length && failure === undefined && !o.signal?.aborted) {
      const i = next++;
      const spec = trials[i];
      const ds = o.datasets[spec.dataset];
      if (!ds) throw new Error(`no ${spec.dataset} dataset given for trial ${spec.key}`);
      const dir = trialRunDir(o.runsDir, spec);
      if (!o.force) {
        const same = [dir, ...(o.candidates?.(spec.target) ?? [])].find((d) => runMatches(d, spec, ds.hash));
        if (same) {
          finish(i, trialResult(spec, same, o.root, "reused"));
          continue;
        }
      }
      const finished = fs.existsSync(path.join(dir, RUN_FILES.manifest));
      const interrupted = !finished && fs.existsSync(path.join(dir, RUN_FILES.checkpoint));
      o.say(`  [${i + 1}/${trials.length}] ${spec.label} ${spec.target}: ${interrupted && !o.force ? "continuing" : "training"} ${spec.training.epochs} epochs -> ${path.relative(o.root, dir)}`);
      const base: WorkerTrainOptions = {
        dataset: ds.dir,
        target: spec.target,
        out: dir,
        training: spec.training,
        backend: o.backend ?? "auto",
        subset: spec.subset,
        channels: spec.channels,
        arch: spec.arch,
        quiet: o.quiet,
        resume: interrupted && !o.force,
        force: !(interrupted && !o.force),
      };
      let summary;
      try {
        summary = await trainInProcess(base, o.signal);
      } catch (err) {
        // A checkpoint of other settings (e.g. after the settings table changed): start over.
        if (base.resume && err instanceof GaitidError && /other settings/.test(err.message)) {
          summary = await trainInProcess({ ...base, resume: false, force: true }, o.signal);
        } else throw err;
      }
      backend = summary.backend;
      finish(i, trialResult(spec, dir, o.root, summary.resumed ? "resumed" : "trained"));
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(o.jobs, trials.length)) }, () =>
    work().catch((err: unknown) => {
      failure ??= err;
    }),
  );
  await Promise.all(workers);
  if (failure !== undefined) throw failure;
  if (o.signal?.aborted) throw new GaitidError(`experiment interrupted after ${done} of ${trials.length} runs; run the same command again to continue`, 130);
  const seconds = (performance.now() - t0) / 1000;
  progress.finish(`${trials.length} runs in ${formatDuration(seconds)}`);
  return { results: results as TrialResult[], backend, seconds };
}

/**
 * Runs the trials as {@link runEach} does, each `o.seeds` times (default 1) with training seeds
 * s, s + 1, ... (other initial weights and shuffling): the first seed's run is the trial's usual
 * run, the others go to run folders <key>-seed<s>-<variant>. A trial's result is its first
 * seed's, with every seed's scores and their spread when there are several.
 */
export async function runTrials(trials: readonly TrialSpec[], o: TrialRunOptions): Promise<{ results: TrialResult[]; backend?: BackendInfo; seconds: number }> {
  const n = o.seeds ?? 1;
  if (n === 1) return runEach(trials, o);
  const seedOf = (t: TrialSpec, i: number): number => t.training.seed + i;
  const all = trials.flatMap((t) => Array.from({ length: n }, (_, i) => (i === 0 ? t : { ...t, key: `${t.key}-seed${seedOf(t, i)}`, training: { ...t.training, seed: seedOf(t, i) } })));
  const r = await runEach(all, o);
  const results = trials.map((t, j): TrialResult => {
    const group = r.results.slice(j * n, (j + 1) * n);
    const seeds = group.map((g, i) => ({ seed: seedOf(t, i), run: g.run, status: g.status, trainSeconds: g.trainSeconds, params: g.params, ...(g.ratio ? { ratio: g.ratio } : {}) }));
    return { ...group[0], seeds, spread: seedSpread(group) };
  });
  return { ...r, results };
}

/** CSV columns of results.csv: one row per trial and parameter. */
export const RESULTS_CSV_HEADER = "experiment,key,label,value,target,channels,trainRecords,epochs,param,rmse,mae,bias,r2,floorRmse,r2Ceiling,spread,run";

/** results.csv text of a training experiment (the ratio k_pred/m_pred of an (m, k, l0) run as param "rho_ratio"). */
export function formatResultsCsv(r: ExperimentResults): string {
  const q = (s: string | number): string => (typeof s === "string" && /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : String(s));
  const lines = [RESULTS_CSV_HEADER];
  for (const t of r.trials) {
    const rows: [string, ParamResult | (Scores & { spread: number; floorRmse?: number; r2Ceiling?: number })][] = Object.entries(t.params);
    if (t.ratio) rows.push(["rho_ratio", { ...t.ratio, floorRmse: 0, r2Ceiling: 1 }]);
    for (const [p, s] of rows) {
      lines.push(
        [r.experiment, t.key, t.label, t.value, t.target, t.channels, t.trainRecords, t.epochs, p, s.rmse, s.mae, s.bias, s.r2, s.floorRmse ?? 0, s.r2Ceiling ?? 1, s.spread, t.run]
          .map((v) => q(v ?? Number.NaN))
          .join(","),
      );
    }
  }
  return lines.join("\n") + "\n";
}

/** The experiment manifest (manifest.json, written last: a folder with it is a finished experiment). */
export interface ExperimentManifest {
  kind: "gaitid-experiment";
  experiment: ExperimentName;
  preset: string;
  /** The study configuration the experiment started from, and the experiment's own settings. */
  config: { study: StudyConfig; settings: unknown };
  seeds: { dataset: number; training: number; noise: number };
  /** The backend that computed (null when every run was reused). */
  backend: BackendInfo | null;
  datasets: Record<string, { dir: string; hash: string; reused: boolean; seconds: number }>;
  timings: { totalSeconds: number; [step: string]: number };
  environment: Record<string, unknown>;
  [key: string]: unknown;
}

/** Writes results.json, results.csv (training experiments) and finally manifest.json into `dir`. */
export function writeExperiment(dir: string, results: unknown, manifest: ExperimentManifest, csv?: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.rmSync(path.join(dir, EXPERIMENT_FILES.manifest), { force: true }); // unfinished until rewritten
  writeFileAtomic(path.join(dir, EXPERIMENT_FILES.results), JSON.stringify(results, numberReplacer, 2) + "\n");
  if (csv !== undefined) writeFileAtomic(path.join(dir, EXPERIMENT_FILES.csv), csv);
  writeJsonAtomic(path.join(dir, EXPERIMENT_FILES.manifest), manifest);
}

/**
 * The results.json of a finished experiment in `dir`, or undefined when the folder holds none
 * (no manifest.json: never run, or interrupted). A corrupt file is a GaitidError naming it.
 */
export function readExperimentResults<T = ExperimentResults>(dir: string): T | undefined {
  if (!fs.existsSync(path.join(dir, EXPERIMENT_FILES.manifest))) return undefined;
  const file = path.join(dir, EXPERIMENT_FILES.results);
  if (!fs.existsSync(file)) throw new GaitidError(`${file} is missing although ${dir} has a manifest; run the experiment again with --force`);
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"), numberReviver) as T;
  } catch (err) {
    throw new GaitidError(`${file} is corrupt (${(err as Error).message}); run the experiment again with --force`);
  }
}

/** JSON replacer that keeps infinities and NaN (as the strings "Infinity", "-Infinity", "NaN"). */
export function numberReplacer(_key: string, v: unknown): unknown {
  return typeof v === "number" && !Number.isFinite(v) ? String(v) : v;
}

/** JSON reviver that turns the strings of {@link numberReplacer} back into numbers. */
export function numberReviver(_key: string, v: unknown): unknown {
  return v === "Infinity" ? Infinity : v === "-Infinity" ? -Infinity : v === "NaN" ? Number.NaN : v;
}
