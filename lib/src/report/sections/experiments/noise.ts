/** The noise experiment's section: errors against the input noise. */
import type { ReportContext, ReportSection } from "../../context";
import { fixed, fmt, int } from "../../format";
import { html, joinHtml, raw, type HtmlValue, type SafeHtml } from "../../template";
import { type Quantity } from "../../../figures/style";
import { errorCurvesFigure } from "../../../figures/experiments";
import type { TrialResult } from "../../../experiments/run";
import type { NoiseResults } from "../../../experiments/experiments";
import type { NoiseCrb } from "../../../experiments/noise-crb";
import { sym, unit, net, TITLE, experimentSectionId, trialsOf, param, floorRatios, ratioRange, rmseCell, r2Cell, curvePanels, provenance } from "./common";

/** A noise level (a fraction of each channel's standard deviation) as a percentage, up to six significant digits. */
function pct(v: number): SafeHtml {
  return raw(`${Number((100 * v).toPrecision(6))}&nbsp;%`);
}

/** What the Cramér-Rao table says about one parameter's efficiency, as a clause. */
function describeEfficiency(c: NoiseCrb, q: "rho" | "l0"): SafeHtml {
  const noisy = c.rows.filter((row) => row.noise > 0);
  const e = noisy.map((row) => row.efficiency[q]).filter((v): v is number => v !== null && Number.isFinite(v));
  if (e.length === 0) return html`${sym[q]}: n/a`;
  const lo = Math.min(...e), hi = Math.max(...e);
  const below = noisy.filter((row) => (row.efficiency[q] ?? 0) > 1).map((row) => pct(row.noise));
  return html`for ${sym[q]} the ratio is ${fixed(lo, 2)} to ${fixed(hi, 2)}${below.length > 0 && html` (above 1 at ${joinHtml(below, ", ")}: there the network is below the bound, which only an estimator biased towards the priors can be)`}`;
}

/**
 * The Cramér-Rao comparison: per noise level, the network's RMSE of rho and l0 beside the root mean
 * bound and the maximum-likelihood fit on the same test records, and the efficiency CRB / MSE.
 * Every statement is read from the numbers.
 */
export function crbPart(ctx: ReportContext, c: NoiseCrb): SafeHtml {
  const eff = (v: number | null): SafeHtml => (v === null ? html`n/a` : fixed(v, 2));
  const network = c.variant === "rhol0" ? net.rhol0 : html`${net.mkl0} (${sym.rho} as <i>k̂</i>/<i>m̂</i>)`;
  const text = c.rows.some((row) => row.noise > 0)
    ? html`<p>Noise puts a floor under ${sym.rho} and ${sym.l0} too: the Cramér-Rao bound, the inverse Fisher information of a record, is the
      smallest variance any unbiased estimator can reach from it. On the first ${int(c.ids.length)} test records, with the same noise as the
      network's (a fraction of each channel's standard deviation over the training records: ${fmt(c.scales.x)} m for <i>x</i>, ${fmt(c.scales.y)} m for <i>y</i>)
      and the gait condition unknown (${sym.rho}, ${sym.l0}, <i>α</i><sub>0</sub> and the start estimated together), ${ctx.safe.ref("tab-exp-noise-crb")}
      sets the ${network}'s RMSE beside the root mean bound and the maximum-likelihood fit. The efficiency, mean bound over the network's mean
      squared error, is the share of the record's information the network extracts: ${describeEfficiency(c, "rho")}; ${describeEfficiency(c, "l0")}.</p>\n`
    : undefined;
  const rows = c.rows.map((row) => [
    pct(row.noise),
    fmt(row.network.rho), fmt(row.rootMeanCrb.rho), fmt(row.mlRmse.rho), eff(row.efficiency.rho),
    fmt(row.network.l0), fmt(row.rootMeanCrb.l0), fmt(row.mlRmse.l0), eff(row.efficiency.l0),
  ]);
  return html`${text}${ctx.safe.table(
    "tab-exp-noise-crb",
    {
      head: ["noise", html`${sym.rho} network`, html`${sym.rho} √CRB`, html`${sym.rho} ML fit`, html`${sym.rho} efficiency`, html`${sym.l0} network`, html`${sym.l0} √CRB`, html`${sym.l0} ML fit`, html`${sym.l0} efficiency`],
      rows,
    },
    html`The network against the Cramér-Rao bound on ${int(c.ids.length)} test records: RMSE of ${sym.rho} (${unit.rho}) and ${sym.l0} (${unit.l0}) of the
      ${network}, the root mean bound √(mean CRB), the RMSE of the maximum-likelihood fits (one noise draw per record, started at the truth),
      and the efficiency mean CRB / network MSE (1: all the information; n/a without noise).${c.failures.length > 0 && html` ${int(c.failures.length)} records did not re-simulate and are left out.`}`,
  )}`;
}

/** How the noise was added. */
function setup(levels: readonly number[]): SafeHtml {
  return html`<p>Real sensors are noisy. Each record's inputs got Gaussian noise of ${joinHtml(levels.map(pct), ", ")} of each channel's standard
        deviation over the training set (${sym.m} and ${sym.k} are not in it), fixed per record by a seed, in training, validation and
        test alike; both networks were trained anew at each level.</p>`;
}

/** How the errors grew from the lowest noise level to the highest; nothing with fewer than two levels. */
function growth(ctx: ReportContext, A: TrialResult[], B: TrialResult[], levels: readonly number[]): SafeHtml | undefined {
  const lo = 0, hi = levels.length - 1;
  const grew = (ts: TrialResult[], q: string): SafeHtml => {
    const a = q === "ratio" ? ts[lo].ratio?.rmse : param(ts[lo], q)?.rmse;
    const b = q === "ratio" ? ts[hi].ratio?.rmse : param(ts[hi], q)?.rmse;
    return a !== undefined && b !== undefined ? html`${fmt(a)} to ${fmt(b)} ${unit[(q === "ratio" ? "rho" : q) as Quantity]} (×${fixed(b / a, 2)})` : html`n/a`;
  };
  const sentences: SafeHtml[] = [];
  if (B.length > 1) sentences.push(html`the RMSE of ${sym.rho} grew from ${grew(B, "rho")} and that of ${sym.l0} from ${grew(B, "l0")} (${net.rhol0})`);
  if (A.length > 1) {
    const fm = floorRatios(A, "m"), fk = floorRatios(A, "k");
    sentences.push(
      html`the ${net.mkl0}'s ${sym.l0} from ${grew(A, "l0")}, while the RMSE of ${sym.m} stayed at ${ratioRange(fm)} its floor and
          that of ${sym.k} at ${ratioRange(fk)} its floor`,
    );
  }
  if (sentences.length === 0) return undefined;
  return html`<p>From ${pct(levels[lo])} to ${pct(levels[hi])} noise, ${joinHtml(sentences, "; ")} (${ctx.safe.ref("fig-exp-noise")}).</p>`;
}

/** Whether the gap in R² between the identifiable and the unidentifiable parameters persists at every noise level. */
function gap(A: TrialResult[], B: TrialResult[], levels: readonly number[]): SafeHtml {
  const ident = B.map((b) => Math.min(param(b, "rho")?.r2 ?? Number.NaN, param(b, "l0")?.r2 ?? Number.NaN));
  const unid = A.map((a) => Math.max(param(a, "m")?.r2 ?? Number.NaN, param(a, "k")?.r2 ?? Number.NaN));
  const ceiling = Math.max(param(A[0], "m")?.r2Ceiling ?? Number.NaN, param(A[0], "k")?.r2Ceiling ?? Number.NaN);
  const persists = ident.every((v, i) => v > unid[i]);
  const firstClosed = ident.findIndex((v, i) => !(v > unid[i]));
  return html`<p>The gap between the identifiable and the unidentifiable parameters ${
    persists
      ? html`persists at every level: the smaller <i>R</i><sup>2</sup> of ${sym.rho} and ${sym.l0} is ${joinHtml(ident.map((v) => fixed(v, 3)), ", ")}, the larger of
                ${sym.m} and ${sym.k} ${joinHtml(unid.map((v) => fixed(v, 3)), ", ")}`
      : html`closes at ${pct(levels[firstClosed])}: there the smaller <i>R</i><sup>2</sup> of ${sym.rho} and ${sym.l0} (${fixed(ident[firstClosed], 3)}) is no
                longer above the larger of ${sym.m} and ${sym.k} (${fixed(unid[firstClosed], 3)})`
  }. From (<i>x</i>, <i>y</i>) no estimator of ${sym.m} or ${sym.k} can exceed <i>R</i><sup>2</sup> = ${fixed(ceiling, 3)} on these records, with or without noise.</p>`;
}

/** The figure of the errors against the noise and the table per level. */
function figureAndTable(ctx: ReportContext, A: TrialResult[], B: TrialResult[], levels: readonly number[]): SafeHtml {
  const rows: HtmlValue[][] = levels.map((v, i) => {
    const a = A[i], b = B[i];
    return [
      pct(v),
      rmseCell(a && param(a, "m"), true), rmseCell(a && param(a, "k"), true), rmseCell(a && param(a, "l0")),
      rmseCell(b && param(b, "rho")), rmseCell(b && param(b, "l0")),
      r2Cell(a && param(a, "m")?.r2), r2Cell(a && param(a, "k")?.r2), r2Cell(b && param(b, "rho")?.r2), r2Cell(b && param(b, "l0")?.r2),
    ];
  });
  const r2 = html`<i>R</i><sup>2</sup>`;
  return html`${ctx.safe.figure(
    "fig-exp-noise",
    errorCurvesFigure(curvePanels(A, B, (t) => 100 * Number(t.value)), { label: "input noise", unit: "% of each channel's standard deviation" }),
    html`Test RMSE against the input noise: (a) ${sym.m} and (b) ${sym.k} of the ${net.mkl0} beside their floor (black, dashed)
          and the spread of the true values (grey, dotted); (c) ${sym.l0} and (d) ${sym.rho} of both networks (${sym.rho} of the
          ${net.mkl0} as <i>k̂</i>/<i>m̂</i>, dotted).`,
  )}
${ctx.safe.table(
  "tab-exp-noise",
  {
    head: ["noise", html`${sym.m} (kg)`, html`${sym.k} (N/m)`, html`${sym.l0} (m)`, html`${sym.rho} (1/s<sup>2</sup>)`, html`${sym.l0} (m)`, html`${r2} ${sym.m}`, html`${r2} ${sym.k}`, html`${r2} ${sym.rho}`, html`${r2} ${sym.l0}`],
    rows,
  },
  html`Test RMSE and <i>R</i><sup>2</sup> per noise level: ${sym.m}, ${sym.k} and the first ${sym.l0} from the ${net.mkl0} (in brackets:
          times the floor), ${sym.rho} and the second ${sym.l0} from the ${net.rhol0}.`,
)}`;
}

export function noiseSection(r: NoiseResults, dir: string): ReportSection {
  return {
    id: experimentSectionId("noise"),
    title: TITLE.noise,
    render(ctx: ReportContext) {
      const A = trialsOf(r, "mkl0"), B = trialsOf(r, "rhol0");
      const levels = (A.length > 0 ? A : B).map((t) => Number(t.value));
      const parts = [
        setup(levels),
        growth(ctx, A, B, levels),
        A.length > 0 && B.length > 0 ? gap(A, B, levels) : undefined,
        figureAndTable(ctx, A, B, levels),
        r.crb && crbPart(ctx, r.crb),
        provenance(r, dir),
      ];
      return joinHtml(parts.filter((p) => p !== undefined), "\n").toString();
    },
  };
}
