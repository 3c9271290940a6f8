/** A chunk of consecutive records: the unit of work of the generator's threads. */
import type { DatasetConfig } from "../config";
import type { WalkerSimulator } from "../walker/simulate";
import { CHANNEL_NAMES, type RecordParams, type Split } from "./format";
import { FAILURE_REASONS, makeRecord, type FailureReason } from "./record";

export interface ChunkRequest {
  /** First record index and the number of records. */
  start: number;
  count: number;
  /** Split of each record in the chunk. */
  splits: Split[];
}

export interface ChunkResult {
  start: number;
  count: number;
  /** [count, samples, channels] float32. */
  X: Float32Array;
  params: RecordParams[];
  failures: Record<FailureReason, number>;
}

/**
 * The records [lo, hi) cut into chunks of `size` (the last one shorter), each with the splits of
 * its records (`splits` holds the split of every record of the dataset).
 */
export function chunkRequests(lo: number, hi: number, splits: readonly Split[], size: number): ChunkRequest[] {
  const requests: ChunkRequest[] = [];
  for (let s = lo; s < hi; s += size) {
    const c = Math.min(size, hi - s);
    requests.push({ start: s, count: c, splits: splits.slice(s, s + c) });
  }
  return requests;
}

/** Makes the records start .. start + count - 1. */
export function makeChunk(sim: WalkerSimulator, config: DatasetConfig, req: ChunkRequest): ChunkResult {
  const samples = Math.round(config.duration / config.dt) + 1;
  const channels = CHANNEL_NAMES[config.channels].length;
  const X = new Float32Array(req.count * samples * channels);
  const params: RecordParams[] = [];
  const failures = Object.fromEntries(FAILURE_REASONS.map((r) => [r, 0])) as Record<FailureReason, number>;
  for (let i = 0; i < req.count; i++) {
    const r = makeRecord(sim, config, req.start + i, req.splits[i], X, i * samples * channels);
    params.push(r.params);
    for (const reason of FAILURE_REASONS) failures[reason] += r.failures[reason];
  }
  return { start: req.start, count: req.count, X, params, failures };
}
