/**
 * One generation: checks everything before any work, makes the records of the dataset (or of one
 * shard) in parallel, appends them in record order to the resumable partial folder (partial.ts),
 * and when all are made writes the summary and the manifest and moves the folder into place.
 * Stopped in any way, it keeps the finished records for the next run of the same configuration.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { validateDatasetConfig, type DatasetConfig } from "../config";
import { GaitidError } from "../errors";
import { onInterrupt, prepareOutput, removeStaleTemporaries, replaceFolder } from "../outputs";
import { Progress } from "../progress";
import { writeJsonAtomic } from "../provenance";
import { WalkerSimulator } from "../walker/simulate";
import { chunkRequests, makeChunk, type ChunkResult } from "./chunk";
import { ParamColumns } from "./columns";
import { CHANNEL_NAMES, type DatasetManifest } from "./format";
import { generationManifest, recordFiles } from "./manifest";
import { npyHeader } from "./npy";
import { checkPartialFolder, PartialDataset, type PartialPlan } from "./partial";
import { runPool, type RunningPool } from "./pool";
import { parseShard, shardRange, type Shard } from "./shard";
import { splitsOf } from "./splits";
import { writeSummary } from "./summary";

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
  /**
   * Least time between two commits of the finished records to disk, s (default 2): what a kill
   * can lose at most. 0 commits after every chunk.
   */
  commitSeconds?: number;
  /** Where messages go (starting over, continuing, interrupted); default stderr unless quiet. */
  say?: (line: string) => void;
}

/** A generation, checked and sized. */
interface Plan extends PartialPlan {
  out: string;
  samples: number;
  workers: number;
  shard: Shard | null;
}

/**
 * Creates the folder that will hold `out` (and its partial or temporary sibling), refusing with
 * a clear message where that is impossible (a file in the way, no permission).
 */
export function makeParentFolder(out: string, flag = "--out"): void {
  const parent = path.dirname(path.resolve(out));
  try {
    fs.mkdirSync(parent, { recursive: true });
    fs.accessSync(parent, fs.constants.W_OK | fs.constants.X_OK);
  } catch (err) {
    throw new GaitidError(`${flag} ${out}: cannot write to ${parent} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); choose another ${flag}`);
  }
}

/** Checks the configuration, the options and the output folder, before any work. */
function planGeneration(config: DatasetConfig, out: string, opts: GenerateOptions): Plan {
  validateDatasetConfig(config);
  const workers = opts.workers ?? os.cpus().length;
  if (!Number.isInteger(workers) || workers < 0) throw new GaitidError(`workers must be a whole number >= 0; got ${workers}`);
  const chunkSize = opts.chunkSize ?? 64;
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new GaitidError(`chunkSize must be a whole number >= 1; got ${chunkSize}`);
  if (opts.shard) parseShard(`${opts.shard.index}/${opts.shard.count}`);
  if (opts.shard && opts.shard.count > config.records) {
    throw new GaitidError(`--shard ${opts.shard.index}/${opts.shard.count}: more parts than records (${config.records})`);
  }
  prepareOutput(out, opts.shard ? "dataset-part" : "dataset", { force: opts.force });
  checkPartialFolder(out);
  makeParentFolder(out);
  const samples = Math.round(config.duration / config.dt) + 1;
  const channels = CHANNEL_NAMES[config.channels].length;
  const range = shardRange(config.records, opts.shard);
  return {
    config, out, samples, workers, shard: opts.shard ?? null, range,
    npyHeader: npyHeader([range[1] - range[0], samples, channels]),
    recordBytes: samples * channels * 4,
  };
}

/** Makes the records the partial folder does not hold yet and appends them in order. */
async function makeRecords(plan: Plan, partial: PartialDataset, columns: ParamColumns, opts: GenerateOptions, started: (p: RunningPool) => void): Promise<void> {
  const [lo, hi] = plan.range;
  // The rate and the time left are those of this run: records kept from an earlier one are not counted.
  const kept = partial.records;
  const progress = new Progress(hi - lo - kept, { unit: "records", label: kept > 0 ? `generate (after ${kept} kept)` : "generate", quiet: opts.quiet });
  const requests = chunkRequests(lo + kept, hi, splitsOf(plan.config), opts.chunkSize ?? 64);
  const limit = opts.abortAfter ?? Infinity;
  const write = (r: ChunkResult): void => {
    partial.append(r);
    for (const p of r.params) columns.add(p);
    partial.commit(opts.commitSeconds ?? 2);
    progress.update(partial.records - kept);
    if (partial.records >= limit) throw new GaitidError(`generation stopped after ${partial.records} records (abortAfter)`, 1);
  };
  if (plan.workers === 0) {
    const sim = new WalkerSimulator();
    for (const req of requests) {
      write(makeChunk(sim, plan.config, req));
      // Let a signal (Ctrl-C) be handled between chunks.
      await new Promise((resolve) => setImmediate(resolve));
    }
  } else if (requests.length > 0) {
    const pool = runPool(plan.config, requests, Math.min(plan.workers, requests.length), write);
    started(pool);
    await pool.done;
  }
  progress.finish(`made in ${partial.seconds.toFixed(1)} s`);
}

/** Writes the summary (a whole dataset only) and the manifest, and moves the folder into place. */
function finish(plan: Plan, partial: PartialDataset, columns: ParamColumns, opts: GenerateOptions): DatasetManifest {
  partial.commit();
  const generateSeconds = partial.seconds;
  let summarySeconds = 0;
  if (!plan.shard) {
    const ts = performance.now();
    writeSummary(partial.dir, columns.summary());
    summarySeconds = (performance.now() - ts) / 1000;
  }
  const manifest = generationManifest({
    config: plan.config, out: plan.out, preset: opts.preset, shard: plan.shard ?? undefined, range: plan.range, samples: plan.samples,
    splits: columns.splits, failures: partial.failures, workers: plan.workers, generateSeconds, summarySeconds,
  });
  recordFiles(partial.dir, manifest);
  writeJsonAtomic(path.join(partial.dir, "manifest.json"), manifest);
  partial.seal();
  replaceFolder(partial.dir, plan.out);
  return manifest;
}

/**
 * Generates a dataset (or one shard of it) into `out`. Validates everything before any work, and
 * refuses an output folder that is not a gaitid dataset (a dataset part, for a shard) or that
 * holds one without `force`. Resolves to the manifest. The folder appears only when complete;
 * until then the records are in `<out>.partial/`, which a later run with the same configuration
 * continues (see partial.ts).
 */
export async function generateDataset(config: DatasetConfig, out: string, opts: GenerateOptions = {}): Promise<DatasetManifest> {
  const plan = planGeneration(config, out, opts);
  const say = opts.say ?? ((line: string) => (opts.quiet ? undefined : console.error(line)));
  for (const stale of removeStaleTemporaries(out)) say(`removed ${stale}, left by a process that no longer runs`);
  const columns = new ParamColumns(plan.range[1] - plan.range[0]);
  const partial = PartialDataset.open(out, plan, columns, say);
  let pool: RunningPool | undefined;
  const suspend = (why: string): void => {
    pool?.stop();
    partial.suspend();
    say(`${why}: ${partial.records} of ${plan.range[1] - plan.range[0]} records kept in ${partial.dir}; the same command continues from there (or delete that folder)`);
  };
  const removeHandlers = onInterrupt(() => suspend("interrupted"));
  try {
    await makeRecords(plan, partial, columns, opts, (p) => (pool = p));
    return finish(plan, partial, columns, opts);
  } catch (err) {
    if (fs.existsSync(partial.dir)) suspend("stopped");
    throw err;
  } finally {
    removeHandlers();
  }
}
