/** The data-volume experiment's section: errors against the number of training records. */
import type { ReportContext, ReportSection } from "../../context";
import { fixed, fmt, int } from "../../html";
import { errorCurvesFigure } from "../../../figures/experiments";
import type { ExperimentResults, TrialResult } from "../../../experiments/run";
import { SYM, UNIT, NET, TITLE, experimentSectionId, trialsOf, param, trend, floorRatios, rmseCell, r2Cell, curvePanels, provenance, belowFloor } from "./common";

export function dataVolumeSection(r: ExperimentResults, dir: string): ReportSection {
  return {
    id: experimentSectionId("data-volume"),
    title: TITLE["data-volume"],
    render(ctx: ReportContext) {
      const A = trialsOf(r, "mkl0"), B = trialsOf(r, "rhol0");
      const all = A.length > 0 ? A : B;
      const sizes = all.map((t) => t.trainRecords);
      const epochs = all.map((t) => t.epochs);
      const out: string[] = [];
      out.push(
        `<p>Is the failure on ${SYM.m} and ${SYM.k} a lack of data? Both networks were trained on the first <i>N</i> training records,
        <i>N</i> = ${sizes.map(int).join(", ")}, and scored on the same ${int(all[0].testRecords)} test records. A smaller set was
        trained for more epochs (${epochs.map(int).join(", ")}), so that every run saw about as many training samples (epochs times
        records)${typeof r.settings?.maxEpochFactor === "number" ? `, with at most ${fmt(r.settings.maxEpochFactor)} times the epochs of the whole set` : ""};
        otherwise the smaller sets would also have had fewer gradient steps.</p>`,
      );
      const first = (ts: TrialResult[]): TrialResult => ts[0], last = (ts: TrialResult[]): TrialResult => ts[ts.length - 1];
      const parts: string[] = [];
      if (B.length > 1) {
        parts.push(
          `the RMSE of ${SYM.rho} ${trend(param(first(B), "rho")!.rmse, param(last(B), "rho")!.rmse, UNIT.rho)} and that of ${SYM.l0}
          ${trend(param(first(B), "l0")!.rmse, param(last(B), "l0")!.rmse, UNIT.l0)} (${NET.rhol0})`,
        );
      }
      if (A.length > 1) {
        parts.push(`with the ${NET.mkl0}, the RMSE of ${SYM.l0} ${trend(param(first(A), "l0")!.rmse, param(last(A), "l0")!.rmse, UNIT.l0)}`);
      }
      if (A.length > 0) {
        const pm0 = param(first(A), "m")!, pk0 = param(first(A), "k")!;
        const pm = param(last(A), "m")!, pk = param(last(A), "k")!;
        const lo = Math.min(floorRatios(A, "m").lo, floorRatios(A, "k").lo);
        out.push(
          `<p>From ${int(sizes[0])} to ${int(sizes[sizes.length - 1])} records, ${parts.join("; ")}. The RMSE of ${SYM.m} was
          ${fixed(pm0.rmse / pm0.floorRmse, 2)} times its floor of ${fmt(pm.floorRmse)} kg with the fewest records and
          ${fixed(pm.rmse / pm.floorRmse, 2)} times with the most, that of ${SYM.k} ${fixed(pk0.rmse / pk0.floorRmse, 2)} and
          ${fixed(pk.rmse / pk.floorRmse, 2)} times its floor of ${fmt(pk.floorRmse)} N/m (${ctx.ref("fig-exp-data-volume")}).
          ${belowFloor(lo, first(A).testRecords)} The floor is the error of the Bayes estimator that knows ${SYM.rho} exactly
          (${ctx.ref("floor")}); it does not depend on <i>N</i>, so more data can bring an estimator of ${SYM.m} or ${SYM.k} down to it,
          never below. What more data buys beyond that is the identifiable part: ${SYM.rho} and ${SYM.l0}, and the ratio
          <i>k̂</i>/<i>m̂</i> of the ${NET.mkl0} (RMSE ${trend(first(A).ratio?.rmse ?? Number.NaN, last(A).ratio?.rmse ?? Number.NaN, UNIT.rho)}).</p>`,
        );
      } else if (parts.length > 0) out.push(`<p>From ${int(sizes[0])} to ${int(sizes[sizes.length - 1])} records, ${parts.join("; ")}.</p>`);
      out.push(
        ctx.figure(
          "fig-exp-data-volume",
          errorCurvesFigure(curvePanels(A, B, (t) => t.trainRecords), { label: "training records <i>N</i>", unit: "log scale", log: true, tickvals: sizes, ticktext: sizes.map((n) => String(n)) }),
          `Test RMSE against the number of training records (log scale): (a) ${SYM.m} and (b) ${SYM.k} of the ${NET.mkl0} (blue)
          beside their identifiability floor (black, dashed) and the spread of the true values (grey, dotted); (c) ${SYM.l0} and
          (d) ${SYM.rho} of both networks (for the ${NET.mkl0}, ${SYM.rho} as <i>k̂</i>/<i>m̂</i>, dotted). The floor of ${SYM.l0} and ${SYM.rho} is zero.`,
        ),
      );
      const rows = sizes.map((n, i) => {
        const a = A[i], b = B[i];
        return [
          int(n), int(epochs[i]),
          rmseCell(a && param(a, "m"), true), rmseCell(a && param(a, "k"), true), rmseCell(a && param(a, "l0")), a?.ratio ? fmt(a.ratio.rmse) : "–",
          rmseCell(b && param(b, "rho")), rmseCell(b && param(b, "l0")),
          r2Cell(a && param(a, "m")?.r2), r2Cell(b && param(b, "rho")?.r2),
        ];
      });
      out.push(
        ctx.table(
          "tab-exp-data-volume",
          {
            head: ["<i>N</i>", "epochs", `${SYM.m} (kg)`, `${SYM.k} (N/m)`, `${SYM.l0} (m)`, `<i>k̂</i>/<i>m̂</i> (1/s<sup>2</sup>)`, `${SYM.rho} (1/s<sup>2</sup>)`, `${SYM.l0} (m)`, `<i>R</i><sup>2</sup> ${SYM.m}`, `<i>R</i><sup>2</sup> ${SYM.rho}`],
            rows,
          },
          `Test RMSE per training-set size: columns 3 to 6 from the ${NET.mkl0} (in brackets: times the floor), 7 and 8 from the
          ${NET.rhol0}; <i>R</i><sup>2</sup> of ${SYM.m} (${NET.mkl0}; ceiling ${fixed(A[0] ? param(A[0], "m")?.r2Ceiling : undefined, 3)}) and of ${SYM.rho} (${NET.rhol0}).`,
        ),
        provenance(r, dir),
      );
      return out.join("\n");
    },
  };
}
