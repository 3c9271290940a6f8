/**
 * buildReport: the self-contained HTML report of a study (report/index.html). One file that opens
 * offline in any browser: plotly.js inlined once, every figure as embedded JSON drawn on load,
 * every equation typeset to SVG at build time, no request to any other file or host.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { preset as presetConfig, type DatasetConfig, type TrainingConfig } from "../config";
import { derive, type Derivation } from "../derive/derivation";
import { GaitidError } from "../errors";
import { Progress } from "../progress";
import { environment, sha256File, writeFileAtomic } from "../provenance";
import { ReportContext, type ReportData, type ReportSection, type ReportSectionInsert } from "./context";
import { esc, page } from "./html";
import { readDatasetView, readRun, type RunFiles } from "./runs";
import { defaultSections } from "./sections";
import { walkFigureData } from "./walks";

/** What to build the report from and where to write it. */
export interface BuildReportOptions {
  /** Folder that relative paths are resolved against (default: the current directory). */
  root?: string;
  /** Preset the study ran with (tiny, quick, paper); named in the report, and the fallback training configuration. */
  preset: string;
  /** Dataset folder (made by gaitid generate). */
  datasetDir: string;
  /** Training run folders of both variants (made by gaitid train). */
  runs: { mkl0: string; rhol0: string };
  /** Output file, e.g. report/index.html (written atomically; its folder is created). */
  out: string;
  /**
   * Extra sections (the extension point: an "experiments" section, identifiability sensitivity
   * distributions, ...), each placed before the default section named by `before` (default
   * "limits"). Their figures, tables and equations are numbered with the rest.
   */
  sections?: ReportSectionInsert[];
  /** Data for the extra sections, handed to them as ctx.data.extra. */
  extra?: Record<string, unknown>;
  /** At most this many points per scatter trace (default 2000; an evenly spread subset of the test set). */
  maxPoints?: number;
  /** A derivation computed already (default: derive("xy+grf"), about 15 s). */
  derivation?: Derivation;
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
 * The dataset's configuration from its manifest. Fields added to DatasetConfig after the dataset
 * was made take the preset's values; the fields the report reads must be present and valid.
 */
export function datasetConfigOf(config: unknown, where: string, fallback: DatasetConfig): DatasetConfig {
  if (typeof config !== "object" || config === null) throw new GaitidError(`${where} has no "config" object (the dataset's configuration)`);
  const c = { ...fallback, ...(config as Partial<DatasetConfig>) };
  const range = (name: keyof DatasetConfig): void => {
    const r = c[name] as unknown;
    if (!Array.isArray(r) || r.length !== 2 || !r.every((v) => Number.isFinite(v)) || !(r[0] <= r[1])) {
      throw new GaitidError(`${where}: config.${name} must be a range [lo, hi]; got ${JSON.stringify(r)}`);
    }
  };
  (["m", "k", "l0", "alpha0Deg", "energy"] as const).forEach(range);
  for (const name of ["duration", "dt", "rtol", "atol", "records"] as const) {
    if (!(Number.isFinite(c[name]) && c[name] > 0)) throw new GaitidError(`${where}: config.${name} must be a number > 0; got ${JSON.stringify(c[name])}`);
  }
  return c;
}

function trainingOf(run: RunFiles, fallback: TrainingConfig): TrainingConfig {
  return run.manifest.training ?? fallback;
}

/** The plotly.js bundle (plotly.js-dist), read once. */
function plotlySource(): string {
  const file = require.resolve("plotly.js-dist/plotly.js");
  return fs.readFileSync(file, "utf8");
}

/**
 * Builds the report from a dataset and the two training runs. Resolves to what it wrote. Bad
 * input (unknown preset, a missing or incomplete dataset or run, a run of the wrong variant) is a
 * GaitidError that names it, raised before anything is written.
 */
export async function buildReport(opts: BuildReportOptions): Promise<BuiltReport> {
  const t0 = performance.now();
  const root = opts.root ?? process.cwd();
  const at = (p: string): string => (path.isAbsolute(p) ? p : path.join(root, p));
  const fallback = presetConfig(opts.preset);
  const out = at(opts.out);
  if (!out.endsWith(".html")) throw new GaitidError(`the report must be an .html file; got --out ${opts.out}`);
  const progress = new Progress(5, { unit: "steps", label: "report", quiet: opts.quiet });

  const dataset = readDatasetView(at(opts.datasetDir));
  const datasetConfig = datasetConfigOf(dataset.manifest.config, `${dataset.dir}/manifest.json`, fallback.dataset);
  const runs = { mkl0: readRun(at(opts.runs.mkl0), "mkl0"), rhol0: readRun(at(opts.runs.rhol0), "rhol0") };
  progress.update(1, "read the dataset and the runs");

  const derivation = opts.derivation ?? derive("xy+grf");
  progress.update(2, "derived the equations");
  const walks = walkFigureData(dataset, datasetConfig);
  progress.update(3, "simulated the walks of the figures");

  const data: ReportData = {
    preset: opts.preset,
    paths: { dataset: opts.datasetDir, mkl0: opts.runs.mkl0, rhol0: opts.runs.rhol0 },
    datasetHash: sha256File(path.join(dataset.dir, "manifest.json")),
    dataset,
    datasetConfig,
    runs,
    training: { mkl0: trainingOf(runs.mkl0, fallback.training), rhol0: trainingOf(runs.rhol0, fallback.training) },
    derivation,
    walks,
    maxPoints: opts.maxPoints ?? 2000,
    extra: opts.extra ?? {},
  };
  const ctx = new ReportContext(data);
  const sections = arrangeSections(defaultSections(), opts.sections);
  const parts: string[] = [];
  let n = 0;
  for (const s of sections) {
    const number = s.unnumbered ? "" : String(++n);
    ctx.beginSection(s.id, number);
    const body = await s.render(ctx);
    const heading = `<h2 id="${esc(s.id)}">${number ? `<span class="num">${number}</span>` : ""}${s.title}</h2>`;
    parts.push(s.unnumbered ? `<section class="abstract" aria-labelledby="${esc(s.id)}">${heading}${body}</section>` : `<section>${heading}\n${body}</section>`);
  }
  progress.update(4, "typeset the text and the equations");

  const env = environment();
  const versions = env.versions as Record<string, string | undefined>;
  const toc = sections
    .filter((s) => !s.unnumbered)
    .map((s, i) => `<li><span class="num">${i + 1}</span><a href="#${esc(s.id)}">${s.title}</a></li>`)
    .join("");
  const header = [
    '<header class="title">',
    "<h1>Only the ratio is identifiable: mass, stiffness and leg length from the gait of a spring-mass walker</h1>",
    '<p class="subtitle">A reproduction of “Beyond Convergence: Identifiability of Machine Learning and Deep Learning Models” (arXiv 2307.11332)</p>',
    `<p class="meta">gaitid ${esc(versions.gaitid ?? "")} · preset <b>${esc(opts.preset)}</b> · dataset <code>${esc(opts.datasetDir)}</code> ·
    built ${esc(String(env.date).slice(0, 10))} from commit <code>${esc(String(env.commit ?? "n/a").slice(0, 12))}</code></p>`,
    "</header>",
  ].join("\n");
  const body = ctx.resolve(
    [
      header,
      parts[0],
      `<nav class="toc" aria-label="Contents"><ol>${toc}</ol></nav>`,
      ...parts.slice(1),
      `<footer>Built by <code>gaitid report</code> with Node.js ${esc(process.versions.node)} on ${esc(String(env.platform))}
      in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${ctx.figures.length} figures (plotly.js ${esc(versions["plotly.js-dist"] ?? "")},
      inlined), ${ctx.tex.count} equations typeset to SVG with MathJax at build time. This file makes no network request.</footer>`,
    ].join("\n"),
  );
  const html = page({
    title: `gaitid report (${opts.preset}): identifiability of gait parameters`,
    description: "Identifiability of mass, stiffness and leg length from the centre-of-mass path of Geyer's spring-mass walker.",
    body,
    figures: ctx.figures,
    plotly: plotlySource(),
  });
  writeFileAtomic(out, html);
  const seconds = (performance.now() - t0) / 1000;
  progress.finish(`wrote ${out}`);
  return { path: out, figures: ctx.figures.length, equations: ctx.tex.count, bytes: Buffer.byteLength(html), seconds };
}
