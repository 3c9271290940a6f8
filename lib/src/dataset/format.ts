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
import { validateDatasetConfig, type Channels, type DatasetConfig } from "../config";
import { GaitidError } from "../errors";
import { npyFromBuffer, parseNpyHeader, type NpyInfo } from "./npy";
import { parseSummaryCsv, type ParameterSummary } from "./summary";
import { checkFileHashes, checkFileSizes, checkHash, checkParamRows, checkRecordValues, sha256Of } from "./verify";

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
  const cr = text.indexOf("\r");
  if (cr >= 0) {
    const line = text.slice(0, cr).split("\n").length;
    throw new GaitidError(`${what}: line ${line} ends with a carriage return (Windows CRLF line endings); gaitid writes and reads LF line endings only: regenerate the file or convert it (e.g. dos2unix)`);
  }
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

/** How many gait conditions were drawn, kept, and why the others were redrawn. */
export interface Acceptance {
  attempts: number;
  accepted: number;
  /** accepted / attempts. */
  rate: number;
  /** Redrawn gait conditions by cause (flight, fallback, fall, backward, unstable, ...). */
  failures: Record<string, number>;
}

/** Where a shard of a dataset sits in the whole (gaitid generate --shard i/N). */
export interface ShardInfo {
  index: number;
  count: number;
  /** Record ids [lo, hi) of the shard. */
  range: [number, number];
  totalRecords: number;
}

/** The manifest of a dataset or of one shard of it (manifest.json), written last. */
export interface DatasetManifest {
  kind: "gaitid-dataset" | "gaitid-dataset-part";
  name: string;
  records: number;
  /** Samples per record: duration / dt + 1. */
  samples: number;
  channels: Channels;
  channelNames: string[];
  channelUnits?: string[];
  /** Sampling interval, s. */
  dt: number;
  /** Record length, s. */
  duration: number;
  seed: number;
  /** Preset the configuration came from, if any. */
  preset?: string;
  config: DatasetConfig;
  shard?: ShardInfo;
  /** Records per split. */
  splits?: Record<Split, number>;
  /** How the gait condition of a record is drawn and redrawn, in words. */
  gaitCondition?: { drawn: string; gait: string; redraw: string };
  acceptance?: Acceptance;
  workers?: number;
  timings?: { generateSeconds?: number; summarySeconds?: number; recordsPerSecond?: number; mergeSeconds?: number };
  /** Parts a merged dataset was made from. */
  mergedFrom?: { dir: string; shard?: ShardInfo; timings?: unknown; environment?: unknown }[];
  environment?: Record<string, unknown>;
  /** sha256 and size of each data file. */
  files: Record<string, { sha256: string; bytes: number }>;
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
 * finished (not sharded) dataset whose fields agree with each other, holding `channels` when
 * given. Reads nothing else. `part` accepts a shard (gaitid generate --shard) instead.
 */
export function readDatasetManifest(dir: string, opts: { channels?: Channels; part?: boolean } = {}): DatasetManifest {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new GaitidError(`no dataset at ${dir} (not a directory); make one with: gaitid generate --out ${dir}`);
  }
  const manifestPath = path.join(dir, "manifest.json");
  if (!fs.existsSync(manifestPath)) {
    throw new GaitidError(`${dir} is not a complete dataset (no manifest.json): it may be an interrupted run; generate it again`);
  }
  let manifest: DatasetManifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8")) as DatasetManifest;
  } catch (err) {
    throw new GaitidError(`${manifestPath} is corrupt (${(err as Error).message})`);
  }
  const kind = opts.part ? "gaitid-dataset-part" : "gaitid-dataset";
  if (manifest?.kind !== kind) throw new GaitidError(`${manifestPath} is not the manifest of ${opts.part ? "a dataset part" : "a complete gaitid dataset"} (kind ${JSON.stringify(manifest?.kind)})`);
  checkManifest(manifest, manifestPath);
  if (opts.channels && manifest.channels !== opts.channels) {
    throw new GaitidError(`${dir} holds channels "${manifest.channels}" but "${opts.channels}" are needed; generate one with --channels ${opts.channels}`);
  }
  return manifest;
}

/** Checks that a manifest's fields are present and agree with each other and its configuration. */
function checkManifest(m: DatasetManifest, file: string): void {
  const bad = (what: string): never => {
    throw new GaitidError(`${file}: ${what}; the dataset is damaged: generate it again`);
  };
  if (typeof m.config !== "object" || m.config === null) bad("no configuration (config)");
  try {
    validateDatasetConfig(m.config);
  } catch (err) {
    bad(`its configuration is invalid (${(err as Error).message})`);
  }
  if (!Number.isInteger(m.records) || m.records < 1) bad(`records must be a whole number >= 1; got ${JSON.stringify(m.records)}`);
  const samples = Math.round(m.config.duration / m.config.dt) + 1;
  if (m.samples !== samples) bad(`samples is ${JSON.stringify(m.samples)} but duration ${m.config.duration} s at dt ${m.config.dt} s gives ${samples}`);
  if (m.channels !== m.config.channels || !(m.channels in CHANNEL_NAMES)) bad(`channels ${JSON.stringify(m.channels)} disagree with the configuration's ${JSON.stringify(m.config.channels)}`);
  if (m.dt !== m.config.dt || m.duration !== m.config.duration) bad("dt or duration disagree with the configuration");
  if (typeof m.files !== "object" || m.files === null) bad("no file list (files)");
  if (m.splits) {
    const total = SPLITS.reduce((a, s) => a + (m.splits![s] ?? 0), 0);
    if (total !== m.records) bad(`the split counts add up to ${total}, not ${m.records} records`);
  }
}

/** The rows of params.csv of the dataset in `dir` (X.npy is not read). */
export function readDatasetParams(dir: string): RecordParams[] {
  const paramsPath = path.join(dir, "params.csv");
  if (!fs.existsSync(paramsPath)) throw new GaitidError(`${dir} is not a complete dataset (no params.csv)`);
  return parseParams(fs.readFileSync(paramsPath, "utf8"), paramsPath);
}

/**
 * Loads a dataset directory, checking before anything is computed from it that it is complete and
 * undamaged: the manifest's fields agree, every file has the size and sha256 the manifest records
 * (X.npy is hashed from the bytes read anyway), X.npy has the manifest's shape and only finite
 * values with the CoM above the ground, and params.csv has one valid row per record (see
 * {@link checkParamRows}). `channels`, when given, must match the dataset's.
 */
export function loadDataset(dir: string, opts: { channels?: Channels } = {}): Dataset {
  const manifest = readDatasetManifest(dir, opts);
  checkFileSizes(dir, manifest);
  const xFile = path.join(dir, "X.npy");
  const bytes = fs.readFileSync(xFile);
  checkHash(xFile, sha256Of(bytes), manifest.files["X.npy"]);
  const { info, data } = npyFromBuffer(bytes, xFile);
  const expected = [manifest.records, manifest.samples, CHANNEL_NAMES[manifest.channels].length];
  if (info.dtype !== "<f4" || info.shape.join(",") !== expected.join(",")) {
    throw new GaitidError(`${xFile} has shape [${info.shape}] (${info.dtype}); the manifest says [${expected}] float32`);
  }
  const X = data as Float32Array;
  checkRecordValues(X, expected[1], expected[2], xFile);
  const paramsPath = path.join(dir, "params.csv");
  const text = fs.readFileSync(paramsPath);
  checkHash(paramsPath, sha256Of(text), manifest.files["params.csv"]);
  const params = parseParams(text.toString("utf8"), paramsPath);
  checkParamRows(params, manifest, paramsPath);
  return { dir, manifest, records: expected[0], samples: expected[1], channels: expected[2], X, params };
}

/** What `gaitid check` found in a dataset. */
export interface DatasetCheck {
  dir: string;
  records: number;
  bytes: number;
  /** sha256 of every file compared with the manifest. */
  hashed: boolean;
  seconds: number;
}

/**
 * Verifies a whole dataset: every check of {@link loadDataset}, and with `hashes` the sha256 of
 * every file (summary files too). Throws on the first problem.
 */
export function verifyDataset(dir: string, opts: { hashes?: boolean } = {}): DatasetCheck {
  const t0 = performance.now();
  const ds = loadDataset(dir);
  if (opts.hashes) checkFileHashes(dir, ds.manifest);
  const bytes = Object.values(ds.manifest.files).reduce((a, f) => a + f.bytes, 0);
  return { dir, records: ds.records, bytes, hashed: Boolean(opts.hashes), seconds: (performance.now() - t0) / 1000 };
}

/** The parts of a dataset that figures and summaries need, without X.npy's values. */
export interface DatasetView {
  dir: string;
  manifest: DatasetManifest;
  params: RecordParams[];
  /** summary.csv (statistics by parameter), when present. */
  summary?: Omit<ParameterSummary, "text">;
  /** X.npy's header (shape, dtype, data offset). */
  npy: NpyInfo;
}

/**
 * Reads a dataset's manifest, params.csv, summary.csv and X.npy's header (not X itself), with the
 * checks that need no pass over X: manifest consistency, file sizes, the params rows.
 */
export function readDatasetView(dir: string): DatasetView {
  const manifest = readDatasetManifest(dir);
  checkFileSizes(dir, manifest);
  const paramsFile = path.join(dir, "params.csv");
  const params = parseParams(fs.readFileSync(paramsFile, "utf8"), paramsFile);
  checkParamRows(params, manifest, paramsFile);
  const xFile = path.join(dir, "X.npy");
  const fd = fs.openSync(xFile, "r");
  let npy: NpyInfo;
  try {
    const head = Buffer.alloc(4096);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    npy = parseNpyHeader(head.subarray(0, n), xFile);
  } finally {
    fs.closeSync(fd);
  }
  const expected = [manifest.records, manifest.samples, CHANNEL_NAMES[manifest.channels].length];
  if (npy.dtype !== "<f4" || npy.shape.join(",") !== expected.join(",")) {
    throw new GaitidError(`${xFile} has shape [${npy.shape}] (${npy.dtype}); the manifest says [${expected}] float32`);
  }
  const sFile = path.join(dir, "summary.csv");
  const summary = fs.existsSync(sFile) ? parseSummaryCsv(fs.readFileSync(sFile, "utf8")) : undefined;
  return { dir, manifest, params, summary, npy };
}

/** One record of X.npy: samples x channels float32 in C order (read from disk, not all of X). */
export function readRecord(view: DatasetView, id: number): Float32Array {
  const [records, samples, channels] = view.npy.shape;
  if (!Number.isInteger(id) || id < 0 || id >= records) throw new GaitidError(`record id must be an integer from 0 to ${records - 1}; got ${id}`);
  const bytes = samples * channels * 4;
  const buf = Buffer.alloc(bytes);
  const fd = fs.openSync(path.join(view.dir, "X.npy"), "r");
  try {
    const n = fs.readSync(fd, buf, 0, bytes, view.npy.offset + id * bytes);
    if (n !== bytes) throw new GaitidError(`${path.join(view.dir, "X.npy")} is truncated at record ${id}`);
  } finally {
    fs.closeSync(fd);
  }
  const out = new Float32Array(samples * channels);
  new Uint8Array(out.buffer).set(buf);
  return out;
}
