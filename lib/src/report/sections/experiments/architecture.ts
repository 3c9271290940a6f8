/** The architecture experiment's section: errors per network. */
import type { ReportContext, ReportSection } from "../../context";
import { esc, fixed, fmt, int } from "../../html";
import { categoryErrorFigure, type CategoryErrorPanel } from "../../../figures/experiments";
import type { ExperimentResults } from "../../../experiments/run";
import { SYM, NET, NET_PLOT, TITLE, experimentSectionId, trialsOf, param, floorRatios, ratioRange, rmseCell, r2Cell, provenance, belowFloor, VARIANT_TARGET_TEXT } from "./common";

export function architectureSection(r: ExperimentResults, dir: string): ReportSection {
  return {
    id: experimentSectionId("architecture"),
    title: TITLE.architecture,
    render(ctx: ReportContext) {
      const A = trialsOf(r, "mkl0");
      const names = A.map((t) => String(t.value));
      const out: string[] = [];
      out.push(
        `<p>The paper uses one network, 7 hidden layers of 50 units. ${int(A.length)} networks were trained for
        ${VARIANT_TARGET_TEXT} with the study's other settings: ${A.map((t) => `${esc(String(t.value))} (${int(t.parameters)} weights)`).join(", ")}
        (layers × units, activation).</p>`,
      );
      if (A.length > 0) {
        const fm = floorRatios(A, "m"), fk = floorRatios(A, "k");
        const l0 = A.map((t) => param(t, "l0")!.r2 ?? Number.NaN), ratio = A.map((t) => t.ratio?.r2 ?? Number.NaN);
        out.push(
          `<p>For every one, the RMSE of ${SYM.m} is ${ratioRange(fm)} its floor and that of ${SYM.k} ${ratioRange(fk)} (${ctx.ref("fig-exp-architecture")}),
          while ${SYM.l0} is estimated with <i>R</i><sup>2</sup> from ${fixed(Math.min(...l0), 3)} to ${fixed(Math.max(...l0), 3)} and ${SYM.rho}, as
          <i>k̂</i>/<i>m̂</i>, from ${fixed(Math.min(...ratio), 3)} to ${fixed(Math.max(...ratio), 3)}. The networks differ in how well they learn
          the identifiable part. ${belowFloor(Math.min(fm.lo, fk.lo), A[0].testRecords)}</p>`,
        );
      }
      const panels: CategoryErrorPanel[] = [
        { quantity: "m", categories: names, rmse: A.map((t) => param(t, "m")!.rmse), floor: A.map((t) => param(t, "m")!.floorRmse), spread: A.map((t) => param(t, "m")!.spread), name: NET_PLOT.mkl0 },
        { quantity: "k", categories: names, rmse: A.map((t) => param(t, "k")!.rmse), floor: A.map((t) => param(t, "k")!.floorRmse), spread: A.map((t) => param(t, "k")!.spread), name: NET_PLOT.mkl0 },
        { quantity: "l0", categories: names, rmse: A.map((t) => param(t, "l0")!.rmse), spread: A.map((t) => param(t, "l0")!.spread), name: NET_PLOT.mkl0 },
        { quantity: "rho", categories: names, rmse: A.map((t) => t.ratio?.rmse ?? Number.NaN), spread: A.map((t) => t.ratio?.spread ?? Number.NaN), name: NET_PLOT.mkl0 },
      ];
      out.push(
        ctx.figure(
          "fig-exp-architecture",
          categoryErrorFigure(panels, "network (layers × units, activation)"),
          `Test RMSE of the ${NET.mkl0} per architecture: (a) ${SYM.m} and (b) ${SYM.k} beside their floor (black, dashed), (c) ${SYM.l0},
          (d) ${SYM.rho} as <i>k̂</i>/<i>m̂</i>; the spread of the true values as a grey dotted line.`,
        ),
        ctx.table(
          "tab-exp-architecture",
          {
            head: ["network", "weights", "best epoch", `${SYM.m} (kg)`, `${SYM.k} (N/m)`, `${SYM.l0} (m)`, `<i>k̂</i>/<i>m̂</i> (1/s<sup>2</sup>)`, `<i>R</i><sup>2</sup> ${SYM.m}`, `<i>R</i><sup>2</sup> ${SYM.k}`, `<i>R</i><sup>2</sup> ${SYM.l0}`],
            rows: A.map((t) => [
              esc(String(t.value)), int(t.parameters), `${int(t.bestEpoch)} of ${int(t.epochsRun)}`,
              rmseCell(param(t, "m"), true), rmseCell(param(t, "k"), true), rmseCell(param(t, "l0")), t.ratio ? fmt(t.ratio.rmse) : "–",
              r2Cell(param(t, "m")?.r2), r2Cell(param(t, "k")?.r2), r2Cell(param(t, "l0")?.r2),
            ]),
          },
          `Test RMSE (in brackets: times the floor) and <i>R</i><sup>2</sup> of the ${NET.mkl0} per architecture; the <i>R</i><sup>2</sup>
          ceilings of ${SYM.m} and ${SYM.k} are ${fixed(A[0] ? param(A[0], "m")?.r2Ceiling : undefined, 3)} and ${fixed(A[0] ? param(A[0], "k")?.r2Ceiling : undefined, 3)}.`,
        ),
        provenance(r, dir),
      );
      return out.join("\n");
    },
  };
}
