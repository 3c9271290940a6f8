/** Results: training, both variants' predictions against the truth, the table of metrics, the spread over seeds. */
import { learningCurvesFigure, mkl0PredictionFigure, rhol0PredictionFigure } from "../../figures/results";
import type { Quantity, Variant } from "../../figures/style";
import type { TargetMetrics } from "../../estimator/run";
import type { RunFiles } from "../../results/runs";
import { metricOf, type StudyResults } from "../../results/study";
import type { Spread } from "../../estimator/seeds";
import type { StudySeeds } from "../../results/seeds";
import type { ReportContext, ReportSection } from "../context";
import { fixed, fmt, int } from "../format";
import { html, joinHtml, raw, toHtml, type HtmlValue, type SafeHtml } from "../template";
import { r2note, sym, unit, variantText } from "./common";

const r2 = html`<i>R</i><sup>2</sup>`;
const ratioText = html`<i>k̂</i>/<i>m̂</i>`;
/** The unit of ρ as the text writes it. */
const perSquareSecond = html`1/s<sup>2</sup>`;

/** "R² = 0.987" of a metric, as markup. */
function r2Html(m: TargetMetrics): SafeHtml {
  return raw(r2note(m));
}

/** The test records the prediction figures show: all of them, or how many of how many. */
function shownText(numbers: StudyResults["numbers"]): SafeHtml {
  const n = numbers.testRecords;
  return numbers.shown.count < n ? html`${int(numbers.shown.count)} of the ${int(n)} test records (evenly spread)` : html`all ${int(n)} test records`;
}

/** Training: both networks' architecture, epochs, time and best validation loss, with the learning curves. */
function training(ctx: ReportContext): SafeHtml {
  const { runs, training: t } = ctx.results;
  const a = runs.mkl0, b = runs.rhol0;
  const last = (r: RunFiles): number => r.history.epoch.length - 1;
  const bestVal = (r: RunFiles): number => Math.min(...r.history.valLoss);
  const trainSeconds = (r: RunFiles): number => r.manifest.timings?.trainSeconds ?? r.history.seconds.reduce((s, v) => s + v, 0);
  const backendOf = (r: RunFiles): string => r.manifest.backend?.name ?? r.metrics.backend;
  const backends = backendOf(a) === backendOf(b) ? html`both on the ${backendOf(a)} backend` : html`on the ${backendOf(a)} and ${backendOf(b)} backends`;
  const weights = a.manifest.network?.parameters;
  return html`${ctx.safe.heading("results-training", "Training")}
<p>Both networks have the same architecture (${t.mkl0.layers} hidden layers of ${t.mkl0.units}
      ${t.mkl0.activation} units${weights ? html`, ${int(weights)} weights` : undefined}) and differ only in their targets, which
      are standardised. The ${variantText.mkl0} network trained for ${int(a.history.epoch[last(a)])} epochs in ${fmt(trainSeconds(a))} s
      (best validation loss ${fmt(bestVal(a))}), the ${variantText.rhol0} network for ${int(b.history.epoch[last(b)])} epochs
      in ${fmt(trainSeconds(b))} s (best validation loss ${fmt(bestVal(b))}), ${backends} (${ctx.safe.ref("fig-learning")}). The losses are not comparable across variants: one averages three standardised targets,
      the other two, and the (${sym.m}, ${sym.k}) part of the first cannot fall below the floor of ${ctx.safe.ref("floor")}.</p>
${ctx.safe.figure(
  "fig-learning",
  learningCurvesFigure([
    { variant: "mkl0", epoch: a.history.epoch, trainLoss: a.history.trainLoss, valLoss: a.history.valLoss },
    { variant: "rhol0", epoch: b.history.epoch, trainLoss: b.history.trainLoss, valLoss: b.history.valLoss },
  ]),
  html`Learning curves: training (solid) and validation (dashed) loss per epoch of the ${variantText.mkl0} network
        (blue) and the ${variantText.rhol0} network (orange); mean squared error of the standardised targets, log scale.`,
)}`;
}

/** The (m, k, l0) variant: its predictions against the truth, beside the Bayes estimator E[· | ρ]. */
function mkl0Part(ctx: ReportContext): SafeHtml {
  const { runs, numbers } = ctx.results;
  const a = runs.mkl0;
  const mm = metricOf(a, "m"), mk = metricOf(a, "k"), ml = metricOf(a, "l0");
  const toBayes = numbers.toBayes;
  const nearer = toBayes.m < mm.rmse;
  return html`${ctx.safe.heading("results-mkl0", html`The ${variantText.mkl0} variant`)}
<p>${ctx.safe.ref("fig-mkl0")} compares the predictions with the truth: ${sym.l0} with ${r2Html(ml)} (RMSE ${fmt(ml.rmse)} m),
      ${sym.m} with ${r2Html(mm)} and ${sym.k} with ${r2Html(mk)}. Over ${sym.m} and ${sym.k} the figure also draws the Bayes
      estimator E[· | ${sym.rho}], the answer of the best estimator that knows ${sym.rho} exactly and nothing else. The
      network's estimates of ${sym.m} lie ${nearer ? "closer to" : "no closer to"} it (RMS distance ${fmt(toBayes.m)} kg) than
      to the true ${sym.m} (RMSE ${fmt(mm.rmse)} kg)${nearer && ": the network answers with the prior where the data are silent"}.
      Its ratio ${ratioText} estimates ${sym.rho} with ${r2} = ${fixed(a.metrics.ratio?.r2, 3)}.</p>
${ctx.safe.figure(
  "fig-mkl0",
  mkl0PredictionFigure(numbers.shown.mkl0, numbers.shown.bayes, { m: r2note(mm), k: r2note(mk), l0: r2note(ml) }),
  html`The ${variantText.mkl0} variant: predicted against true on ${shownText(numbers)}, with the identity line (dashed); over
        ${sym.m} and ${sym.k}, the Bayes estimator E[${sym.m} | ${sym.rho}], E[${sym.k} | ${sym.rho}] at each record's true ${sym.rho} (black).`,
)}`;
}

/** The (rho, l0) variant: its predictions against the truth, beside the ratio of the (m, k, l0) network. */
function rhol0Part(ctx: ReportContext): SafeHtml {
  const { runs, numbers } = ctx.results;
  const rr = metricOf(runs.rhol0, "rho"), rl = metricOf(runs.rhol0, "l0");
  return html`${ctx.safe.heading("results-rhol0", html`The ${variantText.rhol0} variant`)}
<p>Asked for the identifiable combination, the network estimates both of its targets (${ctx.safe.ref("fig-rhol0")}):
      ${sym.rho} with ${r2Html(rr)} (RMSE ${fmt(rr.rmse)} ${perSquareSecond}) and ${sym.l0} with ${r2Html(rl)} (RMSE ${fmt(rl.rmse)} m).</p>
${ctx.safe.figure(
  "fig-rhol0",
  rhol0PredictionFigure(numbers.shown.rhol0, numbers.shown.mkl0, { rho: r2note(rr), l0: r2note(rl) }),
  html`The ${variantText.rhol0} variant: predicted against true on ${shownText(numbers)}. Over ${sym.rho}, the ratio
        ${ratioText} of the ${variantText.mkl0} network (blue) for comparison.`,
)}`;
}

/** One row of the table of metrics. */
function metricsRow(variant: Variant, q: Quantity | "ratio", m: Pick<TargetMetrics, "rmse" | "mae" | "bias" | "r2"> & Partial<Pick<TargetMetrics, "floorRmse" | "r2Ceiling">>): SafeHtml[] {
  const cells: HtmlValue[] = [
    variantText[variant],
    q === "ratio" ? html`${sym.rho} as ${ratioText}` : sym[q],
    q === "ratio" ? unit.rho : unit[q],
    fmt(m.rmse),
    fmt(m.mae),
    fmt(m.bias, 2),
    fixed(m.r2, 3),
    m.floorRmse === undefined ? "–" : fmt(m.floorRmse),
    m.r2Ceiling === undefined ? "–" : fixed(m.r2Ceiling, 3),
  ];
  return cells.map(toHtml);
}

/** Head and alignment of the table of metrics (the report's and the notebooks'). */
export const METRICS_HEAD: SafeHtml[] = ["network", "estimate", "unit", "RMSE", "MAE", "bias", r2, "floor RMSE", html`${r2} ceiling`].map(toHtml);
export const METRICS_ALIGN = ["l", "l", "l", "r", "r", "r", "r", "r", "r"] as const;

/**
 * The rows of the table of metrics for one run: its estimates in the order of metrics.json, and
 * for an (m, k, l0) run also its ratio k/m as an estimate of rho.
 */
export function metricsRows(run: RunFiles): SafeHtml[][] {
  const rows = Object.entries(run.metrics.params).map(([q, m]) => metricsRow(run.variant as Variant, q as Quantity, m));
  if (run.metrics.ratio) rows.push(metricsRow(run.variant as Variant, "ratio", run.metrics.ratio));
  return rows;
}

/** The table of both variants' test-set metrics. */
function metricsTable(ctx: ReportContext): SafeHtml {
  const { runs, numbers } = ctx.results;
  return ctx.safe.table(
    "tab-metrics",
    { head: METRICS_HEAD, align: [...METRICS_ALIGN], rows: [...metricsRows(runs.mkl0), ...metricsRows(runs.rhol0)] },
    html`Test-set metrics of both variants (${int(numbers.testRecords)} records, <code>metrics.json</code>). Bias is the mean of predicted
        minus true. The floor is the RMSE of E[· | ${sym.rho}], the <i>R</i><sup>2</sup> ceiling that estimator's <i>R</i><sup>2</sup>;
        they are 0 and 1 for identifiable quantities.`,
  );
}

export const results: ReportSection = {
  id: "results",
  title: "Results",
  render(ctx) {
    const seeds = ctx.results.seeds;
    const parts = [training(ctx), mkl0Part(ctx), rhol0Part(ctx), metricsTable(ctx), seeds && seedsPart(ctx, seeds)];
    return joinHtml(parts.filter((p) => p !== undefined), "\n").toString();
  },
};

/** "mean ± sd" of a spread, `d` decimals. */
function meanSd(v: Spread | undefined, d: number): SafeHtml {
  return v ? html`${fixed(v.mean, d)} ± ${fixed(v.sd, d)}` : html`–`;
}

/** The difference between two single runs that is more than the seed's noise, 2√2 sd, `d` decimals. */
function single(x: Spread | undefined, d: number): SafeHtml {
  return fixed(x?.sd === null || x?.sd === undefined ? null : 2 * Math.SQRT2 * x.sd, d);
}

/** The spread over seeds in words: the seeds, the scores' mean and standard deviation, what a difference must exceed. */
function seedsText(ctx: ReportContext, seeds: StudySeeds): SafeHtml {
  const a = seeds.spread.mkl0, b = seeds.spread.rhol0;
  const n = seeds.runs.mkl0.length, nb = seeds.runs.rhol0.length;
  const list = (v: "mkl0" | "rhol0"): string => seeds.runs[v].map((r) => r.seed).join(", ");
  return html`<p>Every number above comes from one training run. To see how much of it is the seed, each variant was trained
    ${n === nb ? html`${int(n)} times` : html`${int(n)} and ${int(nb)} times`} (training seeds ${list("mkl0")}${list("rhol0") !== list("mkl0") && ` and ${list("rhol0")}`}),
    on the same data with the same settings: the runs differ only in their initial weights and the order of the training
    records (${ctx.safe.ref("tab-seeds")}, every run in ${ctx.safe.ref("tab-seed-runs")}). Over the seeds, <i>R</i><sup>2</sup> of ${sym.rho}
    is ${meanSd(b.rho?.r2, 4)} and of ${sym.l0} ${meanSd(b.l0?.r2, 4)} (mean ± sample standard deviation); the RMSE of
    ${sym.m} is ${meanSd(a.m?.rmseOverFloor, 3)} times its floor and that of ${sym.k} ${meanSd(a.k?.rmseOverFloor, 3)} times.</p>
    <p>What a difference between two settings must exceed to mean anything: for the means of ${int(n)} runs each,
    2&thinsp;<i>s</i>&thinsp;√(2/${int(n)}), with <i>s</i> the standard deviation over seeds (about the 95 % level for normally
    distributed scores); for two single runs, 2√2&thinsp;<i>s</i>. Here that is ${fixed(b.rho?.r2.minDifference, 4)} in
    <i>R</i><sup>2</sup> of ${sym.rho} and ${fixed(b.l0?.r2.minDifference, 4)} in that of ${sym.l0} (single runs:
    ${single(b.rho?.r2, 4)} and ${single(b.l0?.r2, 4)}), and ${fixed(a.m?.rmseOverFloor?.minDifference, 4)} and
    ${fixed(a.k?.rmseOverFloor?.minDifference, 4)} in RMSE / floor of ${sym.m} and ${sym.k} (single runs:
    ${single(a.m?.rmseOverFloor, 4)} and ${single(a.k?.rmseOverFloor, 4)}). A smaller difference, such as one between two
    architectures or noise levels of the experiments trained once each, is within what another seed would give.</p>`;
}

/** The table of the scores over seeds: mean ± standard deviation and the smallest meaningful difference. */
function seedsTable(ctx: ReportContext, seeds: StudySeeds): SafeHtml {
  const n = seeds.runs.mkl0.length;
  const rows: HtmlValue[][] = [];
  const row = (v: "mkl0" | "rhol0", q: Quantity): void => {
    const x = seeds.spread[v][q];
    if (!x) return;
    const key = x.rmseOverFloor ?? x.r2;
    rows.push([variantText[v], sym[q], meanSd(x.r2, 4), html`${meanSd(x.rmse, 4)} ${unit[q]}`, meanSd(x.rmseOverFloor, 3), x.rmseOverFloor ? "RMSE / floor" : r2, fixed(key.minDifference, 4), single(key, 4)]);
  };
  (["m", "k", "l0"] as const).forEach((q) => row("mkl0", q));
  (["rho", "l0"] as const).forEach((q) => row("rhol0", q));
  return ctx.safe.table(
    "tab-seeds",
    {
      head: ["network", "estimate", r2, "RMSE", "RMSE / floor", "difference in", html`smallest difference (means of ${int(n)})`, "(single runs)"],
      align: ["l", "l", "r", "r", "r", "l", "r", "r"],
      rows,
    },
    html`Test-set scores over ${int(n)} training seeds: mean ± sample standard deviation. The last two columns give the
      smallest difference between two settings that is more than the seed's noise, in RMSE / floor for the unidentifiable
      ${sym.m} and ${sym.k} and in <i>R</i><sup>2</sup> for the others.`,
  );
}

/** The table of every run over seeds, with the folders left out. */
function seedRunsTable(ctx: ReportContext, seeds: StudySeeds): SafeHtml {
  const runRows = seeds.runs.mkl0.map((r, i) => {
    const o = seeds.runs.rhol0[i];
    const p = r.metrics.params;
    return [String(r.seed), fixed(p.m.rmse / p.m.floorRmse, 3), fixed(p.k.rmse / p.k.floorRmse, 3), fixed(p.l0.r2, 4), fmt(r.trainSeconds), o ? fixed(o.metrics.params.rho.r2, 4) : "–", o ? fixed(o.metrics.params.l0.r2, 4) : "–", o ? fmt(o.trainSeconds) : "–"];
  });
  const skipped = seeds.skipped.map((x) => html`<code>${x.dir}</code> (${x.reason})`);
  return ctx.safe.table(
    "tab-seed-runs",
    {
      head: ["seed", html`${sym.m}: RMSE / floor`, html`${sym.k}: RMSE / floor`, html`${sym.l0}: ${r2}`, "time, s", html`${sym.rho}: ${r2}`, html`${sym.l0}: ${r2}`, "time, s"],
      align: ["r", "r", "r", "r", "r", "r", "r", "r"],
      rows: runRows,
    },
    html`Every run over seeds: the ${variantText.mkl0} network (first four columns after the seed) and the
      ${variantText.rhol0} network (last three), with their training times. The first seed's runs are the ones of
      ${ctx.safe.ref("tab-metrics")}.${skipped.length > 0 && html` Left out: ${joinHtml(skipped, ", ")}.`}`,
  );
}

/** The spread over seeds: the scores' mean and standard deviation, what a difference must exceed, every run. */
function seedsPart(ctx: ReportContext, seeds: StudySeeds): SafeHtml {
  return joinHtml([ctx.safe.heading("results-seeds", "The spread over seeds"), seedsText(ctx, seeds), seedsTable(ctx, seeds), seedRunsTable(ctx, seeds)], "\n");
}
