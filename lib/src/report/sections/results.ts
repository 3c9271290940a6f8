/** Results: training, both variants' predictions against the truth, the table of metrics. */
import { learningCurvesFigure, mkl0PredictionFigure, rhol0PredictionFigure } from "../../figures/results";
import type { Quantity, Variant } from "../../figures/style";
import type { TargetMetrics } from "../../estimator/run";
import type { RunFiles } from "../../results/runs";
import { metricOf } from "../../results/study";
import type { ReportSection } from "../context";
import { esc, fixed, fmt, int } from "../html";
import { r2note, SYM, UNIT, VARIANT_NAME } from "./common";

export const results: ReportSection = {
  id: "results",
  title: "Results",
  render(ctx) {
    const { runs, training, numbers } = ctx.results;
    const a = runs.mkl0, b = runs.rhol0;
    const n = numbers.testRecords;
    const shown = numbers.shown.count < n ? `${int(numbers.shown.count)} of the ${int(n)} test records (evenly spread)` : `all ${int(n)} test records`;
    const predA = numbers.shown.mkl0, predB = numbers.shown.rhol0;
    const bayes = numbers.shown.bayes;
    const last = (r: RunFiles): number => r.history.epoch.length - 1;
    const bestVal = (r: RunFiles): number => Math.min(...r.history.valLoss);
    const trainSeconds = (r: RunFiles): number => r.manifest.timings?.trainSeconds ?? r.history.seconds.reduce((s, v) => s + v, 0);
    const backendOf = (r: RunFiles): string => r.manifest.backend?.name ?? r.metrics.backend;
    const backends = backendOf(a) === backendOf(b) ? `both on the ${esc(backendOf(a))} backend` : `on the ${esc(backendOf(a))} and ${esc(backendOf(b))} backends`;
    const weights = a.manifest.network?.parameters;
    const out: string[] = [];
    out.push(
      ctx.heading("results-training", "Training"),
      `<p>Both networks have the same architecture (${training.mkl0.layers} hidden layers of ${training.mkl0.units}
      ${esc(training.mkl0.activation)} units${weights ? `, ${int(weights)} weights` : ""}) and differ only in their targets, which
      are standardised. The ${VARIANT_NAME.mkl0} network trained for ${int(a.history.epoch[last(a)])} epochs in ${fmt(trainSeconds(a))} s
      (best validation loss ${fmt(bestVal(a))}), the ${VARIANT_NAME.rhol0} network for ${int(b.history.epoch[last(b)])} epochs
      in ${fmt(trainSeconds(b))} s (best validation loss ${fmt(bestVal(b))}), ${backends} (${ctx.ref("fig-learning")}). The losses are not comparable across variants: one averages three standardised targets,
      the other two, and the (${SYM.m}, ${SYM.k}) part of the first cannot fall below the floor of ${ctx.ref("floor")}.</p>`,
      ctx.figure(
        "fig-learning",
        learningCurvesFigure([
          { variant: "mkl0", epoch: a.history.epoch, trainLoss: a.history.trainLoss, valLoss: a.history.valLoss },
          { variant: "rhol0", epoch: b.history.epoch, trainLoss: b.history.trainLoss, valLoss: b.history.valLoss },
        ]),
        `Learning curves: training (solid) and validation (dashed) loss per epoch of the ${VARIANT_NAME.mkl0} network
        (blue) and the ${VARIANT_NAME.rhol0} network (orange); mean squared error of the standardised targets, log scale.`,
      ),
    );
    const mm = metricOf(a, "m"), mk = metricOf(a, "k"), ml = metricOf(a, "l0"), rr = metricOf(b, "rho"), rl = metricOf(b, "l0");
    const toBayes = numbers.toBayes;
    const nearer = toBayes.m < mm.rmse;
    out.push(
      ctx.heading("results-mkl0", `The ${VARIANT_NAME.mkl0} variant`),
      `<p>${ctx.ref("fig-mkl0")} compares the predictions with the truth: ${SYM.l0} with ${r2note(ml)} (RMSE ${fmt(ml.rmse)} m),
      ${SYM.m} with ${r2note(mm)} and ${SYM.k} with ${r2note(mk)}. Over ${SYM.m} and ${SYM.k} the figure also draws the Bayes
      estimator E[· | ${SYM.rho}], the answer of the best estimator that knows ${SYM.rho} exactly and nothing else. The
      network's estimates of ${SYM.m} lie ${nearer ? "closer to" : "no closer to"} it (RMS distance ${fmt(toBayes.m)} kg) than
      to the true ${SYM.m} (RMSE ${fmt(mm.rmse)} kg)${nearer ? ": the network answers with the prior where the data are silent" : ""}.
      Its ratio <i>k̂</i>/<i>m̂</i> estimates ${SYM.rho} with <i>R</i><sup>2</sup> = ${fixed(a.metrics.ratio?.r2, 3)}.</p>`,
      ctx.figure(
        "fig-mkl0",
        mkl0PredictionFigure(predA, bayes, { m: r2note(mm), k: r2note(mk), l0: r2note(ml) }),
        `The ${VARIANT_NAME.mkl0} variant: predicted against true on ${shown}, with the identity line (dashed); over
        ${SYM.m} and ${SYM.k}, the Bayes estimator E[${SYM.m} | ${SYM.rho}], E[${SYM.k} | ${SYM.rho}] at each record's true ${SYM.rho} (black).`,
      ),
      ctx.heading("results-rhol0", `The ${VARIANT_NAME.rhol0} variant`),
      `<p>Asked for the identifiable combination, the network estimates both of its targets (${ctx.ref("fig-rhol0")}):
      ${SYM.rho} with ${r2note(rr)} (RMSE ${fmt(rr.rmse)} 1/s<sup>2</sup>) and ${SYM.l0} with ${r2note(rl)} (RMSE ${fmt(rl.rmse)} m).</p>`,
      ctx.figure(
        "fig-rhol0",
        rhol0PredictionFigure(predB, predA, { rho: r2note(rr), l0: r2note(rl) }),
        `The ${VARIANT_NAME.rhol0} variant: predicted against true on ${shown}. Over ${SYM.rho}, the ratio
        <i>k̂</i>/<i>m̂</i> of the ${VARIANT_NAME.mkl0} network (blue) for comparison.`,
      ),
    );
    const row = (variant: Variant, q: Quantity | "ratio", m: Pick<TargetMetrics, "rmse" | "mae" | "bias" | "r2"> & Partial<Pick<TargetMetrics, "floorRmse" | "r2Ceiling">>): string[] => [
      VARIANT_NAME[variant],
      q === "ratio" ? `${SYM.rho} as <i>k̂</i>/<i>m̂</i>` : SYM[q],
      q === "ratio" ? UNIT.rho : UNIT[q],
      fmt(m.rmse),
      fmt(m.mae),
      fmt(m.bias, 2),
      fixed(m.r2, 3),
      m.floorRmse === undefined ? "–" : fmt(m.floorRmse),
      m.r2Ceiling === undefined ? "–" : fixed(m.r2Ceiling, 3),
    ];
    const rows = [row("mkl0", "m", mm), row("mkl0", "k", mk), row("mkl0", "l0", ml)];
    if (a.metrics.ratio) rows.push(row("mkl0", "ratio", a.metrics.ratio));
    rows.push(row("rhol0", "rho", rr), row("rhol0", "l0", rl));
    out.push(
      ctx.table(
        "tab-metrics",
        {
          head: ["network", "estimate", "unit", "RMSE", "MAE", "bias", "<i>R</i><sup>2</sup>", "floor RMSE", "<i>R</i><sup>2</sup> ceiling"],
          align: ["l", "l", "l", "r", "r", "r", "r", "r", "r"],
          rows,
        },
        `Test-set metrics of both variants (${int(n)} records, <code>metrics.json</code>). Bias is the mean of predicted
        minus true. The floor is the RMSE of E[· | ${SYM.rho}], the <i>R</i><sup>2</sup> ceiling that estimator's <i>R</i><sup>2</sup>;
        they are 0 and 1 for identifiable quantities.`,
      ),
    );
    return out.join("\n");
  },
};

