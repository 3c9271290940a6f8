/**
 * The posterior experiment: the posterior variant (a mixture density network over (log rho, l0,
 * mProbit), estimator/posterior/) trained on the preset's dataset for the preset's posterior epochs
 * (config.ts POSTERIOR_EPOCHS), and what its report section shows, computed here from the run's
 * posterior.csv and the dataset's test records:
 * - for three test records, those of the lowest, the median and the highest rho: the learned
 *   density of m on a grid beside the exact p(m | rho) of the uniform priors (posterior/exact.ts),
 *   their Kolmogorov-Smirnov and Wasserstein-1 distances (posterior/score.ts, as metrics.json
 *   averages them), a few hundred posterior draws of (m, k) and the exact posterior's segment
 *   k = rho m, m in [a, b], on which every exact draw lies;
 * - per training seed (--seeds N), the run's calibration as metrics.json has it: mean KS and W1 of
 *   m, SBC rank histograms of m, k, l0 and rho with their chi-square p-values, and the coverage of
 *   the central 50 % and 90 % intervals, of the posterior as learned (raw) and after the
 *   recalibration of log rho and l0 fitted on the run's validation records
 *   (estimator/posterior/recalibration.ts); and the targets they are held against
 *   ({@link POSTERIOR_TARGETS}, {@link posteriorVerdict}).
 * The figures are of the first seed's run, as learned (raw).
 */
import * as path from "node:path";
import { readDatasetParams, type RecordParams } from "../dataset/format";
import { GaitidError } from "../errors";
import type { MkPriors } from "../estimator/floor";
import { readRun } from "../estimator/run-read";
import { STREAM } from "../estimator/rng";
import { massPosterior } from "../estimator/posterior/exact";
import type { Mixture } from "../estimator/posterior/mdn";
import { massDensity, massDistances, sampleMixture, type PosteriorScores } from "../estimator/posterior/score";
import type { Quantity } from "../estimator/variant";
import { Rng } from "../random";
import type { ExperimentResults, TrialResult } from "./run";
import type { PosteriorSettings } from "./settings";

/**
 * The posterior's targets: mean KS distance of m's learned posterior from the exact one at most
 * `meanKs`; the coverage of the central 50 % and 90 % intervals within `coverage` (a fraction:
 * 0.03 is 3 points) of 50 % and 90 %; SBC's uniformity not rejected at level `sbcLevel`.
 */
export const POSTERIOR_TARGETS = { meanKs: 0.1, coverage: 0.03, sbcLevel: 0.01 } as const;
export type PosteriorTargets = { meanKs: number; coverage: number; sbcLevel: number };

/** The quantities whose calibration is scored, in the report's order. */
export const POSTERIOR_QUANTITIES: readonly Quantity[] = ["m", "k", "l0", "rho"];

/** One of the three records shown: its truth, the learned and the exact posterior of m, and draws of (m, k). */
export interface PosteriorRecordFigure {
  /** Which record of the test set: that of the lowest, the median or the highest true rho. */
  which: "lowest" | "median" | "highest";
  id: number;
  /** True values: m kg, k N/m, l0 m, rho 1/s^2. */
  truth: Record<Quantity, number>;
  /** The exact posterior's support [a, b] of m at the true rho, kg. */
  a: number;
  b: number;
  /** KS (dimensionless) and W1 (kg) between the learned and the exact posterior of m. */
  ks: number;
  w1: number;
  /** The learned density of m (1/kg) on a grid of m (kg) over both posteriors' supports. */
  learned: { m: number[]; density: number[] };
  /** The exact density of m (1/kg), 2 m / (b^2 - a^2) on [a, b]: a polyline that is exact (linear inside, edges at a and b). */
  exact: { m: number[]; density: number[] };
  /** Posterior draws of (m kg, k N/m) from the learned mixture (the first of the draws that score the run). */
  samples: { m: number[]; k: number[] };
  /** The exact posterior's segment in the (m, k) plane: k = rho m for m from a to b. */
  segment: { m: [number, number]; k: [number, number] };
}

/** One training seed's run and its calibration (metrics.json's posterior scores). */
export interface PosteriorSeedScores {
  seed: number;
  /** Run folder, relative to the root. */
  run: string;
  testRecords: number;
  epochs: number;
  epochsRun: number;
  /** The epoch whose weights were kept (best validation NLL) and that NLL (nats). */
  bestEpoch: number;
  bestValLoss: number;
  /** The posterior as learned. */
  scores: PosteriorScores;
  /** The same scores after the recalibration fitted on the validation records (recalibration.json of the run). */
  recalibrated: PosteriorScores;
}

/** What the posterior experiment adds to results.json. */
export interface PosteriorFigures {
  targets: PosteriorTargets;
  /** The run the records' figures come from (the first seed's). */
  seed: number;
  run: string;
  priors: MkPriors;
  records: PosteriorRecordFigure[];
  /** Every seed's calibration, the first seed first. */
  seeds: PosteriorSeedScores[];
}

/** results.json of the posterior experiment. */
export interface PosteriorExperimentResults extends ExperimentResults {
  posterior: PosteriorFigures;
}

/** Whether each target is met by one run's scores. */
export interface PosteriorVerdict {
  ks: boolean;
  coverage: Record<Quantity, boolean>;
  sbc: Record<Quantity, boolean>;
  /** Every target met. */
  all: boolean;
}

/** A comparison's slack for numbers written to JSON (a coverage of 0.53 is 3 points above 0.5). */
const SLACK = 1e-9;

/** Which of `targets` the scores meet (see {@link POSTERIOR_TARGETS}). */
export function posteriorVerdict(s: Pick<PosteriorScores, "m" | "coverage" | "sbc">, targets: PosteriorTargets = POSTERIOR_TARGETS): PosteriorVerdict {
  const coverage = {} as Record<Quantity, boolean>, sbc = {} as Record<Quantity, boolean>;
  for (const q of POSTERIOR_QUANTITIES) {
    const c = s.coverage[q];
    coverage[q] = Math.abs(c.c50 - 0.5) <= targets.coverage + SLACK && Math.abs(c.c90 - 0.9) <= targets.coverage + SLACK;
    sbc[q] = s.sbc[q].pValue >= targets.sbcLevel;
  }
  const ks = s.m.ks <= targets.meanKs + SLACK;
  return { ks, coverage, sbc, all: ks && POSTERIOR_QUANTITIES.every((q) => coverage[q] && sbc[q]) };
}

/** A number to `digits` significant digits (what a figure shows; results.json stays small). */
function sig(v: number, digits = 4): number {
  return Number.isFinite(v) ? Number(v.toPrecision(digits)) : v;
}

/** Draws that set the grid's range and give the (m, k) samples (the first `samples` of them). */
const RANGE_DRAWS = 2000;

/** The figure data of one record (see {@link PosteriorRecordFigure}); draws seeded by (seed, record id) as the run's scores are. */
export function posteriorRecordFigure(which: PosteriorRecordFigure["which"], rec: Pick<RecordParams, "id" | "m" | "k" | "l0" | "rho">, mix: Mixture, priors: MkPriors, seed: number, settings: PosteriorSettings): PosteriorRecordFigure {
  const exact = massPosterior(rec.rho, priors);
  const { a, b } = exact;
  const { ks, w1 } = massDistances(mix, exact, priors);
  const draws = sampleMixture(mix, Math.max(RANGE_DRAWS, settings.samples), new Rng(seed, STREAM.posterior, rec.id), priors);
  const sorted = Array.from(draws.m).sort((x, y) => x - y);
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  const lo = Math.min(a, at(0.0005)), hi = Math.max(b, at(0.9995));
  const pad = 0.03 * (hi - lo);
  const from = Math.max(priors.m[0], lo - pad), to = Math.min(priors.m[1], hi + pad);
  const n = settings.grid;
  const grid = Array.from({ length: n }, (_, i) => from + ((to - from) * i) / (n - 1));
  const density = massDensity(mix, grid, priors);
  const m = Array.from(draws.m.subarray(0, settings.samples), (v) => sig(v));
  const k = Array.from(draws.k.subarray(0, settings.samples), (v) => sig(v));
  return {
    which,
    id: rec.id,
    truth: { m: rec.m, k: rec.k, l0: rec.l0, rho: rec.rho },
    a,
    b,
    ks,
    w1,
    learned: { m: grid.map((v) => sig(v, 4)), density: density.map((v) => sig(v, 3)) },
    exact: { m: [from, a, a, b, b, to].map((v) => sig(v, 6)), density: [0, 0, exact.pdf(a), exact.pdf(b), 0, 0].map((v) => sig(v, 6)) },
    samples: { m, k },
    segment: { m: [a, b], k: [rec.rho * a, rec.rho * b] },
  };
}

/** The test records of the lowest, the median and the highest rho (by true rho; the median is the upper one of an even count). */
export function pickRecords<T extends { rho: number }>(records: readonly T[]): { which: PosteriorRecordFigure["which"]; record: T }[] {
  if (records.length === 0) throw new GaitidError("the posterior's figures need at least one test record");
  const sorted = [...records].sort((x, y) => x.rho - y.rho);
  return [
    { which: "lowest", record: sorted[0] },
    { which: "median", record: sorted[Math.floor(sorted.length / 2)] },
    { which: "highest", record: sorted[sorted.length - 1] },
  ];
}

/**
 * The posterior experiment's results from its trial (one posterior run, or one per seed): the
 * figures of the first seed's run (its posterior.csv against the dataset's test records in
 * `datasetDir`) and every seed's calibration from its metrics.json. Run folders are relative to `root`.
 */
export function posteriorFigures(trial: TrialResult, root: string, datasetDir: string, settings: PosteriorSettings, targets: PosteriorTargets = POSTERIOR_TARGETS): PosteriorFigures {
  const runs = trial.seeds?.map((s) => ({ seed: s.seed, run: s.run })) ?? [{ seed: trial.training.seed, run: trial.run }];
  const read = runs.map(({ run }) => readRun(path.resolve(root, run), "posterior"));
  const seeds: PosteriorSeedScores[] = runs.map(({ seed, run }, i) => {
    const r = read[i];
    if (!r.metrics.posterior) throw new GaitidError(`${path.join(root, run)}/metrics.json has no posterior scores; score the run again (gaitid evaluate)`);
    if (!r.metrics.posteriorRecalibrated) throw new GaitidError(`${path.join(root, run)}/metrics.json has no recalibrated posterior scores (a run trained before the recalibration): train it again (--force)`);
    const res = r.manifest.result;
    return { seed, run, testRecords: r.metrics.records, epochs: r.manifest.training.epochs, epochsRun: res.epochsRun, bestEpoch: res.bestEpoch, bestValLoss: res.bestValLoss, scores: r.metrics.posterior, recalibrated: r.metrics.posteriorRecalibrated };
  });
  const first = read[0];
  const file = first.posterior!;
  const test = new Map(readDatasetParams(datasetDir).filter((p) => p.split === "test").map((p) => [p.id, p]));
  const recs = file.id.map((id, i) => {
    const p = test.get(id);
    if (!p) throw new GaitidError(`${path.join(root, runs[0].run)}/posterior.csv has record ${id}, which is not a test record of ${datasetDir}`);
    return { ...p, mixture: file.mixtures[i] };
  });
  const priors: MkPriors = { m: first.manifest.dataset.priors.m, k: first.manifest.dataset.priors.k };
  const records = pickRecords(recs).map(({ which, record }) => posteriorRecordFigure(which, record, record.mixture, priors, first.manifest.seeds.seed, settings));
  return { targets: { ...targets }, seed: runs[0].seed, run: runs[0].run, priors, records, seeds };
}
