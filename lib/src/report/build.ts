/**
 * buildReport: the self-contained HTML report of a study (report/index.html). One file that opens
 * offline in any browser: plotly.js inlined once, every figure as embedded JSON drawn on load,
 * every equation typeset to SVG at build time, no request to any other file or host.
 */
import { GaitidError } from "../errors";
import { Progress } from "../progress";
import { environment, writeFileAtomic } from "../provenance";
import type { StudyResults } from "../results/study";
import { ReportContext, type ReportSection, type ReportSectionInsert } from "./context";
import { page, plotlyBundleFor } from "./html";
import { escapeHtml } from "./template";
import { SECTION_CSS } from "./template";
import { defaultSections } from "./sections";
import { experimentSections } from "./sections/experiments";
import { profileSections } from "./sections/profiles-section";

/** Where to write the report and what to add to it. */
export interface BuildReportOptions {
  /** Output file, e.g. report/index.html (written atomically; its folder is created). */
  out: string;
  /**
   * Extra sections (the extension point), each placed before the default section named by
   * `before` (default "limits"). Their figures, tables and equations are numbered with the rest.
   * The experiments' sections are added from the results without being named here.
   */
  sections?: ReportSectionInsert[];
  /** No progress lines. */
  quiet?: boolean;
}

/** What buildReport wrote. */
export interface BuiltReport {
  /** Absolute path of the HTML file. */
  path: string;
  /** Number of figures in it. */
  figures: number;
  /** Number of equations typeset to SVG. */
  equations: number;
  /** Size of the file, bytes. */
  bytes: number;
  /** Build time, s. */
  seconds: number;
}

/** The section list: the defaults with the inserts placed before their anchors. */
export function arrangeSections(defaults: readonly ReportSection[], inserts: readonly ReportSectionInsert[] = []): ReportSection[] {
  const out = [...defaults];
  for (const ins of inserts) {
    const before = ins.before ?? "limits";
    const i = out.findIndex((s) => s.id === before);
    if (i < 0) throw new GaitidError(`a report section can be placed before one of ${out.map((s) => s.id).join(", ")}; got before "${before}"`);
    if (out.some((s) => s.id === ins.section.id)) throw new GaitidError(`the report already has a section "${ins.section.id}"`);
    out.splice(i, 0, ins.section);
  }
  return out;
}

/**
 * Builds the report of a study's results (read by results/read.ts from a study's folders or a
 * published bundle). Presents only: no derivation, simulation or training happens here. Resolves
 * to what it wrote.
 */
export async function buildReport(results: StudyResults, opts: BuildReportOptions): Promise<BuiltReport> {
  const t0 = performance.now();
  const out = opts.out;
  if (!out.endsWith(".html")) throw new GaitidError(`the report must be an .html file; got --out ${opts.out}`);
  const progress = new Progress(2, { unit: "steps", label: "report", quiet: opts.quiet });
  const ctx = new ReportContext(results, { fontCache: "global" });
  const sections = arrangeSections(defaultSections(), [...experimentSections(results.experiments, results.preset), ...profileSections(results), ...(opts.sections ?? [])]);
  const parts: string[] = [];
  let n = 0;
  for (const s of sections) {
    const number = s.unnumbered ? "" : String(++n);
    ctx.beginSection(s.id, number);
    const body = await s.render(ctx);
    const heading = `<h2 id="${escapeHtml(s.id)}">${number ? `<span class="num">${number}</span>` : ""}${s.title}</h2>`;
    parts.push(s.unnumbered ? `<section class="abstract" aria-labelledby="${escapeHtml(s.id)}">${heading}${body}</section>` : `<section>${heading}\n${body}</section>`);
  }
  progress.update(1, "typeset the text and the equations");

  const env = environment();
  const plotly = plotlyBundleFor(ctx.figures);
  const versions = env.versions as Record<string, string | undefined>;
  const toc = sections
    .filter((s) => !s.unnumbered)
    .map((s, i) => `<li><span class="num">${i + 1}</span><a href="#${escapeHtml(s.id)}">${s.title}</a></li>`)
    .join("");
  const header = [
    '<header class="title">',
    "<h1>Leg length and the ratio k/m are identifiable, mass and stiffness are not: the gait of a spring-mass walker</h1>",
    '<p class="subtitle">A reproduction of “Beyond Convergence: Identifiability of Machine Learning and Deep Learning Models” (arXiv 2307.11332)</p>',
    `<p class="meta">gaitid ${escapeHtml(versions.gaitid ?? "")} · preset <b>${escapeHtml(results.preset)}</b> · dataset <code>${escapeHtml(results.paths.dataset)}</code> ·
    built ${escapeHtml(String(env.date).slice(0, 10))} from commit <code>${escapeHtml(String(env.commit ?? "n/a").slice(0, 12))}</code></p>`,
    "</header>",
  ].join("\n");
  const content = ctx.resolve(
    [
      header,
      parts[0],
      `<nav class="toc" aria-label="Contents"><ol>${toc}</ol></nav>`,
      ...parts.slice(1),
      `<footer>Built by <code>gaitid report</code> with Node.js ${escapeHtml(process.versions.node)} on ${escapeHtml(String(env.platform))}
      in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${ctx.figures.length} figures (plotly.js ${escapeHtml(plotly.version)}, ${escapeHtml(plotly.package)},
      inlined), ${ctx.tex.count} equations typeset to SVG with MathJax at build time. This file makes no network request.</footer>`,
    ].join("\n"),
  );
  // The glyphs (and the drawing of any repeated formula whose first SVG the page lacks), once.
  const body = `${content}\n${ctx.tex.defs(content)}`;
  const html = page({
    title: `gaitid report (${results.preset}): identifiability of gait parameters`,
    description: "Identifiability of mass, stiffness and leg length from the centre-of-mass path of Geyer's spring-mass walker.",
    body,
    figures: ctx.figures,
    plotly: plotly.source,
    css: SECTION_CSS,
  });
  writeFileAtomic(out, html);
  const seconds = (performance.now() - t0) / 1000;
  progress.finish(`wrote ${out}`);
  return { path: out, figures: ctx.figures.length, equations: ctx.tex.count, bytes: Buffer.byteLength(html), seconds };
}
