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
import { STREAM } from "./rng";
import { checkVariant, NETWORK_COORDINATES, PAPER_VARIANTS, VARIANT_TARGETS, type PaperVariant, type Variant } from "./variant";

/** @deprecated The variants and their quantities: use VARIANT_TARGETS (variant.ts). */
export const TARGETS = VARIANT_TARGETS;
/** @deprecated The paper's two variants: use PaperVariant, or Variant for every variant (variant.ts). */
export type TargetName = PaperVariant;
/** @deprecated The paper's two variants (what --target both trains): use PAPER_VARIANTS (variant.ts). */
export const TARGET_NAMES: PaperVariant[] = [...PAPER_VARIANTS];

/** The value of a network coordinate of a record (SI units; logRho = ln(rho / (1/s^2))). */
function coordinate(p: RecordParams, c: (typeof NETWORK_COORDINATES)[Variant][number]): number {
  return c === "logRho" ? Math.log(p.rho) : p[c];
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

/**
 * Prepares a loaded dataset for one target variant. Works in place: afterwards `ds.X` no longer
 * holds the raw samples (its first records*features values are the standardized inputs).
 */
export function prepareData(ds: Dataset, target: Variant, opts: PrepareOptions = {}): PreparedData {
  const channels = opts.channels ?? "xy";
  const want = CHANNEL_NAMES[channels];
  const have = CHANNEL_NAMES[ds.manifest.channels];
  if (!have || have.length !== ds.channels) {
    throw new GaitidError(`${ds.dir}: manifest channels ${JSON.stringify(ds.manifest.channels)} do not match X.npy's ${ds.channels} channels`);
  }
  const pick = want.map((c) => have.indexOf(c));
  if (pick.some((j) => j < 0)) {
    throw new GaitidError(`${ds.dir} holds channels "${ds.manifest.channels}" but the estimator's inputs "${channels}" need ${want.join(", ")}; generate a dataset with --channels ${channels}`);
  }
  checkVariant(target, "target");
  const noise = opts.noise ?? 0, noiseSeed = opts.noiseSeed ?? 0;
  if (!(noise >= 0) || !Number.isFinite(noise)) throw new GaitidError(`noise must be a fraction >= 0 of each channel's standard deviation; got ${noise}`);

  const split = splitIndices(ds.params, opts.subset, ds.dir);
  const R = ds.records, S = ds.samples, C = ds.channels, c = want.length, F = S * c;
  const X = ds.X;
  if (X.length !== R * S * C) throw new GaitidError(`${ds.dir}: X holds ${X.length} values, expected ${R * S * C}`);

  // 1. Compact to the wanted channels, x measured from the record's start (in place: the write
  //    position never passes the read position).
  for (let r = 0; r < R; r++) {
    const src = r * S * C, dst = r * F;
    const x0 = X[src + pick[0]];
    for (let s = 0; s < S; s++) {
      for (let j = 0; j < c; j++) {
        const v = X[src + s * C + pick[j]];
        if (!Number.isFinite(v)) {
          throw new GaitidError(`${ds.dir}/X.npy is corrupt: record ${r}, sample ${s}, channel ${want[j]} is ${v}`);
        }
        X[dst + s * c + j] = j === 0 ? v - x0 : v;
      }
    }
  }
  const features = X.subarray(0, R * F);

  // 2. Noise at a fraction of each channel's training-set standard deviation, fixed per record by (noiseSeed, record id).
  const channelStd = new Array<number>(c).fill(0);
  {
    const sum = new Float64Array(c), sum2 = new Float64Array(c);
    for (const r of split.train) {
      for (let s = 0; s < S; s++) {
        for (let j = 0; j < c; j++) {
          const v = features[r * F + s * c + j];
          sum[j] += v;
          sum2[j] += v * v;
        }
      }
    }
    const n = split.train.length * S;
    for (let j = 0; j < c; j++) channelStd[j] = Math.sqrt(Math.max(0, sum2[j] / n - (sum[j] / n) ** 2));
  }
  if (noise > 0) {
    for (let r = 0; r < R; r++) {
      const rng = new Rng(noiseSeed, STREAM.noise, ds.params[r].id);
      const base = r * F;
      for (let f = 0; f < F; f++) features[base + f] += noise * channelStd[f % c] * rng.normal();
    }
  }

  // 3. Standardize each feature with its training-set mean and standard deviation.
  const mean = new Float64Array(F), m2 = new Float64Array(F);
  for (const r of split.train) for (let f = 0; f < F; f++) mean[f] += features[r * F + f];
  for (let f = 0; f < F; f++) mean[f] /= split.train.length;
  for (const r of split.train) {
    for (let f = 0; f < F; f++) {
      const d = features[r * F + f] - mean[f];
      m2[f] += d * d;
    }
  }
  const std = new Float64Array(F);
  for (let f = 0; f < F; f++) {
    const sd = Math.sqrt(m2[f] / split.train.length);
    // A feature constant over the training set (x at t = 0 is 0 by definition) is only centred.
    std[f] = sd > 1e-6 * (channelStd[f % c] || 1) ? sd : 1;
  }
  for (let r = 0; r < R; r++) {
    const base = r * F;
    for (let f = 0; f < F; f++) features[base + f] = (features[base + f] - mean[f]) / std[f];
  }

  // 4. Targets: the variant's network coordinates, standardized.
  const names = NETWORK_COORDINATES[target];
  const T = names.length;
  const targets = new Float32Array(R * T);
  const tMean: number[] = [], tStd: number[] = [];
  for (let t = 0; t < T; t++) {
    const key = names[t];
    let s1 = 0;
    for (const r of split.train) s1 += coordinate(ds.params[r], key);
    const mu = s1 / split.train.length;
    let s2 = 0;
    for (const r of split.train) s2 += (coordinate(ds.params[r], key) - mu) ** 2;
    const sd = Math.sqrt(s2 / split.train.length) || 1;
    tMean.push(mu);
    tStd.push(sd);
    for (let r = 0; r < R; r++) targets[r * T + t] = (coordinate(ds.params[r], key) - mu) / sd;
  }

  return {
    features,
    featureCount: F,
    targets,
    targetCount: T,
    split,
    standardization: {
      channels: [...want],
      samples: S,
      featureMean: Array.from(mean),
      featureStd: Array.from(std),
      noise,
      noiseSeed,
      channelStd,
      targets: [...names],
      targetMean: tMean,
      targetStd: tStd,
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
