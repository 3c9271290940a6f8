/**
 * Integrity of a dataset on disk: the checks that keep gaitid from computing on damaged or
 * mismatched data. Sizes are always checked (a stat per file); sha256 hashes wherever the bytes
 * are read anyway (loading for training hashes X.npy from memory) or on demand (`gaitid check`,
 * which reads every file once: at 1,000,000 records about 1.2 GB). Every refusal names the file,
 * the record or row, the value and what was expected.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { GaitidError } from "../errors";
import type { DatasetConfig } from "../config";
import type { RecordParams, Split } from "./format";

/** What the checks read of a dataset's manifest (format.ts's DatasetManifest has it). */
interface ManifestFacts {
  records: number;
  config: Pick<DatasetConfig, "m" | "k" | "l0" | "alpha0Deg">;
  splits?: Record<Split, number>;
  files: Record<string, { sha256: string; bytes: number }>;
}
/** What the checks read of a params.csv row (a type import: no import cycle at run time). */
type ParamFacts = Pick<RecordParams, "id" | "split" | "m" | "k" | "l0" | "rho" | "alpha0">;

/** sha256 of bytes in memory, hex. */
export function sha256Of(bytes: Uint8Array): string {
  return crypto.createHash("sha256").update(bytes).digest("hex");
}

/** sha256 of a file, read in 8 MiB blocks (never the whole file in memory), hex. */
export function sha256OfFile(file: string): string {
  const h = crypto.createHash("sha256");
  const fd = fs.openSync(file, "r");
  const buf = Buffer.alloc(8 << 20);
  try {
    let n: number;
    while ((n = fs.readSync(fd, buf, 0, buf.length, null)) > 0) h.update(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return h.digest("hex");
}

/** Throws unless `actual` is the hash the manifest records for `file` (a file it does not list passes). */
export function checkHash(file: string, actual: string, recorded: { sha256: string } | undefined): void {
  if (recorded && recorded.sha256 !== actual) {
    throw new GaitidError(`${file} is damaged: its sha256 is ${actual.slice(0, 12)}..., the manifest records ${recorded.sha256.slice(0, 12)}...; generate the dataset again`);
  }
}

/** Throws unless every file the manifest lists exists as a regular file of the recorded size. */
export function checkFileSizes(dir: string, manifest: ManifestFacts): void {
  for (const required of ["X.npy", "params.csv"]) {
    if (!manifest.files[required]) throw new GaitidError(`${path.join(dir, "manifest.json")} does not list ${required}; the dataset is damaged: generate it again`);
  }
  for (const [name, { bytes }] of Object.entries(manifest.files)) {
    const file = path.join(dir, name);
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
    } catch {
      throw new GaitidError(`${file} is missing; the dataset is incomplete: generate it again`);
    }
    if (!st.isFile()) throw new GaitidError(`${file} is not a file (a folder or a device); the dataset is damaged: generate it again`);
    if (st.size !== bytes) throw new GaitidError(`${file} has ${st.size} bytes; the manifest records ${bytes}: the file is truncated or was changed`);
  }
}

/** Throws unless every file the manifest lists has its recorded sha256 (reads each file once). */
export function checkFileHashes(dir: string, manifest: ManifestFacts): void {
  for (const [name, rec] of Object.entries(manifest.files)) {
    const file = path.join(dir, name);
    checkHash(file, sha256OfFile(file), rec);
  }
}

/** Largest |value| a record may hold: positions in m and forces in N are far below it. */
const MAX_ABS = 1e6;

/**
 * Throws unless every value of X is finite, below {@link MAX_ABS} in size, and the CoM height y
 * (channel 1, m) is above the ground in every sample: a zeroed or overwritten record fails.
 */
export function checkRecordValues(X: Float32Array, samples: number, channels: number, file: string): void {
  const perRecord = samples * channels;
  for (let i = 0; i < X.length; i++) {
    const v = X[i];
    const yChannel = i % channels === 1;
    if (!(Math.abs(v) <= MAX_ABS) || (yChannel && !(v > 0))) {
      const record = Math.floor(i / perRecord), sample = Math.floor((i % perRecord) / channels), channel = i % channels;
      const what = yChannel && Number.isFinite(v) && Math.abs(v) <= MAX_ABS ? "a CoM height y that is not above the ground" : `a value outside ±${MAX_ABS}`;
      throw new GaitidError(`${file}: record ${record}, sample ${sample}, channel ${channel} holds ${v}, ${what}; the dataset is damaged: generate it again`);
    }
  }
}

function within(v: number, r: readonly [number, number]): boolean {
  return v >= r[0] && v <= r[1];
}

/**
 * Throws unless params.csv holds one row per record in id order (no duplicate or missing ids),
 * each subject inside the priors of the configuration (m, k, l0, alpha0), rho equal to k / m, and
 * the split counts those of the manifest with no split empty.
 */
export function checkParamRows(params: readonly ParamFacts[], manifest: ManifestFacts, file: string): void {
  if (params.length !== manifest.records) throw new GaitidError(`${file} has ${params.length} rows; the manifest says ${manifest.records} records`);
  const c = manifest.config;
  const counts: Record<Split, number> = { train: 0, val: 0, test: 0 };
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    const at = `${file}: line ${i + 2} (record ${p.id})`;
    if (p.id !== i) throw new GaitidError(`${file}: line ${i + 2} has id ${p.id}, expected ${i} (ids must be 0, 1, 2, ... without gaps or repeats)`);
    for (const [q, r, unit] of [["m", c.m, "kg"], ["k", c.k, "N/m"], ["l0", c.l0, "m"], ["alpha0", c.alpha0Deg, "degrees"]] as const) {
      if (!within(p[q], r)) throw new GaitidError(`${at}: ${q} = ${p[q]} ${unit} lies outside the prior [${r[0]}, ${r[1]}] of the dataset's configuration`);
    }
    if (Math.abs(p.rho - p.k / p.m) > 1e-12 * Math.abs(p.k / p.m)) throw new GaitidError(`${at}: rho = ${p.rho} 1/s^2 is not k / m = ${p.k / p.m}`);
    counts[p.split]++;
  }
  for (const s of ["train", "val", "test"] as const) {
    if (counts[s] === 0) throw new GaitidError(`${file} has no ${s} records; a dataset needs train, validation and test records`);
    if (manifest.splits && manifest.splits[s] !== counts[s]) throw new GaitidError(`${file} has ${counts[s]} ${s} records; the manifest says ${manifest.splits[s]}`);
  }
}
