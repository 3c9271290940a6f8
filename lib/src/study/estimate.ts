/**
 * How long a study takes on this machine, said before the long steps start. From the benchmark
 * figures of this project's machine (2 cores of an AMD EPYC, wasm backend), scaled by the
 * configuration: the derivation about 15 s; generation about 518 dataset records per second per
 * worker thread (npm run bench:simulate); training about 70,000 samples per second per core for
 * the paper's 7 x 50 network at batch 1000 (npm run bench:train), proportional to the network's
 * weights for other sizes, both variants at once when there are two cores. A rough guide for
 * planning, not a promise: the run prints the time left per step as it goes.
 */
import * as os from "node:os";
import type { StudyConfig } from "../config";

/** Measured rates (see the module comment). */
export const RATES = {
  deriveSeconds: 15,
  recordsPerSecondPerWorker: 518,
  /** Training samples per second per core of the 7 x 50 network (about 16,000 weights) at batch 1000. */
  samplesPerSecondPerCore: 70_000,
  referenceWeights: 16_000,
  reportSeconds: 20,
};

export interface StudyEstimate {
  derive: number;
  generate: number;
  train: number;
  report: number;
  total: number;
}

/** Seconds each step of `config`'s study should take with `workers` generator threads. */
export function estimateStudy(config: StudyConfig, workers = os.cpus().length): StudyEstimate {
  const d = config.dataset, t = config.training;
  const inputs = (Math.round(d.duration / d.dt) + 1) * (d.channels === "xy" ? 2 : 4);
  const weights = inputs * t.units + (t.layers - 1) * t.units * t.units + t.units * 3;
  const samplesPerSecond = RATES.samplesPerSecondPerCore * (RATES.referenceWeights / weights);
  const trainRecords = Math.round(d.records * d.split[0]);
  const perVariant = (t.epochs * trainRecords) / samplesPerSecond;
  const parallel = os.cpus().length >= 2 ? 1 : 2;
  const generate = d.records / (RATES.recordsPerSecondPerWorker * Math.max(1, workers));
  const e = { derive: RATES.deriveSeconds, generate, train: perVariant * parallel, report: RATES.reportSeconds };
  return { ...e, total: e.derive + e.generate + e.train + e.report };
}
