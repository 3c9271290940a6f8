/**
 * A batch of fits and profiles over records ({@link runProfileStudy}, `gaitid profile --ids` and
 * `gaitid fit --ids`): the tasks of lib/src/fit/tasks.ts on a pool of worker threads, progress with
 * the time left, and a results folder (results.ts) with its manifest.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import type { Worker } from "node:worker_threads";
import type { DatasetConfig } from "../config";
import { readDatasetManifest, readDatasetParams, type RecordParams } from "../dataset/format";
import { GaitidError, requireInteger } from "../errors";
import { EXPERIMENT_SETTINGS } from "../experiments/settings";
import { recordFromParams } from "../identifiability/records";
import { OBSERVATION_MODELS, type ObservationModel } from "../identifiability/sensitivity";
import { onInterrupt, prepareOutput, removeStaleTemporaries, replaceFolder, temporaryFor } from "../outputs";
import { Progress } from "../progress";
import { environment } from "../provenance";
import { startWorker, stopWorkers } from "../threads";
import { WalkerSimulator } from "../walker/simulate";
import type { Priors } from "./fit";
import { datasetChannelScales, type ChannelScales } from "./noise";
import { PROFILE_PARAMETERS, type ProfileParameter } from "./profile";
import { summariseCrb, summariseWidths, writeFitManifest, writeFitResults, type FitStudyResults, type FitStudySettings, type ProfileRecordResult } from "./results";
import { runCrbTask, runProfileTask, type CrbTask, type CrbTaskResult, type ProfileTask, type ProfileTaskResult } from "./tasks";

/** Noise fractions of the profile table (0.1 %, 1 %, 5 %). */
export const PROFILE_NOISE: readonly number[] = [0.001, 0.01, 0.05];
/** Noise fractions of the Cramér-Rao comparison: the noise experiment's. */
export const CRB_NOISE: readonly number[] = EXPERIMENT_SETTINGS.quick.noise.levels;

export type Task = ProfileTask | CrbTask;
export type TaskResult = ProfileTaskResult | CrbTaskResult;
/** A task as sent to a worker. */
export interface TaskMessage {
  index: number;
  task: Task;
}

/** Runs one task (in a worker or in the calling thread). */
export function runTask(sim: WalkerSimulator, task: Task, scales: ChannelScales, priors: Priors): TaskResult {
  return task.kind === "profile" ? runProfileTask(sim, task, scales, priors) : runCrbTask(sim, task, scales, priors);
}

/** The priors of a dataset's configuration. */
export function priorsOf(config: DatasetConfig): Priors {
  return { m: config.m, k: config.k, l0: config.l0, alpha0Deg: config.alpha0Deg, energy: config.energy };
}

/** The ids of the first `count` test records of a dataset. */
export function testRecordIds(params: readonly RecordParams[], count: number): number[] {
  return params.filter((p) => p.split === "test").slice(0, count).map((p) => p.id);
}

/** Parses "a..b" (inclusive) or "a" or "a,b,c" into record ids. */
export function parseIds(text: string, flag = "--ids"): number[] {
  const m = /^(\d+)\.\.(\d+)$/.exec(text.trim());
  if (m) {
    const a = Number(m[1]), b = Number(m[2]);
    if (b < a) throw new GaitidError(`${flag} ${text}: the range a..b needs a <= b`);
    return Array.from({ length: b - a + 1 }, (_, i) => a + i);
  }
  const ids = text.split(",").map((s) => Number(s.trim()));
  if (ids.length === 0 || ids.some((v) => !Number.isInteger(v) || v < 0)) throw new GaitidError(`${flag} must be a..b or a list of record ids (whole numbers >= 0); got ${JSON.stringify(text)}`);
  return ids;
}

/** Options of {@link runProfileStudy}. */
export interface FitStudyOptions {
  /** The dataset folder. */
  dataset: string;
  /** Records to profile (dataset ids). */
  ids: number[];
  observe?: ObservationModel[];
  /** Noise fractions of the profiles (default {@link PROFILE_NOISE}; each > 0). */
  noise?: number[];
  /** Parameters to profile (default all four; none: fits only). */
  parameters?: ProfileParameter[];
  /** Curve points per profile (default 41; 0: intervals only). */
  points?: number;
  /** Curves are kept for this many of the first records (default 1); the others are computed with intervals only. */
  curveRecords?: number;
  starts?: number;
  seed?: number;
  /** Records of the Cramér-Rao comparison (default none) and its noise fractions (default {@link CRB_NOISE}). */
  crbIds?: number[];
  crbNoise?: number[];
  /** Worker threads (default one per core; 0: the calling thread). */
  workers?: number;
  /** Results folder (optional: without it nothing is written). */
  out?: string;
  force?: boolean;
  quiet?: boolean;
  /** Training records re-simulated for the force channels' scales (default 200). */
  forceRecords?: number;
}

/** Checks the options and reads what the batch needs, before any work. */
function prepare(o: FitStudyOptions): { settings: FitStudySettings; params: RecordParams[]; config: DatasetConfig; duration: number; dt: number; name: string; seed: number } {
  const manifest = readDatasetManifest(o.dataset);
  const params = readDatasetParams(o.dataset);
  const known = new Set(params.map((p) => p.id));
  const crbIds = o.crbIds ?? [];
  for (const id of [...o.ids, ...crbIds]) {
    if (!known.has(id)) throw new GaitidError(`record ${id} is not in ${o.dataset} (ids 0 to ${params.length - 1}); check --id/--ids`);
  }
  if (o.ids.length === 0 && crbIds.length === 0) throw new GaitidError("nothing to do: give records to profile (--ids) or to the Cramér-Rao comparison (--crb-records)");
  const observe = o.observe ?? [...OBSERVATION_MODELS];
  for (const ob of observe) if (!OBSERVATION_MODELS.includes(ob)) throw new GaitidError(`--observe must be xy, xy+grf or both; got ${JSON.stringify(ob)}`);
  const noise = o.noise ?? [...PROFILE_NOISE];
  const parameters = o.parameters ?? [...PROFILE_PARAMETERS];
  for (const f of noise) {
    if (!(Number.isFinite(f) && f >= 0)) throw new GaitidError(`--noise must hold fractions >= 0 of each channel's standard deviation; got ${f}`);
    if (parameters.length > 0 && f === 0) throw new GaitidError("--noise of a profile must be > 0 (its threshold is in units of the noise variance)");
  }
  const crbNoise = o.crbNoise ?? [...CRB_NOISE];
  for (const f of crbNoise) if (!(Number.isFinite(f) && f >= 0)) throw new GaitidError(`--crb-noise must hold fractions >= 0; got ${f}`);
  for (const p of parameters) if (!(PROFILE_PARAMETERS as readonly string[]).includes(p)) throw new GaitidError(`--param must be one of ${PROFILE_PARAMETERS.join(", ")} or all; got ${JSON.stringify(p)}`);
  const settings: FitStudySettings = {
    dataset: o.dataset,
    ids: o.ids,
    observe,
    noise,
    parameters,
    points: requireInteger("points", o.points ?? 41, 0, 10_000),
    curveRecords: requireInteger("curveRecords", o.curveRecords ?? 1, 0),
    starts: requireInteger("starts", o.starts ?? 4, 1, 1000),
    seed: requireInteger("seed", o.seed ?? 1, 0, 2 ** 32 - 1),
    crbIds,
    crbNoise,
    workers: requireInteger("workers", o.workers ?? os.cpus().length, 0, 256),
  };
  return { settings, params, config: manifest.config as DatasetConfig, duration: manifest.duration, dt: manifest.dt, name: manifest.name, seed: manifest.seed };
}

/** Runs the tasks on a pool of worker threads (or in this thread with workers 0), in any order; `done(i, result | error)` per task. */
function runPool(tasks: Task[], workers: number, scales: ChannelScales, priors: Priors, sim: () => WalkerSimulator, done: (i: number, r: TaskResult | Error) => void): Promise<void> {
  if (workers === 0 || tasks.length === 0) {
    const s = sim();
    tasks.forEach((t, i) => {
      try {
        done(i, runTask(s, t, scales, priors));
      } catch (err) {
        if (!(err instanceof GaitidError)) throw err;
        done(i, err);
      }
    });
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => {
    let next = 0, finished = 0, failed = false;
    const pool: Worker[] = [];
    // Settles once every thread has ended, so that the process may exit at once.
    const stop = (err?: unknown): void => {
      if (err) failed = true;
      void stopWorkers(pool).finally(() => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve()));
    };
    for (let k = 0; k < Math.min(workers, tasks.length); k++) {
      const w = startWorker(__dirname, "worker", { scales, priors });
      pool.push(w);
      w.on("error", (e) => stop(e));
      w.on("message", (m: { ok: boolean; index: number; result?: TaskResult; error?: string; user?: boolean }) => {
        if (failed) return;
        if (!m.ok && !m.user) return stop(new Error(`task ${m.index} failed in a worker: ${m.error}`));
        try {
          done(m.index, m.ok ? m.result! : new GaitidError(m.error ?? "failed"));
        } catch (err) {
          return stop(err);
        }
        if (++finished === tasks.length) return stop();
        if (next < tasks.length) w.postMessage({ index: next, task: tasks[next++] } satisfies TaskMessage);
      });
      w.postMessage({ index: next, task: tasks[next++] } satisfies TaskMessage);
    }
  });
}

/**
 * Fits and profiles records at several noise levels and observation models, and computes the
 * Cramér-Rao comparison; writes a results folder when `out` is given. Bad options are refused
 * before any work.
 */
export async function runProfileStudy(o: FitStudyOptions, simFactory?: () => WalkerSimulator): Promise<FitStudyResults> {
  const { settings, params, config, duration, dt, name, seed: datasetSeed } = prepare(o);
  if (o.out) {
    prepareOutput(o.out, "fit", { force: o.force });
    removeStaleTemporaries(o.out);
  }
  const t0 = performance.now();
  const scales = datasetChannelScales(o.dataset, readDatasetManifest(o.dataset), params, o.forceRecords);
  const priors = priorsOf(config);
  const rec = (id: number): ReturnType<typeof recordFromParams> => recordFromParams(params[params.findIndex((p) => p.id === id)], duration, dt);
  const tasks: Task[] = [];
  settings.ids.forEach((id, i) => {
    for (const observe of settings.observe) {
      for (const noise of settings.noise) {
        const points = i < settings.curveRecords ? settings.points : 0;
        tasks.push({ kind: "profile", record: rec(id), observe, noise, parameters: settings.parameters, points, starts: settings.starts, seed: settings.seed });
      }
    }
  });
  for (const id of settings.crbIds) for (const observe of settings.observe) tasks.push({ kind: "crb", record: rec(id), observe, noise: settings.crbNoise, seed: settings.seed });
  const results: (TaskResult | Error | undefined)[] = new Array(tasks.length);
  const progress = new Progress(tasks.length, { unit: "tasks", label: "profile", quiet: o.quiet });
  let count = 0;
  await runPool(tasks, settings.workers, scales, priors, simFactory ?? (() => new WalkerSimulator()), (i, r) => {
    results[i] = r;
    progress.update(++count);
  });
  progress.finish();
  const records: ProfileRecordResult[] = [];
  const crbRecords: CrbTaskResult[] = [];
  const failures: FitStudyResults["failures"] = [];
  tasks.forEach((t, i) => {
    const r = results[i]!;
    if (r instanceof Error) failures.push({ id: t.record.id, observe: t.observe, noise: t.kind === "profile" ? t.noise : null, reason: r.message });
    else if (t.kind === "profile") records.push(r as ProfileTaskResult);
    else crbRecords.push(r as CrbTaskResult);
  });
  const out: FitStudyResults = {
    kind: "gaitid-fit-results",
    settings,
    scales,
    records,
    widths: summariseWidths(records),
    crbRecords,
    crb: summariseCrb(crbRecords),
    failures,
    seconds: (performance.now() - t0) / 1000,
  };
  if (o.out) writeStudy(o.out, out, { name, seed: datasetSeed });
  return out;
}

/** Writes the results folder: built in a temporary sibling, moved into place, manifest last. */
function writeStudy(dir: string, r: FitStudyResults, dataset: { name: string; seed: number }): void {
  const tmp = temporaryFor(dir);
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  const release = onInterrupt(() => fs.rmSync(tmp, { recursive: true, force: true }));
  try {
    writeFitResults(tmp, r);
    const taskSeconds = [...r.records.map((x) => x.fit.seconds + x.profiles.reduce((s, p) => s + p.seconds, 0)), ...r.crbRecords.map((x) => x.seconds)];
    writeFitManifest(tmp, {
      settings: r.settings,
      dataset: { dir: r.settings.dataset, name: dataset.name, seed: dataset.seed },
      seeds: { noise: r.settings.seed, starts: r.settings.seed },
      scales: r.scales,
      counts: { profiled: r.records.length, crb: r.crbRecords.length, failures: r.failures.length },
      timings: { seconds: r.seconds, taskSeconds: taskSeconds.reduce((a, b) => a + b, 0), tasks: taskSeconds.length },
      environment: environment(),
    });
    replaceFolder(tmp, dir);
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  } finally {
    release();
  }
}
