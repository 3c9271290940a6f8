/**
 * The data of the model and record figures: a few test records of the dataset, simulated again
 * from their params.csv rows at a finer time step (and compared with the samples in X.npy), the
 * walker at a touchdown, a walk to animate and the leg forces over a stride. Computed once by the
 * study (gaitid reproduce, gaitid report on a study) and written to walks.json, which the report
 * and a published results bundle read: the report itself never simulates.
 */
import * as fs from "node:fs";
import { GaitidError } from "../errors";
import { writeJsonAtomic } from "../provenance";
import type { DatasetConfig } from "../config";
import { readRecord, type DatasetView, type RecordParams } from "../dataset/format";
import { walkerPoses, type ModelSketch, type WalkSamples } from "../figures/model";
import type { GrfSeries, LocatedEvent, RecordSeries } from "../figures/records";
import { G } from "../walker/physics";
import { WalkerSimulator, type Walk } from "../walker/simulate";

/** Records drawn in the figures: test records at the 10th, 50th and 90th percentile of rho. */
export function pickSubjects(params: readonly RecordParams[], count = 3): RecordParams[] {
  const pool = params.filter((p) => p.split === "test");
  const from = pool.length >= count ? pool : [...params];
  const sorted = [...from].sort((a, b) => a.rho - b.rho || a.id - b.id);
  if (sorted.length === 0) return [];
  const out: RecordParams[] = [];
  for (let i = 0; i < Math.min(count, sorted.length); i++) {
    const q = count === 1 ? 0.5 : 0.1 + (0.8 * i) / (count - 1);
    out.push(sorted[Math.round(q * (sorted.length - 1))]);
  }
  return out;
}

/** Simulates a record again from its parameters with sampling interval dt (s). */
export function resimulateRecord(sim: WalkerSimulator, config: Pick<DatasetConfig, "rtol" | "atol">, r: RecordParams, duration: number, dt: number): Walk {
  return sim.run({ mechanics: { rho: r.k / r.m, l0: r.l0, g: G }, alpha0: (r.alpha0 * Math.PI) / 180, start: [0, r.y0, r.vx0, 0], duration, dt, rtol: config.rtol, atol: config.atol });
}

/** Linear interpolation of a sampled series at time t (s). */
function at(t: ArrayLike<number>, v: ArrayLike<number>, time: number): number {
  const dt = t[1] - t[0];
  const i = Math.min(Math.max(Math.floor((time - t[0]) / dt), 0), t.length - 2);
  const f = (time - t[i]) / (t[i + 1] - t[i]);
  return v[i] + f * (v[i + 1] - v[i]);
}

/** Legend label of a subject (plotly HTML). */
export function subjectLabel(r: RecordParams): string {
  return `<i>m</i> = ${r.m.toFixed(1)} kg, <i>k</i> = ${r.k.toFixed(0)} N/m, <i>ℓ</i><sub>0</sub> = ${r.l0.toFixed(3)} m (<i>ρ</i> = ${r.rho.toFixed(1)} 1/s²)`;
}

/** Everything the walker figures need, and the reproduction check of the records shown. */
export interface WalkFigureData {
  subjects: RecordParams[];
  sketch: ModelSketch;
  animation: WalkSamples;
  records: RecordSeries[];
  grf: GrfSeries[];
  /** Largest |x, y simulated again - X.npy| over the records shown, m. */
  reproductionError: number;
  /** Sampling interval of the fine simulations, s. */
  fineDt: number;
}

/**
 * Simulates the figures' walks for the subjects of `view` (see {@link pickSubjects}).
 * Throws if a record that the dataset says walks does not walk when simulated again.
 */
export function walkFigureData(view: DatasetView, config: DatasetConfig, opts: { fineDt?: number; animationSeconds?: number; animationDt?: number } = {}): WalkFigureData {
  const sim = new WalkerSimulator();
  const subjects = pickSubjects(view.params);
  if (subjects.length === 0) throw new Error("the dataset has no records to draw");
  const fineDt = opts.fineDt ?? 0.02;
  const ratio = Math.round(config.dt / fineDt);
  if (Math.abs(ratio * fineDt - config.dt) > 1e-12) throw new Error(`fineDt ${fineDt} s must divide the dataset's dt ${config.dt} s`);
  const channels = view.npy.shape[2];
  let reproductionError = 0;
  const records: RecordSeries[] = [];
  const grf: GrfSeries[] = [];
  for (const r of subjects) {
    const walk = resimulateRecord(sim, config, r, config.duration, fineDt);
    if (walk.status !== "walking") throw new Error(`record ${r.id} did not walk when simulated again (${walk.status} at ${walk.failureTime} s)`);
    const X = readRecord(view, r.id);
    const n = view.npy.shape[1];
    const st: number[] = [], sx: number[] = [], sy: number[] = [];
    for (let j = 0; j < n; j++) {
      const i = j * ratio;
      st.push(walk.t[i]);
      sx.push(X[j * channels]);
      sy.push(X[j * channels + 1]);
      reproductionError = Math.max(reproductionError, Math.abs(walk.x[i] - sx[j]), Math.abs(walk.y[i] - sy[j]));
    }
    const events: LocatedEvent[] = walk.events.map((e) => ({ type: e.type, t: e.t, x: at(walk.t, walk.x, e.t), y: at(walk.t, walk.y, e.t) }));
    records.push({ label: subjectLabel(r), t: walk.t, x: walk.x, y: walk.y, events, samples: { t: st, x: sx, y: sy } });
    grf.push(strideForces(sim, config, r));
  }
  const mid = subjects[Math.floor(subjects.length / 2)];
  return { subjects, sketch: touchdownSketch(sim, config, mid), animation: animationOf(sim, config, mid, opts.animationSeconds ?? 2.4, opts.animationDt ?? 0.04), records, grf, reproductionError, fineDt };
}

/** The walker at the first touchdown of a record (the state exactly at the event). */
export function touchdownSketch(sim: WalkerSimulator, config: Pick<DatasetConfig, "rtol" | "atol">, r: RecordParams): ModelSketch {
  const first = resimulateRecord(sim, config, r, 3, 0.01).events.find((e) => e.type === "touchdown");
  if (!first) throw new Error(`record ${r.id} has no touchdown in its first 3 s`);
  // Sampled at [0, t_touchdown]: the last sample is the state at the touchdown.
  const w = resimulateRecord(sim, config, r, first.t, first.t);
  const i = w.samples - 1;
  return { l0: r.l0, alpha0: (r.alpha0 * Math.PI) / 180, x: w.x[i], y: w.y[i], rearFoot: 0, frontFoot: first.foot };
}

function animationOf(sim: WalkerSimulator, config: Pick<DatasetConfig, "rtol" | "atol">, r: RecordParams, seconds: number, dt: number): WalkSamples {
  const w = resimulateRecord(sim, config, r, seconds, dt);
  return { t: w.t, x: w.x, y: w.y, events: w.events, l0: r.l0, alpha0: (r.alpha0 * Math.PI) / 180 };
}

/**
 * Vertical forces over one stride in N: from the second touchdown of the record to the
 * touchdown of the same leg two steps later, the force of that leg (m rho (l0 / l - 1) y while
 * on the ground) and of both legs.
 */
export function strideForces(sim: WalkerSimulator, config: Pick<DatasetConfig, "rtol" | "atol">, r: RecordParams, dt = 0.002): GrfSeries {
  const w = resimulateRecord(sim, config, r, 6, dt);
  const tds = w.events.filter((e) => e.type === "touchdown");
  if (tds.length < 4) throw new Error(`record ${r.id} has fewer than 4 touchdowns in 6 s`);
  const start = tds[1], end = tds[3];
  const poses = walkerPoses({ t: w.t, x: w.x, y: w.y, events: w.events, l0: r.l0, alpha0: (r.alpha0 * Math.PI) / 180 });
  const rho = r.k / r.m;
  const legForce = (x: number, y: number, foot: number): number => {
    const l = Math.hypot(x - foot, y);
    return r.m * rho * (r.l0 / l - 1) * y;
  };
  const t: number[] = [], leg: number[] = [], total: number[] = [];
  for (const p of poses) {
    if (p.t < start.t || p.t > end.t) continue;
    t.push(p.t - start.t);
    leg.push(p.feet.includes(start.foot) ? legForce(p.x, p.y, start.foot) : 0);
    total.push(p.feet.reduce((s, f) => s + legForce(p.x, p.y, f), 0));
  }
  return { label: subjectLabel(r), t, leg, total, weight: r.m * G };
}

/** Typed arrays as plain arrays, so that JSON holds the numbers (not {"0": ...} objects). */
function plainArrays(_key: string, v: unknown): unknown {
  return ArrayBuffer.isView(v) && !(v instanceof DataView) ? Array.from(v as unknown as ArrayLike<number>) : v;
}

/** Writes the figures' walks (atomically), with the dataset's manifest hash they were made from. */
export function writeWalks(file: string, data: WalkFigureData, datasetHash: string): void {
  writeJsonAtomic(file, JSON.parse(JSON.stringify({ kind: "gaitid-walks", datasetHash, ...data }, plainArrays)));
}

/** Reads walks.json; `datasetHash`, when given, must be the one it was made from. */
export function readWalks(file: string, datasetHash?: string): WalkFigureData {
  if (!fs.existsSync(file)) throw new GaitidError(`${file} is missing: the walks of the figures are simulated by gaitid reproduce or gaitid report`);
  let w: WalkFigureData & { kind?: string; datasetHash?: string };
  try {
    w = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new GaitidError(`${file} is not valid JSON (${(err as Error).message})`);
  }
  if (w.kind !== "gaitid-walks" || !Array.isArray(w.subjects) || !Array.isArray(w.records) || !w.sketch || !w.animation) {
    throw new GaitidError(`${file} is not the walks file of a gaitid study`);
  }
  if (datasetHash && w.datasetHash !== datasetHash) throw new GaitidError(`${file} was made from another dataset (manifest sha256 ${String(w.datasetHash).slice(0, 12)}..., not ${datasetHash.slice(0, 12)}...)`);
  return w;
}
