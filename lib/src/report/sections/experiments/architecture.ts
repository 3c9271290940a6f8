/**
 * The architecture experiment's section: errors per network, fully connected ones of other depths,
 * widths and activations and the sequence networks (1D CNN, GRU), with their size and speed.
 */
import type { ReportContext, ReportSection } from "../../context";
import { fixed, fmt, int } from "../../format";
import { html, joinHtml, raw, type HtmlValue, type SafeHtml } from "../../template";
import { categoryErrorFigure, type CategoryErrorPanel } from "../../../figures/experiments";
import type { ExperimentResults, TrialResult } from "../../../experiments/run";
import { sym, net, NET_PLOT, TITLE, experimentSectionId, trialsOf, param, floorRatios, ratioRange, rmseCell, r2Cell, provenance, belowFloor, VARIANT_TARGET_TEXT } from "./common";

const r2 = html`<i>R</i><sup>2</sup>`;
const RHOL0_TARGET_TEXT = html`(<i>ρ</i>, <i>ℓ</i><sub>0</sub>)`;

/** Which networks were trained. */
function setup(A: readonly TrialResult[], sequence: readonly TrialResult[]): SafeHtml {
  return html`<p>The paper uses one network, 7 hidden layers of 50 units. ${int(A.length)} networks were trained for
        ${VARIANT_TARGET_TEXT} with the study's other settings: ${joinHtml(A.map((t) => html`${String(t.value)} (${int(t.parameters)} weights)`), ", ")}
        (layers × units, activation${sequence.length > 0 && "; a 1D CNN and a GRU over the 151 × 2 record"}).</p>`;
}

/** What every (m, k, l0) network reached: m and k against their floor, l0 and rho as R². */
function verdict(ctx: ReportContext, A: readonly TrialResult[]): SafeHtml {
  const fm = floorRatios(A, "m"), fk = floorRatios(A, "k");
  const l0 = A.map((t) => param(t, "l0")!.r2 ?? Number.NaN), ratio = A.map((t) => t.ratio?.r2 ?? Number.NaN);
  return html`<p>For every one, the RMSE of ${sym.m} is ${ratioRange(fm)} its floor and that of ${sym.k} ${ratioRange(fk)} (${ctx.safe.ref("fig-exp-architecture")}),
          while ${sym.l0} is estimated with <i>R</i><sup>2</sup> from ${fixed(Math.min(...l0), 3)} to ${fixed(Math.max(...l0), 3)} and ${sym.rho}, as
          <i>k̂</i>/<i>m̂</i>, from ${fixed(Math.min(...ratio), 3)} to ${fixed(Math.max(...ratio), 3)}. The networks differ in how well they learn
          the identifiable part. ${belowFloor(Math.min(fm.lo, fk.lo), A[0].testRecords)}</p>`;
}

/** The figure of the errors per (m, k, l0) network. */
function errorFigure(ctx: ReportContext, A: readonly TrialResult[]): SafeHtml {
  const names = A.map((t) => String(t.value));
  const panels: CategoryErrorPanel[] = [
    { quantity: "m", categories: names, rmse: A.map((t) => param(t, "m")!.rmse), floor: A.map((t) => param(t, "m")!.floorRmse), spread: A.map((t) => param(t, "m")!.spread), name: NET_PLOT.mkl0 },
    { quantity: "k", categories: names, rmse: A.map((t) => param(t, "k")!.rmse), floor: A.map((t) => param(t, "k")!.floorRmse), spread: A.map((t) => param(t, "k")!.spread), name: NET_PLOT.mkl0 },
    { quantity: "l0", categories: names, rmse: A.map((t) => param(t, "l0")!.rmse), spread: A.map((t) => param(t, "l0")!.spread), name: NET_PLOT.mkl0 },
    { quantity: "rho", categories: names, rmse: A.map((t) => t.ratio?.rmse ?? Number.NaN), spread: A.map((t) => t.ratio?.spread ?? Number.NaN), name: NET_PLOT.mkl0 },
  ];
  return ctx.safe.figure(
    "fig-exp-architecture",
    categoryErrorFigure(panels, "network (layers × units, activation)"),
    html`Test RMSE of the ${net.mkl0} per architecture: (a) ${sym.m} and (b) ${sym.k} beside their floor (black, dashed), (c) ${sym.l0},
          (d) ${sym.rho} as <i>k̂</i>/<i>m̂</i>; the spread of the true values as a grey dotted line.`,
  );
}

/** The table of errors per (m, k, l0) network. */
function errorTable(ctx: ReportContext, A: readonly TrialResult[]): SafeHtml {
  return ctx.safe.table(
    "tab-exp-architecture",
    {
      head: ["network", "weights", "best epoch", html`${sym.m} (kg)`, html`${sym.k} (N/m)`, html`${sym.l0} (m)`, html`<i>k̂</i>/<i>m̂</i> (1/s<sup>2</sup>)`, html`${r2} ${sym.m}`, html`${r2} ${sym.k}`, html`${r2} ${sym.l0}`],
      rows: A.map((t) => [
        String(t.value), int(t.parameters), html`${int(t.bestEpoch)} of ${int(t.epochsRun)}`,
        rmseCell(param(t, "m"), true), rmseCell(param(t, "k"), true), rmseCell(param(t, "l0")), t.ratio ? fmt(t.ratio.rmse) : "–",
        r2Cell(param(t, "m")?.r2), r2Cell(param(t, "k")?.r2), r2Cell(param(t, "l0")?.r2),
      ]),
    },
    html`Test RMSE (in brackets: times the floor) and <i>R</i><sup>2</sup> of the ${net.mkl0} per architecture; the <i>R</i><sup>2</sup>
          ceilings of ${sym.m} and ${sym.k} are ${fixed(A[0] ? param(A[0], "m")?.r2Ceiling : undefined, 3)} and ${fixed(A[0] ? param(A[0], "k")?.r2Ceiling : undefined, 3)}.`,
  );
}

/** The table of every network's size and speed. */
function speedTable(ctx: ReportContext, r: ExperimentResults): SafeHtml {
  const seeded = r.trials.find((t) => t.seeds && t.seeds.length > 1);
  return ctx.safe.table(
    "tab-exp-architecture-speed",
    {
      head: ["network", "variant", "weights", "epochs", "training, s", "samples/s", html`${r2} ${sym.rho}`, html`${r2} ${sym.l0}`, html`RMSE ${sym.m} / floor`, html`RMSE ${sym.k} / floor`],
      align: ["l", "l", "r", "r", "r", "r", "r", "r", "r", "r"],
      rows: r.trials.map(speedRow),
    },
    html`Every network of the experiment with its size and speed (training time over the epochs run, samples per second
          of training time, one process per run, several runs at once on a shared machine: compare the speeds with each other,
          not with a benchmark). ${sym.rho} of the ${net.mkl0} is <i>k̂</i>/<i>m̂</i>; the ${net.rhol0} has no ${sym.m} or ${sym.k}.${
            seeded && html` Where a setting was trained with several seeds, mean ± standard deviation over the ${int(r.trials.find((t) => t.seeds)!.seeds!.length)} seeds (every run in <code>results.json</code>).`
          }`,
  );
}

export function architectureSection(r: ExperimentResults, dir: string): ReportSection {
  return {
    id: experimentSectionId("architecture"),
    title: TITLE.architecture,
    render(ctx: ReportContext) {
      const A = trialsOf(r, "mkl0");
      const mlps = A.filter((t) => (t.arch ?? "mlp") === "mlp");
      const sequence = r.trials.filter((t) => (t.arch ?? "mlp") !== "mlp");
      const parts = [
        setup(A, sequence),
        sequence.length > 0 ? sequenceText(r, mlps, sequence) : undefined,
        A.length > 0 ? verdict(ctx, A) : undefined,
        errorFigure(ctx, A),
        errorTable(ctx, A),
        speedTable(ctx, r),
        provenance(r, dir),
      ];
      return joinHtml(parts.filter((p) => p !== undefined), "\n").toString();
    },
  };
}

/** One row of the size-and-speed table. */
function speedRow(t: TrialResult): HtmlValue[] {
  const over = (q: "m" | "k"): SafeHtml => {
    const p = param(t, q);
    return p && p.floorRmse > 0 ? fixed(p.rmse / p.floorRmse, 3) : html`–`;
  };
  const rho = param(t, "rho")?.r2 ?? t.ratio?.r2;
  const sps = t.samplesPerSecond ?? (t.epochsRun * t.trainRecords) / t.trainSeconds;
  // Over several seeds (--seeds N): mean ± sample standard deviation instead of the first seed's value.
  const sp = t.spread;
  const ms = (x: { mean: number | null; sd: number | null } | undefined, d: number, alone: SafeHtml): SafeHtml => (x ? html`${fixed(x.mean, d)} ± ${fixed(x.sd, d)}` : alone);
  return [
    String(t.value), t.target === "mkl0" ? VARIANT_TARGET_TEXT : RHOL0_TARGET_TEXT, int(t.parameters), html`${int(t.epochsRun)} of ${int(t.epochs)}`, fmt(t.trainSeconds), int(sps),
    ms(sp?.rho?.r2, 4, r2Cell(rho)), ms(sp?.l0?.r2, 4, r2Cell(param(t, "l0")?.r2)), ms(sp?.m?.rmseOverFloor, 3, over("m")), ms(sp?.k?.rmseOverFloor, 3, over("k")),
  ];
}

/** What the sequence networks (1D CNN, GRU) show, against the fully connected ones. */
function sequenceText(r: ExperimentResults, mlps: readonly TrialResult[], sequence: readonly TrialResult[]): SafeHtml {
  const preset = mlps[0]?.epochs;
  const fewer = sequence.filter((t) => preset !== undefined && t.epochs < preset);
  const names = [...new Set(sequence.map((t) => String(t.value)))];
  const over = sequence.filter((t) => t.target === "mkl0").flatMap((t) => (["m", "k"] as const).map((q) => param(t, q)).filter((p) => p && p.floorRmse > 0).map((p) => p!.rmse / p!.floorRmse));
  const lo = over.length ? Math.min(...over) : Number.NaN;
  const fewerEpochs = [...new Set(fewer.map((t) => html`${String(t.value)}: ${int(t.epochs)}`.toString()))].map(raw);
  return html`<p>The paper's second check names convolutional and recurrent networks. ${joinHtml(names, " and ")} read the
    record as a sequence of 151 samples of (<i>x</i>, <i>y</i>): the CNN through three strided convolutions along time and
    a dense layer, the GRU through a recurrent layer over frames of 5 samples (estimator/layers-net.ts). Each was trained for
    both variants${fewer.length > 0 && html`, for fewer epochs than the ${int(preset)} of the fully connected networks because they train more slowly (${joinHtml(fewerEpochs, ", ")}), so they may be further from what they could reach`}
    (${r.trials.length} runs in all). Whatever they do for ${sym.rho} and ${sym.l0}, their RMSE of ${sym.m} and ${sym.k} stays
    at ${Number.isFinite(lo) ? html`${fixed(lo, 3)} times its floor or more` : "its floor"}: no network gets below it.</p>`;
}
