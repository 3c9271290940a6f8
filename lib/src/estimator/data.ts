/**
 * From a dataset to what the network sees: inputs and targets, standardized with training-set
 * statistics, with optional Gaussian input noise.
 *
 * Inputs of a record: its samples in time order, each (x, y) (or (x, y, fx, fy) with force
 * channels), x measured from the record's start. The work is done in place in the dataset's own
 * array X (loadDataset's single copy of X.npy): nothing of the size of X is copied again.
 */
import type { Channels } from "../config";
import type { Dataset, RecordParams, Split } from "../dataset/format";
import { CHANNEL_NAMES } from "../dataset/format";
import { GaitidError } from "../errors";
import { Rng } from "../random";
import type { MkPriors } from "./floor";
import { massProbit } from "./posterior/coords";
import { STREAM } from "./rng";
import { checkVariant, NETWORK_COORDINATES, type Variant } from "./variant";

/** The value of a network coordinate of a record (SI units; logRho = ln(rho / (1/s^2)); mProbit under the dataset's priors of m and k, posterior/coords.ts). */
function coordinateOf(p: RecordParams, c: (typeof NETWORK_COORDINATES)[Variant][number], priors: MkPriors): number {
  return c === "logRho" ? Math.log(p.rho) : c === "mProbit" ? massProbit(p.m, p.rho, priors) : p[c];
}

/** What is needed to turn raw records into network inputs and outputs back into SI units. */
export interface Standardization {
  /** Input channels, in the order of each sample. */
  channels: string[];
  /** Samples per record. */
  samples: number;
  /** Per input feature (sample-major, channel-minor): mean and standard deviation on the training set. */
  featureMean: number[];
  featureStd: number[];
  /** Input noise: fraction of each channel's standard deviation, its seed, and that standard deviation per channel. */
  noise: number;
  noiseSeed: number;
  channelStd: number[];
  /** Network coordinates (the variant's quantities, or log rho, l0, m for the posterior) and their training-set mean and standard deviation (SI units). */
  targets: string[];
  targetMean: number[];
  targetStd: number[];
}

/** A dataset prepared for training. */
export interface PreparedData {
  /** Inputs, [records, features] row-major, standardized (a view into the dataset's X). */
  features: Float32Array;
  featureCount: number;
  /** Targets, [records, targets] row-major, standardized. */
  targets: Float32Array;
  targetCount: number;
  /** Record indices of each split (train possibly cut to `subset`). */
  split: Record<Split, Int32Array>;
  standardization: Standardization;
}

export interface PrepareOptions {
  /** Input channels (default "xy"): "xy+grf" needs a dataset that holds forces. */
  channels?: Channels;
  /** Noise as a fraction of each channel's training-set standard deviation (default 0). */
  noise?: number;
  noiseSeed?: number;
  /** Use only the first N training records (by id). */
  subset?: number;
}

function splitIndices(params: readonly RecordParams[], subset: number | undefined, dir: string): Record<Split, Int32Array> {
  const lists: Record<Split, number[]> = { train: [], val: [], test: [] };
  for (let i = 0; i < params.length; i++) lists[params[i].split].push(i);
  for (const s of ["train", "val", "test"] as const) {
    if (lists[s].length === 0) {
      throw new GaitidError(`${dir} has no ${s === "val" ? "validation" : s} records; the estimator needs train, val and test splits (dataset.split)`);
    }
  }
  if (subset !== undefined) {
    if (!Number.isInteger(subset) || subset < 1 || subset > lists.train.length) {
      throw new GaitidError(`subset must be an integer from 1 to ${lists.train.length} (the training records of ${dir}); got ${subset}`);
    }
    lists.train = lists.train.slice(0, subset);
  }
  return { train: Int32Array.from(lists.train), val: Int32Array.from(lists.val), test: Int32Array.from(lists.test) };
}

/** The positions in the dataset's channels of the `channels` the estimator reads (refused when missing). */
function inputChannels(ds: Dataset, channels: Channels): number[] {
  const want = CHANNEL_NAMES[channels];
  const have = CHANNEL_NAMES[ds.manifest.channels];
  if (!have || have.length !== ds.channels) {
    throw new GaitidError(`${ds.dir}: manifest channels ${JSON.stringify(ds.manifest.channels)} do not match X.npy's ${ds.channels} channels`);
  }
  const pick = want.map((c) => have.indexOf(c));
  if (pick.some((j) => j < 0)) {
    throw new GaitidError(`${ds.dir} holds channels "${ds.manifest.channels}" but the estimator's inputs "${channels}" need ${want.join(", ")}; generate a dataset with --channels ${channels}`);
  }
  return pick;
}

/**
 * Compacts X to the channels at `pick`, x measured from the record's start, in place (the write
 * position never passes the read position); refuses a non-finite value. Returns the features,
 * [records, samples * channels] row-major, a view into X.
 */
function compactChannels(ds: Dataset, pick: readonly number[], names: readonly string[]): Float32Array {
  const R = ds.records, S = ds.samples, C = ds.channels, c = pick.length, F = S * c;
  const X = ds.X;
  if (X.length !== R * S * C) throw new GaitidError(`${ds.dir}: X holds ${X.length} values, expected ${R * S * C}`);
  for (let r = 0; r < R; r++) {
    const src = r * S * C, dst = r * F;
    const x0 = X[src + pick[0]];
    for (let s = 0; s < S; s++) {
      for (let j = 0; j < c; j++) {
        const v = X[src + s * C + pick[j]];
        if (!Number.isFinite(v)) {
          throw new GaitidError(`${ds.dir}/X.npy is corrupt: record ${r}, sample ${s}, channel ${names[j]} is ${v}`);
        }
        X[dst + s * c + j] = j === 0 ? v - x0 : v;
      }
    }
  }
  return X.subarray(0, R * F);
}

/** Standard deviation of each of the `c` channels over the training records' samples (population form). */
function channelStds(features: Float32Array, train: Int32Array, S: number, c: number): number[] {
  const F = S * c;
  const sum = new Float64Array(c), sum2 = new Float64Array(c);
  for (const r of train) {
    for (let s = 0; s < S; s++) {
      for (let j = 0; j < c; j++) {
        const v = features[r * F + s * c + j];
        sum[j] += v;
        sum2[j] += v * v;
      }
    }
  }
  const n = train.length * S;
  return Array.from({ length: c }, (_, j) => Math.sqrt(Math.max(0, sum2[j] / n - (sum[j] / n) ** 2)));
}

/** Adds Gaussian noise of `noise` times each channel's standard deviation, fixed per record by (noiseSeed, record id). */
function addInputNoise(ds: Dataset, features: Float32Array, F: number, channelStd: readonly number[], noise: number, noiseSeed: number): void {
  const c = channelStd.length;
  for (let r = 0; r < ds.records; r++) {
    const rng = new Rng(noiseSeed, STREAM.noise, ds.params[r].id);
    const base = r * F;
    for (let f = 0; f < F; f++) features[base + f] += noise * channelStd[f % c] * rng.normal();
  }
}

/** Standardizes each of the F features in place with its training-set mean and standard deviation; returns them. */
function standardizeFeatures(features: Float32Array, F: number, train: Int32Array, channelStd: readonly number[]): { mean: Float64Array; std: Float64Array } {
  const c = channelStd.length;
  const mean = new Float64Array(F), m2 = new Float64Array(F);
  for (const r of train) for (let f = 0; f < F; f++) mean[f] += features[r * F + f];
  for (let f = 0; f < F; f++) mean[f] /= train.length;
  for (const r of train) {
    for (let f = 0; f < F; f++) {
      const d = features[r * F + f] - mean[f];
      m2[f] += d * d;
    }
  }
  const std = new Float64Array(F);
  for (let f = 0; f < F; f++) {
    const sd = Math.sqrt(m2[f] / train.length);
    // A feature constant over the training set (x at t = 0 is 0 by definition) is only centred.
    std[f] = sd > 1e-6 * (channelStd[f % c] || 1) ? sd : 1;
  }
  const R = features.length / F;
  for (let r = 0; r < R; r++) {
    const base = r * F;
    for (let f = 0; f < F; f++) features[base + f] = (features[base + f] - mean[f]) / std[f];
  }
  return { mean, std };
}

/** The variant's network coordinates of every record, standardized with their training-set mean and standard deviation. */
function standardizedTargets(ds: Dataset, target: Variant, train: Int32Array): { targets: Float32Array; mean: number[]; std: number[] } {
  const names = NETWORK_COORDINATES[target];
  const T = names.length, R = ds.records;
  const priors: MkPriors = { m: ds.manifest.config.m, k: ds.manifest.config.k };
  const coordinate = (p: RecordParams, c: (typeof names)[number]): number => coordinateOf(p, c, priors);
  const targets = new Float32Array(R * T);
  const mean: number[] = [], std: number[] = [];
  for (let t = 0; t < T; t++) {
    const key = names[t];
    let s1 = 0;
    for (const r of train) s1 += coordinate(ds.params[r], key);
    const mu = s1 / train.length;
    let s2 = 0;
    for (const r of train) s2 += (coordinate(ds.params[r], key) - mu) ** 2;
    const sd = Math.sqrt(s2 / train.length) || 1;
    mean.push(mu);
    std.push(sd);
    for (let r = 0; r < R; r++) targets[r * T + t] = (coordinate(ds.params[r], key) - mu) / sd;
  }
  return { targets, mean, std };
}

/**
 * Prepares a loaded dataset for one target variant. Works in place: afterwards `ds.X` no longer
 * holds the raw samples (its first records*features values are the standardized inputs).
 */
export function prepareData(ds: Dataset, target: Variant, opts: PrepareOptions = {}): PreparedData {
  const channels = opts.channels ?? "xy";
  const want = CHANNEL_NAMES[channels];
  const pick = inputChannels(ds, channels);
  checkVariant(target, "target");
  const noise = opts.noise ?? 0, noiseSeed = opts.noiseSeed ?? 0;
  if (!(noise >= 0) || !Number.isFinite(noise)) throw new GaitidError(`noise must be a fraction >= 0 of each channel's standard deviation; got ${noise}`);
  const split = splitIndices(ds.params, opts.subset, ds.dir);
  const F = ds.samples * want.length;
  const features = compactChannels(ds, pick, want);
  const channelStd = channelStds(features, split.train, ds.samples, want.length);
  if (noise > 0) addInputNoise(ds, features, F, channelStd, noise, noiseSeed);
  const { mean, std } = standardizeFeatures(features, F, split.train, channelStd);
  const t = standardizedTargets(ds, target, split.train);
  return {
    features,
    featureCount: F,
    targets: t.targets,
    targetCount: t.mean.length,
    split,
    standardization: {
      channels: [...want],
      samples: ds.samples,
      featureMean: Array.from(mean),
      featureStd: Array.from(std),
      noise,
      noiseSeed,
      channelStd,
      targets: [...NETWORK_COORDINATES[target]],
      targetMean: t.mean,
      targetStd: t.std,
    },
  };
}

/** Copies the rows `idx[from..to)` of a [records, width] array into `out` (row-major). */
export function gatherRows(src: Float32Array, width: number, idx: Int32Array, from: number, to: number, out: Float32Array): Float32Array {
  for (let i = from; i < to; i++) {
    const r = idx[i];
    out.set(src.subarray(r * width, (r + 1) * width), (i - from) * width);
  }
  return out;
}

/**
 * Network inputs for raw records (e.g. new data given to a saved model): [records, samples,
 * channels] in the dataset's channel order `have`, to standardized features, without noise.
 */
export function standardizeRecords(raw: Float32Array, have: readonly string[], st: Standardization): Float32Array {
  const C = have.length, S = st.samples, c = st.channels.length, F = S * c;
  const pick = st.channels.map((n) => have.indexOf(n));
  if (pick.some((j) => j < 0)) throw new GaitidError(`the records hold channels ${have.join(", ")}; the model needs ${st.channels.join(", ")}`);
  if (raw.length % (S * C) !== 0) throw new GaitidError(`the records must hold ${S} samples of ${C} channels each; got ${raw.length} values`);
  const R = raw.length / (S * C);
  const out = new Float32Array(R * F);
  for (let r = 0; r < R; r++) {
    const x0 = raw[r * S * C + pick[0]];
    for (let s = 0; s < S; s++) {
      for (let j = 0; j < c; j++) {
        const f = s * c + j;
        const v = raw[r * S * C + s * C + pick[j]] - (j === 0 ? x0 : 0);
        out[r * F + f] = (v - st.featureMean[f]) / st.featureStd[f];
      }
    }
  }
  return out;
}
