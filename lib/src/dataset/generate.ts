/**
 * The dataset generator: records in parallel on worker threads, streamed to disk in record order
 * (bounded memory), deterministic whatever the number of workers or shards, resumable after an
 * interruption, and written into place only when complete. The parts:
 * - generation.ts: one run (checks, the records, the summary and manifest, the move into place);
 * - partial.ts: the resumable folder `<out>.partial/` of an unfinished run;
 * - pool.ts, chunk.ts, worker.ts: the worker threads and their unit of work;
 * - shard.ts: parts of a dataset (--shard i/N or auto from a cluster scheduler); merge.ts joins them;
 * - reuse.ts: the rule for keeping a finished dataset (ensureDataset);
 * - splits.ts, columns.ts, rows.ts, manifest.ts: the splits, the summary's columns, params.csv in
 *   blocks, the manifest.
 */
export { generateDataset, type GenerateOptions } from "./generation";
export { mergeDatasets } from "./merge";
export { ensureDataset, type EnsuredDataset } from "./reuse";
export { parseShard, shardFromScheduler, shardRange, SHARD_COUNT_VARIABLE, type Shard } from "./shard";
export { splitsOf } from "./splits";
export { partialFolder } from "./partial";
