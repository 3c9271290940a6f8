/**
 * HTML building blocks of the report: tables, the style sheet, the
 * plotly.js bundle to inline and the page shell that inlines it once and draws every figure from
 * embedded JSON.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileAtomic } from "../provenance";
import { escapeHtml, type SafeHtml } from "./template";

/** Markup of a table cell: a string of HTML as it is, or SafeHtml (a number format of format.ts). */
export type CellMarkup = string | SafeHtml;

/** A table: header cells and rows of HTML cells (markup, not escaped); numeric columns are right-aligned. */
export interface TableSpec {
  head: CellMarkup[];
  rows: CellMarkup[][];
  /** Per column: "l", "r" or "c" (default: "l" for the first column, "r" for the others). */
  align?: ("l" | "r" | "c")[];
  /** Extra class on the table element. */
  className?: string;
}

/** The <table> of a spec (without caption). */
export function tableHtml(t: TableSpec, caption = ""): string {
  const align = (j: number): string => {
    const a = t.align?.[j] ?? (j === 0 ? "l" : "r");
    return a === "l" ? "" : ` class="${a === "r" ? "num" : "ctr"}"`;
  };
  return [
    `<table${t.className ? ` class="${t.className}"` : ""}>`,
    caption,
    "<thead><tr>",
    ...t.head.map((h, j) => `<th${align(j)}>${h}</th>`),
    "</tr></thead><tbody>",
    ...t.rows.map((r) => `<tr>${r.map((c, j) => `<td${align(j)}>${c}</td>`).join("")}</tr>`),
    "</tbody></table>",
  ].join("");
}

/**
 * The style sheet: a paper-like page (serif text, numbered captions, booktabs-style tables). In
 * print (the browser's, or printPdf): no figure, table or equation split across pages, headings
 * kept with what follows, plotly's buttons hidden; text in a `screen-only` element (e.g. "press
 * Play") is left out and text in a `print-only` element shown instead.
 */
export const CSS = `
:root { --ink: #1a1a1a; --muted: #5c5c5c; --rule: #1a1a1a; --faint: #e6e6e6; --accent: #0072B2; --measure: 46rem; }
* { box-sizing: border-box; }
html { font-size: 17px; -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fdfdfb; font-family: Charter, "Bitstream Charter", "Sitka Text", Cambria, Georgia, "DejaVu Serif", serif; line-height: 1.55; font-variant-numeric: oldstyle-nums; hyphens: auto; }
article { max-width: 62rem; margin: 0 auto; padding: 3rem 2rem 5rem; background: #fff; box-shadow: 0 0 0 1px #eee; }
article > header, article p, article ul, article ol, article h2, article h3, .prose, nav.toc { max-width: var(--measure); margin-left: auto; margin-right: auto; }
header.title { text-align: center; margin-bottom: 2.2rem; }
header.title h1 { font-size: 1.85rem; line-height: 1.25; font-weight: 600; margin: 0 0 .6rem; letter-spacing: -0.005em; }
header.title .subtitle { font-size: 1.05rem; font-style: italic; color: var(--muted); margin: 0 0 .8rem; }
header.title p { text-align: center; }
header.title .meta { font-size: .85rem; color: var(--muted); font-variant-numeric: lining-nums; }
.abstract { max-width: 40rem; margin: 0 auto 2rem; font-size: .95rem; }
.abstract h2 { font-size: .85rem; text-transform: uppercase; letter-spacing: .12em; text-align: center; margin: 0 0 .4rem; }
h2 { font-size: 1.3rem; font-weight: 600; margin-top: 2.6rem; margin-bottom: .6rem; border-bottom: 1px solid var(--faint); padding-bottom: .2rem; }
h3 { font-size: 1.06rem; font-weight: 600; font-style: italic; margin-top: 1.8rem; margin-bottom: .3rem; }
h2 .num, h3 .num { font-style: normal; margin-right: .6em; color: var(--muted); font-variant-numeric: lining-nums; }
p { margin: .55rem auto; text-align: justify; }
sup, sub { line-height: 0; }
pre.command { max-width: var(--measure); margin: .6rem auto; white-space: pre-wrap; word-break: break-all; background: #f7f7f5; padding: .5rem .8rem; border-left: 2px solid var(--faint); }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
code, .mono { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .8em; font-variant-numeric: normal; }
nav.toc { font-size: .92rem; margin-bottom: 2rem; columns: 2; column-gap: 2.5rem; }
nav.toc ol { list-style: none; padding: 0; margin: 0; }
nav.toc li { margin: .1rem 0; break-inside: avoid; }
nav.toc .num { display: inline-block; min-width: 1.6em; color: var(--muted); font-variant-numeric: lining-nums; }
figure { margin: 1.8rem 0; padding: 0; break-inside: avoid; }
figure .plot { width: 100%; }
figcaption { max-width: var(--measure); margin: .4rem auto 0; font-size: .88rem; line-height: 1.45; text-align: justify; }
figcaption .label, caption .label { font-weight: 600; font-variant: small-caps; letter-spacing: .03em; margin-right: .35em; }
table { border-collapse: collapse; margin: 1.4rem auto; font-size: .88rem; font-variant-numeric: lining-nums tabular-nums; border-top: 1.5px solid var(--rule); border-bottom: 1.5px solid var(--rule); }
caption { caption-side: top; text-align: left; font-size: .88rem; padding-bottom: .45rem; line-height: 1.4; }
thead th { border-bottom: .75px solid var(--rule); font-weight: 600; }
th, td { padding: .28rem .75rem; vertical-align: baseline; text-align: left; }
th.num, td.num { text-align: right; }
th.ctr, td.ctr { text-align: center; }
tbody tr.group td { border-top: .5px solid #bbb; }
td.key { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .78rem; color: #333; }
td.val { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .78rem; word-break: break-all; }
table.manifest { max-width: 100%; width: 100%; table-layout: fixed; }
table.manifest td:first-child { width: 34%; }
.eq { display: block; text-align: center; margin: .8rem auto; overflow-x: auto; overflow-y: hidden; max-width: 100%; }
.eq svg { max-width: 100%; height: auto; }
.eq-heading { max-width: var(--measure); margin: .6rem auto 0; font-style: italic; font-size: .95rem; }
.step { max-width: var(--measure); margin: 0 auto; }
svg[role="img"] { overflow: visible; }
svg[role="img"][aria-label] { fill: currentColor; stroke: currentColor; stroke-width: 0; }
details { max-width: var(--measure); margin: .6rem auto; font-size: .9rem; }
details summary { cursor: pointer; color: var(--muted); }
details pre { font-size: .74rem; line-height: 1.35; background: #f7f7f5; padding: .7rem .9rem; overflow-x: auto; border-left: 2px solid var(--faint); }
.note { max-width: var(--measure); margin: 1rem auto; padding: .6rem .9rem; border-left: 3px solid #E69F00; background: #fffaf0; font-size: .92rem; }
.check-ok { color: #007a55; }
.check-bad { color: #b00020; font-weight: 600; }
footer { max-width: var(--measure); margin: 3rem auto 0; font-size: .8rem; color: var(--muted); border-top: 1px solid var(--faint); padding-top: .6rem; }
@media (max-width: 700px) { article { padding: 1.2rem .8rem 3rem; } nav.toc { columns: 1; } p { text-align: left; } }
.print-only { display: none; }
@media print {
  .screen-only { display: none !important; }
  .print-only { display: inline; }
  html { font-size: 14px; }
  body { background: #fff; }
  article { box-shadow: none; max-width: none; padding: 0; }
  figure, table, .eq, pre, details, .note, header.title { break-inside: avoid; }
  h2, h3, .eq-heading, caption { break-after: avoid; }
  figcaption { break-before: avoid; }
  p { orphans: 3; widows: 3; }
  .eq { overflow: visible; }
  .modebar, .updatemenu-container, .slider-container { display: none !important; }
}
`;

/** One embedded figure for the page script. */
export interface EmbeddedFigure {
  id: string;
  data: unknown[];
  layout: Record<string, unknown>;
  frames?: unknown[];
}

/** JSON for a <script> element: no "</script", no "<!--" (every "<" escaped). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/**
 * Steps across a numeric array's range that its numbers keep when a figure is written into a page
 * (see {@link compactFigureNumbers}): 10 000, finer than a pixel even with the plot zoomed tenfold,
 * and as fine as the hover labels print (at most four significant digits of a value, or four
 * decimals of a height whose range is a few centimetres).
 */
export const FIGURE_NUMBER_STEPS = 1e4;

/**
 * A figure's numbers without the digits nobody can see: each array of numbers (and nulls, plotly's
 * gaps) is rounded to the decimal digit that resolves 1/{@link FIGURE_NUMBER_STEPS} of its range
 * (of its largest magnitude when all its numbers are equal); integer parts are never rounded, and
 * numbers outside such arrays (sizes, single values) are kept as they are. The simulated and
 * predicted values carry 16 digits, of which a plot shows 3 or 4: rounding them more than halves
 * the figures' JSON in the report and the notebooks. Returns a new value; the input is not changed.
 */
export function compactFigureNumbers<T>(value: T, steps = FIGURE_NUMBER_STEPS): T {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return roundArray(Array.from(value as unknown as ArrayLike<number>), steps) as T;
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every((v) => v === null || typeof v === "number")) return roundArray(value as (number | null)[], steps) as T;
    return value.map((v) => compactFigureNumbers(v, steps)) as T;
  }
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, compactFigureNumbers(v, steps)])) as T;
  }
  return value;
}

function roundArray(values: readonly (number | null)[], steps: number): (number | null)[] {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi >= lo)) return [...values];
  const range = hi > lo ? hi - lo : Math.max(Math.abs(lo), Math.abs(hi));
  if (range === 0) return [...values];
  // toFixed takes 0-100 digits; beyond 15 decimals nothing of a double's 16 digits would be dropped anyway.
  const decimals = Math.min(15, Math.max(0, Math.ceil(-Math.log10(range / steps))));
  return values.map((v) => (v === null || !Number.isFinite(v) ? v : Number(v.toFixed(decimals))));
}

/** Arrays shorter than this are written where they are used, even when repeated. */
export const SHARED_ARRAY_MIN_LENGTH = 16;

/** Figures whose repeated arrays are written once: see {@link shareFigureArrays}. */
export interface SharedFigureArrays<T> {
  /** The figures, each repeated array replaced by {"$array": index into `arrays`}. */
  figures: T;
  /** The arrays written once. */
  arrays: (number | null)[][];
}

/**
 * Writes each array of numbers that the figures hold more than once (and that has at least
 * {@link SHARED_ARRAY_MIN_LENGTH} entries) once: the true values that are the x of several traces,
 * a time axis under x(t) and y(t), the same predictions in two figures. Each use becomes
 * {"$array": i}, which {@link RESOLVE_ARRAYS} puts back in the page before plotly draws; nothing is
 * lost. Apply after {@link compactFigureNumbers}, so that arrays equal once rounded are shared.
 */
export function shareFigureArrays<T>(value: T, minLength = SHARED_ARRAY_MIN_LENGTH): SharedFigureArrays<T> {
  const isNumbers = (v: unknown): v is (number | null)[] => Array.isArray(v) && v.length >= minLength && v.every((x) => x === null || typeof x === "number");
  const seen = new Map<string, number>();
  const walk = (v: unknown, visit: (a: (number | null)[]) => unknown): unknown => {
    if (isNumbers(v)) return visit(v);
    if (Array.isArray(v)) return v.map((x) => walk(x, visit));
    if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, visit)]));
    return v;
  };
  walk(value, (a) => seen.set(JSON.stringify(a), (seen.get(JSON.stringify(a)) ?? 0) + 1));
  const arrays: (number | null)[][] = [];
  const index = new Map<string, number>();
  const figures = walk(value, (a) => {
    const key = JSON.stringify(a);
    if ((seen.get(key) ?? 0) < 2) return a;
    if (!index.has(key)) index.set(key, arrays.push(a) - 1);
    return { $array: index.get(key) };
  }) as T;
  return { figures, arrays };
}

/**
 * A browser function `gaitidResolveArrays(value, arrays)`: the value with each {"$array": i} of
 * {@link shareFigureArrays} replaced by a copy of arrays[i] (each trace gets its own array).
 */
export const RESOLVE_ARRAYS = `function gaitidResolveArrays(v, arrays) {
  if (Array.isArray(v)) return v.map(function (x) { return gaitidResolveArrays(x, arrays); });
  if (v === null || typeof v !== "object") return v;
  if (typeof v.$array === "number" && Object.keys(v).length === 1) return arrays[v.$array].slice();
  var out = {};
  Object.keys(v).forEach(function (k) { out[k] = gaitidResolveArrays(v[k], arrays); });
  return out;
}`;

/** Makes a JavaScript source safe to inline in a <script> element. */
export function inlineScript(source: string): string {
  return source.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
}

/**
 * Which plotly.js to inline. "basic" is the plotly project's own minified partial bundle
 * (plotly.js-basic-dist-min, about 1.2 MB): the scatter, bar and pie traces with everything the
 * figures use around them (subplots, annotations, shapes, log and category axes, animation frames,
 * buttons and sliders). "full" is plotly.js-dist (every trace type), minified with esbuild: about
 * 4.6 MB.
 */
export type PlotlyKind = "basic" | "full";

/** The trace types the basic bundle draws; any other needs the full one. */
export const BASIC_TRACE_TYPES: readonly string[] = ["scatter", "bar", "pie"];

/** A plotly.js bundle to inline and where it came from. */
export interface PlotlyBundle {
  kind: PlotlyKind;
  /** JavaScript source that defines window.Plotly. */
  source: string;
  /** plotly.js version. */
  version: string;
  /** npm package the source came from (plotly.js-basic-dist-min or plotly.js-dist). */
  package: string;
  /** Whether the source is minified (always for "basic"; for "full" unless esbuild is missing). */
  minified: boolean;
  /** File the source was read from. */
  file: string;
}

const bundles = new Map<PlotlyKind, PlotlyBundle>();

/** The plotly.js bundle of a kind, read once per process. */
export function plotlyBundle(kind: PlotlyKind = "basic"): PlotlyBundle {
  let b = bundles.get(kind);
  if (!b) {
    b = kind === "basic" ? basicBundle() : fullBundle();
    bundles.set(kind, b);
  }
  return b;
}

/** The smaller kind of bundle that draws every trace of these figures (frames included). */
export function plotlyKindFor(figures: readonly { data: readonly unknown[]; frames?: readonly unknown[] }[]): PlotlyKind {
  return figures.every((f) => traceTypesOf(f).every((t) => BASIC_TRACE_TYPES.includes(t))) ? "basic" : "full";
}

/** The smallest bundle that draws every trace of these figures: what a page of them inlines. */
export function plotlyBundleFor(figures: readonly { data: readonly unknown[]; frames?: readonly unknown[] }[]): PlotlyBundle {
  return plotlyBundle(plotlyKindFor(figures));
}

/** The trace types of a figure and of its frames; a trace without a type is plotly's default, scatter. */
export function traceTypesOf(fig: { data: readonly unknown[]; frames?: readonly unknown[] }): string[] {
  const types = new Set<string>();
  const add = (t: unknown): void => void types.add(typeof t === "object" && t !== null && typeof (t as { type?: unknown }).type === "string" ? (t as { type: string }).type : "scatter");
  fig.data.forEach(add);
  for (const f of fig.frames ?? []) {
    // A frame's partial traces inherit the type of the trace they update: only explicit types count.
    for (const t of (f as { data?: unknown[] }).data ?? []) if (typeof t === "object" && t !== null && "type" in t) add(t);
  }
  return [...types];
}

function packageVersion(file: string): string {
  return (JSON.parse(fs.readFileSync(path.join(path.dirname(file), "package.json"), "utf8")) as { version: string }).version;
}

function basicBundle(): PlotlyBundle {
  const file = require.resolve("plotly.js-basic-dist-min/plotly-basic.min.js");
  return { kind: "basic", source: fs.readFileSync(file, "utf8"), version: packageVersion(file), package: "plotly.js-basic-dist-min", minified: true, file };
}

/**
 * plotly.js-dist: the original bundle is 10 MB; it is minified with esbuild (present as a
 * development dependency) once per plotly version into node_modules/.cache/gaitid/ and read from
 * there afterwards; without esbuild, or if minifying fails, the original is used.
 */
function fullBundle(): PlotlyBundle {
  const file = require.resolve("plotly.js-dist/plotly.js");
  const version = packageVersion(file);
  const base = { kind: "full" as const, version, package: "plotly.js-dist" };
  const cache = path.join(path.dirname(path.dirname(file)), ".cache", "gaitid", `plotly-${version}.min.js`);
  if (fs.existsSync(cache)) return { ...base, source: fs.readFileSync(cache, "utf8"), minified: true, file: cache };
  const original = fs.readFileSync(file, "utf8");
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const esbuild = require("esbuild") as { transformSync(src: string, o: Record<string, unknown>): { code: string } };
    const code = esbuild.transformSync(original, { minify: true, legalComments: "inline", charset: "utf8" }).code;
    // The header names the version (the bundle's own comment is dropped by minification).
    const source = `/*! plotly.js v${version} (plotly.js-dist, MIT license), minified with esbuild */\n${code}`;
    fs.mkdirSync(path.dirname(cache), { recursive: true });
    writeFileAtomic(cache, source);
    return { ...base, source, minified: true, file: cache };
  } catch {
    return { ...base, source: original, minified: false, file };
  }
}

/**
 * The script that draws every embedded figure with plotly and marks it rendered. It also gives
 * the page `window.gaitidReport`: `forPrint()` puts every animation at its first frame, removes
 * its play buttons and slider, fits every figure to the current width and turns each marker's
 * opacity into fill and stroke opacity (a PDF draws that as one path, not as a transparency
 * group); printPdf calls it before printing. `firstFrames()` is the first part alone: what the
 * browser's own print dialog gets, the buttons being hidden by the print style sheet.
 */
export const DRAW_FIGURES = `
(function () {
  ${RESOLVE_ARRAYS}
  var shared = document.getElementById("gaitid-arrays");
  var specs = gaitidResolveArrays(JSON.parse(document.getElementById("gaitid-figures").textContent), shared ? JSON.parse(shared.textContent) : []);
  var config = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ["select2d", "lasso2d"], toImageButtonOptions: { format: "svg" } };
  var drawn = specs.map(function (s) {
    var el = document.getElementById(s.id);
    return Plotly.newPlot(el, { data: s.data, layout: s.layout, frames: s.frames || [], config: config }).then(function () {
      el.setAttribute("data-rendered", "true");
    });
  });
  Promise.all(drawn).then(
    function () { document.body.setAttribute("data-figures-rendered", String(specs.length)); },
    function (err) { console.error("gaitid report: a figure failed to render:", err); }
  );
  var animated = specs.filter(function (s) { return s.frames && s.frames.length > 0; });
  function firstFrames() {
    return Promise.all(animated.map(function (s) {
      var still = { mode: "immediate", frame: { duration: 0, redraw: true }, transition: { duration: 0 } };
      return Plotly.animate(document.getElementById(s.id), [s.frames[0].name], still);
    }));
  }
  // A marker drawn with opacity is a transparency group in a PDF, one object per point (10 000 of
  // them make a 10 MB file); the same colour as fill and stroke opacity is one path.
  function flattenOpacity() {
    document.querySelectorAll("figure .plot path.point").forEach(function (p) {
      var o = parseFloat(p.style.opacity);
      if (!(o < 1)) return;
      ["fill-opacity", "stroke-opacity"].forEach(function (k) {
        var v = parseFloat(p.style.getPropertyValue(k));
        p.style.setProperty(k, String((isNaN(v) ? 1 : v) * o));
      });
      p.style.opacity = "1";
    });
  }
  function forPrint() {
    return firstFrames().then(function () {
      return Promise.all(animated.map(function (s) { return Plotly.relayout(document.getElementById(s.id), { updatemenus: [], sliders: [] }); }));
    }).then(function () {
      return Promise.all(specs.map(function (s) { return Plotly.Plots.resize(document.getElementById(s.id)); }));
    }).then(flattenOpacity);
  }
  window.gaitidReport = { figures: specs.length, firstFrames: firstFrames, forPrint: forPrint };
  window.addEventListener("beforeprint", firstFrames);
})();
`;

/**
 * The whole page. `body` is the article's inner HTML; plotly.js is inlined once. The figures are
 * embedded as JSON (numbers rounded by {@link compactFigureNumbers}, repeated arrays written once
 * by {@link shareFigureArrays}) and drawn by {@link DRAW_FIGURES}.
 */
export function page(opts: { title: string; body: string; figures: EmbeddedFigure[]; plotly: string; description?: string; /** Style added after the report's style sheet. */ css?: string }): string {
  const { figures, arrays } = shareFigureArrays(compactFigureNumbers(opts.figures));
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(opts.title)}</title>`,
    opts.description ? `<meta name="description" content="${escapeHtml(opts.description)}">` : "",
    // Nothing may leave the file: no request to any host, not even for a favicon.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:; connect-src 'none'">`,
    '<link rel="icon" href="data:,">',
    `<style>${CSS}${opts.css ?? ""}</style>`,
    "</head>",
    "<body>",
    `<article>${opts.body}</article>`,
    `<script>${inlineScript(opts.plotly)}</script>`,
    `<script type="application/json" id="gaitid-arrays">${scriptJson(arrays)}</script>`,
    `<script type="application/json" id="gaitid-figures">${scriptJson(figures)}</script>`,
    `<script>${DRAW_FIGURES}</script>`,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
