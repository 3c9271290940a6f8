/** The noise experiment's section: errors against the input noise. */
import type { ReportContext, ReportSection } from "../../context";
import { fixed, fmt, int } from "../../html";
import { type Quantity } from "../../../figures/style";
import { errorCurvesFigure } from "../../../figures/experiments";
import type { TrialResult } from "../../../experiments/run";
import type { NoiseResults } from "../../../experiments/experiments";
import type { NoiseCrb } from "../../../experiments/noise-crb";
import { SYM, UNIT, NET, TITLE, experimentSectionId, trialsOf, param, floorRatios, ratioRange, rmseCell, r2Cell, curvePanels, provenance } from "./common";

/**
 * The Cramér-Rao comparison: per noise level, the network's RMSE of rho and l0 beside the root mean
 * bound and the maximum-likelihood fit on the same test records, and the efficiency CRB / MSE.
 * Every statement is read from the numbers.
 */
export function crbPart(ctx: ReportContext, c: NoiseCrb): string[] {
  const pct = (v: number): string => `${Number((100 * v).toPrecision(6))}&nbsp;%`;
  const noisy = c.rows.filter((row) => row.noise > 0);
  const eff = (v: number | null): string => (v === null ? "n/a" : fixed(v, 2));
  const out: string[] = [];
  const net = c.variant === "rhol0" ? NET.rhol0 : `${NET.mkl0} (${SYM.rho} as <i>k̂</i>/<i>m̂</i>)`;
  if (noisy.length > 0) {
    const describe = (q: "rho" | "l0"): string => {
      const e = noisy.map((row) => row.efficiency[q]).filter((v): v is number => v !== null && Number.isFinite(v));
      if (e.length === 0) return `${SYM[q]}: n/a`;
      const lo = Math.min(...e), hi = Math.max(...e);
      const below = noisy.filter((row) => (row.efficiency[q] ?? 0) > 1).map((row) => pct(row.noise));
      return `for ${SYM[q]} the ratio is ${fixed(lo, 2)} to ${fixed(hi, 2)}${below.length > 0 ? ` (above 1 at ${below.join(", ")}: there the network is below the bound, which only an estimator biased towards the priors can be)` : ""}`;
    };
    out.push(
      `<p>Noise puts a floor under ${SYM.rho} and ${SYM.l0} too: the Cramér-Rao bound, the inverse Fisher information of a record, is the
      smallest variance any unbiased estimator can reach from it. On the first ${int(c.ids.length)} test records, with the same noise as the
      network's (a fraction of each channel's standard deviation over the training records: ${fmt(c.scales.x)} m for <i>x</i>, ${fmt(c.scales.y)} m for <i>y</i>)
      and the gait condition unknown (${SYM.rho}, ${SYM.l0}, <i>α</i><sub>0</sub> and the start estimated together), ${ctx.ref("tab-exp-noise-crb")}
      sets the ${net}'s RMSE beside the root mean bound and the maximum-likelihood fit. The efficiency, mean bound over the network's mean
      squared error, is the share of the record's information the network extracts: ${describe("rho")}; ${describe("l0")}.</p>`,
    );
  }
  const rows = c.rows.map((row) => [
    pct(row.noise),
    fmt(row.network.rho), fmt(row.rootMeanCrb.rho), fmt(row.mlRmse.rho), eff(row.efficiency.rho),
    fmt(row.network.l0), fmt(row.rootMeanCrb.l0), fmt(row.mlRmse.l0), eff(row.efficiency.l0),
  ]);
  out.push(
    ctx.table(
      "tab-exp-noise-crb",
      {
        head: ["noise", `${SYM.rho} network`, `${SYM.rho} √CRB`, `${SYM.rho} ML fit`, `${SYM.rho} efficiency`, `${SYM.l0} network`, `${SYM.l0} √CRB`, `${SYM.l0} ML fit`, `${SYM.l0} efficiency`],
        rows,
      },
      `The network against the Cramér-Rao bound on ${int(c.ids.length)} test records: RMSE of ${SYM.rho} (${UNIT.rho}) and ${SYM.l0} (${UNIT.l0}) of the
      ${net}, the root mean bound √(mean CRB), the RMSE of the maximum-likelihood fits (one noise draw per record, started at the truth),
      and the efficiency mean CRB / network MSE (1: all the information; n/a without noise).${c.failures.length > 0 ? ` ${int(c.failures.length)} records did not re-simulate and are left out.` : ""}`,
    ),
  );
  return out;
}

export function noiseSection(r: NoiseResults, dir: string): ReportSection {
  return {
    id: experimentSectionId("noise"),
    title: TITLE.noise,
    render(ctx: ReportContext) {
      const A = trialsOf(r, "mkl0"), B = trialsOf(r, "rhol0");
      const all = A.length > 0 ? A : B;
      const levels = all.map((t) => Number(t.value));
      const pct = (v: number): string => `${Number((100 * v).toPrecision(6))}&nbsp;%`;
      const out: string[] = [
        `<p>Real sensors are noisy. Each record's inputs got Gaussian noise of ${levels.map(pct).join(", ")} of each channel's standard
        deviation over the training set (${SYM.m} and ${SYM.k} are not in it), fixed per record by a seed, in training, validation and
        test alike; both networks were trained anew at each level.</p>`,
      ];
      const lo = 0, hi = all.length - 1;
      const growth = (ts: TrialResult[], q: string): string => {
        const a = q === "ratio" ? ts[lo].ratio?.rmse : param(ts[lo], q)?.rmse;
        const b = q === "ratio" ? ts[hi].ratio?.rmse : param(ts[hi], q)?.rmse;
        return a !== undefined && b !== undefined ? `${fmt(a)} to ${fmt(b)} ${UNIT[(q === "ratio" ? "rho" : q) as Quantity]} (×${fixed(b / a, 2)})` : "n/a";
      };
      const sentences: string[] = [];
      if (B.length > 1) sentences.push(`the RMSE of ${SYM.rho} grew from ${growth(B, "rho")} and that of ${SYM.l0} from ${growth(B, "l0")} (${NET.rhol0})`);
      if (A.length > 1) {
        const fm = floorRatios(A, "m"), fk = floorRatios(A, "k");
        sentences.push(
          `the ${NET.mkl0}'s ${SYM.l0} from ${growth(A, "l0")}, while the RMSE of ${SYM.m} stayed at ${ratioRange(fm)} its floor and
          that of ${SYM.k} at ${ratioRange(fk)} its floor`,
        );
      }
      if (sentences.length > 0) out.push(`<p>From ${pct(levels[lo])} to ${pct(levels[hi])} noise, ${sentences.join("; ")} (${ctx.ref("fig-exp-noise")}).</p>`);
      if (A.length > 0 && B.length > 0) {
        const ident = B.map((b) => Math.min(param(b, "rho")?.r2 ?? Number.NaN, param(b, "l0")?.r2 ?? Number.NaN));
        const unid = A.map((a) => Math.max(param(a, "m")?.r2 ?? Number.NaN, param(a, "k")?.r2 ?? Number.NaN));
        const ceiling = Math.max(param(A[0], "m")?.r2Ceiling ?? Number.NaN, param(A[0], "k")?.r2Ceiling ?? Number.NaN);
        const persists = ident.every((v, i) => v > unid[i]);
        const firstClosed = ident.findIndex((v, i) => !(v > unid[i]));
        out.push(
          `<p>The gap between the identifiable and the unidentifiable parameters ${
            persists
              ? `persists at every level: the smaller <i>R</i><sup>2</sup> of ${SYM.rho} and ${SYM.l0} is ${ident.map((v) => fixed(v, 3)).join(", ")}, the larger of
                ${SYM.m} and ${SYM.k} ${unid.map((v) => fixed(v, 3)).join(", ")}`
              : `closes at ${pct(levels[firstClosed])}: there the smaller <i>R</i><sup>2</sup> of ${SYM.rho} and ${SYM.l0} (${fixed(ident[firstClosed], 3)}) is no
                longer above the larger of ${SYM.m} and ${SYM.k} (${fixed(unid[firstClosed], 3)})`
          }. From (<i>x</i>, <i>y</i>) no estimator of ${SYM.m} or ${SYM.k} can exceed <i>R</i><sup>2</sup> = ${fixed(ceiling, 3)} on these records, with or without noise.</p>`,
        );
      }
      out.push(
        ctx.figure(
          "fig-exp-noise",
          errorCurvesFigure(curvePanels(A, B, (t) => 100 * Number(t.value)), { label: "input noise", unit: "% of each channel's standard deviation" }),
          `Test RMSE against the input noise: (a) ${SYM.m} and (b) ${SYM.k} of the ${NET.mkl0} beside their floor (black, dashed)
          and the spread of the true values (grey, dotted); (c) ${SYM.l0} and (d) ${SYM.rho} of both networks (${SYM.rho} of the
          ${NET.mkl0} as <i>k̂</i>/<i>m̂</i>, dotted).`,
        ),
      );
      const rows = levels.map((v, i) => {
        const a = A[i], b = B[i];
        return [
          pct(v),
          rmseCell(a && param(a, "m"), true), rmseCell(a && param(a, "k"), true), rmseCell(a && param(a, "l0")),
          rmseCell(b && param(b, "rho")), rmseCell(b && param(b, "l0")),
          r2Cell(a && param(a, "m")?.r2), r2Cell(a && param(a, "k")?.r2), r2Cell(b && param(b, "rho")?.r2), r2Cell(b && param(b, "l0")?.r2),
        ];
      });
      out.push(
        ctx.table(
          "tab-exp-noise",
          {
            head: ["noise", `${SYM.m} (kg)`, `${SYM.k} (N/m)`, `${SYM.l0} (m)`, `${SYM.rho} (1/s<sup>2</sup>)`, `${SYM.l0} (m)`, `<i>R</i><sup>2</sup> ${SYM.m}`, `<i>R</i><sup>2</sup> ${SYM.k}`, `<i>R</i><sup>2</sup> ${SYM.rho}`, `<i>R</i><sup>2</sup> ${SYM.l0}`],
            rows,
          },
          `Test RMSE and <i>R</i><sup>2</sup> per noise level: ${SYM.m}, ${SYM.k} and the first ${SYM.l0} from the ${NET.mkl0} (in brackets:
          times the floor), ${SYM.rho} and the second ${SYM.l0} from the ${NET.rhol0}.`,
        ),
      );
      if (r.crb) out.push(...crbPart(ctx, r.crb));
      out.push(provenance(r, dir));
      return out.join("\n");
    },
  };
}
