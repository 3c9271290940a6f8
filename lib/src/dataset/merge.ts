/**
 * `gaitid merge`: joins the parts made with --shard into the dataset one machine would have made
 * (X.npy and params.csv byte for byte those of a single run). Every part is checked before it is
 * used: a finished part (manifest.json of a part), its files present with the sizes its manifest
 * records, X.npy of the shape it says, and, while it is copied, the sha256 of each file against
 * the manifest. The parts must share one configuration and cover every record exactly once.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { sameConfig } from "../config";
import { GaitidError } from "../errors";
import { onInterrupt, prepareOutput, removeStaleTemporaries, replaceFolder, temporaryFor } from "../outputs";
import { sha256File, writeJsonAtomic } from "../provenance";
import { ParamColumns } from "./columns";
import { CHANNEL_NAMES, PARAMS_HEADER, readDatasetManifest, type DatasetManifest } from "./format";
import { makeParentFolder } from "./generation";
import { mergeManifest, noFailures, recordFiles, type MergedPart } from "./manifest";
import { npyHeader, parseNpyHeader } from "./npy";
import { FAILURE_REASONS } from "./record";
import { forEachParamsBlock } from "./rows";
import { shardRange } from "./shard";
import { writeSummary } from "./summary";

const PART_FILES = ["X.npy", "params.csv"] as const;

/** Reads and checks a part's manifest, and the presence, sizes and X.npy header of its files. */
function readPart(dir: string): MergedPart {
  const what = `part ${dir}`;
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new GaitidError(`${what}: no such folder`);
  const m = readDatasetManifest(dir, { part: true }) as MergedPart["manifest"];
  if (!m.shard) throw new GaitidError(`${what}: its manifest has no shard (index, count, range)`);
  for (const f of PART_FILES) {
    const p = path.join(dir, f);
    const recorded = m.files?.[f];
    if (!fs.existsSync(p)) throw new GaitidError(`${what}: ${f} is missing`);
    if (!fs.statSync(p).isFile()) throw new GaitidError(`${what}: ${f} is not a file (a folder or a device)`);
    if (!recorded || typeof recorded.sha256 !== "string") throw new GaitidError(`${what}: its manifest records no sha256 for ${f}`);
    const size = fs.statSync(p).size;
    if (size !== recorded.bytes) throw new GaitidError(`${what}: ${f} has ${size} bytes; its manifest says ${recorded.bytes} (the file is truncated or damaged)`);
  }
  const xPath = path.join(dir, "X.npy");
  const head = Buffer.alloc(4096);
  const fd = fs.openSync(xPath, "r");
  const got = fs.readSync(fd, head, 0, head.length, 0);
  fs.closeSync(fd);
  const info = parseNpyHeader(head.subarray(0, got), `${what}: X.npy`);
  const shape = [m.records, m.samples, CHANNEL_NAMES[m.channels]?.length];
  if (info.dtype !== "<f4" || info.shape.join(",") !== shape.join(",") || info.offset + m.records * m.samples * shape[2] * 4 !== m.files["X.npy"].bytes) {
    throw new GaitidError(`${what}: X.npy has shape [${info.shape}] (${info.dtype}); its manifest says [${shape}] float32`);
  }
  return { dir, manifest: m };
}

/** Reads every part and checks that they make one dataset: same configuration, every part once. */
function readParts(dirs: readonly string[]): MergedPart[] {
  if (dirs.length === 0) throw new GaitidError("merge needs the part directories made with --shard i/N");
  const parts = dirs.map(readPart).sort((a, b) => a.manifest.shard.index - b.manifest.shard.index);
  const first = parts[0].manifest;
  const config = first.config;
  const n = first.shard.count;
  const have = parts.map((x) => x.manifest.shard.index).join(", ");
  if (parts.length !== n) throw new GaitidError(`the dataset has ${n} parts; got ${parts.length} (${have})`);
  parts.forEach((x, i) => {
    const m = x.manifest;
    if (m.shard.index !== i) throw new GaitidError(`part ${i} of ${n} is missing (have ${have})`);
    if (!sameConfig(m.config, config) || m.shard.count !== n) {
      throw new GaitidError(`part ${x.dir} was made with another configuration than ${parts[0].dir}`);
    }
    const [lo, hi] = shardRange(config.records, m.shard);
    if (m.records !== hi - lo || m.shard.range?.[0] !== lo || m.shard.range?.[1] !== hi) {
      throw new GaitidError(`part ${x.dir}: its manifest says ${m.records} records from ${m.shard.range?.[0]}; part ${i} of ${n} holds records ${lo} to ${hi - 1}`);
    }
  });
  return parts;
}

/** Appends a part's X.npy data to `outFd`, checking the sha256 of the whole file on the way. */
function copyX(part: MergedPart, outFd: number): void {
  const file = path.join(part.dir, "X.npy");
  const hash = crypto.createHash("sha256");
  const fd = fs.openSync(file, "r");
  try {
    const buf = Buffer.allocUnsafe(1 << 22);
    const offset = parseNpyHeader(buf.subarray(0, fs.readSync(fd, buf, 0, 4096, 0)), file).offset;
    for (let pos = 0; ; ) {
      const got = fs.readSync(fd, buf, 0, buf.length, pos);
      if (got === 0) break;
      hash.update(buf.subarray(0, got));
      const from = Math.max(0, offset - pos);
      if (from < got) fs.writeSync(outFd, buf.subarray(from, got));
      pos += got;
    }
  } finally {
    fs.closeSync(fd);
  }
  if (hash.digest("hex") !== part.manifest.files["X.npy"].sha256) {
    throw new GaitidError(`part ${part.dir}: X.npy does not match the sha256 its manifest records: the file is damaged; make that part again`);
  }
}

/** Appends a part's params rows to `outFd` (checked against its sha256, ids in order); returns the next id. */
function copyParams(part: MergedPart, outFd: number, columns: ParamColumns, first: number): number {
  const file = path.join(part.dir, "params.csv");
  if (sha256File(file) !== part.manifest.files["params.csv"].sha256) {
    throw new GaitidError(`part ${part.dir}: params.csv does not match the sha256 its manifest records: the file is damaged; make that part again`);
  }
  let next = first;
  forEachParamsBlock(file, (rows, text) => {
    for (const r of rows) {
      if (r.id !== next) throw new GaitidError(`the parts do not join up: record ${next} has id ${r.id} (in ${file})`);
      columns.add(r);
      next++;
    }
    fs.writeSync(outFd, text);
  });
  if (next - first !== part.manifest.records) throw new GaitidError(`${file} has ${next - first} rows; its manifest says ${part.manifest.records}`);
  return next;
}

/** Writes the joined X.npy, params.csv, summary and manifest into `tmp`. */
function writeMerged(parts: readonly MergedPart[], tmp: string, out: string, t0: number): DatasetManifest {
  const first = parts[0].manifest;
  const config = first.config;
  const columns = new ParamColumns(config.records);
  const failures = noFailures();
  const xFd = fs.openSync(path.join(tmp, "X.npy"), "w");
  const pFd = fs.openSync(path.join(tmp, "params.csv"), "w");
  try {
    fs.writeSync(xFd, npyHeader([config.records, first.samples, CHANNEL_NAMES[config.channels].length]));
    fs.writeSync(pFd, PARAMS_HEADER + "\n");
    let next = 0;
    for (const part of parts) {
      copyX(part, xFd);
      next = copyParams(part, pFd, columns, next);
      const f = part.manifest.acceptance?.failures ?? {};
      for (const reason of FAILURE_REASONS) failures[reason] += f[reason] ?? 0;
    }
  } finally {
    fs.closeSync(xFd);
    fs.closeSync(pFd);
  }
  writeSummary(tmp, columns.summary());
  const manifest = mergeManifest(out, parts, columns.splits, failures, (performance.now() - t0) / 1000);
  recordFiles(tmp, manifest);
  writeJsonAtomic(path.join(tmp, "manifest.json"), manifest);
  return manifest;
}

/**
 * Joins the parts made with --shard into the dataset one machine would have made: X.npy and
 * params.csv are byte for byte those of a single run. Checks every part first (see the module's
 * comment) and the output folder (a new or empty folder, or a gaitid dataset with `force`).
 */
export async function mergeDatasets(parts: string[], out: string, opts: { force?: boolean; quiet?: boolean } = {}): Promise<DatasetManifest> {
  const read = readParts(parts);
  prepareOutput(out, "dataset", { force: opts.force });
  makeParentFolder(out);
  removeStaleTemporaries(out);
  const t0 = performance.now();
  const tmp = temporaryFor(out);
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  const removeTmp = (): void => fs.rmSync(tmp, { recursive: true, force: true });
  const removeHandlers = onInterrupt(removeTmp);
  try {
    const manifest = writeMerged(read, tmp, out, t0);
    replaceFolder(tmp, out);
    return manifest;
  } catch (err) {
    removeTmp();
    throw err;
  } finally {
    removeHandlers();
  }
}
