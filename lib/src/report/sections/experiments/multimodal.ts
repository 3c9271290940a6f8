/** The multimodal experiment's section: the network with and without the ground reaction force. */
import type { ReportContext, ReportSection } from "../../context";
import { esc, fixed, fmt, int } from "../../html";
import { multimodalFigure } from "../../../figures/experiments";
import type { ExperimentResults, ParamResult } from "../../../experiments/run";
import { SYM, UNIT, NET, TITLE, experimentSectionId, param, provenance } from "./common";

export function multimodalSection(r: ExperimentResults, dir: string): ReportSection {
  return {
    id: experimentSectionId("multimodal"),
    title: TITLE.multimodal,
    render(ctx: ReportContext) {
      const xy = r.trials.find((t) => t.channels === "xy");
      const grf = r.trials.find((t) => t.channels === "xy+grf");
      const ds = r.datasets.grf;
      const out: string[] = [];
      out.push(
        `<p>The derivation says what breaks the symmetry: the ground reaction force is measured in newtons, the total force is
        ${SYM.m}(<i>ẍ</i>, <i>ÿ</i> + <i>g</i>), so a record with forces tells ${SYM.m}, and ${SYM.k} follows from ${SYM.rho}
        (${ctx.ref("derive-grf")}). The paper proposes such multimodal data without testing it. A dataset with the total force
        (<i>F</i><sub>x</sub>, <i>F</i><sub>y</sub>) at every sample${ds ? ` (<code>${esc(ds.dir)}</code>, ${int(ds.records)} records, the priors and gait conditions of the study)` : ""}
        was made, and the ${NET.mkl0} trained twice on the same records, once from (<i>x</i>, <i>y</i>) alone and once from
        (<i>x</i>, <i>y</i>, <i>F</i><sub>x</sub>, <i>F</i><sub>y</sub>), with the same settings (${grf ? `${int(grf.epochs)} epochs` : ""}).</p>`,
      );
      if (xy && grf) {
        const g = (q: string): ParamResult => param(grf, q)!, x = (q: string): ParamResult => param(xy, q)!;
        const r2m = g("m").r2 ?? -Infinity, r2k = g("k").r2 ?? -Infinity;
        const both = r2m >= 0.95 && r2k >= 0.95;
        out.push(
          `<p>With the forces, the network estimates ${SYM.m} with <i>R</i><sup>2</sup> = ${fixed(g("m").r2, 3)} (RMSE ${fmt(g("m").rmse)} kg) and ${SYM.k}
          with ${fixed(g("k").r2, 3)} (RMSE ${fmt(g("k").rmse)} N/m), against ${fixed(x("m").r2, 3)} and ${fixed(x("k").r2, 3)} from (<i>x</i>, <i>y</i>)
          alone on the same ${int(grf.testRecords)} test records (${ctx.ref("fig-exp-multimodal")}). From (<i>x</i>, <i>y</i>) no estimator can exceed
          ${fixed(g("m").r2Ceiling, 3)} for ${SYM.m} and ${fixed(g("k").r2Ceiling, 3)} for ${SYM.k}, the <i>R</i><sup>2</sup> of E[· | ${SYM.rho}]; with the
          forces the RMSE of ${SYM.m} is ${fixed(g("m").rmse / g("m").floorRmse, 2)} times the floor from (<i>x</i>, <i>y</i>), that of ${SYM.k} ${fixed(g("k").rmse / g("k").floorRmse, 2)} times.
          ${both ? `Both reach <i>R</i><sup>2</sup> ≥ 0.95.` : `(<i>R</i><sup>2</sup> ≥ 0.95 for both is ${r2m >= 0.95 ? "" : `not reached for ${SYM.m}`}${r2m < 0.95 && r2k < 0.95 ? " and " : ""}${r2k >= 0.95 ? "" : `not reached for ${SYM.k}`} at this scale.)`}
          ${SYM.l0} is estimated either way (<i>R</i><sup>2</sup> ${fixed(x("l0").r2, 3)} and ${fixed(g("l0").r2, 3)}).</p>`,
          ctx.figure(
            "fig-exp-multimodal",
            multimodalFigure((["m", "k", "l0"] as const).map((q) => ({ quantity: q, xy: x(q).r2 ?? Number.NaN, grf: g(q).r2 ?? Number.NaN, ceiling: x(q).r2Ceiling ?? Number.NaN }))),
            `<i>R</i><sup>2</sup> of the ${NET.mkl0} on the same test records with inputs (<i>x</i>, <i>y</i>) (yellow) and with the ground reaction
            force added (green); black ticks: the best <i>R</i><sup>2</sup> any estimator can reach from (<i>x</i>, <i>y</i>), that of E[· | ${SYM.rho}].`,
          ),
          ctx.table(
            "tab-exp-multimodal",
            {
              head: ["parameter", "unit", "RMSE (<i>x</i>, <i>y</i>)", "RMSE with forces", "floor from (<i>x</i>, <i>y</i>)", "<i>R</i><sup>2</sup> (<i>x</i>, <i>y</i>)", "<i>R</i><sup>2</sup> with forces", "ceiling from (<i>x</i>, <i>y</i>)"],
              rows: (["m", "k", "l0"] as const).map((q) => [SYM[q], UNIT[q], fmt(x(q).rmse), fmt(g(q).rmse), fmt(x(q).floorRmse), fixed(x(q).r2, 3), fixed(g(q).r2, 3), fixed(x(q).r2Ceiling, 3)]),
            },
            `The ${NET.mkl0} with and without the ground reaction force as input. The run folders hold the same
            <code>metrics.json</code> as <code>gaitid train</code> writes: <code>${esc(xy.run)}</code> and <code>${esc(grf.run)}</code>.`,
          ),
        );
      }
      out.push(provenance(r, dir));
      return out.join("\n");
    },
  };
}
