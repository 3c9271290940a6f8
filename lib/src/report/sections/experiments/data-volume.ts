/** The data-volume experiment's section: errors against the number of training records. */
import type { ReportContext, ReportSection } from "../../context";
import { fixed, fmt, int } from "../../format";
import { html, joinHtml, type HtmlValue, type SafeHtml } from "../../template";
import { errorCurvesFigure } from "../../../figures/experiments";
import type { ExperimentResults, TrialResult } from "../../../experiments/run";
import { sym, unit, net, TITLE, experimentSectionId, trialsOf, param, trend, floorRatios, rmseCell, r2Cell, curvePanels, provenance, belowFloor } from "./common";

const first = (ts: TrialResult[]): TrialResult => ts[0], last = (ts: TrialResult[]): TrialResult => ts[ts.length - 1];

/** How the subsets were trained: sizes and epochs. */
function setup(r: ExperimentResults, all: TrialResult[]): SafeHtml {
  const sizes = all.map((t) => t.trainRecords), epochs = all.map((t) => t.epochs);
  const factor = r.settings?.maxEpochFactor;
  return html`<p>Is the failure on ${sym.m} and ${sym.k} a lack of data? Both networks were trained on the first <i>N</i> training records,
        <i>N</i> = ${joinHtml(sizes.map(int), ", ")}, and scored on the same ${int(all[0].testRecords)} test records. A smaller set was
        trained for more epochs (${joinHtml(epochs.map(int), ", ")}), so that every run saw about as many training samples (epochs times
        records)${typeof factor === "number" && html`, with at most ${fmt(factor)} times the epochs of the whole set`};
        otherwise the smaller sets would also have had fewer gradient steps.</p>`;
}

/** How the errors changed from the smallest set to the largest; none with a single size and no (m, k, l0) runs. */
function trends(ctx: ReportContext, A: TrialResult[], B: TrialResult[], sizes: number[]): SafeHtml | undefined {
  const parts: SafeHtml[] = [];
  if (B.length > 1) {
    parts.push(
      html`the RMSE of ${sym.rho} ${trend(param(first(B), "rho")!.rmse, param(last(B), "rho")!.rmse, unit.rho)} and that of ${sym.l0}
          ${trend(param(first(B), "l0")!.rmse, param(last(B), "l0")!.rmse, unit.l0)} (${net.rhol0})`,
    );
  }
  if (A.length > 1) {
    parts.push(html`with the ${net.mkl0}, the RMSE of ${sym.l0} ${trend(param(first(A), "l0")!.rmse, param(last(A), "l0")!.rmse, unit.l0)}`);
  }
  const span = html`From ${int(sizes[0])} to ${int(sizes[sizes.length - 1])} records, ${joinHtml(parts, "; ")}.`;
  if (A.length === 0) return parts.length > 0 ? html`<p>${span}</p>` : undefined;
  const pm0 = param(first(A), "m")!, pk0 = param(first(A), "k")!;
  const pm = param(last(A), "m")!, pk = param(last(A), "k")!;
  const lo = Math.min(floorRatios(A, "m").lo, floorRatios(A, "k").lo);
  const ratio = trend(first(A).ratio?.rmse ?? Number.NaN, last(A).ratio?.rmse ?? Number.NaN, unit.rho);
  return html`<p>${span} The RMSE of ${sym.m} was
          ${fixed(pm0.rmse / pm0.floorRmse, 2)} times its floor of ${fmt(pm.floorRmse)} kg with the fewest records and
          ${fixed(pm.rmse / pm.floorRmse, 2)} times with the most, that of ${sym.k} ${fixed(pk0.rmse / pk0.floorRmse, 2)} and
          ${fixed(pk.rmse / pk.floorRmse, 2)} times its floor of ${fmt(pk.floorRmse)} N/m (${ctx.safe.ref("fig-exp-data-volume")}).
          ${belowFloor(lo, first(A).testRecords)} The floor is the error of the Bayes estimator that knows ${sym.rho} exactly
          (${ctx.safe.ref("floor")}); it does not depend on <i>N</i>, so more data can bring an estimator of ${sym.m} or ${sym.k} down to it,
          never below. What more data buys beyond that is the identifiable part: ${sym.rho} and ${sym.l0}, and the ratio
          <i>k̂</i>/<i>m̂</i> of the ${net.mkl0} (RMSE ${ratio}).</p>`;
}

/** The figure of the errors against N and the table per size. */
function figureAndTable(ctx: ReportContext, A: TrialResult[], B: TrialResult[], all: TrialResult[]): SafeHtml {
  const sizes = all.map((t) => t.trainRecords);
  const rows: HtmlValue[][] = sizes.map((n, i) => {
    const a = A[i], b = B[i];
    return [
      int(n), int(all[i].epochs),
      rmseCell(a && param(a, "m"), true), rmseCell(a && param(a, "k"), true), rmseCell(a && param(a, "l0")), a?.ratio ? fmt(a.ratio.rmse) : "–",
      rmseCell(b && param(b, "rho")), rmseCell(b && param(b, "l0")),
      r2Cell(a && param(a, "m")?.r2), r2Cell(b && param(b, "rho")?.r2),
    ];
  });
  const perSquareSecond = html`(1/s<sup>2</sup>)`;
  return html`${ctx.safe.figure(
    "fig-exp-data-volume",
    errorCurvesFigure(curvePanels(A, B, (t) => t.trainRecords), { label: "training records <i>N</i>", unit: "log scale", log: true, tickvals: sizes, ticktext: sizes.map((n) => String(n)) }),
    html`Test RMSE against the number of training records (log scale): (a) ${sym.m} and (b) ${sym.k} of the ${net.mkl0} (blue)
          beside their identifiability floor (black, dashed) and the spread of the true values (grey, dotted); (c) ${sym.l0} and
          (d) ${sym.rho} of both networks (for the ${net.mkl0}, ${sym.rho} as <i>k̂</i>/<i>m̂</i>, dotted). The floor of ${sym.l0} and ${sym.rho} is zero.`,
  )}
${ctx.safe.table(
  "tab-exp-data-volume",
  {
    head: [
      html`<i>N</i>`, "epochs", html`${sym.m} (kg)`, html`${sym.k} (N/m)`, html`${sym.l0} (m)`, html`<i>k̂</i>/<i>m̂</i> ${perSquareSecond}`,
      html`${sym.rho} ${perSquareSecond}`, html`${sym.l0} (m)`, html`<i>R</i><sup>2</sup> ${sym.m}`, html`<i>R</i><sup>2</sup> ${sym.rho}`,
    ],
    rows,
  },
  html`Test RMSE per training-set size: columns 3 to 6 from the ${net.mkl0} (in brackets: times the floor), 7 and 8 from the
          ${net.rhol0}; <i>R</i><sup>2</sup> of ${sym.m} (${net.mkl0}; ceiling ${fixed(A[0] ? param(A[0], "m")?.r2Ceiling : undefined, 3)}) and of ${sym.rho} (${net.rhol0}).`,
)}`;
}

export function dataVolumeSection(r: ExperimentResults, dir: string): ReportSection {
  return {
    id: experimentSectionId("data-volume"),
    title: TITLE["data-volume"],
    render(ctx: ReportContext) {
      const A = trialsOf(r, "mkl0"), B = trialsOf(r, "rhol0");
      const all = A.length > 0 ? A : B;
      const parts = [setup(r, all), trends(ctx, A, B, all.map((t) => t.trainRecords)), figureAndTable(ctx, A, B, all), provenance(r, dir)];
      return joinHtml(parts.filter((p) => p !== undefined), "\n").toString();
    },
  };
}
