/** Data generation: priors, the gait condition, acceptance, the summary, records and forces. */
import type { DatasetManifest } from "../../dataset/format";
import { grfFigure, recordsFigure } from "../../figures/records";
import type { DatasetResults, StudyResults } from "../../results/study";
import type { ReportContext, ReportSection } from "../context";
import { fixed, fmt, int, percent } from "../format";
import { html, joinHtml, rawValues, type SafeHtml } from "../template";
import { range, sym } from "./common";

/** Why a gait condition was rejected, by the generator's reason. */
const FAILURES = rawValues<string>({
  "no-gait": "no symmetric periodic gait found for the drawn (α<sub>0</sub>, <i>e</i>)",
  unstable: "the gait is too unstable (largest step-map eigenvalue modulus above the bound)",
  flight: "the stance leg reached ℓ<sub>0</sub> in single support (a flight phase: running)",
  fallback: "the front leg reached ℓ<sub>0</sub> first in double support (falling back)",
  fall: "the CoM fell below ℓ<sub>0</sub>/2",
  backward: "the forward speed reached zero",
});

/** Units of the columns of summary.csv. */
const SUMMARY_UNITS = rawValues<string>({
  m: "kg", k: "N/m", l0: "m", rho: "1/s<sup>2</sup>", alpha0: "°", e: "J/kg", y0: "m", vx0: "m/s", speed: "m/s", steps: "",
});
/** Names of the columns of summary.csv. */
const SUMMARY_NAMES = rawValues<string>({
  m: "mass <i>m</i>", k: "stiffness <i>k</i>", l0: "rest length <i>ℓ</i><sub>0</sub>", rho: "<i>ρ</i> = <i>k</i>/<i>m</i>",
  alpha0: "angle of attack <i>α</i><sub>0</sub>", e: "specific energy <i>e</i>", y0: "VLO height <i>y</i><sub>0</sub>",
  vx0: "VLO speed <i>ẋ</i><sub>0</sub>", speed: "mean speed", steps: "touchdowns per record",
});

/** How a record is made, and the table of the priors. */
function generation(ctx: ReportContext, man: DatasetManifest): SafeHtml {
  const d = man.config;
  const splits = man.splits ?? { train: Number.NaN, val: Number.NaN, test: Number.NaN };
  return html`<p>Each record is one subject walking for ${fmt(d.duration)} s, sampled every ${fmt(d.dt)} s
      (${int(man.samples)} samples of (<i>x</i>, <i>y</i>) in metres). The subject's ${sym.m}, ${sym.k} and ${sym.l0} are drawn
      from the priors of the paper (${ctx.safe.ref("tab-priors")}) and never redrawn. The gait condition, the angle of attack
      <i>α</i><sub>0</sub> and the specific energy <i>e</i>, is drawn per unit mass and independently of ${sym.m} and ${sym.k}: a
      condition stated in joules or newtons would carry information about ${sym.m} or ${sym.k} into the initial state and
      let a network partly recover them for a reason that has nothing to do with the mechanics. From the condition the
      generator finds a symmetric periodic gait (a walk that returns to vertical leg orientation with <i>ẏ</i> = 0) and
      keeps the record only if it walks for the whole ${fmt(d.duration)} s.</p>
${ctx.safe.table(
  "tab-priors",
  {
    head: ["quantity", "distribution", "unit", "role"],
    align: ["l", "l", "l", "l"],
    rows: [
      [SUMMARY_NAMES.m, html`uniform ${range(d.m)}`, "kg", "subject"],
      [SUMMARY_NAMES.k, html`uniform ${range(d.k)}`, "N/m", "subject"],
      [SUMMARY_NAMES.l0, html`uniform ${range(d.l0)}`, "m", "subject"],
      [SUMMARY_NAMES.alpha0, html`uniform ${range(d.alpha0Deg)}`, "°", "gait condition"],
      [SUMMARY_NAMES.e, html`uniform ${range(d.energy)} × <i>g</i> ℓ<sub>0</sub>`, "J/kg", "gait condition"],
    ],
  },
  html`Priors of the subjects and the gait conditions (from the dataset's configuration). Records: ${int(d.records)}, split
        ${int(splits.train)} / ${int(splits.val)} / ${int(splits.test)} into training, validation and test; seed ${d.seed}.`,
)}`;
}

/** The gait condition in the generator's words (manifest.json, gaitCondition), when the manifest has it. */
function gaitCondition(man: DatasetManifest): SafeHtml | undefined {
  const gc = man.gaitCondition;
  if (!gc) return undefined;
  return html`<p>In the words of the generator (<code>manifest.json</code>, <code>gaitCondition</code>):</p>
<ul>${Object.entries(gc).map(([k, v]) => html`<li><i>${k}:</i> ${v}</li>`)}</ul>`;
}

/** How many gait conditions were tried and why the others were rejected, when the manifest has it. */
function acceptance(ctx: ReportContext, man: DatasetManifest): SafeHtml | undefined {
  const acc = man.acceptance;
  if (!acc) return undefined;
  // From the manifest as written (the preset's default would misreport an older dataset).
  const bound = man.config.maxModulus;
  const rows = Object.entries(acc.failures).map(([reason, n]) => [FAILURES[reason] ?? reason, int(n), percent(n / acc.attempts)]);
  rows.push([html`<b>accepted: walked the whole record</b>`, html`<b>${int(acc.accepted)}</b>`, html`<b>${percent(acc.rate)}</b>`]);
  return html`<p>Of ${int(acc.attempts)} gait conditions tried, ${int(acc.accepted)} gave a walking record (${percent(acc.rate)});
        ${ctx.safe.ref("tab-acceptance")} lists why the others were rejected. A rejected condition is redrawn for the same subject.${
          typeof bound === "number" && html` The bound on the step-map eigenvalue modulus is ${fmt(bound)}.`
        }</p>
${ctx.safe.table("tab-acceptance", { head: ["outcome of a gait condition", "count", "share"], rows }, "Acceptance of the gait conditions.")}`;
}

/** The table of summary.csv, when the dataset has one. */
function summaryTable(ctx: ReportContext, dataset: DatasetResults): SafeHtml | undefined {
  const s = dataset.summary;
  if (!s) return undefined;
  const stats = ["count", "mean", "std", "min", "max"].filter((x) => s.index.includes(x));
  const col = (name: string): number => s.columns.indexOf(name);
  const rows = s.columns.map((c) => {
    const values = stats.map((st) => s.values[s.index.indexOf(st)][col(c)]);
    // One number of decimals per row, from the row's magnitude: the columns align.
    const top = Math.max(...values.slice(1).map(Math.abs).filter(Number.isFinite));
    const decimals = Math.min(5, Math.max(0, 3 - Math.floor(Math.log10(top || 1))));
    return [SUMMARY_NAMES[c] ?? c, SUMMARY_UNITS[c] ?? "", ...values.map((v, j) => (stats[j] === "count" ? int(v) : fixed(v, decimals)))];
  });
  return ctx.safe.table(
    "tab-summary",
    { head: ["parameter", "unit", ...stats], rows, align: ["l", "l", ...stats.map(() => "r" as const)] },
    html`Summary of the parameters of all ${int(dataset.manifest.config.records)} records (<code>summary.csv</code>, danfojs <code>describe</code>).`,
  );
}

/** Three test records and a stride's ground reaction force, re-simulated. */
function records(ctx: ReportContext, walks: StudyResults["walks"], dt: number): SafeHtml {
  const { ref, figure } = ctx.safe;
  return html`<p>${ref("fig-records")} shows three test records, those at the 10th, 50th and 90th percentile of ${sym.rho}, and
      ${ref("fig-grf")} the vertical ground reaction force of one leg over a stride: the double hump of walking, a first
      peak after touchdown and a second before lift-off with a dip at mid-stance. Both figures re-simulate the records from
      their rows of <code>params.csv</code> with a ${fmt(walks.fineDt)} s sampling interval; at the dataset's sample times the
      re-simulated (<i>x</i>, <i>y</i>) agree with <code>X.npy</code> to ${fmt(walks.reproductionError, 2)} m (the storage is float32).</p>
${figure(
  "fig-records",
  recordsFigure(walks.records),
  html`Synthetic records of three test subjects: (a) horizontal position, (b) height of the CoM over time with the samples
        every ${fmt(dt)} s that the network sees, (c) the CoM path; touchdowns ▼ and lift-offs ▲ marked.`,
)}
${figure(
  "fig-grf",
  grfFigure(walks.grf),
  html`Vertical ground reaction force over one stride, from the touchdown of a leg to its next touchdown, in newtons: that
        leg's force <i>k</i>(ℓ<sub>0</sub> − <i>l</i>) <i>y</i>/<i>l</i> (solid), the sum over both legs (dotted) and the body
        weight <i>m g</i> (dashed). The force scales with ${sym.m} at fixed ${sym.rho}: observing it would identify ${sym.m}.`,
)}`;
}

/** How long the generation took, when the manifest records it. */
function timings(man: DatasetManifest): SafeHtml | undefined {
  const t = man.timings;
  if (t?.generateSeconds === undefined) return undefined;
  return html`<p>Generation took ${fmt(t.generateSeconds)} s (${fmt(t.recordsPerSecond)} records per second) on
        ${int(man.workers ?? Number.NaN)} worker threads.</p>`;
}

export const data: ReportSection = {
  id: "data",
  title: "Data generation",
  render(ctx) {
    const { dataset, walks } = ctx.results;
    const man = dataset.manifest;
    const parts = [
      generation(ctx, man),
      gaitCondition(man),
      acceptance(ctx, man),
      summaryTable(ctx, dataset),
      records(ctx, walks, man.config.dt),
      timings(man),
    ];
    return joinHtml(parts.filter((p) => p !== undefined), "\n").toString();
  },
};
