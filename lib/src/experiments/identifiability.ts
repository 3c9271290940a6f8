/**
 * The identifiability measure over records, as an experiment: {@link identifiabilityStudy} on the
 * first records of the preset's dataset with both observation models, kept in
 * data/experiments/<preset>-identifiability/ (results.json with a slim per-record table and the
 * summaries; manifest.json) so that the report reads it instead of re-simulating. A result for the
 * same dataset and record count is reused unless forced.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { StudyConfig } from "../config";
import {
  identifiabilityStudy,
  loadDatasetRecords,
  nullDirectionVerdict,
  OBSERVATION_MODELS,
  SENSITIVITY_ATOL,
  SENSITIVITY_RTOL,
  SENSITIVITY_STEP,
  NULL_NOISE_FACTOR,
  type IdentifiabilityFailure,
  type IdentifiabilitySummary,
  type ObservationModel,
  type RecordIdentifiability,
  type SingularSummary,
} from "../identifiability";
import { formatDuration, Progress } from "../progress";
import { environment } from "../provenance";
import { ensureExperimentDataset, experimentPaths, readExperimentResults, writeExperiment, type ExperimentManifest } from "./run";
import type { IdentifiabilitySettings } from "./settings";

/** One record's identifiability under one observation model, as kept on disk. */
export interface IdentifiabilityRow {
  id: number;
  observe: ObservationModel;
  /** Singular values of J in (log m, log k, log l0), largest first (m and body weights per unit log-parameter). */
  singularValues: number[];
  /** sigma_min / sigma_max (0 when sigma_min is exactly 0). */
  ratio: number;
  /** sigma_max / sigma_min (Infinity when sigma_min is 0). */
  condition: number;
  /** Integration-noise level of sigma_min (same units as the singular values). */
  noiseLevel: number;
  /** Accuracy of J (|J(h) - J(2h)|_F). */
  jacobianError: number;
  /** Central-difference step, log-parameters. */
  step: number;
  /** Angle between the null direction and (1, 1, 0)/sqrt(2), rad. */
  nullAngle: number;
  /** |J (1, 1, 0)/sqrt(2)|: the change of the observation when m and k scale together. */
  scalingResponse: number;
  /** null / identifiable / unresolved ({@link nullDirectionVerdict}). */
  verdict: ReturnType<typeof nullDirectionVerdict>;
  /** The same in (log rho, log l0). */
  reparametrised: { singularValues: number[]; ratio: number; condition: number; noiseLevel: number; verdict: ReturnType<typeof nullDirectionVerdict> };
}

/** results.json of the identifiability experiment. */
export interface IdentifiabilityResultsFile {
  kind: "gaitid-identifiability-results";
  preset: string;
  dataset: { dir: string; hash: string };
  /** Records asked for (the first ones of the dataset). */
  requested: number;
  observe: ObservationModel[];
  rows: Record<ObservationModel, IdentifiabilityRow[]>;
  failures: IdentifiabilityFailure[];
  summaries: Record<ObservationModel, IdentifiabilitySummary>;
  /** The thresholds of the verdicts. */
  thresholds: { nullNoiseFactor: number };
  /** Analysis time, s. */
  seconds: number;
}

/** What the identifiability experiment wrote. */
export interface IdentifiabilityExperiment {
  name: "identifiability";
  dir: string;
  results: IdentifiabilityResultsFile;
  manifest: ExperimentManifest;
}

function slimSummary(s: SingularSummary): IdentifiabilityRow["reparametrised"] {
  return { singularValues: s.singularValues, ratio: s.ratio, condition: s.condition, noiseLevel: s.noiseLevel, verdict: nullDirectionVerdict(s) };
}

/** The on-disk row of one record's result. */
export function identifiabilityRow(r: RecordIdentifiability): IdentifiabilityRow {
  return {
    id: r.id,
    observe: r.observe,
    singularValues: r.singularValues,
    ratio: r.ratio,
    condition: r.condition,
    noiseLevel: r.noiseLevel,
    jacobianError: r.jacobianError,
    step: r.step,
    nullAngle: r.nullAngle,
    scalingResponse: r.scalingResponse,
    verdict: nullDirectionVerdict(r),
    reparametrised: slimSummary(r.reparametrised),
  };
}

/**
 * Runs (or reuses) the identifiability measure on the first `settings.records` records of the
 * preset's dataset (made first if it is not on disk), and writes its folder.
 */
export async function runIdentifiability(o: {
  root: string;
  config: StudyConfig;
  settings: IdentifiabilitySettings;
  force?: boolean;
  quiet?: boolean;
  workers?: number;
  say: (s: string) => void;
}): Promise<IdentifiabilityExperiment> {
  const t0 = performance.now();
  const { config, root } = o;
  const paths = experimentPaths(config.preset, root);
  const dir = paths.experiment("identifiability");
  o.say(`experiment identifiability (preset ${config.preset}): ${o.settings.records} records, both observation models -> ${dir}`);
  const ds = await ensureExperimentDataset(config.dataset, paths.dataset, { preset: config.preset, workers: o.workers, quiet: o.quiet, say: o.say });
  const rel = (p: string): string => path.relative(root, p) || ".";
  if (!o.force) {
    const old = readExperimentResults<IdentifiabilityResultsFile>(dir);
    const manifestFile = path.join(dir, "manifest.json");
    if (old && old.dataset?.hash === ds.hash && old.requested === o.settings.records) {
      o.say(`experiment identifiability: up to date (${dir}), reused`);
      return { name: "identifiability", dir, results: old, manifest: JSON.parse(fs.readFileSync(manifestFile, "utf8")) as ExperimentManifest };
    }
  }
  const { records } = loadDatasetRecords(paths.dataset, o.settings.records);
  const progress = new Progress(records.length, { unit: "records", label: "identifiability", quiet: o.quiet });
  const study = identifiabilityStudy(records, {}, (done) => progress.update(done));
  progress.finish(`${records.length} records in ${formatDuration(study.seconds)}`);
  const results: IdentifiabilityResultsFile = {
    kind: "gaitid-identifiability-results",
    preset: config.preset,
    dataset: { dir: rel(paths.dataset), hash: ds.hash },
    requested: o.settings.records,
    observe: [...OBSERVATION_MODELS],
    rows: { xy: study.results.xy.map(identifiabilityRow), "xy+grf": study.results["xy+grf"].map(identifiabilityRow) },
    failures: study.failures,
    summaries: study.summaries,
    thresholds: { nullNoiseFactor: NULL_NOISE_FACTOR },
    seconds: study.seconds,
  };
  const manifest: ExperimentManifest = {
    kind: "gaitid-experiment",
    experiment: "identifiability",
    preset: config.preset,
    config: {
      study: config,
      settings: { ...o.settings, firstStep: SENSITIVITY_STEP, rtol: SENSITIVITY_RTOL, atol: SENSITIVITY_ATOL, nullNoiseFactor: NULL_NOISE_FACTOR },
    },
    seeds: { dataset: config.dataset.seed, training: config.training.seed, noise: config.training.noiseSeed },
    backend: null,
    datasets: { xy: { dir: rel(ds.dir), hash: ds.hash, reused: ds.reused, seconds: ds.seconds } },
    timings: { datasetSeconds: ds.seconds, analysisSeconds: study.seconds, totalSeconds: (performance.now() - t0) / 1000 },
    records: { analysed: records.length, failed: study.failures.length },
    environment: environment(),
  };
  writeExperiment(dir, results, manifest);
  o.say(`experiment identifiability: done in ${formatDuration(manifest.timings.totalSeconds)}`);
  return { name: "identifiability", dir, results, manifest };
}
