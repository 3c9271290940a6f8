/**
 * The dataset generator: records in parallel on worker threads, streamed to disk in record order
 * (bounded memory), deterministic whatever the number of workers or shards, written atomically.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { sameConfig, validateDatasetConfig, type DatasetConfig } from "../config";
import { GaitidError } from "../errors";
import { Progress } from "../progress";
import { environment, sha256File, writeJsonAtomic } from "../provenance";
import { permutation } from "../random";
import { WalkerSimulator } from "../walker/simulate";
import { makeChunk, type ChunkRequest, type ChunkResult } from "./chunk";
import { CHANNEL_NAMES, formatParamsRow, PARAMS_HEADER, parseParams, type DatasetManifest, type RecordParams, type Split } from "./format";
import { npyHeader, parseNpyHeader } from "./npy";
import { FAILURE_REASONS, GENERATOR_GRID, MAX_ATTEMPTS, type FailureReason } from "./record";
import { describeColumns, SUMMARY_COLUMNS, writeSummary, type ParameterSummary } from "./summary";

/** Part i of n of a dataset (0 <= index < count). */
export interface Shard {
  index: number;
  count: number;
}

export interface GenerateOptions {
  /** Worker threads (default: one per core); 0 makes the records in the calling thread. */
  workers?: number;
  /** Replace an existing dataset at the output path. */
  force?: boolean;
  /** No progress lines. */
  quiet?: boolean;
  /** Make only this part of the dataset (merge the parts with {@link mergeDatasets}). */
  shard?: Shard;
  /** Records per unit of work (default 64). */
  chunkSize?: number;
  /** Name of the preset the configuration came from (recorded in the manifest). */
  preset?: string;
  /** Stop after this many records have been written (simulates an interrupted run in tests). */
  abortAfter?: number;
}

/** The record range [lo, hi) of a shard of a dataset of n records. */
export function shardRange(n: number, shard?: Shard): [number, number] {
  if (!shard) return [0, n];
  return [Math.floor((shard.index * n) / shard.count), Math.floor(((shard.index + 1) * n) / shard.count)];
}

/** Parses "i/N" (0 <= i < N). */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : Number.NaN;
  const count = m ? Number(m[2]) : Number.NaN;
  if (!m || !(count >= 1) || !(index >= 0 && index < count)) {
    throw new GaitidError(`--shard must be i/N with whole numbers 0 <= i < N (part i of N, counting from 0); got "${text}"`);
  }
  return { index, count };
}

/**
 * The split of every record, 80 / 10 / 10 (or config.split) exactly, fixed by the seed: a seeded
 * permutation of the record indices, cut into train, val and test.
 */
export function splitsOf(config: DatasetConfig): Split[] {
  const n = config.records;
  const nTrain = Math.round(config.split[0] * n);
  const nVal = Math.round(config.split[1] * n);
  const perm = permutation(n, config.seed, 2);
  const out: Split[] = new Array(n);
  for (let j = 0; j < n; j++) out[perm[j]] = j < nTrain ? "train" : j < nTrain + nVal ? "val" : "test";
  return out;
}

/** Checks that `out` can be written (not existing unless force; parent creatable), before any work. */
function checkOutput(out: string, force: boolean): void {
  if (fs.existsSync(out)) {
    if (!force) throw new GaitidError(`${out} exists already; choose another --out or pass --force to replace it`);
    if (!fs.statSync(out).isDirectory()) throw new GaitidError(`${out} exists and is not a directory`);
  }
  const parent = path.dirname(path.resolve(out));
  try {
    fs.mkdirSync(parent, { recursive: true });
    fs.accessSync(parent, fs.constants.W_OK);
  } catch {
    throw new GaitidError(`cannot write to ${parent} (the folder of --out ${out})`);
  }
}

/** Moves the finished temporary directory into place (replacing an old dataset only with force). */
function publish(tmp: string, out: string): void {
  if (fs.existsSync(out)) {
    const old = `${out}.old-${process.pid}`;
    fs.renameSync(out, old);
    fs.renameSync(tmp, out);
    fs.rmSync(old, { recursive: true, force: true });
  } else fs.renameSync(tmp, out);
}

/**
 * What the generator keeps of the params rows for the manifest and the summary: the summary's
 * columns as typed arrays and the split counts (not the row objects: at 1,000,000 records those
 * would cost hundreds of megabytes).
 */
class ParamColumns {
  readonly columns: Record<string, Float64Array>;
  readonly splits: Record<Split, number> = { train: 0, val: 0, test: 0 };
  private n = 0;
  constructor(capacity: number) {
    this.columns = Object.fromEntries(SUMMARY_COLUMNS.map((c) => [c, new Float64Array(capacity)]));
  }
  add(p: RecordParams): void {
    for (const c of SUMMARY_COLUMNS) this.columns[c][this.n] = p[c];
    this.splits[p.split]++;
    this.n++;
  }
  summary(): ParameterSummary {
    return describeColumns(this.columns);
  }
}

/**
 * Generates a dataset (or one shard of it) into `out`. Validates everything before any work.
 * Resolves to the manifest. The directory appears only when complete.
 */
export async function generateDataset(config: DatasetConfig, out: string, opts: GenerateOptions = {}): Promise<DatasetManifest> {
  validateDatasetConfig(config);
  const workers = opts.workers ?? os.cpus().length;
  if (!Number.isInteger(workers) || workers < 0) throw new GaitidError(`workers must be a whole number >= 0; got ${workers}`);
  if (opts.shard) parseShard(`${opts.shard.index}/${opts.shard.count}`);
  checkOutput(out, opts.force ?? false);
  const t0 = performance.now();
  const samples = Math.round(config.duration / config.dt) + 1;
  const channels = CHANNEL_NAMES[config.channels].length;
  const [lo, hi] = shardRange(config.records, opts.shard);
  const count = hi - lo;
  const splits = splitsOf(config);
  const tmp = `${out}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  const xFd = fs.openSync(path.join(tmp, "X.npy"), "w");
  const pFd = fs.openSync(path.join(tmp, "params.csv"), "w");
  const params = new ParamColumns(count);
  const failures = Object.fromEntries(FAILURE_REASONS.map((r) => [r, 0])) as Record<FailureReason, number>;
  const progress = new Progress(count, { unit: "records", label: "generate", quiet: opts.quiet });
  let written = 0;
  const pool: Worker[] = [];
  try {
    fs.writeSync(xFd, npyHeader([count, samples, channels]));
    fs.writeSync(pFd, PARAMS_HEADER + "\n");
    const chunkSize = opts.chunkSize ?? 64;
    const requests: ChunkRequest[] = [];
    for (let s = lo; s < hi; s += chunkSize) {
      const c = Math.min(chunkSize, hi - s);
      requests.push({ start: s, count: c, splits: splits.slice(s, s + c) });
    }
    const limit = opts.abortAfter ?? Infinity;
    const write = (r: ChunkResult): void => {
      fs.writeSync(xFd, new Uint8Array(r.X.buffer, r.X.byteOffset, r.X.byteLength));
      fs.writeSync(pFd, r.params.map(formatParamsRow).join("\n") + "\n");
      for (const p of r.params) params.add(p);
      for (const reason of FAILURE_REASONS) failures[reason] += r.failures[reason];
      written += r.count;
      progress.update(written);
      if (written >= limit) throw new GaitidError(`generation stopped after ${written} records (abortAfter)`, 1);
    };
    if (workers === 0) {
      const sim = new WalkerSimulator();
      for (const req of requests) write(makeChunk(sim, config, req));
    } else {
      await runPool(config, requests, Math.min(workers, requests.length), write, pool);
    }
  } catch (err) {
    for (const w of pool) void w.terminate();
    fs.closeSync(xFd);
    fs.closeSync(pFd);
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  fs.closeSync(xFd);
  fs.closeSync(pFd);
  const genSeconds = (performance.now() - t0) / 1000;
  progress.finish(`made in ${genSeconds.toFixed(1)} s`);
  let summarySeconds = 0;
  if (!opts.shard) {
    const ts = performance.now();
    writeSummary(tmp, params.summary());
    summarySeconds = (performance.now() - ts) / 1000;
  }
  const attempts = count + Object.values(failures).reduce((a, b) => a + b, 0);
  const acceptance = { attempts, accepted: count, rate: count / attempts, failures };
  const manifest: DatasetManifest = {
    kind: opts.shard ? ("gaitid-dataset-part" as "gaitid-dataset") : "gaitid-dataset",
    name: path.basename(out),
    records: count,
    samples,
    channels: config.channels,
    channelNames: [...CHANNEL_NAMES[config.channels]],
    channelUnits: config.channels === "xy" ? ["m", "m"] : ["m", "m", "N", "N"],
    dt: config.dt,
    duration: config.duration,
    seed: config.seed,
    preset: opts.preset,
    config,
    shard: opts.shard ? { ...opts.shard, range: [lo, hi], totalRecords: config.records } : undefined,
    splits: params.splits,
    gaitCondition: {
      drawn: "per unit mass, independently of m and k: alpha0 ~ U[alpha0Deg] degrees, e ~ U[energy] * g * l0 (J/kg)",
      gait: `the symmetric periodic gait with the highest VLO height (scan of ${GENERATOR_GRID} heights from the top, Brent's method)`,
      redraw: `a gait condition that does not walk for the whole record is redrawn (never m, k or l0); at most ${MAX_ATTEMPTS} per record`,
    },
    acceptance,
    workers,
    timings: {
      generateSeconds: genSeconds,
      summarySeconds,
      recordsPerSecond: count / genSeconds,
    },
    environment: environment(),
    files: {},
  };
  for (const f of ["X.npy", "params.csv", "summary.csv", "summary.txt"]) {
    const file = path.join(tmp, f);
    if (fs.existsSync(file)) manifest.files[f] = { sha256: sha256File(file), bytes: fs.statSync(file).size };
  }
  writeJsonAtomic(path.join(tmp, "manifest.json"), manifest);
  publish(tmp, out);
  return manifest;
}


/** Runs the chunks on a pool of worker threads and hands results to `write` in record order. */
function runPool(
  config: DatasetConfig,
  requests: ChunkRequest[],
  workers: number,
  write: (r: ChunkResult) => void,
  pool: Worker[],
): Promise<void> {
  // Compiled, the worker is worker.js. Under tsx (tests, benchmarks) it is the .ts source, and
  // tsx's loader hooks do not reach worker threads by themselves: register tsx's CommonJS hook
  // inside the worker first.
  const fromSource = __filename.endsWith(".ts");
  const workerFile = path.join(__dirname, fromSource ? "worker.ts" : "worker.js");
  const workerCode = fromSource ? `require("tsx/cjs"); require(${JSON.stringify(workerFile)});` : workerFile;
  return new Promise<void>((resolve, reject) => {
    let next = 0; // next request to send
    let nextToWrite = 0; // index into requests of the next chunk to write
    const done = new Map<number, ChunkResult>();
    let failed = false;
    const fail = (err: unknown): void => {
      if (failed) return;
      failed = true;
      reject(err instanceof Error ? err : new Error(String(err)));
    };
    const indexOf = new Map(requests.map((r, i) => [r.start, i]));
    const send = (w: Worker): void => {
      // Keep the reorder buffer bounded: do not run ahead of the writer by more than 4 chunks per worker.
      if (next < requests.length && next - nextToWrite < 4 * workers) w.postMessage(requests[next++]);
      else idle.push(w);
    };
    const idle: Worker[] = [];
    for (let i = 0; i < workers; i++) {
      const w = new Worker(workerCode, { workerData: { config }, eval: fromSource });
      pool.push(w);
      w.on("error", fail);
      w.on("message", (msg: { ok: boolean; result?: ChunkResult; error?: string }) => {
        if (failed) return;
        if (!msg.ok) return fail(new GaitidError(msg.error ?? "a worker failed", 1));
        const r = msg.result!;
        // Transferred typed arrays arrive as plain views; rebuild the Float32Array over the buffer.
        const X = new Float32Array(r.X.buffer, r.X.byteOffset, r.X.length);
        done.set(indexOf.get(r.start)!, { ...r, X });
        try {
          while (done.has(nextToWrite)) {
            const c = done.get(nextToWrite)!;
            done.delete(nextToWrite);
            nextToWrite++;
            write(c);
          }
        } catch (err) {
          return fail(err);
        }
        if (nextToWrite === requests.length) {
          for (const p of pool) void p.terminate();
          return resolve();
        }
        send(w);
        while (idle.length > 0 && next < requests.length && next - nextToWrite < 4 * workers) send(idle.pop()!);
      });
      send(w);
    }
  });
}

/**
 * Joins the parts made with --shard into the dataset one machine would have made: X.npy and
 * params.csv are byte for byte those of a single run. Checks that the parts share one
 * configuration and cover every record exactly once.
 */
export async function mergeDatasets(parts: string[], out: string, opts: { force?: boolean; quiet?: boolean } = {}): Promise<DatasetManifest> {
  if (parts.length === 0) throw new GaitidError("merge needs the part directories made with --shard i/N");
  const manifests = parts.map((dir) => {
    const file = path.join(dir, "manifest.json");
    if (!fs.existsSync(file)) throw new GaitidError(`${dir} is not a finished part (no manifest.json)`);
    const m = JSON.parse(fs.readFileSync(file, "utf8")) as DatasetManifest & { shard?: { index: number; count: number; range: [number, number] } };
    if (m.kind !== ("gaitid-dataset-part" as string) || !m.shard) throw new GaitidError(`${dir} is not a dataset part (made with --shard)`);
    return { dir, m };
  });
  manifests.sort((a, b) => a.m.shard!.index - b.m.shard!.index);
  const first = manifests[0].m;
  const config = first.config as DatasetConfig;
  const n = first.shard!.count;
  if (manifests.length !== n) throw new GaitidError(`the dataset has ${n} parts; got ${manifests.length} (${manifests.map((x) => x.m.shard!.index).join(", ")})`);
  manifests.forEach((x, i) => {
    if (x.m.shard!.index !== i) throw new GaitidError(`part ${i} of ${n} is missing (have ${manifests.map((y) => y.m.shard!.index).join(", ")})`);
    if (JSON.stringify(x.m.config) !== JSON.stringify(config)) throw new GaitidError(`${x.dir} was made with another configuration than ${manifests[0].dir}`);
  });
  checkOutput(out, opts.force ?? false);
  const t0 = performance.now();
  const tmp = `${out}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  try {
    const samples = first.samples;
    const channels = CHANNEL_NAMES[config.channels].length;
    const xFd = fs.openSync(path.join(tmp, "X.npy"), "w");
    const pFd = fs.openSync(path.join(tmp, "params.csv"), "w");
    fs.writeSync(xFd, npyHeader([config.records, samples, channels]));
    fs.writeSync(pFd, PARAMS_HEADER + "\n");
    const params = new ParamColumns(config.records);
    let next = 0; // the id the next row must have
    const failures = Object.fromEntries(FAILURE_REASONS.map((r) => [r, 0])) as Record<FailureReason, number>;
    for (const { dir, m } of manifests) {
      const xPath = path.join(dir, "X.npy");
      const fd = fs.openSync(xPath, "r");
      const head = Buffer.alloc(4096);
      fs.readSync(fd, head, 0, head.length, 0);
      const info = parseNpyHeader(head, xPath);
      const buf = Buffer.allocUnsafe(1 << 22);
      let pos = info.offset;
      for (;;) {
        const got = fs.readSync(fd, buf, 0, buf.length, pos);
        if (got === 0) break;
        fs.writeSync(xFd, buf.subarray(0, got));
        pos += got;
      }
      fs.closeSync(fd);
      const text = fs.readFileSync(path.join(dir, "params.csv"), "utf8");
      const rows = parseParams(text, path.join(dir, "params.csv"));
      if (rows.length !== m.records) throw new GaitidError(`${dir}/params.csv has ${rows.length} rows; its manifest says ${m.records}`);
      fs.writeSync(pFd, text.slice(text.indexOf("\n") + 1));
      for (const r of rows) {
        if (r.id !== next) throw new GaitidError(`the parts do not join up: record ${next} has id ${r.id} (in ${dir})`);
        params.add(r);
        next++;
      }
      const f = (m.acceptance as { failures: Record<FailureReason, number> }).failures;
      for (const reason of FAILURE_REASONS) failures[reason] += f[reason];
    }
    fs.closeSync(xFd);
    fs.closeSync(pFd);
    writeSummary(tmp, params.summary());
    const attempts = next + Object.values(failures).reduce((a, b) => a + b, 0);
    const manifest: DatasetManifest = {
      ...first,
      kind: "gaitid-dataset",
      name: path.basename(out),
      records: config.records,
      shard: undefined,
      mergedFrom: manifests.map((x) => ({ dir: x.dir, shard: x.m.shard, timings: x.m.timings, environment: x.m.environment })),
      splits: params.splits,
      acceptance: { attempts, accepted: next, rate: next / attempts, failures },
      timings: { mergeSeconds: (performance.now() - t0) / 1000 },
      environment: environment(),
      files: {},
    };
    for (const f of ["X.npy", "params.csv", "summary.csv", "summary.txt"]) {
      const file = path.join(tmp, f);
      manifest.files[f] = { sha256: sha256File(file), bytes: fs.statSync(file).size };
    }
    writeJsonAtomic(path.join(tmp, "manifest.json"), manifest);
    publish(tmp, out);
    return manifest;
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

/** A dataset made or found by {@link ensureDataset}. */
export interface EnsuredDataset {
  dir: string;
  manifest: DatasetManifest;
  /** sha256 of its manifest.json (what a training run records as its dataset hash). */
  hash: string;
  /** True when a finished dataset with the same configuration was there and was kept. */
  reused: boolean;
  /** Generation time, s (0 when reused). */
  seconds: number;
}

/**
 * The dataset of `config` in `dir`: the one there when its manifest.json is that of a finished
 * dataset with the same configuration, else a new one, replacing a dataset of another
 * configuration (or a corrupt one) at that path, with a message through `say`. The one rule that
 * `gaitid reproduce`, the experiments and the notebooks share.
 */
export async function ensureDataset(
  config: DatasetConfig,
  dir: string,
  opts: Omit<GenerateOptions, "force" | "shard" | "abortAfter"> & { say?: (line: string) => void } = {},
): Promise<EnsuredDataset> {
  const manifestFile = path.join(dir, "manifest.json");
  if (fs.existsSync(manifestFile)) {
    let m: DatasetManifest | undefined;
    try {
      m = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as DatasetManifest;
    } catch {
      m = undefined; // corrupt: make it again
    }
    if (m?.kind === "gaitid-dataset" && sameConfig(m.config, config)) {
      return { dir, manifest: m, hash: sha256File(manifestFile), reused: true, seconds: 0 };
    }
    opts.say?.(`${dir} holds ${m ? "a dataset of another configuration" : "an unreadable manifest"}: replacing it`);
  }
  const t0 = performance.now();
  const { say: _say, ...generate } = opts;
  const manifest = await generateDataset(config, dir, { ...generate, force: true });
  return { dir, manifest, hash: sha256File(manifestFile), reused: false, seconds: (performance.now() - t0) / 1000 };
}
