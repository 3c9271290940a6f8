/**
 * Report section: model-based identification. Profile likelihoods of one test record per
 * observation model (figure), the widths of the 95 % intervals over records and noise levels
 * (table), and the Cramér-Rao bound of rho and l0 beside the maximum-likelihood fit's error
 * (table; the network's RMSE at the same noise joins it where the noise experiment has run).
 * A pure function of the results of a batch (lib/src/fit/results.ts).
 */
import { profilesFigure, type ProfileCurve } from "../../figures/profiles";
import type { Quantity } from "../../figures/style";
import type { CrbComparison, FitStudyResults, ProfileRecordResult, WidthSummary } from "../../fit/results";
import type { ReportContext } from "../context";
import { fmt, percent } from "../format";
import { html, joinHtml, rawValues, type HtmlValue, type SafeHtml } from "../template";
import { sym, unit } from "./common";

/** What an observation model observes, for the text. */
const OBSERVE_NAME = rawValues<string>({ xy: "(<i>x</i>, <i>y</i>)", "xy+grf": "(<i>x</i>, <i>y</i>) and the ground reaction force" });

/** The curves of one record's profiles, as the figure takes them (also for the notebooks). */
export function profileCurves(r: ProfileRecordResult): ProfileCurve[] {
  return r.profiles.map((p) => ({
    parameter: p.parameter as Quantity,
    points: p.points.map((q) => ({ value: q.value, delta: q.delta })),
    lower: p.lower,
    upper: p.upper,
    estimate: p.estimate,
    truth: r.fit.truth[p.parameter],
    threshold: p.threshold,
    verdict: p.verdict,
  }));
}

/** The record shown per observation model: the first profiled one with curves, at the middle noise level. */
function shownRecord(results: FitStudyResults, observe: string): ProfileRecordResult | undefined {
  const noise = results.settings.noise[Math.floor((results.settings.noise.length - 1) / 2)];
  const withCurves = results.records.filter((r) => r.fit.observe === observe && r.profiles.some((p) => p.points.some((q) => !q.search)));
  return withCurves.find((r) => r.fit.noise === noise) ?? withCurves[0];
}

function widthCell(w: WidthSummary | undefined): HtmlValue {
  if (!w) return "–";
  const open = w.records - w.verdicts.identifiable;
  const width = w.medianWidth === null ? "open" : html`${fmt(w.medianWidth, 3)} (${percent(w.medianRelativeWidth ?? undefined, 2)})`;
  return html`${width}${open > 0 && `; ${w.verdicts["structurally non-identifiable"]} flat, ${w.verdicts["practically non-identifiable"]} open`}`;
}

function crbRows(rows: readonly CrbComparison[]): HtmlValue[][] {
  return rows.map((c) => [
    OBSERVE_NAME[c.observe] ?? c.observe,
    percent(c.noise, 1),
    String(c.records),
    fmt(c.rootMeanCrb.rho, 3),
    fmt(c.mlRmse.rho, 3),
    fmt(c.rootMeanCrb.l0, 3),
    fmt(c.mlRmse.l0, 3),
  ]);
}

/** What a profile likelihood is and how it is read. */
function method(ctx: ReportContext): SafeHtml {
  const { heading, math } = ctx.safe;
  return html`${heading("profiles-method", "Profile likelihoods")}
<p>The sensitivity analysis is local. The profile likelihood is its global counterpart (Raue et al., 2009): the
    walker is fitted to a record by maximum likelihood, with the subject and the start of the walk (angle of attack
    ${math("\\alpha_0")}, the height and speed at the first vertical leg orientation) unknown; then one parameter
    ${math("\\psi")} is fixed on a range of values, all others are fitted again at each, and the best misfit
    ${math("\\chi^2(\\psi)")} is recorded. Where ${math("\\Delta\\chi^2(\\psi) = \\chi^2(\\psi) - \\chi^2_{\\min}")}
    stays below ${math("\\chi^2_{1,\\,0.95} = 3.84")} is the 95 % confidence interval. A profile that never rises is a
    parameter the record does not determine at all (structurally non-identifiable); one that rises on one side only
    leaves the interval open (practically non-identifiable). The records are re-simulated from their parameters, and
    Gaussian noise of a fraction of each channel's standard deviation over the training records is added, as in the
    noise experiment.</p>`;
}

/** One record's profiles per observation model. */
function profileFigures(ctx: ReportContext, results: FitStudyResults): SafeHtml[] {
  const out: SafeHtml[] = [];
  for (const observe of results.settings.observe) {
    const r = shownRecord(results, observe);
    if (!r) continue;
    out.push(
      ctx.safe.figure(
        `fig-profiles-${observe === "xy" ? "xy" : "grf"}`,
        profilesFigure(profileCurves(r)),
        html`Profile likelihoods of test record ${r.fit.id} observed through ${OBSERVE_NAME[observe]}, noise ${percent(r.fit.noise, 1)}
        of each channel's standard deviation: ${ctx.safe.math("\\Delta\\chi^2")} against the fixed value of each parameter, all
        others re-optimised; dashed: the threshold 3.84; shaded: the 95 % interval; dotted: the true value.`,
      ),
    );
  }
  return out;
}

/** The widths of the 95 % intervals per noise level and parameter; none without profiles. */
function widthsTable(ctx: ReportContext, results: FitStudyResults): SafeHtml | undefined {
  const s = results.settings;
  const rows: HtmlValue[][] = [];
  for (const noise of s.noise) {
    for (const p of s.parameters) {
      const cells = s.observe.map((o) => widthCell(results.widths.find((w) => w.observe === o && w.noise === noise && w.parameter === p)));
      rows.push([percent(noise, 1), html`${sym[p as Quantity]} (${unit[p as Quantity]})`, ...cells]);
    }
  }
  if (rows.length === 0) return undefined;
  return ctx.safe.table(
    "tab-profile-widths",
    { head: ["noise", "parameter", ...s.observe.map((o) => OBSERVE_NAME[o])], rows, align: ["r", "l", ...s.observe.map(() => "r" as const)] },
    html`Median width of the 95 % profile-likelihood interval over ${s.ids.length} test records (in parentheses: relative to
        the true value), and the records whose profile is flat or open on a side.`,
  );
}

/** The Cramér-Rao bound beside the maximum-likelihood fit's error; none when it was not computed. */
function crb(ctx: ReportContext, results: FitStudyResults): SafeHtml | undefined {
  if (results.crb.length === 0) return undefined;
  const { heading, math, ref, table } = ctx.safe;
  return html`${heading("profiles-crb", "The Cramér-Rao floor")}
<p>For ${sym.rho} and ${sym.l0} the identifiability floor is zero without noise; with noise it is not. The
      Cramér-Rao bound ${math("\\operatorname{Var}\\hat\\theta_j \\ge [F^{-1}]_{jj}")}, with the Fisher information
      ${math("F = J^\\top \\Sigma^{-1} J")} of each record at its true parameters (${math("J")}: the sensitivities
      of the samples to ${math("\\log\\rho")}, ${math("\\log\\ell_0")}, ${math("\\alpha_0")} and the start state;
      ${math("\\Sigma")}: the noise variances), is the smallest variance any unbiased estimator can have on that record.
      ${ref("tab-crb")} puts its root mean over ${results.crb[0].records} test records beside the RMSE of the
      maximum-likelihood fit on the same records and noise draws; an estimator with an RMSE near the bound extracts all
      the information the record holds about the parameter.</p>
${table(
  "tab-crb",
  {
    head: ["observed", "noise", "records", html`${sym.rho}: root mean CRB (1/s²)`, html`${sym.rho}: ML RMSE`, html`${sym.l0}: root mean CRB (m)`, html`${sym.l0}: ML RMSE`],
    rows: crbRows(results.crb),
    align: ["l", "r", "r", "r", "r", "r", "r"],
  },
  "The Cramér-Rao bound of each record (root mean over records) and the error of the maximum-likelihood fit, per noise level.",
)}`;
}

/** The section's HTML (without its own heading). */
export function profilesMarkup(ctx: ReportContext, results: FitStudyResults): SafeHtml {
  const parts = [method(ctx), ...profileFigures(ctx, results), widthsTable(ctx, results), crb(ctx, results)];
  return joinHtml(parts.filter((p) => p !== undefined), "\n");
}

/** {@link profilesMarkup} as a string. */
export function profilesHtml(ctx: ReportContext, results: FitStudyResults): string {
  return profilesMarkup(ctx, results).toString();
}
