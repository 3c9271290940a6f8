/**
 * The on-disk format of a dataset, data/<name>/:
 * - X.npy: float32, shape [records, samples, channels], C order (channels x, y [, fx, fy]; m, N);
 * - params.csv: one row per record (columns {@link PARAM_COLUMNS}); numbers in JavaScript's
 *   shortest round-trip form, so they read back to the same double;
 * - manifest.json: configuration, seed, counts, acceptance, versions, timings, sha256 of each file;
 * - summary.csv / summary.txt: the parameter summary (danfojs-node's describe).
 * A directory is a dataset only if manifest.json exists: it is written last, after an atomic
 * rename of the whole directory, so an interrupted run never leaves something that loads.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Channels } from "../config";
import { GaitidError } from "../errors";
import { readNpy } from "./npy";

/** Columns of params.csv, in order. alpha0 in degrees, e in J/kg, the others in SI units. */
export const PARAM_COLUMNS = ["id", "split", "m", "k", "l0", "rho", "alpha0", "e", "y0", "vx0", "speed", "steps"] as const;
export type ParamColumn = (typeof PARAM_COLUMNS)[number];
export type Split = "train" | "val" | "test";
export const SPLITS: readonly Split[] = ["train", "val", "test"];

/** Names of the channels of each observation model, in the order of the last axis of X. */
export const CHANNEL_NAMES: Record<Channels, readonly string[]> = {
  xy: ["x", "y"],
  "xy+grf": ["x", "y", "fx", "fy"],
};

/** One record's parameters: everything needed to re-simulate it. */
export interface RecordParams {
  id: number;
  split: Split;
  /** Mass, kg. */
  m: number;
  /** Leg stiffness, N/m. */
  k: number;
  /** Rest leg length, m. */
  l0: number;
  /** k / m, 1/s^2. */
  rho: number;
  /** Angle of attack, degrees. */
  alpha0: number;
  /** Specific energy, J/kg. */
  e: number;
  /** VLO height at t = 0, m. */
  y0: number;
  /** Forward speed at t = 0, m/s. */
  vx0: number;
  /** Mean forward speed over the record, m/s. */
  speed: number;
  /** Touchdowns in the record. */
  steps: number;
}

/** One params.csv line (no newline). */
export function formatParamsRow(r: RecordParams): string {
  return PARAM_COLUMNS.map((c) => String(r[c])).join(",");
}

export const PARAMS_HEADER = PARAM_COLUMNS.join(",");

/** Parses params.csv text; throws a {@link GaitidError} naming the first bad line. */
export function parseParams(text: string, what = "params.csv"): RecordParams[] {
  const lines = text.split("\n").filter((l) => l.length > 0);
  if (lines[0] !== PARAMS_HEADER) {
    throw new GaitidError(`${what}: the header must be "${PARAMS_HEADER}"; got "${lines[0] ?? ""}"`);
  }
  const out: RecordParams[] = new Array(lines.length - 1);
  for (let i = 1; i < lines.length; i++) {
    const f = lines[i].split(",");
    if (f.length !== PARAM_COLUMNS.length) throw new GaitidError(`${what}: line ${i + 1} has ${f.length} fields, expected ${PARAM_COLUMNS.length}`);
    const split = f[1] as Split;
    if (!SPLITS.includes(split)) throw new GaitidError(`${what}: line ${i + 1}: split must be train, val or test; got "${f[1]}"`);
    const num = (j: number): number => {
      const v = Number(f[j]);
      if (f[j] === "" || !Number.isFinite(v)) throw new GaitidError(`${what}: line ${i + 1}: ${PARAM_COLUMNS[j]} is not a number ("${f[j]}")`);
      return v;
    };
    out[i - 1] = {
      id: num(0), split, m: num(2), k: num(3), l0: num(4), rho: num(5), alpha0: num(6), e: num(7),
      y0: num(8), vx0: num(9), speed: num(10), steps: num(11),
    };
  }
  return out;
}

/** The manifest of a dataset (manifest.json). Fields other than these may be present. */
export interface DatasetManifest {
  kind: "gaitid-dataset";
  name: string;
  records: number;
  samples: number;
  channels: Channels;
  channelNames: string[];
  dt: number;
  duration: number;
  seed: number;
  config: unknown;
  files: Record<string, { sha256: string; bytes: number }>;
  [key: string]: unknown;
}

/** A dataset in memory. */
export interface Dataset {
  dir: string;
  manifest: DatasetManifest;
  /** Records, samples per record, channels per sample. */
  records: number;
  samples: number;
  channels: number;
  /** All records, [records, samples, channels] in C order (one copy of X.npy). */
  X: Float32Array;
  params: RecordParams[];
}

/**
 * The manifest of the complete dataset in `dir`, checked: a directory, with manifest.json of a
 * finished (not sharded) dataset, holding `channels` when given. Reads nothing else.
 */
export function readDatasetManifest(dir: string, opts: { channels?: Channels } = {}): DatasetManifest {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new GaitidError(`no dataset at ${dir} (not a directory); make one with: gaitid generate --out ${dir}`);
  }
  const manifestPath = path.join(dir, "manifest.json");
  if (!fs.existsSync(manifestPath)) {
    throw new GaitidError(`${dir} is not a complete dataset (no manifest.json): it may be an interrupted run; generate it again with --force`);
  }
  let manifest: DatasetManifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8")) as DatasetManifest;
  } catch (err) {
    throw new GaitidError(`${manifestPath} is corrupt (${(err as Error).message})`);
  }
  if (manifest.kind !== "gaitid-dataset") throw new GaitidError(`${manifestPath} is not a gaitid dataset manifest`);
  if (opts.channels && manifest.channels !== opts.channels) {
    throw new GaitidError(`${dir} holds channels "${manifest.channels}" but "${opts.channels}" are needed; generate one with --channels ${opts.channels}`);
  }
  return manifest;
}

/** The rows of params.csv of the dataset in `dir` (X.npy is not read). */
export function readDatasetParams(dir: string): RecordParams[] {
  const paramsPath = path.join(dir, "params.csv");
  if (!fs.existsSync(paramsPath)) throw new GaitidError(`${dir} is not a complete dataset (no params.csv)`);
  return parseParams(fs.readFileSync(paramsPath, "utf8"), paramsPath);
}

/**
 * Loads a dataset directory, checking that it is complete and consistent: manifest present, X.npy
 * shape equal to the manifest's, params.csv with one row per record in id order.
 * `channels`, when given, must match the dataset's.
 */
export function loadDataset(dir: string, opts: { channels?: Channels } = {}): Dataset {
  const manifest = readDatasetManifest(dir, opts);
  const { info, data } = readNpy(path.join(dir, "X.npy"));
  const expected = [manifest.records, manifest.samples, CHANNEL_NAMES[manifest.channels].length];
  if (info.dtype !== "<f4" || info.shape.join(",") !== expected.join(",")) {
    throw new GaitidError(`${dir}/X.npy has shape [${info.shape}] (${info.dtype}); the manifest says [${expected}] float32`);
  }
  const params = readDatasetParams(dir);
  const paramsPath = path.join(dir, "params.csv");
  if (params.length !== manifest.records) {
    throw new GaitidError(`${paramsPath} has ${params.length} rows; the manifest says ${manifest.records} records`);
  }
  params.forEach((p, i) => {
    if (p.id !== i) throw new GaitidError(`${paramsPath}: row ${i + 2} has id ${p.id}, expected ${i}`);
  });
  return { dir, manifest, records: expected[0], samples: expected[1], channels: expected[2], X: data as Float32Array, params };
}
