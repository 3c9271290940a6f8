/** Results: training, both variants' predictions against the truth, the table of metrics, the spread over seeds. */
import { learningCurvesFigure, mkl0PredictionFigure, rhol0PredictionFigure } from "../../figures/results";
import type { Quantity, Variant } from "../../figures/style";
import type { TargetMetrics } from "../../estimator/run";
import type { RunFiles } from "../../results/runs";
import { metricOf } from "../../results/study";
import type { Spread } from "../../estimator/seeds";
import type { StudySeeds } from "../../results/seeds";
import type { ReportContext, ReportSection } from "../context";
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
    if (ctx.results.seeds) out.push(seedsPart(ctx, ctx.results.seeds));
    return out.join("\n");
  },
};


/** "mean ± sd" of a spread, `d` decimals. */
function meanSd(v: Spread | undefined, d: number): string {
  return v ? `${fixed(v.mean, d)} ± ${fixed(v.sd, d)}` : "–";
}

/** The spread over seeds: the scores' mean and standard deviation, what a difference must exceed, every run. */
function seedsPart(ctx: ReportContext, seeds: StudySeeds): string {
  const a = seeds.spread.mkl0, b = seeds.spread.rhol0;
  const n = seeds.runs.mkl0.length, nb = seeds.runs.rhol0.length;
  const list = (v: "mkl0" | "rhol0"): string => seeds.runs[v].map((r) => r.seed).join(", ");
  const single = (x: Spread | undefined, d: number): string => fixed(x?.sd === null || x?.sd === undefined ? null : 2 * Math.SQRT2 * x.sd, d);
  const rows: string[][] = [];
  const row = (v: "mkl0" | "rhol0", q: Quantity): void => {
    const x = (v === "mkl0" ? a : b)[q];
    if (!x) return;
    const key = x.rmseOverFloor ?? x.r2;
    rows.push([VARIANT_NAME[v], SYM[q], meanSd(x.r2, 4), `${meanSd(x.rmse, 4)} ${UNIT[q]}`, meanSd(x.rmseOverFloor, 3), x.rmseOverFloor ? "RMSE / floor" : "<i>R</i><sup>2</sup>", fixed(key.minDifference, 4), single(key, 4)]);
  };
  (["m", "k", "l0"] as const).forEach((q) => row("mkl0", q));
  (["rho", "l0"] as const).forEach((q) => row("rhol0", q));
  const runRows = seeds.runs.mkl0.map((r, i) => {
    const o = seeds.runs.rhol0[i];
    const p = r.metrics.params;
    return [String(r.seed), fixed(p.m.rmse / p.m.floorRmse, 3), fixed(p.k.rmse / p.k.floorRmse, 3), fixed(p.l0.r2, 4), fmt(r.trainSeconds), o ? fixed(o.metrics.params.rho.r2, 4) : "–", o ? fixed(o.metrics.params.l0.r2, 4) : "–", o ? fmt(o.trainSeconds) : "–"];
  });
  return [
    ctx.heading("results-seeds", "The spread over seeds"),
    `<p>Every number above comes from one training run. To see how much of it is the seed, each variant was trained
    ${n === nb ? `${int(n)} times` : `${int(n)} and ${int(nb)} times`} (training seeds ${list("mkl0")}${list("rhol0") === list("mkl0") ? "" : ` and ${list("rhol0")}`}),
    on the same data with the same settings: the runs differ only in their initial weights and the order of the training
    records (${ctx.ref("tab-seeds")}, every run in ${ctx.ref("tab-seed-runs")}). Over the seeds, <i>R</i><sup>2</sup> of ${SYM.rho}
    is ${meanSd(b.rho?.r2, 4)} and of ${SYM.l0} ${meanSd(b.l0?.r2, 4)} (mean ± sample standard deviation); the RMSE of
    ${SYM.m} is ${meanSd(a.m?.rmseOverFloor, 3)} times its floor and that of ${SYM.k} ${meanSd(a.k?.rmseOverFloor, 3)} times.</p>
    <p>What a difference between two settings must exceed to mean anything: for the means of ${int(n)} runs each,
    2&thinsp;<i>s</i>&thinsp;√(2/${int(n)}), with <i>s</i> the standard deviation over seeds (about the 95 % level for normally
    distributed scores); for two single runs, 2√2&thinsp;<i>s</i>. Here that is ${fixed(b.rho?.r2.minDifference, 4)} in
    <i>R</i><sup>2</sup> of ${SYM.rho} and ${fixed(b.l0?.r2.minDifference, 4)} in that of ${SYM.l0} (single runs:
    ${single(b.rho?.r2, 4)} and ${single(b.l0?.r2, 4)}), and ${fixed(a.m?.rmseOverFloor?.minDifference, 4)} and
    ${fixed(a.k?.rmseOverFloor?.minDifference, 4)} in RMSE / floor of ${SYM.m} and ${SYM.k} (single runs:
    ${single(a.m?.rmseOverFloor, 4)} and ${single(a.k?.rmseOverFloor, 4)}). A smaller difference, such as one between two
    architectures or noise levels of the experiments trained once each, is within what another seed would give.</p>`,
    ctx.table(
      "tab-seeds",
      {
        head: ["network", "estimate", "<i>R</i><sup>2</sup>", "RMSE", "RMSE / floor", "difference in", `smallest difference (means of ${int(n)})`, "(single runs)"],
        align: ["l", "l", "r", "r", "r", "l", "r", "r"],
        rows,
      },
      `Test-set scores over ${int(n)} training seeds: mean ± sample standard deviation. The last two columns give the
      smallest difference between two settings that is more than the seed's noise, in RMSE / floor for the unidentifiable
      ${SYM.m} and ${SYM.k} and in <i>R</i><sup>2</sup> for the others.`,
    ),
    ctx.table(
      "tab-seed-runs",
      {
        head: ["seed", `${SYM.m}: RMSE / floor`, `${SYM.k}: RMSE / floor`, `${SYM.l0}: <i>R</i><sup>2</sup>`, "time, s", `${SYM.rho}: <i>R</i><sup>2</sup>`, `${SYM.l0}: <i>R</i><sup>2</sup>`, "time, s"],
        align: ["r", "r", "r", "r", "r", "r", "r", "r"],
        rows: runRows,
      },
      `Every run over seeds: the ${VARIANT_NAME.mkl0} network (first four columns after the seed) and the
      ${VARIANT_NAME.rhol0} network (last three), with their training times. The first seed's runs are the ones of
      ${ctx.ref("tab-metrics")}.${seeds.skipped.length ? ` Left out: ${seeds.skipped.map((x) => `<code>${esc(x.dir)}</code> (${esc(x.reason)})`).join(", ")}.` : ""}`,
    ),
  ].join("\n");
}
