/**
 * The experiments beyond the paper: the checks it names but did not run and the questions it
 * leaves open. Each training experiment is a set of training runs that differ in one setting
 * from the study's:
 * - data-volume: both variants on growing training subsets. The errors of rho and l0 should keep
 *   falling; those of m and k should stay at the identifiability floor.
 * - noise: Gaussian input noise at 0, 1, 5 and 10 % of each channel's standard deviation.
 * - architecture: other depths, widths and activations; m and k stay at the floor for every one.
 * - multimodal: (m, k, l0) from the dataset with ground reaction forces, with the forces as inputs
 *   and without them (same records): the forces in newtons make m and k estimable.
 * - design: (m, k, l0) from a dataset whose initial energy is drawn in joules (design.ts): how much
 *   of m the choice of energies and subjects gives away.
 * - posterior: the posterior variant (a conditional density) for the preset's posterior epochs, its
 *   learned posterior of m against the exact one and its calibration (posterior.ts).
 * The identifiability measure (identifiability.ts) trains nothing: it analyses the sensitivity of
 * records to the parameters.
 * Which values are tried is set per preset in settings.ts. Each experiment writes
 * data/experiments/<preset>-<name>/ (see run.ts).
 */
import * as path from "node:path";
import { POSTERIOR_EPOCHS, preset as presetConfig, validateConfig, type PresetName, type StudyConfig, type TrainingConfig } from "../config";
import { GaitidError, requireInteger, show } from "../errors";
import type { BackendRequest } from "../estimator/backend";
import { environment } from "../provenance";
import { formatDuration } from "../progress";
import { datasetDesignFloors, joulesRange, type DesignResults } from "./design";
import { runIdentifiability, type IdentifiabilityExperiment } from "./identifiability";
import { noiseCrb, type NoiseCrb } from "./noise-crb";
import { posteriorFigures, type PosteriorExperimentResults } from "./posterior";
import {
  candidateRuns,
  ensureExperimentDataset,
  EXPERIMENT_FILES,
  experimentPaths,
  formatResultsCsv,
  runTrials,
  writeExperiment,
  type DatasetUse,
  type ExperimentManifest,
  type ExperimentResults,
  type TrialSpec,
} from "./run";
import {
  architectureKey,
  architectureName,
  EXPERIMENT_NAMES,
  experimentSettings,
  subsetEpochs,
  type ExperimentName,
  type ExperimentSettings,
  type ExperimentSettingsOverride,
} from "./settings";

/** How to run an experiment. */
export interface ExperimentOptions {
  /** Preset name: tiny, quick or paper. */
  preset: string;
  /** Folder under which data/ is (default: the current directory). */
  root?: string;
  /** TensorFlow.js backend of the training runs (default auto). */
  backend?: BackendRequest;
  /** Train (and analyse) again even where finished runs with the same settings exist. */
  force?: boolean;
  /** No progress lines from generation and training (the step lines are still printed unless `silent`). */
  quiet?: boolean;
  /** No lines at all. */
  silent?: boolean;
  /** Worker threads for generating a dataset (default: one per core). */
  workers?: number;
  /** Training runs at the same time (default: the settings' jobs, 2). */
  jobs?: number;
  /** Epochs of every run instead of the preset's (and the experiment's own) epochs: for tests and quick looks. */
  epochs?: number;
  /** Changes to the preset's experiment settings. */
  settings?: ExperimentSettingsOverride;
  /** Stops the training runs after their current epoch (a checkpoint is written; run again to continue). */
  signal?: AbortSignal;
  /** Runs per trial that differ in the training seed, 1 to 100 (default 1); results give their mean and sd. */
  seeds?: number;
}

/** results.json of the noise experiment: the trials and the Cramér-Rao comparison (noise-crb.ts). */
export interface NoiseResults extends ExperimentResults {
  crb?: NoiseCrb;
}

/** What a finished training experiment wrote. */
export interface TrainingExperiment {
  name: Exclude<ExperimentName, "identifiability">;
  /** The experiment folder. */
  dir: string;
  /** The noise experiment's are {@link NoiseResults}, the design experiment's {@link DesignResults}, the posterior experiment's {@link PosteriorExperimentResults}. */
  results: ExperimentResults | NoiseResults | DesignResults | PosteriorExperimentResults;
  manifest: ExperimentManifest;
}

/** What `runExperiment` resolves to. */
export type ExperimentOutcome = TrainingExperiment | IdentifiabilityExperiment;

/** Training records of a dataset configuration (the split's first fraction, as the generator rounds it). */
function trainCount(c: StudyConfig["dataset"]): number {
  return Math.round(c.split[0] * c.records);
}

function percentLabel(fraction: number): string {
  return `${Number((100 * fraction).toPrecision(6))} %`;
}

/**
 * The training runs of an experiment (pure): one per setting and target variant, with the study's
 * training configuration changed in the experiment's one setting. `epochs` replaces every run's
 * epochs (before the data-volume scaling).
 */
export function planTrials(name: Exclude<ExperimentName, "identifiability">, config: StudyConfig, settings: ExperimentSettings, epochs?: number): TrialSpec[] {
  const base: TrainingConfig = { ...config.training, ...(epochs !== undefined ? { epochs } : {}) };
  const out: TrialSpec[] = [];
  switch (name) {
    case "data-volume": {
      const nTrain = trainCount(config.dataset);
      for (const n of settings.dataVolume.subsets) {
        if (n > nTrain) throw new GaitidError(`a data-volume subset of ${n} records is more than the ${nTrain} training records of the ${config.preset} preset`);
        const e = subsetEpochs(base.epochs, n, nTrain, settings.dataVolume.maxEpochFactor);
        for (const target of settings.dataVolume.targets) {
          out.push({
            key: `subset-${n}`,
            label: `${n} records`,
            value: n,
            target,
            dataset: "xy",
            channels: "xy",
            subset: n === nTrain ? undefined : n,
            training: { ...base, epochs: e },
          });
        }
      }
      return out;
    }
    case "noise":
      for (const level of settings.noise.levels) {
        for (const target of settings.noise.targets) {
          out.push({ key: `noise-${level}`, label: percentLabel(level), value: level, target, dataset: "xy", channels: "xy", training: { ...base, noise: level } });
        }
      }
      return out;
    case "architecture":
      for (const a of settings.architecture.architectures) {
        for (const target of a.targets ?? settings.architecture.targets) {
          out.push({
            key: architectureKey(a),
            label: architectureName(a),
            value: architectureName(a),
            target,
            dataset: "xy",
            channels: "xy",
            arch: a.arch ?? "mlp",
            training: { ...base, layers: a.layers, units: a.units, activation: a.activation, epochs: epochs ?? a.epochs ?? base.epochs },
          });
        }
      }
      return out;
    case "design":
      return [{ key: "energy-joules", label: "E in joules", value: "joules", target: "mkl0", dataset: "joules", channels: "xy", training: base }];
    case "posterior": {
      // The posterior variant trains longer than the point estimates on some presets (config.ts POSTERIOR_EPOCHS).
      const e = epochs ?? POSTERIOR_EPOCHS[config.preset as PresetName] ?? config.training.epochs;
      return [{ key: "posterior", label: "posterior (MDN)", value: "posterior", target: "posterior", dataset: "xy", channels: "xy", training: { ...base, epochs: e } }];
    }
    case "multimodal": {
      const t: TrainingConfig = { ...config.training, ...settings.multimodal.training, ...(epochs !== undefined ? { epochs } : {}) };
      return [
        { key: "inputs-xy", label: "(x, y)", value: "xy", target: "mkl0", dataset: "grf", channels: "xy", training: t },
        { key: "inputs-xy+grf", label: "(x, y) + forces", value: "xy+grf", target: "mkl0", dataset: "grf", channels: "xy+grf", training: t },
      ];
    }
    default:
      throw new GaitidError(`unknown experiment ${show(name)}; choose one of ${EXPERIMENT_NAMES.join(", ")}`);
  }
}

/** The part of the settings an experiment uses (recorded in its manifest). */
function settingsOf(name: ExperimentName, s: ExperimentSettings): unknown {
  switch (name) {
    case "data-volume":
      return s.dataVolume;
    case "noise":
      return s.noise;
    case "architecture":
      return s.architecture;
    case "multimodal":
      return s.multimodal;
    case "design":
      return s.design;
    case "posterior":
      return s.posterior;
    default:
      return s.identifiability;
  }
}

/** Checks an experiment name; returns it typed. */
export function checkExperimentName(name: string): ExperimentName {
  if (!(EXPERIMENT_NAMES as readonly string[]).includes(name)) {
    throw new GaitidError(`unknown experiment ${show(name)}; choose one of ${EXPERIMENT_NAMES.join(", ")}, or all`);
  }
  return name as ExperimentName;
}

/** An experiment's datasets by kind (the study's, the one with forces, the one with the energy in joules), each made unless on disk with the same configuration. */
async function experimentDatasets(kinds: Iterable<TrialSpec["dataset"]>, config: StudyConfig, settings: ExperimentSettings, paths: ReturnType<typeof experimentPaths>, opts: ExperimentOptions, say: (s: string) => void): Promise<Record<string, DatasetUse>> {
  const used: Record<string, DatasetUse> = {};
  for (const kind of kinds) {
    const dc: StudyConfig["dataset"] =
      kind === "xy"
        ? config.dataset
        : kind === "grf"
          ? { ...config.dataset, channels: "xy+grf" as const, records: settings.multimodal.records }
          : { ...config.dataset, records: settings.design.records, design: "joules", energyJoules: joulesRange(config.dataset, settings.design), ...(settings.design.redrawSubject ? { redrawSubject: true } : {}) };
    const d = kind === "xy" ? paths.dataset : kind === "grf" ? paths.grfDataset : paths.joulesDataset;
    say(`  dataset ${d} (${dc.records} records, ${dc.channels}) ...`);
    const u = await ensureExperimentDataset(dc, d, { preset: config.preset, workers: opts.workers, quiet: opts.quiet, say });
    say(`  dataset ${d}: ${u.reused ? "up to date, reused" : `made in ${formatDuration(u.seconds)}`}`);
    used[kind] = u;
  }
  return used;
}

/** An experiment after its training: what the analyses and the manifest read. */
interface Analysis {
  experiment: ExperimentName;
  config: StudyConfig;
  settings: ExperimentSettings;
  used: Record<string, DatasetUse>;
  trials: ExperimentResults["trials"];
  root: string;
}

/**
 * The analyses after training, added to the results: the noise experiment's Cramér-Rao comparison,
 * the design experiment's floors of m, the posterior experiment's figures and calibration. Resolves
 * to their time in seconds.
 */
async function analyse(results: ExperimentResults & Partial<NoiseResults & DesignResults & PosteriorExperimentResults>, a: Analysis, opts: ExperimentOptions, say: (s: string) => void): Promise<number> {
  const t1 = performance.now();
  const { settings, config, used } = a;
  if (a.experiment === "noise" && settings.noise.crbRecords > 0) {
    say(`  Cramér-Rao bounds and maximum-likelihood fits on ${settings.noise.crbRecords} test records at ${settings.noise.levels.length} noise levels ...`);
    results.crb = await noiseCrb({ dataset: used.xy.dir, trials: a.trials, root: a.root, records: settings.noise.crbRecords, seed: config.training.noiseSeed, workers: opts.workers, quiet: opts.quiet });
  }
  if (a.experiment === "design") {
    const ds = used.joules;
    results.design = { energyJoules: ds.manifest.config.energyJoules!, redrawSubject: ds.manifest.config.redrawSubject === true, floors: datasetDesignFloors(ds.dir, ds.manifest.config) };
  }
  if (a.experiment === "posterior") {
    say(`  the posterior of m on three test records, draws of (m, k), calibration of ${a.trials[0].seeds?.length ?? 1} run(s) ...`);
    results.posterior = posteriorFigures(a.trials[0], a.root, used.xy.dir, settings.posterior);
  }
  return (performance.now() - t1) / 1000;
}

/** The experiment's manifest: configuration, seeds, backend, datasets, timings in seconds, trials, environment. */
function experimentManifest(a: Analysis, opts: ExperimentOptions, run: { backend: ExperimentManifest["backend"] | undefined; trainingWallSeconds: number; analysisSeconds: number; t0: number }): ExperimentManifest {
  const { experiment, config, settings, used, trials } = a;
  const rel = (p: string): string => path.relative(a.root, p) || ".";
  return {
    kind: "gaitid-experiment",
    experiment,
    preset: config.preset,
    config: { study: config, settings: settingsOf(experiment, settings), ...(opts.epochs !== undefined ? { epochsOverride: opts.epochs } : {}), ...((opts.seeds ?? 1) > 1 ? { seeds: opts.seeds } : {}) },
    seeds: { dataset: config.dataset.seed, training: config.training.seed, noise: config.training.noiseSeed },
    backend: run.backend ?? null,
    datasets: Object.fromEntries(Object.entries(used).map(([k, u]) => [k, { dir: rel(u.dir), hash: u.hash, reused: u.reused, seconds: u.seconds }])),
    timings: {
      datasetSeconds: Object.values(used).reduce((s, u) => s + u.seconds, 0),
      trainingWallSeconds: run.trainingWallSeconds,
      trainSecondsSum: trials.filter((r) => r.status !== "reused").reduce((s, r) => s + r.trainSeconds, 0),
      ...(experiment === "noise" ? { crbSeconds: run.analysisSeconds } : experiment === "design" ? { floorSeconds: run.analysisSeconds } : experiment === "posterior" ? { figureSeconds: run.analysisSeconds } : {}),
      totalSeconds: (performance.now() - run.t0) / 1000,
    },
    trials: trials.map((r) => ({ key: r.key, target: r.target, run: r.run, status: r.status, epochs: r.epochs, trainSeconds: r.trainSeconds })),
    environment: environment(),
  };
}

/**
 * Runs one experiment on a preset and writes its folder. The datasets it needs are made unless
 * on disk with the same configuration; finished runs with the same settings are reused.
 * Resolves to what it wrote; bad input is a GaitidError raised before any work.
 */
export async function runExperiment(name: string, opts: ExperimentOptions): Promise<ExperimentOutcome> {
  const experiment = checkExperimentName(name);
  const config = validateConfig(presetConfig(opts.preset));
  const settings = experimentSettings(opts.preset, { ...opts.settings, ...(opts.jobs !== undefined ? { jobs: opts.jobs } : {}) });
  if (opts.epochs !== undefined && !(Number.isInteger(opts.epochs) && opts.epochs >= 1)) {
    throw new GaitidError(`epochs must be a whole number >= 1; got ${show(opts.epochs)}`);
  }
  if (opts.seeds !== undefined) requireInteger("--seeds (training runs per setting)", opts.seeds, 1, 100);
  const root = opts.root ?? ".";
  const say = (s: string): void => {
    if (!opts.silent) console.error(s);
  };
  if (experiment === "identifiability") return runIdentifiability({ ...opts, root, config, settings: settings.identifiability, say });

  const t0 = performance.now();
  const paths = experimentPaths(config.preset, root);
  const dir = paths.experiment(experiment);
  const trials = planTrials(experiment, config, settings, opts.epochs);
  say(`experiment ${experiment} (preset ${config.preset}): ${trials.length} training runs, ${settings.jobs} at a time -> ${dir}`);
  const used = await experimentDatasets(new Set(trials.map((t) => t.dataset)), config, settings, paths, opts, say);

  const { results: trialResults, backend, seconds } = await runTrials(trials, {
    root,
    datasets: Object.fromEntries(Object.entries(used).map(([k, u]) => [k, { dir: u.dir, hash: u.hash }])),
    runsDir: path.join(dir, EXPERIMENT_FILES.runs),
    candidates: (target) => candidateRuns(config.preset, root, target),
    backend: opts.backend,
    force: opts.force,
    jobs: settings.jobs,
    quiet: opts.quiet,
    say,
    label: `experiment ${experiment}`,
    signal: opts.signal,
    seeds: opts.seeds,
  });

  const rel = (p: string): string => path.relative(root, p) || ".";
  const results: ExperimentResults & Partial<NoiseResults & DesignResults & PosteriorExperimentResults> = {
    kind: "gaitid-experiment-results",
    experiment,
    preset: config.preset,
    datasets: Object.fromEntries(Object.entries(used).map(([k, u]) => [k, { dir: rel(u.dir), hash: u.hash, records: u.manifest.records, channels: u.manifest.channels }])),
    trials: trialResults,
    settings: settingsOf(experiment, settings) as Record<string, unknown>,
  };
  const analysis: Analysis = { experiment, config, settings, used, trials: trialResults, root };
  const analysisSeconds = await analyse(results, analysis, opts, say);
  const manifest = experimentManifest(analysis, opts, { backend, trainingWallSeconds: seconds, analysisSeconds, t0 });
  writeExperiment(dir, results, manifest, formatResultsCsv(results));
  say(`experiment ${experiment}: done in ${formatDuration(manifest.timings.totalSeconds)} (${trialResults.filter((r) => r.status === "reused").length} of ${trialResults.length} runs reused)`);
  return { name: experiment, dir, results, manifest };
}

/** Runs several experiments in turn (`names` default: all of them, in the order of EXPERIMENT_NAMES). */
export async function runExperiments(names: readonly string[] = EXPERIMENT_NAMES, opts: ExperimentOptions): Promise<ExperimentOutcome[]> {
  names.forEach(checkExperimentName);
  const out: ExperimentOutcome[] = [];
  for (const n of names) out.push(await runExperiment(n, opts));
  return out;
}
