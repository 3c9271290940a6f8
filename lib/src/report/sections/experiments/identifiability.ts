/** The identifiability experiment's section: singular values of the sensitivity matrix over records. */
import type { ReportContext, ReportSection } from "../../context";
import { fmt, int } from "../../format";
import { html, joinHtml, rawValues, type HtmlValue, type SafeHtml } from "../../template";
import { OBSERVATION_COLORS, ratioHistogramFigure } from "../../../figures/experiments";
import type { IdentifiabilityResultsFile, IdentifiabilityRow } from "../../../experiments/identifiability";
import { SYM, TITLE, experimentSectionId } from "./common";

const sym = rawValues(SYM);

/** Degrees of a rad angle. */
const deg = (rad: number): number => (rad * 180) / Math.PI;

/** Records of `rows` with verdict `v`, in (m, k, l0) or, with `re`, in (rho, l0). */
function count(rows: readonly IdentifiabilityRow[], v: string, re = false): number {
  return rows.filter((x) => (re ? x.reparametrised.verdict : x.verdict) === v).length;
}

/** The measure: the sensitivity matrix, its singular values, the verdicts. */
function measure(ctx: ReportContext, r: IdentifiabilityResultsFile): SafeHtml {
  return html`<p>The paper asks for metrics that measure identifiability. Here is one, computed for each record rather than argued from the
        equations: the sensitivity matrix of the observed samples with respect to the logarithms of the parameters,</p>
${ctx.safe.equation("J_{ij} = \\frac{\\partial\\, \\mathrm{obs}_i}{\\partial \\log \\theta_j}, \\qquad \\theta = (m, k, \\ell_0) \\ \\text{or}\\ (\\rho, \\ell_0),", "eq-exp-sensitivity")}
<p>by central differences through the simulator, with the record's gait condition (angle of attack, start state) held fixed.
        The rows are <i>x</i> and <i>y</i> in metres, and with the second observation model also the total ground reaction force in body
        weights. A singular value <i>σ</i> of <i>J</i> says how much the observation moves per unit relative change of the parameters
        along its singular vector; <i>σ</i><sub>min</sub> = 0 means a direction the data cannot see. <i>σ</i><sub>min</sub> is compared with the
        integration noise of the simulator as the central difference sees it: at most ${fmt(r.thresholds.nullNoiseFactor)} times that level is
        zero as far as the simulator can tell ("null"), more is "identifiable". ${int(r.requested)} records of <code>${r.dataset.dir}</code>
        were analysed with both observation models${r.failures.length > 0 && html`; ${int(r.failures.length)} could not be (a perturbed walk failed at every step)`}.</p>`;
}

/** What the verdicts and ratios say, with the histogram of the ratios. */
function findings(ctx: ReportContext, r: IdentifiabilityResultsFile): SafeHtml {
  const xy = r.rows.xy ?? [], grf = r.rows["xy+grf"] ?? [];
  const sx = r.summaries.xy, sg = r.summaries["xy+grf"];
  const angle = sx.nullAngle;
  const reparametrised =
    count(xy, "identifiable", true) === xy.length && count(grf, "identifiable", true) === grf.length
      ? "the matrix has full rank with either observation on every record"
      : html`the verdict is "identifiable" on ${int(count(xy, "identifiable", true))} of ${int(xy.length)} records with (<i>x</i>, <i>y</i>) and on ${int(count(grf, "identifiable", true))} of ${int(grf.length)} with the force`;
  const both = (ratio: (row: IdentifiabilityRow) => number) => [
    { name: "observed (<i>x</i>, <i>y</i>)", color: OBSERVATION_COLORS.xy, ratios: xy.map(ratio) },
    { name: "observed (<i>x</i>, <i>y</i>) + ground reaction force", color: OBSERVATION_COLORS["xy+grf"], ratios: grf.map(ratio) },
  ];
  return html`<p>With (<i>x</i>, <i>y</i>) alone, ${sym.m}, ${sym.k}, ${sym.l0} have a null direction on ${int(count(xy, "null"))} of ${int(xy.length)} records
        (${int(count(xy, "unresolved"))} unresolved): the median of <i>σ</i><sub>min</sub>/<i>σ</i><sub>max</sub> is ${fmt(sx.ratio.median, 2)}, and the
        direction of <i>σ</i><sub>min</sub> lies within ${fmt(deg(angle.max), 2)}° of (1, 1, 0)/√2 on every record (median ${fmt(deg(angle.median), 2)}°): scaling ${sym.m} and ${sym.k}
        together, ${sym.rho} fixed. With the ground reaction force, ${int(count(grf, "identifiable"))} of ${int(grf.length)} records are identifiable,
        with <i>σ</i><sub>min</sub>/<i>σ</i><sub>max</sub> from ${fmt(sg.ratio.min, 2)} to ${fmt(sg.ratio.max, 2)} (median ${fmt(sg.ratio.median, 2)}).
        In (${sym.rho}, ${sym.l0}) ${reparametrised} (${ctx.safe.ref("fig-exp-identifiability")}, ${ctx.safe.ref("tab-exp-identifiability")}).</p>
${ctx.safe.figure(
  "fig-exp-identifiability",
  ratioHistogramFigure([
    { title: "(log <i>m</i>, log <i>k</i>, log <i>ℓ</i><sub>0</sub>)", series: both((x) => x.ratio) },
    { title: "(log <i>ρ</i>, log <i>ℓ</i><sub>0</sub>)", series: both((x) => x.reparametrised.ratio) },
  ]),
  html`Distribution over ${int(xy.length)} records of the ratio of the smallest to the largest singular value of <i>J</i>: (a) in
          (log ${sym.m}, log ${sym.k}, log ${sym.l0}), (b) in (log ${sym.rho}, log ${sym.l0}); yellow: observing (<i>x</i>, <i>y</i>), green: with the ground
          reaction force. Ratios below 10<sup>−16</sup>, among them exact zeros, are counted in the leftmost bin.`,
)}`;
}

/** The table of the measure over records: quantiles and verdicts per observation model and parametrisation. */
function measureTable(ctx: ReportContext, r: IdentifiabilityResultsFile): SafeHtml {
  const xy = r.rows.xy ?? [], grf = r.rows["xy+grf"] ?? [];
  const sx = r.summaries.xy, sg = r.summaries["xy+grf"];
  const q = (s: { q05: number; median: number; q95: number }): SafeHtml => html`${fmt(s.median, 2)} <span class="muted">[${fmt(s.q05, 2)}, ${fmt(s.q95, 2)}]</span>`;
  const row = (label: SafeHtml, s: typeof sx, rows: IdentifiabilityRow[], re: boolean): HtmlValue[] => {
    const ratio = re ? s.reparametrised.ratio : s.ratio;
    const sigma = re ? s.reparametrised.smallestSingularValue : s.smallestSingularValue;
    const parameters = re ? html`(${sym.rho}, ${sym.l0})` : html`(${sym.m}, ${sym.k}, ${sym.l0})`;
    return [label, parameters, int(rows.length), q(ratio), q(sigma), int(count(rows, "null", re)), int(count(rows, "identifiable", re)), int(count(rows, "unresolved", re))];
  };
  const onlyXy = html`(<i>x</i>, <i>y</i>)`, withForce = html`(<i>x</i>, <i>y</i>) + force`;
  return ctx.safe.table(
    "tab-exp-identifiability",
    {
      head: ["observed", "parameters", "records", html`<i>σ</i><sub>min</sub>/<i>σ</i><sub>max</sub>`, html`<i>σ</i><sub>min</sub>`, "null", "identifiable", "unresolved"],
      align: ["l", "l", "r", "r", "r", "r", "r", "r"],
      rows: [row(onlyXy, sx, xy, false), row(withForce, sg, grf, false), row(onlyXy, sx, xy, true), row(withForce, sg, grf, true)],
    },
    html`The identifiability measure over records: median and [5 %, 95 %] quantiles of <i>σ</i><sub>min</sub>/<i>σ</i><sub>max</sub> and of
          <i>σ</i><sub>min</sub> (metres, and body weights for the force, per unit log-parameter), and the verdict per record. Also on the command
          line: <code>gaitid identifiability --data ${r.dataset.dir} --records ${int(r.requested)}</code>.`,
  );
}

export function identifiabilitySection(r: IdentifiabilityResultsFile, dir: string): ReportSection {
  return {
    id: experimentSectionId("identifiability"),
    title: TITLE.identifiability,
    render(ctx: ReportContext) {
      const files = html`<p class="files">Files: <code>${dir}/</code> (<code>results.json</code> with every record's singular values, <code>manifest.json</code>);
        analysis time ${fmt(r.seconds)} s.</p>`;
      return joinHtml([measure(ctx, r), findings(ctx, r), measureTable(ctx, r), files], "\n").toString();
    },
  };
}
