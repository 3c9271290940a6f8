/**
 * Measurement noise of a fit: Gaussian, independent, of known standard deviation per channel,
 * given either as a fraction of each channel's standard deviation over the training records (as
 * the noise experiment adds it to the network's inputs) or in absolute units (m for x and y, N for
 * fx and fy). And the observed record: its channels re-simulated from its parameters plus a seeded
 * noise draw.
 *
 * The channel scales are the noise experiment's: the standard deviation over all samples of the
 * training records of x (measured from each record's start) and of y, from X.npy, computed as
 * prepareData computes it (float32 values, float64 sums). A dataset without forces has no
 * fx, fy columns; their scales then come from the first {@link FORCE_SCALE_RECORDS} training
 * records re-simulated with the force (the scale of a channel over 200 records is good to about 1 %).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { DatasetManifest, RecordParams } from "../dataset/format";
import { CHANNEL_NAMES } from "../dataset/format";
import { parseNpyHeader } from "../dataset/npy";
import { GaitidError, show } from "../errors";
import type { ObservationModel } from "../identifiability/sensitivity";
import { recordFromParams } from "../identifiability/records";
import { Rng } from "../random";
import { WalkerSimulator } from "../walker/simulate";
import { channelsOf, cleanChannels, type FitRecord, type Observation } from "./record";

/** Streams of the fits' random numbers (second argument of {@link Rng}): noise draws and starts. */
export const FIT_STREAM = { noise: 11, starts: 12 } as const;

/** Training records re-simulated for the scale of a force channel that the dataset does not hold. */
export const FORCE_SCALE_RECORDS = 200;

/** Standard deviation of each channel over the training records (x, y in m; fx, fy in N). */
export interface ChannelScales {
  x: number;
  y: number;
  fx: number;
  fy: number;
  /** Where each came from. */
  source: { xy: string; force: string };
}

/** The noise of a fit: a fraction of each channel's scale, or absolute standard deviations. */
export type NoiseSpec = { fraction: number } | { sigma: { x: number; y: number; fx?: number; fy?: number } };

/** Checks a noise specification (fraction >= 0, standard deviations >= 0 and finite). */
export function checkNoise(n: NoiseSpec, flag = "--noise"): NoiseSpec {
  if ("fraction" in n) {
    if (!(Number.isFinite(n.fraction) && n.fraction >= 0)) {
      throw new GaitidError(`${flag} must be a fraction >= 0 of each channel's standard deviation (0.01 is 1 %); got ${show(n.fraction)}`);
    }
  } else {
    for (const [c, v] of Object.entries(n.sigma)) {
      if (v !== undefined && !(Number.isFinite(v) && v >= 0)) throw new GaitidError(`${flag}: the standard deviation of ${c} must be >= 0 (${c === "fx" || c === "fy" ? "N" : "m"}); got ${show(v)}`);
    }
  }
  return n;
}

/** Sums of float32 channel values over the training records of X.npy, read in blocks (X.npy may be larger than memory allows). */
function xyScales(dir: string, manifest: DatasetManifest, params: readonly RecordParams[]): Record<string, number> {
  const names = CHANNEL_NAMES[manifest.channels];
  const C = names.length, S = manifest.samples;
  const file = path.join(dir, "X.npy");
  const fd = fs.openSync(file, "r");
  try {
    const head = Buffer.alloc(4096);
    fs.readSync(fd, head, 0, head.length, 0);
    const info = parseNpyHeader(head, file);
    if (info.dtype !== "<f4" || info.shape.join(",") !== [manifest.records, S, C].join(",")) {
      throw new GaitidError(`${file} has shape [${info.shape}] (${info.dtype}); the manifest says [${manifest.records}, ${S}, ${C}] float32`);
    }
    const sum = new Float64Array(C), sum2 = new Float64Array(C);
    const perRecord = S * C * 4;
    const buf = Buffer.alloc(perRecord * 256);
    const train = params.filter((p) => p.split === "train").map((p) => p.id);
    let n = 0;
    for (let b = 0; b < train.length; ) {
      // Read runs of consecutive training records in one call.
      let e = b + 1;
      while (e < train.length && e - b < 256 && train[e] === train[e - 1] + 1) e++;
      const bytes = (e - b) * perRecord;
      fs.readSync(fd, buf, 0, bytes, info.offset + train[b] * perRecord);
      const v = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + bytes));
      for (let r = 0; r < e - b; r++) {
        const x0 = v[r * S * C];
        for (let s = 0; s < S; s++) {
          for (let j = 0; j < C; j++) {
            const raw = v[(r * S + s) * C + j];
            const val = j === 0 ? Math.fround(raw - x0) : raw;
            sum[j] += val;
            sum2[j] += val * val;
          }
        }
      }
      n += (e - b) * S;
      b = e;
    }
    if (n === 0) throw new GaitidError(`${dir} has no training records to take the channels' standard deviations from`);
    const out: Record<string, number> = {};
    names.forEach((c, j) => (out[c] = Math.sqrt(Math.max(0, sum2[j] / n - (sum[j] / n) ** 2))));
    return out;
  } finally {
    fs.closeSync(fd);
  }
}

/** The force channels' scales from re-simulated training records (N). */
function forceScales(params: readonly RecordParams[], duration: number, dt: number, count: number): { fx: number; fy: number } {
  const sim = new WalkerSimulator();
  const sum = [0, 0], sum2 = [0, 0];
  let n = 0;
  for (const p of params.filter((q) => q.split === "train").slice(0, count)) {
    const v = cleanChannels(sim, recordFromParams(p, duration, dt), "xy+grf");
    const S = v.length / 4;
    for (let j = 0; j < 2; j++) {
      for (let s = 0; s < S; s++) {
        const f = v[(2 + j) * S + s];
        sum[j] += f;
        sum2[j] += f * f;
      }
    }
    n += S;
  }
  if (n === 0) throw new GaitidError("no training records to take the force channels' standard deviations from");
  const sd = (j: number): number => Math.sqrt(Math.max(0, sum2[j] / n - (sum[j] / n) ** 2));
  return { fx: sd(0), fy: sd(1) };
}

/** The channel scales of the dataset in `dir` (see the module comment). */
export function datasetChannelScales(dir: string, manifest: DatasetManifest, params: readonly RecordParams[], forceRecords = FORCE_SCALE_RECORDS): ChannelScales {
  const xy = xyScales(dir, manifest, params);
  const train = params.filter((p) => p.split === "train").length;
  if (xy.fx !== undefined && xy.fy !== undefined) {
    return { x: xy.x, y: xy.y, fx: xy.fx, fy: xy.fy, source: { xy: `X.npy, ${train} training records`, force: `X.npy, ${train} training records` } };
  }
  const f = forceScales(params, manifest.duration, manifest.dt, forceRecords);
  return { x: xy.x, y: xy.y, ...f, source: { xy: `X.npy, ${train} training records`, force: `re-simulated, first ${Math.min(forceRecords, train)} training records` } };
}

/** Standard deviation of the noise per channel of `observe` (m, m, N, N). */
export function noiseSigma(spec: NoiseSpec, scales: ChannelScales, observe: ObservationModel): number[] {
  return channelsOf(observe).map((c) => {
    if ("fraction" in spec) return spec.fraction * scales[c as "x"];
    const v = spec.sigma[c as "x"];
    if (v === undefined) throw new GaitidError(`the noise of ${c} is not given: absolute noise for xy+grf needs four standard deviations (x, y in m, fx, fy in N)`);
    return v;
  });
}

/**
 * The observed record: its channels re-simulated from its parameters (the fits' tolerances) plus
 * Gaussian noise of `sigma` per channel, drawn from (seed, noise stream, record id) in the order of
 * the stacked channels. The same seed gives the same standard normal draws at every noise level.
 */
export function noisyObservation(sim: WalkerSimulator, rec: FitRecord, observe: ObservationModel, sigma: readonly number[], scales: ChannelScales, seed: number): Observation {
  const data = cleanChannels(sim, rec, observe);
  const samples = Math.round(rec.duration / rec.dt) + 1;
  const rng = new Rng(seed, FIT_STREAM.noise, rec.id);
  const names = channelsOf(observe);
  for (let j = 0; j < names.length; j++) {
    for (let i = 0; i < samples; i++) {
      const z = rng.normal();
      data[j * samples + i] += sigma[j] * z;
    }
  }
  const unit = names.map((c, j) => (sigma[j] > 0 ? sigma[j] : scales[c as "x"]));
  return { id: rec.id, observe, samples, dt: rec.dt, data, noiseSigma: [...sigma], sigma: unit };
}
