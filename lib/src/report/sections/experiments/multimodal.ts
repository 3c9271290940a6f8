/** The multimodal experiment's section: the network with and without the ground reaction force. */
import type { ReportContext, ReportSection } from "../../context";
import { fixed, fmt, int } from "../../format";
import { html, joinHtml, type SafeHtml } from "../../template";
import { multimodalFigure } from "../../../figures/experiments";
import type { ExperimentResults, ParamResult, TrialResult } from "../../../experiments/run";
import { sym, unit, net, TITLE, experimentSectionId, param, provenance } from "./common";

/** What the experiment does: the same network from (x, y) and from (x, y) with the force. */
function setup(ctx: ReportContext, r: ExperimentResults, grf: TrialResult | undefined): SafeHtml {
  const ds = r.datasets.grf;
  return html`<p>The derivation says what breaks the symmetry: the ground reaction force is measured in newtons, the total force is
        ${sym.m}(<i>ẍ</i>, <i>ÿ</i> + <i>g</i>), so a record with forces tells ${sym.m}, and ${sym.k} follows from ${sym.rho}
        (${ctx.safe.ref("derive-grf")}). The paper proposes such multimodal data without testing it. A dataset with the total force
        (<i>F</i><sub>x</sub>, <i>F</i><sub>y</sub>) at every sample${ds && html` (<code>${ds.dir}</code>, ${int(ds.records)} records, the priors and gait conditions of the study)`}
        was made, and the ${net.mkl0} trained twice on the same records, once from (<i>x</i>, <i>y</i>) alone and once from
        (<i>x</i>, <i>y</i>, <i>F</i><sub>x</sub>, <i>F</i><sub>y</sub>), with the same settings (${grf && html`${int(grf.epochs)} epochs`}).</p>`;
}

/** Whether R² ≥ 0.95 was reached for m and k, as a sentence. */
function reached(r2m: number, r2k: number): SafeHtml {
  if (r2m >= 0.95 && r2k >= 0.95) return html`Both reach <i>R</i><sup>2</sup> ≥ 0.95.`;
  return html`(<i>R</i><sup>2</sup> ≥ 0.95 for both is ${r2m < 0.95 && html`not reached for ${sym.m}`}${r2m < 0.95 && r2k < 0.95 && " and "}${r2k < 0.95 && html`not reached for ${sym.k}`} at this scale.)`;
}

/** Both trials compared: the text, the figure of R² and the table. */
function comparison(ctx: ReportContext, xy: TrialResult, grf: TrialResult): SafeHtml {
  const g = (q: string): ParamResult => param(grf, q)!, x = (q: string): ParamResult => param(xy, q)!;
  const r2m = g("m").r2 ?? -Infinity, r2k = g("k").r2 ?? -Infinity;
  const xyOnly = html`(<i>x</i>, <i>y</i>)`;
  return html`<p>With the forces, the network estimates ${sym.m} with <i>R</i><sup>2</sup> = ${fixed(g("m").r2, 3)} (RMSE ${fmt(g("m").rmse)} kg) and ${sym.k}
          with ${fixed(g("k").r2, 3)} (RMSE ${fmt(g("k").rmse)} N/m), against ${fixed(x("m").r2, 3)} and ${fixed(x("k").r2, 3)} from (<i>x</i>, <i>y</i>)
          alone on the same ${int(grf.testRecords)} test records (${ctx.safe.ref("fig-exp-multimodal")}). From (<i>x</i>, <i>y</i>) no estimator can exceed
          ${fixed(g("m").r2Ceiling, 3)} for ${sym.m} and ${fixed(g("k").r2Ceiling, 3)} for ${sym.k}, the <i>R</i><sup>2</sup> of E[· | ${sym.rho}]; with the
          forces the RMSE of ${sym.m} is ${fixed(g("m").rmse / g("m").floorRmse, 2)} times the floor from (<i>x</i>, <i>y</i>), that of ${sym.k} ${fixed(g("k").rmse / g("k").floorRmse, 2)} times.
          ${reached(r2m, r2k)}
          ${sym.l0} is estimated either way (<i>R</i><sup>2</sup> ${fixed(x("l0").r2, 3)} and ${fixed(g("l0").r2, 3)}).</p>
${ctx.safe.figure(
  "fig-exp-multimodal",
  multimodalFigure((["m", "k", "l0"] as const).map((q) => ({ quantity: q, xy: x(q).r2 ?? Number.NaN, grf: g(q).r2 ?? Number.NaN, ceiling: x(q).r2Ceiling ?? Number.NaN }))),
  html`<i>R</i><sup>2</sup> of the ${net.mkl0} on the same test records with inputs (<i>x</i>, <i>y</i>) (yellow) and with the ground reaction
            force added (green); black ticks: the best <i>R</i><sup>2</sup> any estimator can reach from (<i>x</i>, <i>y</i>), that of E[· | ${sym.rho}].`,
)}
${ctx.safe.table(
  "tab-exp-multimodal",
  {
    head: ["parameter", "unit", html`RMSE ${xyOnly}`, "RMSE with forces", html`floor from ${xyOnly}`, html`<i>R</i><sup>2</sup> ${xyOnly}`, html`<i>R</i><sup>2</sup> with forces`, html`ceiling from ${xyOnly}`],
    rows: (["m", "k", "l0"] as const).map((q) => [sym[q], unit[q], fmt(x(q).rmse), fmt(g(q).rmse), fmt(x(q).floorRmse), fixed(x(q).r2, 3), fixed(g(q).r2, 3), fixed(x(q).r2Ceiling, 3)]),
  },
  html`The ${net.mkl0} with and without the ground reaction force as input. The run folders hold the same
            <code>metrics.json</code> as <code>gaitid train</code> writes: <code>${xy.run}</code> and <code>${grf.run}</code>.`,
)}`;
}

export function multimodalSection(r: ExperimentResults, dir: string): ReportSection {
  return {
    id: experimentSectionId("multimodal"),
    title: TITLE.multimodal,
    render(ctx: ReportContext) {
      const xy = r.trials.find((t) => t.channels === "xy");
      const grf = r.trials.find((t) => t.channels === "xy+grf");
      const parts = [setup(ctx, r, grf), xy && grf && comparison(ctx, xy, grf), provenance(r, dir)];
      return joinHtml(parts.filter((p) => p !== undefined), "\n").toString();
    },
  };
}
