/**
 * The results of trained runs, ready for the notebooks: the figures of lib/src/figures filled from
 * run folders (read with the report's readRun), the metrics beside their floor as a table, and the
 * Bayes locus of the (m, k) plane. Pure functions of the run files.
 */
import { expectedFloor, PAPER_PRIORS, type MkPriors } from "../estimator/floor";
import type { Scores } from "../estimator/metrics";
import {
  errorFloorFigure,
  learningCurvesFigure,
  massStiffnessPlaneFigure,
  mkl0PredictionFigure,
  rhol0PredictionFigure,
  type ErrorPanel,
} from "../figures/results";
import { COLORS, VARIANT_LABEL, type Quantity, type Variant } from "../figures/style";
import type { Figure } from "../figures/types";
import { fixed, fmt } from "../report/format";
import type { RunFiles } from "../results/runs";
import { bayesEstimates, bayesLocus, rhoIsolines, runPredictions, spread } from "../results/figure-data";

import { METRICS_ALIGN, METRICS_HEAD, metricsRows } from "../report/sections/results";
import { specTableHtml } from "./display";

export { bayesEstimates, bayesLocus, rhoIsolines, runPredictions };

/** The (m, k) priors of the dataset a run was trained on (from its manifest; the paper's if absent). */
export function runPriors(run: RunFiles): MkPriors {
  const p = run.manifest.dataset?.priors;
  return p?.m && p?.k ? { m: p.m, k: p.k } : PAPER_PRIORS;
}

/** Learning curves (training and validation loss per epoch) of one or more runs. */
export function runLearningCurves(...runs: RunFiles[]): Figure {
  return learningCurvesFigure(runs.map((r) => ({ variant: r.variant, epoch: r.history.epoch, trainLoss: r.history.trainLoss, valLoss: r.history.valLoss })));
}

const r2Note = (s: Scores | undefined): string | undefined => (s ? `<i>R</i><sup>2</sup> = ${fixed(s.r2, 3)}` : undefined);

/**
 * Predicted against true for a run: for mkl0, m, k and l0 with the Bayes estimator over m and k;
 * for rhol0, rho and l0, with the ratio k/m of `mkl0` (when given) over rho.
 */
export function runPredictionFigure(run: RunFiles, opts: { mkl0?: RunFiles; maxPoints?: number } = {}): Figure {
  const pred = runPredictions(run, opts.maxPoints);
  const notes: Partial<Record<Quantity, string>> = {};
  for (const q of Object.keys(run.metrics.params) as Quantity[]) notes[q] = r2Note(run.metrics.params[q]);
  if (run.variant === "mkl0") return mkl0PredictionFigure(pred, bayesEstimates(pred, runPriors(run)), notes);
  return rhol0PredictionFigure(pred, opts.mkl0 ? runPredictions(opts.mkl0, opts.maxPoints) : undefined, notes);
}

/** The (m, k) plane of an mkl0 run: true and predicted pairs, lines of constant rho, the Bayes locus. */
export function runMassStiffnessPlane(run: RunFiles, maxPoints = 2000): Figure {
  if (run.variant !== "mkl0") throw new Error(`the (m, k) plane needs an mkl0 run; ${run.dir} is a ${run.variant} run`);
  const pred = runPredictions(run, maxPoints);
  const priors = runPriors(run);
  return massStiffnessPlaneFigure({
    mTrue: pred.true.m!,
    kTrue: pred.true.k!,
    mPred: pred.pred.m!,
    kPred: pred.pred.k!,
    rhoLines: rhoIsolines(priors),
    mRange: priors.m,
    kRange: priors.k,
    bayesLocus: bayesLocus(priors),
  });
}

/**
 * Error against the floor: each quantity's test RMSE of every run given, beside the floor (the
 * RMSE of E[. | rho]; 0 for rho and l0) and the spread of the true values. An mkl0 run's rho bar
 * is its ratio k/m.
 */
export function runErrorFigure(...runs: RunFiles[]): Figure {
  const order: Quantity[] = ["m", "k", "l0", "rho"];
  const FLOOR = "floor: E[· | <i>ρ</i>]", SPREAD = "spread of the true values";
  const panels: ErrorPanel[] = [];
  for (const q of order) {
    const bars: ErrorPanel["bars"] = [];
    let floor: number | undefined, truth: number[] | undefined;
    for (const r of runs) {
      const m = r.metrics.params[q];
      if (m) {
        bars.push({ name: VARIANT_LABEL[r.variant], color: COLORS[r.variant], rmse: m.rmse, rank: r.variant === "mkl0" ? 1 : 2 });
        floor ??= m.floorRmse;
        truth ??= r.predictions.true[q];
      } else if (q === "rho" && r.metrics.ratio) {
        bars.push({ name: VARIANT_LABEL[r.variant], color: COLORS[r.variant], rmse: r.metrics.ratio.rmse, rank: 1 });
        floor ??= 0;
        truth ??= r.predictions.true.m.map((mv, i) => r.predictions.true.k[i] / mv);
      }
    }
    if (bars.length === 0) continue;
    bars.push({ name: FLOOR, color: COLORS.bayes, rmse: floor ?? 0, rank: 3 });
    if (truth) bars.push({ name: SPREAD, color: COLORS.isoline, rmse: spread(truth), rank: 4 });
    panels.push({ quantity: q, bars });
  }
  return errorFloorFigure(panels);
}

/**
 * The test metrics of runs as an HTML table: per estimate RMSE, MAE, bias, R², the floor's RMSE
 * and the R² ceiling (the Bayes estimator's on the same records), with units. An mkl0 run also
 * gets a row for its ratio k/m as an estimate of rho.
 */
export function metricsHtml(runs: readonly RunFiles[], caption = ""): string {
  return specTableHtml({ head: METRICS_HEAD, rows: runs.flatMap(metricsRows), align: [...METRICS_ALIGN] }, caption);
}

/** The floor of m and k expected under the priors themselves, as an HTML table (kg, N/m). */
export function expectedFloorHtml(priors: MkPriors = PAPER_PRIORS, caption = ""): string {
  const f = expectedFloor(priors);
  const sd = (r: readonly [number, number]): number => (r[1] - r[0]) / Math.sqrt(12);
  return specTableHtml(
    {
      head: ["quantity", "prior", "prior spread (RMSE of guessing the mean)", "floor RMSE", "<i>R</i><sup>2</sup> ceiling"],
      rows: [
        ["<i>m</i> (kg)", `U[${fmt(priors.m[0])}, ${fmt(priors.m[1])}]`, fmt(sd(priors.m)), fmt(f.m.rmse), fixed(f.m.r2Ceiling, 3)],
        ["<i>k</i> (N/m)", `U[${fmt(priors.k[0])}, ${fmt(priors.k[1])}]`, fmt(sd(priors.k)), fmt(f.k.rmse), fixed(f.k.r2Ceiling, 3)],
      ],
      align: ["l", "l", "r", "r", "r"],
    },
    caption,
  );
}

/** The name of a variant for the text (plain). */
export function variantName(v: Variant): string {
  return v === "mkl0" ? "(m, k, l0)" : "(rho, l0)";
}
