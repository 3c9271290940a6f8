/**
 * The posterior experiment's section: the learned posterior of m against the exact one on three
 * test records, draws of (m, k) on the exact segment of constant rho, SBC rank histograms, and a
 * table of KS/W1 and coverages per training seed, as learned and recalibrated (both from the
 * runs' metrics.json, through results.json); each target said met or not from the numbers.
 */
import type { ReportContext, ReportSection } from "../../context";
import { fixed, fmt, int, percent } from "../../format";
import { html, joinHtml, type HtmlValue, type SafeHtml } from "../../template";
import { posteriorDensityFigure, posteriorPlaneFigure, sbcFigure } from "../../../figures/posterior";
import { POSTERIOR_QUANTITIES, posteriorVerdict, type PosteriorExperimentResults, type PosteriorRecordFigure, type PosteriorSeedScores, type PosteriorTargets } from "../../../experiments/posterior";
import type { PosteriorScores } from "../../../estimator/posterior/score";
import type { Quantity } from "../../../estimator/variant";
import { sym, TITLE, experimentSectionId, provenance } from "./common";

/** "met" or "not met", marked. */
function met(ok: boolean): SafeHtml {
  return ok ? html`<b>met</b>` : html`<b>not met</b>`;
}

/** A p-value: two significant digits (so that one just below a level does not round up to it), an exponent when small. */
function pValue(p: number): SafeHtml {
  return fmt(p, 2);
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
  return html`Targets: mean KS distance of ${sym.m}'s posterior from the exact one ≤ ${fmt(t.meanKs)}; coverage of the central 50&nbsp;% and
    90&nbsp;% intervals within ${fixed(100 * t.coverage, 0)} points, for ${list(POSTERIOR_QUANTITIES)}; SBC rank histograms not rejected as uniform at
    the ${percent(t.sbcLevel, 0)} level (χ² test).`;
}

/** The two versions of a seed's posterior, in the table's order. */
const VERSIONS = [
  { key: "scores", name: "as learned", title: "As learned", sbcFigure: "fig-exp-posterior-sbc" },
  { key: "recalibrated", name: "recalibrated", title: "Recalibrated", sbcFigure: "fig-exp-posterior-sbc-recalibrated" },
] as const;

/** One set of scores against the targets, as a sentence (the numbers themselves are in the table). */
function verdictText(s: PosteriorScores, t: PosteriorTargets): SafeHtml {
  const v = posteriorVerdict(s, t);
  const bad = (ok: Record<Quantity, boolean>): Quantity[] => POSTERIOR_QUANTITIES.filter((q) => !ok[q]);
  const part = (name: string, off: Quantity[]): SafeHtml => (off.length === 0 ? html`${name} ${met(true)}` : html`${name} ${met(false)} for ${list(off)}`);
  return html`KS ${fixed(s.m.ks, 3)}, ${met(v.ks)}; ${part("coverage", bad(v.coverage))}; ${part("SBC", bad(v.sbc))}${v.all ? html`: every target met` : ""}.`;
}

/** One seed's verdicts, as learned and recalibrated. */
function seedVerdicts(s: PosteriorSeedScores, t: PosteriorTargets): SafeHtml {
  return joinHtml(VERSIONS.map((v) => html`${v.title}: ${verdictText(s[v.key], t)}`), " ");
}

/** What the experiment does. */
function setup(ctx: ReportContext, r: PosteriorExperimentResults): SafeHtml {
  const t = r.trials[0];
  const seeds = r.posterior.seeds;
  const s0 = seeds[0].scores;
  const d = r.datasets.xy;
  return html`<p>The posterior variant gives a density, not a point: a mixture density network of ${int(s0.components)} Gaussians over (log ${sym.rho},
    ${sym.l0}, the probit of ${sym.m}'s prior CDF given ${sym.rho}), trained by likelihood${d && html` on <code>${d.dir}</code>`}${t && html` for ${int(t.epochs)} epochs`}${
      seeds.length > 1 && html` with ${int(seeds.length)} training seeds`}. The exact posterior is known: a record pins ${sym.rho}, so ${sym.m} has density
    ∝ ${sym.m} on [<i>a</i>, <i>b</i>] = [max(<i>m</i><sub>1</sub>, <i>k</i><sub>1</sub>/${sym.rho}), min(<i>m</i><sub>2</sub>, <i>k</i><sub>2</sub>/${sym.rho})] and
    ${sym.k} = ${sym.rho}${sym.m}. Calibration uses ${int(s0.samples)} draws per test record. Each run is scored as learned and
    recalibrated: every draw's log ${sym.rho} and ${sym.l0} mapped through a monotone map of its marginal CDF value fitted on the run's validation
    records, never its test records (Kuleshov, Fenner &amp; Ermon 2018, smoothed in probit space; <code>estimator/posterior/calibration-map.ts</code>);
    ${sym.m}'s coordinate is left as learned.</p>`;
}

/** The three records' figures. */
function recordFigures(ctx: ReportContext, r: PosteriorExperimentResults): SafeHtml {
  const recs = r.posterior.records;
  const title = (x: PosteriorRecordFigure): string => `${WHICH[x.which]} <i>ρ</i> = ${plain(x.truth.rho)} 1/s²`;
  const density = ctx.safe.figure(
    "fig-exp-posterior-density",
    posteriorDensityFigure(recs.map((x) => ({ title: `${title(x)}: KS ${plain(x.ks, 2)}`, learned: x.learned, exact: x.exact, trueM: x.truth.m }))),
    html`The posterior of ${sym.m} for the test records of the lowest, the median and the highest true ${sym.rho} (seed ${int(r.posterior.seed)}): learned
      (coloured), exact (black, dashed), true ${sym.m} (dotted). KS and W1: ${joinHtml(recs.map((x) => html`${fixed(x.ks, 3)} and ${fmt(x.w1)}&nbsp;kg`), "; ")}.`,
  );
  const plane = ctx.safe.figure(
    "fig-exp-posterior-plane",
    posteriorPlaneFigure(recs.map((x) => ({ title: title(x), samples: x.samples, segment: x.segment, truth: { m: x.truth.m, k: x.truth.k } }))),
    html`${int(recs[0]?.samples.m.length ?? 0)} draws of (${sym.m}, ${sym.k}) from the learned posterior of the same records, and the exact posterior's
      support, the segment ${sym.k} = ${sym.rho}${sym.m}, ${sym.m} in [<i>a</i>, <i>b</i>] (black); the cross is the true pair.`,
  );
  return html`${density}
${plane}`;
}

/** SBC histograms of the first seed, as learned and recalibrated (the verdicts above are of both). */
function sbcPart(ctx: ReportContext, r: PosteriorExperimentResults): SafeHtml {
  const s = r.posterior.seeds[0];
  const figure = (version: (typeof VERSIONS)[number]): SafeHtml => {
    const sbc = s[version.key].sbc;
    return ctx.safe.figure(
      version.sbcFigure,
      sbcFigure(POSTERIOR_QUANTITIES.map((q) => ({ quantity: q, histogram: sbc[q].histogram, samples: sbc[q].samples, pValue: sbc[q].pValue }))),
      html`SBC rank histograms, seed ${int(s.seed)} ${version.name} (${int(s.testRecords)} test records, ${int(sbc.m.histogram.length)} bins); a calibrated
        posterior gives every bin the dashed count (a hump: too wide; a U: too narrow; a slope: biased).`,
    );
  };
  return joinHtml(VERSIONS.map(figure), "\n");
}

/** A cell's mark: whether its target is met. */
const mark = (ok: boolean): string => (ok ? " ✓" : " ✗");

/** Two rows per seed (as learned, recalibrated): KS/W1 of m, and per quantity the coverages and the SBC p-value, each marked against its target. */
function scoresTable(ctx: ReportContext, r: PosteriorExperimentResults): SafeHtml {
  const t = r.posterior.targets;
  const rows: HtmlValue[][] = r.posterior.seeds.flatMap((seed) =>
    VERSIONS.map((version) => {
      const s = seed[version.key];
      const v = posteriorVerdict(s, t), c = s.coverage;
      return [
        int(seed.seed),
        version.name,
        html`${fixed(s.m.ks, 3)}${mark(v.ks)}`,
        fmt(s.m.w1),
        ...POSTERIOR_QUANTITIES.map((q) => html`${fixed(100 * c[q].c50, 1)} / ${fixed(100 * c[q].c90, 1)}${mark(v.coverage[q])}`),
        ...POSTERIOR_QUANTITIES.map((q) => html`${pValue(s.sbc[q].pValue)}${mark(v.sbc[q])}`),
      ];
    }),
  );
  return ctx.safe.table(
    "tab-exp-posterior",
    { head: ["seed", "posterior", html`mean KS of ${sym.m}`, html`mean W1 of ${sym.m} (kg)`, ...POSTERIOR_QUANTITIES.map((q) => html`coverage of ${sym[q]} (%)`), ...POSTERIOR_QUANTITIES.map((q) => html`SBC <i>p</i> of ${sym[q]}`)], rows, align: ["l", "l"] },
    html`The posterior's scores on the test records per training seed (each run's <code>metrics.json</code>), as learned and recalibrated on the
      validation records, ✓ where the target is met. KS and W1:
      the learned posterior of ${sym.m} against the exact one, averaged over records (target KS ≤ ${fmt(t.meanKs)}). Coverage: share of records whose
      central 50&nbsp;% / 90&nbsp;% interval holds the true value (target: within ${fixed(100 * t.coverage, 0)} points). SBC: χ² test of uniformity
      (target <i>p</i> ≥ ${fmt(t.sbcLevel)}).`,
  );
}

/** "seeds 1, 2 of 3" or "none of the 3 seeds": the seeds whose `key` scores meet every target. */
function seedsMeetingAll(seeds: readonly PosteriorSeedScores[], key: (typeof VERSIONS)[number]["key"], t: PosteriorTargets): SafeHtml {
  const all = seeds.filter((s) => posteriorVerdict(s[key], t).all).map((s) => s.seed);
  return all.length === 0 ? html`none of the ${int(seeds.length)} seeds` : html`seed${all.length > 1 ? "s" : ""} ${joinHtml(all.map((x) => int(x)), ", ")} of ${int(seeds.length)}`;
}

/** The targets and, per seed, whether each is met, as learned and recalibrated. */
function verdicts(r: PosteriorExperimentResults): SafeHtml {
  const t = r.posterior.targets, seeds = r.posterior.seeds;
  if (seeds.length === 1) return html`<p>${targetsText(t)} Seed ${int(seeds[0].seed)}. ${seedVerdicts(seeds[0], t)}</p>`;
  return html`<p>${targetsText(t)} Each training seed's run is scored on its own (every target met as learned for
    ${seedsMeetingAll(seeds, "scores", t)}; recalibrated, for ${seedsMeetingAll(seeds, "recalibrated", t)}):</p>
<ul>${joinHtml(seeds.map((s) => html`<li>Seed ${int(s.seed)}. ${seedVerdicts(s, t)}</li>`), "\n")}</ul>`;
}

export function posteriorSection(r: PosteriorExperimentResults, dir: string): ReportSection {
  return {
    id: experimentSectionId("posterior"),
    title: TITLE.posterior,
    render(ctx: ReportContext) {
      const parts = [setup(ctx, r), verdicts(r), r.posterior.records.length > 0 && recordFigures(ctx, r), sbcPart(ctx, r), scoresTable(ctx, r), provenance(r, dir)];
      return joinHtml(parts.filter((p) => p !== false), "\n").toString();
    },
  };
}
