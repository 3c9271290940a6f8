/**
 * The manifest.json that a generation or a merge writes beside the data (its reader and type are
 * in format.ts): what was made, how, the acceptance of gait conditions, timings, the environment
 * and the sha256 and size of each file.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { DatasetConfig } from "../config";
import { environment, sha256File } from "../provenance";
import { CHANNEL_NAMES, type DatasetManifest, type ShardInfo, type Split } from "./format";
import { FAILURE_REASONS, GENERATOR_GRID, MAX_ATTEMPTS, type FailureReason } from "./record";
import type { Shard } from "./shard";

/** The files of a dataset whose hashes the manifest records (the summary only for a whole dataset). */
export const DATASET_FILES = ["X.npy", "params.csv", "summary.csv", "summary.txt"] as const;

/** Failure counts, all zero. */
export function noFailures(): Record<FailureReason, number> {
  return Object.fromEntries(FAILURE_REASONS.map((r) => [r, 0])) as Record<FailureReason, number>;
}

/** The acceptance of gait conditions: records made against conditions drawn. */
export function acceptanceOf(accepted: number, failures: Readonly<Record<FailureReason, number>>) {
  const attempts = accepted + Object.values(failures).reduce((a, b) => a + b, 0);
  return { attempts, accepted, rate: accepted / attempts, failures: { ...failures } };
}

/** Sets manifest.files to the sha256 and size of each of {@link DATASET_FILES} present in `dir`. */
export function recordFiles(dir: string, manifest: DatasetManifest): void {
  manifest.files = {};
  for (const f of DATASET_FILES) {
    const file = path.join(dir, f);
    if (fs.existsSync(file)) manifest.files[f] = { sha256: sha256File(file), bytes: fs.statSync(file).size };
  }
}

/** What a generation ran: the facts its manifest records. */
export interface GenerationFacts {
  config: DatasetConfig;
  out: string;
  preset?: string;
  shard?: Shard;
  range: [number, number];
  samples: number;
  splits: Record<Split, number>;
  failures: Readonly<Record<FailureReason, number>>;
  workers: number;
  generateSeconds: number;
  summarySeconds: number;
}

/** The manifest of a generated dataset, or of one part of it (without files: see {@link recordFiles}). */
export function generationManifest(f: GenerationFacts): DatasetManifest {
  const { config } = f;
  const count = f.range[1] - f.range[0];
  return {
    kind: f.shard ? "gaitid-dataset-part" : "gaitid-dataset",
    name: path.basename(path.resolve(f.out)),
    records: count,
    samples: f.samples,
    channels: config.channels,
    channelNames: [...CHANNEL_NAMES[config.channels]],
    channelUnits: config.channels === "xy" ? ["m", "m"] : ["m", "m", "N", "N"],
    dt: config.dt,
    duration: config.duration,
    seed: config.seed,
    preset: f.preset,
    config,
    shard: f.shard ? { ...f.shard, range: f.range, totalRecords: config.records } : undefined,
    splits: f.splits,
    gaitCondition: {
      drawn:
        config.design === "joules"
          ? "initial energy in joules, independently of m and k: alpha0 ~ U[alpha0Deg] degrees, E ~ U[energyJoules] J, e = E / m (J/kg)"
          : "per unit mass, independently of m and k: alpha0 ~ U[alpha0Deg] degrees, e ~ U[energy] * g * l0 (J/kg)",
      gait: `the symmetric periodic gait with the highest VLO height (scan of ${GENERATOR_GRID} heights from the top, Brent's method)`,
      redraw: config.redrawSubject
        ? `a gait condition that does not walk for the whole record is redrawn together with the subject (m, k, l0); at most ${MAX_ATTEMPTS} per record`
        : `a gait condition that does not walk for the whole record is redrawn (never m, k or l0); at most ${MAX_ATTEMPTS} per record`,
    },
    acceptance: acceptanceOf(count, f.failures),
    workers: f.workers,
    timings: {
      generateSeconds: f.generateSeconds,
      summarySeconds: f.summarySeconds,
      recordsPerSecond: count / f.generateSeconds,
    },
    environment: environment(),
    files: {},
  };
}

/** A part as merge read it: its folder and manifest. */
export interface MergedPart {
  dir: string;
  manifest: DatasetManifest & { shard: ShardInfo };
}

/** The manifest of a dataset merged from its parts (without files: see {@link recordFiles}). */
export function mergeManifest(
  out: string,
  parts: readonly MergedPart[],
  splits: Record<Split, number>,
  failures: Readonly<Record<FailureReason, number>>,
  mergeSeconds: number,
): DatasetManifest {
  const first = parts[0].manifest;
  const records = first.config.records;
  return {
    ...first,
    kind: "gaitid-dataset",
    name: path.basename(path.resolve(out)),
    records,
    shard: undefined,
    mergedFrom: parts.map((x) => ({ dir: x.dir, shard: x.manifest.shard, timings: x.manifest.timings, environment: x.manifest.environment })),
    splits,
    acceptance: acceptanceOf(records, failures),
    timings: { mergeSeconds },
    environment: environment(),
    files: {},
  };
}
