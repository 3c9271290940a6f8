/**
 * Validated reading of a run folder: each JSON file checked field by field once (json-fields.ts:
 * finite numbers, null for the undefined ones), and {@link readRun}, everything of a finished run
 * read, validated and cross-checked in one call, for the report, the notebooks and the experiments.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Channels, TrainingConfig } from "../config";
import { GaitidError } from "../errors";
import type { BackendInfo } from "./backend";
import { JsonFields } from "./json-fields";
import type { Scores } from "./metrics";
import { ARCHS, type NetworkInfo } from "./net";
import { readPosterior, type PosteriorFile } from "./posterior/file";
import type { PosteriorScores } from "./posterior/score";
import type { SbcResult } from "./posterior/calibration";
import { readHistory, readMetrics, readPredictions, readRunManifest, RUN_FILES, type HistoryRow, type Metrics, type Predictions, type RunManifest } from "./run";
import { VARIANT_TARGETS, VARIANTS, type Quantity, type Variant } from "./variant";

function parseScores(o: JsonFields): Scores {
  return { rmse: o.number("rmse", 0), mae: o.number("mae", 0), bias: o.number("bias"), r2: o.maybeNumber("r2") };
}

function parseSbc(o: JsonFields): SbcResult {
  const histogram = o.numbers("histogram");
  return { samples: o.integer("samples", 1), histogram, chiSquare: o.number("chiSquare", 0), dof: o.integer("dof", 0), pValue: o.number("pValue", 0, 1) };
}

function parsePosteriorScores(o: JsonFields): PosteriorScores {
  const m = o.object("m"), width = o.object("width"), sbc = o.object("sbc"), cov = o.object("coverage");
  const qs: Quantity[] = ["m", "k", "l0", "rho"];
  const w = (q: "rho" | "l0") => {
    const x = width.object(q);
    return { rmse: x.number("rmse", 0), sd: x.number("sd", 0), ratio: x.maybeNumber("ratio") };
  };
  return {
    components: o.integer("components", 1),
    samples: o.integer("samples", 1),
    m: { ks: m.number("ks", 0, 1), ksMedian: m.number("ksMedian", 0, 1), ksP90: m.number("ksP90", 0, 1), w1: m.number("w1", 0) },
    width: { rho: w("rho"), l0: w("l0") },
    sbc: Object.fromEntries(qs.map((q) => [q, parseSbc(sbc.object(q))])) as PosteriorScores["sbc"],
    coverage: Object.fromEntries(qs.map((q) => [q, { c50: cov.object(q).number("c50", 0, 1), c90: cov.object(q).number("c90", 0, 1) }])) as PosteriorScores["coverage"],
  };
}

/** metrics.json's text (of `file`), validated: every score a finite number, R^2 values possibly null. */
export function parseMetrics(text: string, file: string): Metrics {
  const o = JsonFields.parse(text, file);
  const target = o.choice("target", VARIANTS);
  const params = o.object("params");
  const out: Metrics = { target, backend: o.string("backend"), records: o.integer("records", 1), params: {} };
  for (const q of VARIANT_TARGETS[target]) {
    const p = params.object(q);
    out.params[q] = { ...parseScores(p), floorRmse: p.number("floorRmse", 0), r2Ceiling: p.maybeNumber("r2Ceiling") };
  }
  if (target === "mkl0") out.ratio = parseScores(o.object("ratio"));
  if (target === "posterior") out.posterior = parsePosteriorScores(o.object("posterior"));
  if (target === "posterior" && o.has("posteriorRecalibrated")) out.posteriorRecalibrated = parsePosteriorScores(o.object("posteriorRecalibrated"));
  return out;
}

function parseTraining(o: JsonFields): TrainingConfig {
  for (const k of ["layers", "units", "epochs", "batchSize", "seed", "noiseSeed", "patience", "checkpointEvery"]) o.integer(k);
  o.number("learningRate", 0);
  o.number("noise", 0);
  o.string("activation");
  return o.value as unknown as TrainingConfig;
}

function parseNetwork(o: JsonFields): NetworkInfo {
  const s = o.object("shape");
  const shape = { inputs: s.integer("inputs", 1), hidden: s.numbers("hidden"), outputs: s.integer("outputs", 1), activation: s.string("activation") as NetworkInfo["shape"]["activation"] };
  const info: NetworkInfo = { shape, parameters: o.integer("parameters", 1) };
  if (o.has("arch")) info.arch = o.choice("arch", ARCHS);
  if (o.has("layers")) info.layers = o.strings("layers");
  return info;
}

/** manifest.json's text (of `file`), validated. */
export function parseRunManifest(text: string, file: string): RunManifest {
  const o = JsonFields.parse(text, file);
  if (o.value.kind !== "gaitid-run") throw new GaitidError(`${file} is not the manifest of a gaitid training run (kind ${JSON.stringify(o.value.kind)})`);
  const d = o.object("dataset"), pr = d.object("priors"), split = o.object("split"), seeds = o.object("seeds"), res = o.object("result"), t = o.object("timings");
  const target = o.choice("target", VARIANTS);
  const timings: Record<string, number> = {};
  for (const k of Object.keys(t.value)) timings[k] = t.number(k, 0);
  const m: RunManifest = {
    kind: "gaitid-run",
    name: o.string("name"),
    target,
    params: o.strings("params"),
    dataset: {
      dir: d.string("dir"), name: d.string("name"), hash: d.string("hash"), records: d.integer("records", 1), samples: d.integer("samples", 1), channels: d.string("channels"),
      priors: { m: pr.range("m"), k: pr.range("k"), ...(pr.has("l0") ? { l0: pr.range("l0") } : {}) },
    },
    inputs: o.choice<Channels>("inputs", ["xy", "xy+grf"]),
    subset: o.value.subset === null ? null : o.integer("subset", 1),
    split: { train: split.integer("train", 1), val: split.integer("val", 1), test: split.integer("test", 1) },
    training: parseTraining(o.object("training")),
    seeds: { seed: seeds.integer("seed"), noiseSeed: seeds.integer("noiseSeed") },
    network: parseNetwork(o.object("network")),
    backend: { ...(o.object("backend").value as unknown as BackendInfo), name: o.object("backend").choice("name", ["node", "wasm", "cpu"]) },
    timings,
    result: { epochsRun: res.integer("epochsRun"), bestEpoch: res.integer("bestEpoch"), bestValLoss: res.number("bestValLoss"), stoppedEarly: res.boolean("stoppedEarly"), resumed: res.boolean("resumed") },
    environment: o.object("environment").value,
    resumedFromEpoch: o.value.resumedFromEpoch == null ? null : o.integer("resumedFromEpoch"),
  };
  if (target === "posterior") {
    const p = o.object("posterior");
    m.posterior = { components: p.integer("components", 1), coordinates: p.strings("coordinates") };
    if (p.value.learningRate !== undefined) m.posterior.learningRate = p.object("learningRate").value;
    if (p.value.recalibration !== undefined) m.posterior.recalibration = p.object("recalibration").value;
  }
  if (m.params.join(",") !== VARIANT_TARGETS[target].join(",")) throw new GaitidError(`${file}: params must be ${VARIANT_TARGETS[target].join(", ")} for a ${target} run; got ${m.params.join(", ")}`);
  return m;
}

/** A finished run, everything read and validated once. */
export interface Run {
  dir: string;
  manifest: RunManifest;
  metrics: Metrics;
  /** history.csv, one row per epoch (at least one). */
  history: HistoryRow[];
  /** predictions.csv: one row per test record, the variant's quantities (SI units). */
  predictions: Predictions;
  /** posterior.csv of a posterior run (rows as in predictions.csv). */
  posterior?: PosteriorFile;
}

/**
 * Reads the finished run in `dir`: manifest, metrics, history, predictions (and the posterior's
 * mixtures), each validated, and checked against each other: the same variant everywhere (and
 * `expect` if given), one prediction row per test record of the manifest's split, metrics over
 * those records, epochs 1..n in the history (`subsample`: predictions may be a subset of the test
 * records in id order, as a published results bundle keeps them). Throws a GaitidError naming the file.
 */
export function readRun(dir: string, expect?: Variant, opts: { subsample?: boolean } = {}): Run {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new GaitidError(`no training run at ${dir} (not a folder); make one with gaitid train --out ${dir}`);
  const manifest = readRunManifest(dir);
  const metrics = readMetrics(dir);
  const file = (f: string): string => path.join(dir, f);
  if (expect && manifest.target !== expect) throw new GaitidError(`${dir} is a ${manifest.target} run, but it was given as the ${expect} run`);
  if (metrics.target !== manifest.target) throw new GaitidError(`${file(RUN_FILES.metrics)} scores a ${metrics.target} run; the manifest says ${manifest.target}`);
  const history = readHistory(dir);
  if (history.length === 0) throw new GaitidError(`${file(RUN_FILES.history)} has no epochs`);
  history.forEach((h, i) => {
    if (h.epoch !== i + 1) throw new GaitidError(`${file(RUN_FILES.history)} line ${i + 2}: epoch ${h.epoch}, expected ${i + 1}`);
  });
  const predictions = readPredictions(dir);
  if (predictions.params.join(",") !== manifest.params.join(",")) throw new GaitidError(`${file(RUN_FILES.predictions)} holds ${predictions.params.join(", ")}; a ${manifest.target} run predicts ${manifest.params.join(", ")}`);
  // A published results bundle may keep a documented subsample of the test predictions (ids in order).
  const kept = opts.subsample ? predictions.id.length <= manifest.split.test && predictions.id.every((id, i) => i === 0 || id > predictions.id[i - 1]) : predictions.id.length === manifest.split.test;
  if (!kept || metrics.records !== manifest.split.test) {
    throw new GaitidError(`${file(RUN_FILES.predictions)} has ${predictions.id.length} rows and metrics.json scores ${metrics.records} records; the run's test split has ${manifest.split.test}`);
  }
  const run: Run = { dir, manifest, metrics, history, predictions };
  if (manifest.target === "posterior") {
    run.posterior = readPosterior(dir);
    if (run.posterior.id.join(",") !== predictions.id.join(",")) throw new GaitidError(`${file(RUN_FILES.posterior)}: its record ids differ from those of predictions.csv`);
  }
  return run;
}
