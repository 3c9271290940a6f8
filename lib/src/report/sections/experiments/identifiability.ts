/** The identifiability experiment's section: singular values of the sensitivity matrix over records. */
import type { ReportContext, ReportSection } from "../../context";
import { esc, fixed, fmt, int } from "../../html";
import { OBSERVATION_COLORS, ratioHistogramFigure } from "../../../figures/experiments";
import type { IdentifiabilityResultsFile, IdentifiabilityRow } from "../../../experiments/identifiability";
import { SYM, TITLE, experimentSectionId, series } from "./common";

/** Degrees of a rad angle. */
const deg = (rad: number): number => (rad * 180) / Math.PI;

export function identifiabilitySection(r: IdentifiabilityResultsFile, dir: string): ReportSection {
  return {
    id: experimentSectionId("identifiability"),
    title: TITLE.identifiability,
    render(ctx: ReportContext) {
      const xy = r.rows.xy ?? [], grf = r.rows["xy+grf"] ?? [];
      const count = (rows: IdentifiabilityRow[], v: string, re = false): number => rows.filter((x) => (re ? x.reparametrised.verdict : x.verdict) === v).length;
      const sx = r.summaries.xy, sg = r.summaries["xy+grf"];
      const out: string[] = [];
      out.push(
        `<p>The paper asks for metrics that measure identifiability. Here is one, computed for each record rather than argued from the
        equations: the sensitivity matrix of the observed samples with respect to the logarithms of the parameters,</p>`,
        ctx.equation("J_{ij} = \\frac{\\partial\\, \\mathrm{obs}_i}{\\partial \\log \\theta_j}, \\qquad \\theta = (m, k, \\ell_0) \\ \\text{or}\\ (\\rho, \\ell_0),", "eq-exp-sensitivity"),
        `<p>by central differences through the simulator, with the record's gait condition (angle of attack, start state) held fixed.
        The rows are <i>x</i> and <i>y</i> in metres, and with the second observation model also the total ground reaction force in body
        weights. A singular value <i>σ</i> of <i>J</i> says how much the observation moves per unit relative change of the parameters
        along its singular vector; <i>σ</i><sub>min</sub> = 0 means a direction the data cannot see. <i>σ</i><sub>min</sub> is compared with the
        integration noise of the simulator as the central difference sees it: at most ${fmt(r.thresholds.nullNoiseFactor)} times that level is
        zero as far as the simulator can tell ("null"), more is "identifiable". ${int(r.requested)} records of <code>${esc(r.dataset.dir)}</code>
        were analysed with both observation models${r.failures.length > 0 ? `; ${int(r.failures.length)} could not be (a perturbed walk failed at every step)` : ""}.</p>`,
      );
      const angle = sx.nullAngle;
      out.push(
        `<p>With (<i>x</i>, <i>y</i>) alone, ${SYM.m}, ${SYM.k}, ${SYM.l0} have a null direction on ${int(count(xy, "null"))} of ${int(xy.length)} records
        (${int(count(xy, "unresolved"))} unresolved): the median of <i>σ</i><sub>min</sub>/<i>σ</i><sub>max</sub> is ${fmt(sx.ratio.median, 2)}, and the
        direction of <i>σ</i><sub>min</sub> lies within ${fmt(deg(angle.max), 2)}° of (1, 1, 0)/√2 on every record (median ${fmt(deg(angle.median), 2)}°): scaling ${SYM.m} and ${SYM.k}
        together, ${SYM.rho} fixed. With the ground reaction force, ${int(count(grf, "identifiable"))} of ${int(grf.length)} records are identifiable,
        with <i>σ</i><sub>min</sub>/<i>σ</i><sub>max</sub> from ${fmt(sg.ratio.min, 2)} to ${fmt(sg.ratio.max, 2)} (median ${fmt(sg.ratio.median, 2)}).
        In (${SYM.rho}, ${SYM.l0}) ${
          count(xy, "identifiable", true) === xy.length && count(grf, "identifiable", true) === grf.length
            ? "the matrix has full rank with either observation on every record"
            : `the verdict is "identifiable" on ${int(count(xy, "identifiable", true))} of ${int(xy.length)} records with (<i>x</i>, <i>y</i>) and on ${int(count(grf, "identifiable", true))} of ${int(grf.length)} with the force`
        } (${ctx.ref("fig-exp-identifiability")}, ${ctx.ref("tab-exp-identifiability")}).</p>`,
        ctx.figure(
          "fig-exp-identifiability",
          ratioHistogramFigure([
            {
              title: "(log <i>m</i>, log <i>k</i>, log <i>ℓ</i><sub>0</sub>)",
              series: [
                { name: "observed (<i>x</i>, <i>y</i>)", color: OBSERVATION_COLORS.xy, ratios: xy.map((x) => x.ratio) },
                { name: "observed (<i>x</i>, <i>y</i>) + ground reaction force", color: OBSERVATION_COLORS["xy+grf"], ratios: grf.map((x) => x.ratio) },
              ],
            },
            {
              title: "(log <i>ρ</i>, log <i>ℓ</i><sub>0</sub>)",
              series: [
                { name: "observed (<i>x</i>, <i>y</i>)", color: OBSERVATION_COLORS.xy, ratios: xy.map((x) => x.reparametrised.ratio) },
                { name: "observed (<i>x</i>, <i>y</i>) + ground reaction force", color: OBSERVATION_COLORS["xy+grf"], ratios: grf.map((x) => x.reparametrised.ratio) },
              ],
            },
          ]),
          `Distribution over ${int(xy.length)} records of the ratio of the smallest to the largest singular value of <i>J</i>: (a) in
          (log ${SYM.m}, log ${SYM.k}, log ${SYM.l0}), (b) in (log ${SYM.rho}, log ${SYM.l0}); yellow: observing (<i>x</i>, <i>y</i>), green: with the ground
          reaction force. Ratios below 10<sup>−16</sup>, among them exact zeros, are counted in the leftmost bin.`,
        ),
      );
      const q = (s: { q05: number; median: number; q95: number }): string => `${fmt(s.median, 2)} <span style="color:var(--muted)">[${fmt(s.q05, 2)}, ${fmt(s.q95, 2)}]</span>`;
      const row = (label: string, s: typeof sx, rows: IdentifiabilityRow[], re: boolean): string[] => {
        const ratio = re ? s.reparametrised.ratio : s.ratio;
        const sigma = re ? s.reparametrised.smallestSingularValue : s.smallestSingularValue;
        return [label, re ? `(${SYM.rho}, ${SYM.l0})` : `(${SYM.m}, ${SYM.k}, ${SYM.l0})`, int(rows.length), q(ratio), q(sigma), int(count(rows, "null", re)), int(count(rows, "identifiable", re)), int(count(rows, "unresolved", re))];
      };
      out.push(
        ctx.table(
          "tab-exp-identifiability",
          {
            head: ["observed", "parameters", "records", "<i>σ</i><sub>min</sub>/<i>σ</i><sub>max</sub>", "<i>σ</i><sub>min</sub>", "null", "identifiable", "unresolved"],
            align: ["l", "l", "r", "r", "r", "r", "r", "r"],
            rows: [
              row("(<i>x</i>, <i>y</i>)", sx, xy, false),
              row("(<i>x</i>, <i>y</i>) + force", sg, grf, false),
              row("(<i>x</i>, <i>y</i>)", sx, xy, true),
              row("(<i>x</i>, <i>y</i>) + force", sg, grf, true),
            ],
          },
          `The identifiability measure over records: median and [5 %, 95 %] quantiles of <i>σ</i><sub>min</sub>/<i>σ</i><sub>max</sub> and of
          <i>σ</i><sub>min</sub> (metres, and body weights for the force, per unit log-parameter), and the verdict per record. Also on the command
          line: <code>gaitid identifiability --data ${esc(r.dataset.dir)} --records ${int(r.requested)}</code>.`,
        ),
        `<p style="color:var(--muted);font-size:.9rem">Files: <code>${esc(dir)}/</code> (<code>results.json</code> with every record's singular values, <code>manifest.json</code>);
        analysis time ${fmt(r.seconds)} s.</p>`,
      );
      return out.join("\n");
    },
  };
}
