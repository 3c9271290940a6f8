/**
 * The end of a training run: the kept network's test-set outputs in SI units (predictions.csv,
 * and for the posterior variant posterior.csv and the recalibration fitted on the validation
 * records, recalibration.json), the model, the scores (metrics.json) and last the manifest, after
 * which the checkpoint is removed: a folder with a manifest is a finished run.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Dataset } from "../dataset/format";
import { environment } from "../provenance";
import type { PreparedData } from "./data";
import { evaluatePredictions } from "./evaluate";
import type { LoopResult, Objective } from "./loop";
import { predictRows } from "./loop";
import type { Net } from "./net";
import { COMPONENTS, mixtureMeans, mixtureOf, type Mixture } from "./posterior/mdn";
import { POSTERIOR_DESIGN } from "./posterior/design";
import { formatPosterior } from "./posterior/file";
import { fitRecalibration, writeRecalibration, type PosteriorRecalibration } from "./posterior/recalibration";
import { formatHistory, formatPredictions, readMetrics, readRunManifest, RUN_FILES, saveModel, writeFileAtomic, writeJsonAtomic, type Predictions, type RunManifest } from "./run";
import type { RunSummary, TrainPlan } from "./train";
import { VARIANT_TARGETS } from "./variant";

export interface FinishInput {
  plan: TrainPlan;
  ds: Dataset;
  data: PreparedData;
  /** The network, holding the kept (best) weights. */
  net: Net;
  objective: Objective;
  loop: LoopResult;
  /** The epoch the run continued from, or null for a run trained in one session. */
  resumedFrom: number | null;
  timings: { t0: number; tLoad: number; tPrep: number; tReady: number };
}

/** Test-set predictions in SI units (posterior: the posterior means), and the posterior's mixtures. */
function testOutputs(f: FinishInput): { predictions: Predictions; mixtures?: Mixture[] } {
  const { data, ds, plan } = f;
  const target = plan.settings.target;
  const test = data.split.test;
  const W = f.objective.outputs(data.targetCount);
  const out = predictRows(f.net.forward, W, data, test);
  const params = [...VARIANT_TARGETS[target]] as string[];
  const predictions: Predictions = { id: Array.from(test, (r) => ds.params[r].id), params, truth: {}, pred: {} };
  for (const q of params) predictions.truth[q] = Array.from(test, (r) => ds.params[r][q as "m"]);
  const st = data.standardization;
  if (target !== "posterior") {
    params.forEach((q, t) => (predictions.pred[q] = Array.from(test, (_, i) => out[i * W + t] * st.targetStd[t] + st.targetMean[t])));
    return { predictions };
  }
  const mixtures = Array.from(test, (_, i) => mixtureOf(out, i, st));
  const priors = { m: ds.manifest.config.m, k: ds.manifest.config.k };
  const means = mixtures.map((m) => mixtureMeans(m, priors));
  for (const q of params) predictions.pred[q] = means.map((m) => m[q as "m"]);
  return { predictions, mixtures };
}

/** The posterior's recalibration, fitted on the validation records' mixtures and truths (never the test records'). */
function validationRecalibration(f: FinishInput): PosteriorRecalibration {
  const { data, ds } = f;
  const val = data.split.val;
  const out = predictRows(f.net.forward, f.objective.outputs(data.targetCount), data, val);
  const mixtures = Array.from(val, (_, i) => mixtureOf(out, i, data.standardization));
  return fitRecalibration(mixtures, { logRho: Array.from(val, (r) => Math.log(ds.params[r].rho)), l0: Array.from(val, (r) => ds.params[r].l0) });
}

/** Writes the files of a finished run and returns its summary. */
export async function finishRun(f: FinishInput): Promise<RunSummary> {
  const { plan, ds, data, loop } = f;
  const { opts, settings, backend } = plan;
  const out = opts.out;
  const tEval = performance.now();
  const { predictions, mixtures } = testOutputs(f);
  writeFileAtomic(path.join(out, RUN_FILES.predictions), formatPredictions(predictions));
  if (mixtures) writeFileAtomic(path.join(out, RUN_FILES.posterior), formatPosterior(predictions.id, mixtures));
  const recalibration = mixtures && validationRecalibration(f);
  if (recalibration) writeRecalibration(out, recalibration);
  writeFileAtomic(path.join(out, RUN_FILES.history), formatHistory(loop.state.history));
  const best = loop.state.best;
  await saveModel(path.join(out, RUN_FILES.model), f.net.layersModel(best.weights), { target: settings.target, ...(settings.arch === "mlp" ? {} : { arch: settings.arch }), shape: f.net.info.shape, standardization: data.standardization });

  const { t0, tLoad, tPrep, tReady } = f.timings;
  const samplesPerSecond = loop.sessionSeconds > 0 ? loop.sessionSamples / loop.sessionSeconds : 0;
  const c = ds.manifest.config;
  const manifest: RunManifest = {
    kind: "gaitid-run",
    name: path.basename(path.resolve(out)),
    target: settings.target,
    params: [...predictions.params],
    dataset: { dir: path.resolve(opts.dataset), name: ds.manifest.name, hash: settings.datasetHash, records: ds.records, samples: ds.samples, channels: ds.manifest.channels, priors: { m: c.m, k: c.k, l0: c.l0 } },
    inputs: settings.channels,
    subset: settings.subset,
    split: { train: data.split.train.length, val: data.split.val.length, test: data.split.test.length },
    training: settings.training,
    seeds: { seed: settings.training.seed, noiseSeed: settings.training.noiseSeed },
    network: settings.arch === "mlp" ? { shape: f.net.info.shape, parameters: f.net.info.parameters } : f.net.info,
    ...(settings.target === "posterior" ? { posterior: { components: COMPONENTS, coordinates: [...data.standardization.targets], learningRate: { ...POSTERIOR_DESIGN.learningRate }, recalibration: structuredClone(POSTERIOR_DESIGN.recalibration) } } : {}),
    backend,
    timings: {
      loadSeconds: (tPrep - tLoad) / 1000,
      prepareSeconds: (tReady - tPrep) / 1000,
      trainSeconds: loop.state.trainSeconds,
      samplesPerSecond,
      totalSeconds: (performance.now() - t0) / 1000,
      testSeconds: (performance.now() - tEval) / 1000,
    },
    result: { epochsRun: loop.state.epoch, bestEpoch: best.epoch, bestValLoss: best.valLoss, stoppedEarly: loop.stoppedEarly, resumed: f.resumedFrom !== null },
    environment: environment(),
    resumedFromEpoch: f.resumedFrom,
  };
  const metrics = evaluatePredictions(predictions, settings.target, manifest.dataset.priors, backend.name, mixtures && { mixtures, seed: settings.training.seed, recalibration });
  writeJsonAtomic(path.join(out, RUN_FILES.metrics), metrics);
  writeJsonAtomic(path.join(out, RUN_FILES.manifest), manifest); // last: a folder with a manifest is a finished run
  fs.rmSync(path.join(out, RUN_FILES.checkpoint), { force: true });
  return summaryFromDisk(out, samplesPerSecond);
}

/** The summary of the finished run in `dir`, from its files. */
export function summaryFromDisk(dir: string, samplesPerSecond?: number): RunSummary {
  const m = readRunManifest(dir);
  return {
    dir,
    target: m.target,
    arch: m.network.arch ?? "mlp",
    backend: m.backend,
    epochsRun: m.result.epochsRun,
    bestEpoch: m.result.bestEpoch,
    bestValLoss: m.result.bestValLoss,
    stoppedEarly: m.result.stoppedEarly,
    resumed: m.result.resumed,
    trainSeconds: m.timings.trainSeconds,
    samplesPerSecond: samplesPerSecond ?? m.timings.samplesPerSecond,
    metrics: readMetrics(dir),
  };
}
