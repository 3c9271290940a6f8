/**
 * The spread over seeds: N runs of one variant that differ only in the seed of their initial
 * weights and shuffling (training.seed = seed0, seed0 + 1, ...; the input-noise seed is kept),
 * trained concurrently, one process each, up to the core count (the wasm backend computes on one
 * thread per process). Each run is an ordinary run folder (resumed or reported if already there,
 * as --resume does). The result gives each run's scores and, per quantity, their mean and sample
 * standard deviation, and what a difference between two settings must exceed to mean anything.
 */
import * as os from "node:os";
import { GaitidError, type NumericRange } from "../errors";
import type { MaybeNumber } from "./metrics";
import { trainInProcess, type WorkerTrainOptions } from "./parallel";
import type { Metrics } from "./run";
import type { RunSummary } from "./train";
import type { Variant } from "./variant";

/** The range of --seeds: training runs per setting. */
export const SEEDS_RANGE: NumericRange = { min: 1, max: 100, integer: true, unit: "training runs per variant" };

/** Mean and sample standard deviation (n - 1) of a score over the seeds; null where a run has none. */
export interface Spread {
  mean: MaybeNumber;
  sd: MaybeNumber;
  /**
   * The smallest difference between the means of two settings (each over the same number of seeds)
   * that is more than noise: 2 sd sqrt(2 / n), about the 95 % level for normal scores.
   */
  minDifference: MaybeNumber;
}

/** One seed's run. */
export interface SeedRun {
  seed: number;
  dir: string;
  /** Training time, s, and samples per second. */
  trainSeconds: number;
  samplesPerSecond: number;
  metrics: Metrics;
}

/** What trainSeeds returns (and what a report's results table summarises). */
export interface SeedsResult {
  target: Variant;
  seeds: number[];
  runs: SeedRun[];
  /** Per quantity of the variant: R^2, RMSE (SI units) and, for m and k, RMSE / floor. */
  spread: Record<string, { r2: Spread; rmse: Spread; rmseOverFloor?: Spread }>;
}

/** Mean, sample standard deviation and the smallest meaningful difference of `values` (nulls make all null). */
export function spreadOf(values: readonly MaybeNumber[]): Spread {
  const n = values.length;
  if (n === 0 || values.some((v) => v === null)) return { mean: null, sd: null, minDifference: null };
  const xs = values as number[];
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, sd: null, minDifference: null };
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  return { mean, sd, minDifference: 2 * sd * Math.sqrt(2 / n) };
}

export interface TrainSeedsOptions {
  /** Everything of a run but its folder; training.seed is the first seed. */
  base: Omit<WorkerTrainOptions, "out">;
  /** Runs (seeds training.seed, training.seed + 1, ...). */
  count: number;
  /** The run folder of a seed. */
  outFor: (seed: number) => string;
  /** Processes at once (default: the core count). */
  concurrency?: number;
  signal?: AbortSignal;
}

/** Trains `count` runs that differ in their seed (see the module comment); resolves when all are done. */
export async function trainSeeds(o: TrainSeedsOptions): Promise<SeedsResult> {
  if (!Number.isInteger(o.count) || o.count < 1 || o.count > 100) throw new GaitidError(`--seeds must be a whole number from 1 to 100; got ${o.count}`);
  const first = o.base.training.seed;
  const seeds = Array.from({ length: o.count }, (_, i) => first + i);
  const limit = Math.max(1, Math.min(o.concurrency ?? os.cpus().length, seeds.length));
  const summaries = new Array<RunSummary>(seeds.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < seeds.length) {
      const i = next++;
      summaries[i] = await trainInProcess({ ...o.base, training: { ...o.base.training, seed: seeds[i] }, out: o.outFor(seeds[i]), resume: true }, o.signal);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  const runs: SeedRun[] = summaries.map((s, i) => ({ seed: seeds[i], dir: s.dir, trainSeconds: s.trainSeconds, samplesPerSecond: s.samplesPerSecond, metrics: s.metrics }));
  return { target: o.base.target, seeds, runs, spread: seedSpread(runs.map((r) => r.metrics)) };
}

/** Per quantity of the runs' variant, the spread of R^2, RMSE and (where there is a floor) RMSE / floor over the runs. */
export function seedSpread(runs: readonly Pick<Metrics, "params">[]): SeedsResult["spread"] {
  const spread: SeedsResult["spread"] = {};
  for (const q of Object.keys(runs[0].params)) {
    const ps = runs.map((r) => r.params[q]);
    spread[q] = { r2: spreadOf(ps.map((p) => p.r2)), rmse: spreadOf(ps.map((p) => p.rmse)) };
    if (ps[0].floorRmse > 0) spread[q].rmseOverFloor = spreadOf(ps.map((p) => p.rmse / p.floorRmse));
  }
  return spread;
}
