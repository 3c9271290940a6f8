/**
 * The posterior experiment's section: the learned posterior of m against the exact one on three
 * test records, draws of (m, k) on the exact segment of constant rho, SBC rank histograms, and a
 * table of KS/W1 and coverages per training seed; each target said met or not from the numbers.
 */
import type { ReportContext, ReportSection } from "../../context";
import { fixed, fmt, int, percent } from "../../format";
import { html, joinHtml, type HtmlValue, type SafeHtml } from "../../template";
import { posteriorDensityFigure, posteriorPlaneFigure, sbcFigure } from "../../../figures/posterior";
import { POSTERIOR_QUANTITIES, posteriorVerdict, type PosteriorExperimentResults, type PosteriorRecordFigure, type PosteriorSeedScores, type PosteriorTargets } from "../../../experiments/posterior";
import type { Quantity } from "../../../estimator/variant";
import { sym, unit, TITLE, experimentSectionId, provenance } from "./common";

/** "met" or "not met", marked. */
function met(ok: boolean): SafeHtml {
  return ok ? html`<b>met</b>` : html`<b>not met</b>`;
}

/** A p-value for the text: three decimals, or two significant digits with an exponent when small. */
function pValue(p: number): SafeHtml {
  return p >= 0.001 ? fixed(p, 3) : fmt(p, 2);
}

/** Plain text of a number for figure titles (plotly HTML, not the report's markup). */
function plain(v: number, digits = 3): string {
  return String(Number(v.toPrecision(digits)));
}

const WHICH = { lowest: "lowest", median: "median", highest: "highest" } as const;

/** The quantities of `qs` as "m, k and l0". */
function list(qs: readonly Quantity[]): SafeHtml {
  const parts = qs.map((q) => sym[q]);
  return parts.length <= 1 ? joinHtml(parts) : html`${joinHtml(parts.slice(0, -1), ", ")} and ${parts[parts.length - 1]}`;
}

/** The targets, as a sentence. */
function targetsText(t: PosteriorTargets): SafeHtml {
  return html`The targets: a mean Kolmogorov-Smirnov (KS) distance of the learned posterior of ${sym.m} from the exact one of at most ${fmt(t.meanKs)};
    central 50&nbsp;% and 90&nbsp;% credible intervals that hold the true value for ${percent(0.5, 0)} and ${percent(0.9, 0)} of the test records, within
    ${fixed(100 * t.coverage, 0)} points, for each of ${list(POSTERIOR_QUANTITIES)}; and simulation-based calibration (SBC) whose rank histograms are not
    rejected as uniform at the ${percent(t.sbcLevel, 0)} level (Pearson's χ² test).`;
}

/** One seed's scores against the targets, as a sentence. */
function verdictText(s: PosteriorSeedScores, t: PosteriorTargets): SafeHtml {
  const v = posteriorVerdict(s.scores, t), sc = s.scores;
  const covOk = POSTERIOR_QUANTITIES.filter((q) => v.coverage[q]), covBad = POSTERIOR_QUANTITIES.filter((q) => !v.coverage[q]);
  const sbcOk = POSTERIOR_QUANTITIES.filter((q) => v.sbc[q]), sbcBad = POSTERIOR_QUANTITIES.filter((q) => !v.sbc[q]);
  const cov = (q: Quantity): SafeHtml => html`${sym[q]} ${percent(sc.coverage[q].c50)} and ${percent(sc.coverage[q].c90)}`;
  const p = (q: Quantity): SafeHtml => html`${sym[q]} <i>p</i> = ${pValue(sc.sbc[q].pValue)}`;
  return html`Mean KS of ${sym.m} ${fixed(sc.m.ks, 3)} (median ${fixed(sc.m.ksMedian, 3)}, 90th percentile ${fixed(sc.m.ksP90, 3)}), mean W1 ${fmt(sc.m.w1)}&nbsp;kg:
    ${met(v.ks)}. Coverage of the 50&nbsp;% and 90&nbsp;% intervals: ${joinHtml(POSTERIOR_QUANTITIES.map(cov), "; ")}; the target is
    ${covBad.length === 0 ? html`${met(true)} for all four` : covOk.length === 0 ? html`${met(false)} for any` : html`${met(true)} for ${list(covOk)}, ${met(false)} for ${list(covBad)}`}.
    SBC: ${joinHtml(POSTERIOR_QUANTITIES.map(p), ", ")}; uniformity ${sbcBad.length === 0 ? html`is not rejected for any (target ${met(true)})` : sbcOk.length === 0 ? html`is rejected for all four (target ${met(false)})` : html`is not rejected for ${list(sbcOk)} (${met(true)}) and rejected for ${list(sbcBad)} (${met(false)})`}.
    ${v.all ? html`Every target is met.` : html`Not every target is met.`}`;
}

/** What the experiment does. */
function setup(r: PosteriorExperimentResults): SafeHtml {
  const t = r.trials[0];
  const seeds = r.posterior.seeds;
  const s0 = seeds[0].scores;
  const d = r.datasets.xy;
  return html`<p>The two networks of the paper give a point for each record. The posterior variant gives a density instead: a mixture density
    network of ${int(s0.components)} Gaussian components over (log ${sym.rho}, ${sym.l0}, the probit of ${sym.m}'s prior CDF given ${sym.rho}), trained by
    likelihood on the same records${d && html` (<code>${d.dir}</code>, ${int(d.records)} records)`}${t && html` for ${int(t.epochs)} epochs`}${seeds.length > 1 && html`, once per
    training seed (${int(seeds.length)} seeds)`}. Its answer can be checked against the exact one: a record pins ${sym.rho} and ${sym.l0}, so under the
    uniform priors the posterior of ${sym.m} is p(${sym.m} | ${sym.rho}) ∝ ${sym.m} on [<i>a</i>, <i>b</i>] = [max(<i>m</i><sub>1</sub>, <i>k</i><sub>1</sub>/${sym.rho}),
    min(<i>m</i><sub>2</sub>, <i>k</i><sub>2</sub>/${sym.rho})], and that of (${sym.m}, ${sym.k}) lies on the segment ${sym.k} = ${sym.rho}${sym.m} of that interval.
    Calibration is measured with ${int(s0.samples)} posterior draws per test record: the rank of the true value among them (SBC) and the share of records
    whose central interval holds it.</p>`;
}

/** The three records' figures. */
function recordFigures(ctx: ReportContext, r: PosteriorExperimentResults): SafeHtml {
  const recs = r.posterior.records;
  const title = (x: PosteriorRecordFigure): string => `${WHICH[x.which]} <i>ρ</i> = ${plain(x.truth.rho)} 1/s²`;
  const density = ctx.safe.figure(
    "fig-exp-posterior-density",
    posteriorDensityFigure(recs.map((x) => ({ title: `${title(x)}: KS ${plain(x.ks, 2)}`, learned: x.learned, exact: x.exact, trueM: x.truth.m }))),
    html`The posterior of ${sym.m} for the test records of the lowest, the median and the highest true ${sym.rho} (seed ${int(r.posterior.seed)}): learned
      (coloured), exact p(${sym.m} | ${sym.rho}) under the uniform priors (black, dashed), the true ${sym.m} (grey, dotted). KS and W1 distances:
      ${joinHtml(recs.map((x) => html`${x.which} ${fixed(x.ks, 3)} and ${fmt(x.w1)}&nbsp;kg`), "; ")}.`,
  );
  const plane = ctx.safe.figure(
    "fig-exp-posterior-plane",
    posteriorPlaneFigure(recs.map((x) => ({ title: title(x), samples: x.samples, segment: x.segment, truth: { m: x.truth.m, k: x.truth.k } }))),
    html`${int(recs[0]?.samples.m.length ?? 0)} draws of (${sym.m}, ${sym.k}) from the learned posterior of each of the three records, and the exact
      posterior's support: the segment ${sym.k} = ${sym.rho}${sym.m}, ${sym.m} in [<i>a</i>, <i>b</i>] (black); the cross is the true pair. A record tells
      ${sym.rho}, so the draws should lie along the segment, spread over it as ${sym.m} is in the left figure.`,
  );
  return html`<p>${ctx.safe.ref("fig-exp-posterior-density")} sets the learned posterior of ${sym.m} beside the exact one for three test records,
    ${ctx.safe.ref("fig-exp-posterior-plane")} its draws in the (${sym.m}, ${sym.k}) plane.</p>
${density}
${plane}`;
}

/** SBC histograms of the first seed. */
function sbcPart(ctx: ReportContext, r: PosteriorExperimentResults): SafeHtml {
  const s = r.posterior.seeds[0];
  return ctx.safe.figure(
    "fig-exp-posterior-sbc",
    sbcFigure(POSTERIOR_QUANTITIES.map((q) => ({ quantity: q, histogram: s.scores.sbc[q].histogram, samples: s.scores.sbc[q].samples, pValue: s.scores.sbc[q].pValue }))),
    html`SBC rank histograms of seed ${int(s.seed)} on ${int(s.testRecords)} test records: the rank of the true value among ${int(s.scores.samples)} posterior
      draws, in ${int(s.scores.sbc.m.histogram.length)} bins; a calibrated posterior gives every bin the dashed count. A hump in the middle means a
      posterior too wide, a U too narrow, a slope a bias. The χ² <i>p</i>-value of uniformity is in each panel's title.`,
  );
}

/** Per seed and quantity: KS/W1 of m, coverages and SBC p-values. */
function scoresTable(ctx: ReportContext, r: PosteriorExperimentResults): SafeHtml {
  const t = r.posterior.targets;
  const rows: HtmlValue[][] = r.posterior.seeds.flatMap((s) => {
    const v = posteriorVerdict(s.scores, t);
    return POSTERIOR_QUANTITIES.map((q): HtmlValue[] => [
      int(s.seed),
      html`${sym[q]} (${unit[q]})`,
      q === "m" ? fixed(s.scores.m.ks, 3) : "–",
      q === "m" ? fmt(s.scores.m.w1) : "–",
      percent(s.scores.coverage[q].c50),
      percent(s.scores.coverage[q].c90),
      v.coverage[q] ? "✓" : "✗",
      pValue(s.scores.sbc[q].pValue),
      v.sbc[q] ? "✓" : "✗",
    ]);
  });
  return ctx.safe.table(
    "tab-exp-posterior",
    { head: ["seed", "quantity", "mean KS of m", "mean W1 of m (kg)", "coverage 50 %", "coverage 90 %", "coverage target", "SBC χ² p", "SBC target"], rows },
    html`The posterior's scores on the test records, per training seed (from each run's <code>metrics.json</code>). KS and W1 compare the learned
      posterior of ${sym.m} with the exact one, averaged over records. Coverage: share of records whose central interval holds the true value
      (target within ${fixed(100 * t.coverage, 0)} points of 50&nbsp;% and 90&nbsp;%); SBC: the χ² test of the rank histogram's uniformity (target
      <i>p</i> ≥ ${fmt(t.sbcLevel)}). Runs: ${joinHtml(r.posterior.seeds.map((s) => html`<code>${s.run}</code>`), ", ")}.`,
  );
}

/** The targets and, per seed, whether each is met. */
function verdicts(r: PosteriorExperimentResults): SafeHtml {
  const t = r.posterior.targets, seeds = r.posterior.seeds;
  if (seeds.length === 1) return html`<p>${targetsText(t)} ${verdictText(seeds[0], t)}</p>`;
  const all = seeds.filter((s) => posteriorVerdict(s.scores, t).all).map((s) => s.seed);
  return html`<p>${targetsText(t)} Calibration of ${sym.l0} and ${sym.rho} is known to vary between training seeds, so each seed's run is scored on its own
    (every target met for ${all.length === 0 ? html`none of the ${int(seeds.length)} seeds` : html`seed${all.length > 1 ? "s" : ""} ${joinHtml(all.map((x) => int(x)), ", ")} of ${int(seeds.length)}`}):</p>
<ul>${joinHtml(seeds.map((s) => html`<li>Seed ${int(s.seed)}: ${verdictText(s, t)}</li>`), "\n")}</ul>`;
}

export function posteriorSection(r: PosteriorExperimentResults, dir: string): ReportSection {
  return {
    id: experimentSectionId("posterior"),
    title: TITLE.posterior,
    render(ctx: ReportContext) {
      const parts = [setup(r), verdicts(r), r.posterior.records.length > 0 && recordFigures(ctx, r), sbcPart(ctx, r), scoresTable(ctx, r), provenance(r, dir)];
      return joinHtml(parts.filter((p) => p !== false), "\n").toString();
    },
  };
}
