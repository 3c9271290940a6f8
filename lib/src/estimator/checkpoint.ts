/**
 * checkpoint.json of an interrupted run: everything that decides the rest of it (weights, Adam's
 * step and moments, the best weights so far, the history), so that --resume continues to the very
 * result of the uninterrupted run. Float32 arrays are base64 of their little-endian bytes. A new
 * run writes one before its first epoch (epoch 0, best validation loss null): a folder holding a
 * checkpoint is gaitid's from the start.
 *
 * The fingerprint holds every setting that changes the numbers; a checkpoint is resumed only with
 * the same fingerprint. Its fields are those of the first format (target, training less epochs,
 * patience and checkpointEvery, datasetHash, subset, channels, backend); settings added since
 * (arch, the posterior's mixture) appear only when they differ from what the first format meant,
 * so the checkpoints of runs started before them resume unchanged.
 */
import * as fs from "node:fs";
import type { Channels, TrainingConfig } from "../config";
import { GaitidError } from "../errors";
import { writeFileAtomic } from "../provenance";
import type { AdamState } from "./adam";
import type { HistoryRow } from "./run";
import type { Variant } from "./variant";

/** The checkpoint's contents in memory. */
export interface CheckpointState {
  fingerprint: Record<string, unknown>;
  /** Epochs completed. */
  epoch: number;
  weights: Float32Array[];
  adam: AdamState;
  /** The best validation loss so far (Infinity before the first epoch) and its weights. */
  best: { valLoss: number; epoch: number; weights: Float32Array[] };
  history: HistoryRow[];
  /** Training time and samples over all sessions so far, s. */
  trainSeconds: number;
  trainSamples: number;
}

/** checkpoint.json as written. */
interface CheckpointFile {
  kind: "gaitid-checkpoint";
  fingerprint: Record<string, unknown>;
  epoch: number;
  weights: string[];
  adam: { step: number; m: string[]; v: string[] };
  best: { valLoss: number | null; epoch: number; weights: string[] };
  history: HistoryRow[];
  trainSeconds: number;
  trainSamples: number;
}

const b64 = (a: Float32Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("base64");
const f32 = (s: string): Float32Array => {
  const b = Buffer.from(s, "base64");
  const out = new Float32Array(b.length / 4);
  new Uint8Array(out.buffer).set(b);
  return out;
};

/** Writes `c` to `file` (atomically). */
export function writeCheckpoint(file: string, c: CheckpointState): void {
  const out: CheckpointFile = {
    kind: "gaitid-checkpoint",
    fingerprint: c.fingerprint,
    epoch: c.epoch,
    weights: c.weights.map(b64),
    adam: { step: c.adam.step, m: c.adam.m.map(b64), v: c.adam.v.map(b64) },
    best: { valLoss: c.best.valLoss, epoch: c.best.epoch, weights: c.best.weights.map(b64) },
    history: c.history,
    trainSeconds: c.trainSeconds,
    trainSamples: c.trainSamples,
  };
  writeFileAtomic(file, JSON.stringify(out));
}

/** Reads a checkpoint written by {@link writeCheckpoint} (or by earlier versions: the format is the same). */
export function readCheckpoint(file: string): CheckpointState {
  let c: CheckpointFile;
  try {
    c = JSON.parse(fs.readFileSync(file, "utf8")) as CheckpointFile;
  } catch (err) {
    throw new GaitidError(`${file} is corrupt (${(err as Error).message}); start over with --force`);
  }
  if (c?.kind !== "gaitid-checkpoint") throw new GaitidError(`${file} is not a gaitid checkpoint`);
  const ok = Number.isInteger(c.epoch) && Array.isArray(c.weights) && Array.isArray(c.adam?.m) && Array.isArray(c.adam?.v) && Array.isArray(c.best?.weights) && Array.isArray(c.history);
  if (!ok) throw new GaitidError(`${file} is incomplete (epoch, weights, adam, best or history missing); start over with --force`);
  return {
    fingerprint: c.fingerprint,
    epoch: c.epoch,
    weights: c.weights.map(f32),
    adam: { step: c.adam.step, m: c.adam.m.map(f32), v: c.adam.v.map(f32) },
    best: { valLoss: c.best.valLoss ?? Infinity, epoch: c.best.epoch, weights: c.best.weights.map(f32) },
    history: c.history.slice(0, c.epoch),
    trainSeconds: c.trainSeconds ?? 0,
    trainSamples: c.trainSamples ?? 0,
  };
}

/** What decides a run's numbers. */
export interface RunSettings {
  target: Variant;
  training: TrainingConfig;
  datasetHash: string;
  subset?: number | null;
  channels: Channels;
  /** The backend that computes ("wasm", ...): backends round differently. */
  backend: string;
  /** Network architecture (default "mlp"). */
  arch?: string;
  /** Mixture components of the posterior variant. */
  components?: number;
  /** The posterior variant's coordinates, learning-rate schedule and recalibration (posterior/design.ts; absent in runs before them). */
  posterior?: { coordinates: readonly string[]; learningRate?: unknown; recalibration?: unknown };
}

/**
 * The fingerprint of a run's settings. `finished` also compares epochs and patience (a finished
 * run cannot be continued; a resumed interrupted one may be given more epochs).
 */
export function fingerprintOf(s: RunSettings, finished = false): Record<string, unknown> {
  const { epochs, patience, checkpointEvery: _c, ...training } = s.training;
  const f: Record<string, unknown> = { target: s.target, training: finished ? { ...training, epochs, patience } : training, datasetHash: s.datasetHash, subset: s.subset ?? null, channels: s.channels, backend: s.backend };
  if (s.arch && s.arch !== "mlp") f.arch = s.arch;
  if (s.target === "posterior") {
    f.components = s.components;
    if (s.posterior) f.posterior = s.posterior;
  }
  return f;
}

/** The differences of two fingerprints, `where: checkpoint A, now B; ...` (empty when equal). */
export function describeMismatch(a: Record<string, unknown>, b: Record<string, unknown>, then = "checkpoint"): string {
  const diffs: string[] = [];
  const walk = (x: unknown, y: unknown, where: string): void => {
    if (x !== null && y !== null && typeof x === "object" && typeof y === "object") {
      for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) walk((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], where ? `${where}.${k}` : k);
    } else if (JSON.stringify(x) !== JSON.stringify(y)) diffs.push(`${where}: ${then} ${JSON.stringify(x) ?? "none"}, now ${JSON.stringify(y) ?? "none"}`);
  };
  walk(a, b, "");
  return diffs.join("; ");
}
