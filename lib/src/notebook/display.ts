/**
 * Rich output for the notebooks, as HTML strings a kernel displays (tslab: display.html(...)).
 * Pure of any kernel: the library builds the HTML, the notebook shows it, a test can read it.
 *
 * plotly figures: the first figure of a kernel session carries plotly.js (plotly's minified basic
 * bundle, 1.2 MB, enough for scatter and bar traces; the full plotly.js-dist only once a figure
 * needs another trace type), later ones call Plotly.newPlot on it; nothing is fetched, so the
 * figures draw offline in JupyterLab and in the HTML that nbconvert exports. Equations are typeset to SVG at
 * display time (MathJax, the report's TexRenderer), so they need no MathJax in the page either.
 */
import { randomBytes } from "node:crypto";
import type { Derivation } from "../derive/derivation";
import { inlineLatex } from "../derive/render";
import type { ParameterSummary } from "../dataset/summary";
import type { Figure } from "../figures/types";
import { ReportContext } from "../report/context";
import { fmt } from "../report/format";
import { compactFigureNumbers, inlineScript, plotlyBundle, plotlyKindFor, RESOLVE_ARRAYS, scriptJson, shareFigureArrays, tableHtml, type PlotlyKind, type TableSpec } from "../report/html";
import { escapeHtml, raw, type SafeHtml } from "../report/template";
import { stepBody } from "../report/sections/derivation";

export { plotlyBundle, plotlyBundleFor, plotlyKindFor, type PlotlyBundle, type PlotlyKind } from "../report/html";

/** Per kernel session: which plotly.js was emitted already (none yet: undefined), and a prefix for element ids. */
const session: { plotly: PlotlyKind | undefined; figures: number; id: string } = { plotly: undefined, figures: 0, id: randomBytes(4).toString("hex") };

/** Forgets that plotly.js was emitted: the next figure carries it again (e.g. after clearing outputs). */
export function resetPlotly(): void {
  session.plotly = undefined;
}

/** Options of {@link figureHtml}. */
export interface FigureHtmlOptions {
  /**
   * Inline plotly.js before the figure. Default: only for the first figure of the kernel session,
   * and again for the first figure whose trace types the basic bundle lacks (then the full one);
   * the page (JupyterLab's, or the exported HTML) keeps window.Plotly for the figures after it.
   */
  includePlotly?: boolean;
  /** Caption under the figure, HTML. */
  caption?: string;
}

/** plotly's configuration for notebook figures (the report's: no logo, responsive, SVG export). */
const PLOT_CONFIG = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ["select2d", "lasso2d"], toImageButtonOptions: { format: "svg" } };

/**
 * A plotly figure as HTML: a sized <div> and a script that draws it with Plotly.newPlot (after the
 * page has parsed, so it works both in JupyterLab and in a static page), and marks the div
 * data-rendered="true" once drawn. The bundle, when included, runs inside a function that hides
 * any AMD `define` or CommonJS `module` of the page (require.js in classic notebook pages), so it
 * always sets window.Plotly.
 */
export function figureHtml(fig: Figure, opts: FigureHtmlOptions = {}): string {
  const needs = plotlyKindFor([fig]);
  const include = opts.includePlotly ?? (session.plotly === undefined || (needs === "full" && session.plotly === "basic"));
  // Once the full bundle is on the page, a bundle emitted again is the full one too (the basic one would replace it).
  const kind: PlotlyKind = needs === "full" || session.plotly === "full" ? "full" : "basic";
  const id = `gaitid-plot-${session.id}-${++session.figures}`;
  const height = typeof fig.layout.height === "number" ? fig.layout.height : 450;
  const { width, ...layout } = fig.layout;
  const style = `width:100%;height:${height}px${typeof width === "number" ? `;max-width:${width}px` : ""}`;
  // Numbers rounded to what a plot shows; an array the figure holds more than once (true values under two traces) written once.
  const { figures: spec, arrays } = shareFigureArrays(compactFigureNumbers({ data: fig.data, layout, frames: fig.frames ?? [], config: PLOT_CONFIG }));
  const draw = `(function () {${arrays.length ? `\n  ${RESOLVE_ARRAYS}` : ""}
  var spec = ${arrays.length ? `gaitidResolveArrays(${scriptJson(spec)}, ${scriptJson(arrays)})` : scriptJson(spec)};
  function draw() {
    var el = document.getElementById(${JSON.stringify(id)});
    if (!el) return;
    if (!window.Plotly) {
      el.style.height = "auto";
      el.textContent = "plotly.js is not loaded in this page: run the notebook's first figure cell again (or gaitid.resetPlotly() and this cell).";
      return;
    }
    window.Plotly.newPlot(el, spec).then(function () { el.setAttribute("data-rendered", "true"); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();`;
  const parts: string[] = [];
  if (include) {
    parts.push(`<script>(function () { var define, module, exports;\n${inlineScript(plotlyBundle(kind).source)}\n}).call(window);</script>`);
    session.plotly = kind;
  }
  parts.push(`<div class="gaitid-figure"><div id="${id}" class="gaitid-plot" style="${style}"></div>`);
  if (opts.caption) parts.push(`<p class="gaitid-caption" style="font-size:0.9em;margin:0.3em 0 0.8em">${opts.caption}</p>`);
  parts.push(`</div><script>${inlineScript(draw)}</script>`);
  return parts.join("");
}

/** A table as HTML: a spec (header cells and rows of HTML cells) with an optional caption. */
export function specTableHtml(spec: TableSpec, caption = ""): string {
  return tableHtml(spec, caption ? `<caption style="caption-side:top;text-align:left">${caption}</caption>` : "");
}

/** A number for a table cell: `digits` significant digits, integers as they are. */
export function cellNumber(v: unknown, digits = 4): SafeHtml {
  if (typeof v !== "number") return raw(esc(v));
  if (Number.isInteger(v) && Math.abs(v) < 1e7) return raw(String(v));
  return fmt(v, digits);
}

/** Any value as escaped text. */
function esc(v: unknown): string {
  return escapeHtml(String(v));
}

/** Something shaped like a danfojs DataFrame (or a {@link ParameterSummary}): columns, row labels, rows of values. */
export interface FrameLike {
  columns: readonly (string | number)[];
  index: readonly (string | number)[];
  values: readonly (readonly unknown[])[] | readonly unknown[];
}

/**
 * A danfojs DataFrame (or anything with its columns, index and values) as an HTML table, numbers
 * with `digits` significant digits. danfojs-node has no HTML output of its own.
 */
export function dataFrameHtml(df: FrameLike, opts: { digits?: number; caption?: string; units?: Record<string, string> } = {}): string {
  const digits = opts.digits ?? 4;
  const rows = (df.values as readonly unknown[]).map((row) => (Array.isArray(row) ? row : [row]));
  const head = ["", ...df.columns.map((c) => esc(c) + (opts.units?.[String(c)] ? ` (${esc(opts.units[String(c)])})` : ""))];
  return specTableHtml(
    { head, rows: rows.map((r, i) => [`<b>${esc(df.index[i])}</b>`, ...r.map((v) => cellNumber(v, digits))]) },
    opts.caption,
  );
}

/** Units of the parameter columns of a dataset (params.csv). */
export const PARAMETER_UNITS: Readonly<Record<string, string>> = {
  m: "kg",
  k: "N/m",
  l0: "m",
  rho: "1/s²",
  alpha0: "°",
  e: "J/kg",
  y0: "m",
  vx0: "m/s",
  speed: "m/s",
  steps: "",
};

/** The parameter summary of a dataset (danfojs describe: statistics by parameter) as an HTML table, parameters as rows. */
export function summaryHtml(s: Pick<ParameterSummary, "columns" | "index" | "values">, caption = ""): string {
  const rows = s.columns.map((c, j) => [
    `<b>${esc(c)}</b>`,
    esc(PARAMETER_UNITS[c] ?? ""),
    ...s.index.map((stat, i) => (stat === "count" ? cellNumber(s.values[i][j]) : cellNumber(s.values[i][j], 4))),
  ]);
  return specTableHtml({ head: ["parameter", "unit", ...s.index.map(esc)], rows, align: ["l", "l", ...s.index.map(() => "r" as const)] }, caption);
}

/** Options of {@link derivationHtml}. */
export interface DerivationHtmlOptions {
  /** Which steps to show: all (default), none, or those with these ids (e.g. ["grf"]). */
  steps?: "all" | "none" | readonly string[];
  /** Show the table of checks (default true). */
  checks?: boolean;
}

/**
 * A derivation (gaitid derive) as HTML: each step's title, prose and displayed equations, the
 * equations typeset from the step's LaTeX to SVG (the same rendering as the report's), then the
 * symmetries, the identifiable combinations and the checks.
 */
export function derivationHtml(d: Derivation, opts: DerivationHtmlOptions = {}): string {
  // stepBody needs only the context's typesetting (equation, math), not the report's data.
  const ctx = new ReportContext();
  const out: string[] = [];
  const which = opts.steps ?? "all";
  d.steps.forEach((s, i) => {
    if (which === "none" || (which !== "all" && !which.includes(s.id))) return;
    out.push(`<h4>Step ${i + 1}. ${esc(s.title)}</h4>`, stepBody(ctx, s).toString());
  });
  out.push(`<h4>Result for ${observedText(d)}</h4>`, `<p>Scaling symmetries: ${symmetriesHtml(ctx, d)}.</p>`, `<p>Identifiable: ${identifiableHtml(ctx, d)}.</p>`);
  if (opts.checks ?? true) {
    const passed = d.checks.filter((c) => c.passed).length;
    out.push(
      specTableHtml(
        {
          head: ["check", "proved symbolically", "largest relative error at the random points", "passed"],
          rows: d.checks.map((c) => [esc(c.name), c.symbolic ? "yes" : "numeric only", fmt(c.numericMaxError, 2), c.passed ? "✓" : "<b>✗</b>"]),
          align: ["l", "c", "r", "c"],
        },
        `Checks: ${passed} of ${d.checks.length} passed (${d.numeric.points} random points, seed ${d.numeric.seed}).`,
      ),
    );
  }
  return `<div class="gaitid-derivation">${DERIVATION_STYLE}${out.join("\n")}</div>`;
}

/** Layout of the derivation's equations (the report's style sheet is not in a notebook page). */
const DERIVATION_STYLE =
  "<style>.gaitid-derivation .eq{text-align:center;margin:.5em 0;overflow-x:auto}.gaitid-derivation .eq-heading{font-style:italic;margin-top:.6em}" +
  ".gaitid-derivation .step{max-width:52em}</style>";

function observedText(d: Derivation): string {
  return d.observe === "xy" ? "the CoM position (<i>x</i>, <i>y</i>)" : "(<i>x</i>, <i>y</i>) and the leg forces in newtons";
}

function symmetriesHtml(ctx: ReportContext, d: Derivation): string {
  if (d.symmetries.length === 0) return "<b>none</b>";
  const scaled = (e: number, p: string): string => (e === 0 ? p : e === 1 ? `c\\,${p}` : `c^{${e}} ${p}`);
  return d.symmetries.map((s) => ctx.safe.math(`(m, k, l_0) \\mapsto (${scaled(s.m, "m")},\\ ${scaled(s.k, "k")},\\ ${scaled(s.l0, "l_0")})`)).join(", ");
}

function identifiableHtml(ctx: ReportContext, d: Derivation): string {
  return d.identifiable.map((e) => ctx.safe.math(inlineLatex(e))).join(", ");
}

/** Observation models side by side: what is observed, the scaling symmetries left, what is identifiable. */
export function derivationContrastHtml(derivations: readonly Derivation[], caption = ""): string {
  const ctx = new ReportContext();
  return specTableHtml(
    {
      head: ["observed", "scaling symmetries of (<i>m</i>, <i>k</i>, <i>ℓ</i><sub>0</sub>)", "identifiable", "checks passed"],
      rows: derivations.map((d) => [observedText(d), symmetriesHtml(ctx, d), identifiableHtml(ctx, d), `${d.checks.filter((c) => c.passed).length} / ${d.checks.length}`]),
      align: ["l", "l", "l", "r"],
    },
    caption,
  );
}

/** A key-value table (e.g. a manifest's settings), values escaped. */
export function keyValueHtml(entries: readonly (readonly [string, unknown])[], caption = ""): string {
  return specTableHtml({ head: ["name", "value"], rows: entries.map(([k, v]) => [`<b>${esc(k)}</b>`, typeof v === "number" ? cellNumber(v) : esc(v)]), align: ["l", "l"] }, caption);
}

/**
 * A page (a notebook's HTML export) whose <style> elements in the head keep only the rules that
 * can apply to it: a rule goes when every selector in its list names a class that no element of the page has.
 * nbconvert's JupyterLab template inlines JupyterLab's whole style sheet (540 kB: menus, file
 * browser, dialogs, ...), of which an exported notebook uses a fifth; the page looks the same
 * without the rest. Written here rather than taken from a CSS purger (PurgeCSS) because it is one
 * filter over selectors, for one build script; conservative where unsure: classes inside :not(),
 * :is() and the like do not count, at-rules other than @media, @supports and @layer are kept whole.
 */
export function withUsedCssOnly(html: string): string {
  const classes = new Set<string>();
  for (const m of html.matchAll(/class="([^"]*)"/g)) for (const c of m[1].split(/\s+/)) if (c) classes.add(c);
  // Only the head's style sheets: the body's outputs and scripts are left as they are.
  const body = html.search(/<body[\s>]/);
  const head = body < 0 ? html : html.slice(0, body);
  const pruned = head.replace(/(<style[^>]*>)([\s\S]*?)(<\/style>)/g, (_, open: string, css: string, close: string) => open + usedRules(css.replace(/\/\*[\s\S]*?\*\//g, ""), classes) + close);
  return body < 0 ? pruned : pruned + html.slice(body);
}

function usedRules(css: string, classes: ReadonlySet<string>): string {
  const out: string[] = [];
  let i = 0;
  while (i < css.length) {
    const open = css.indexOf("{", i);
    if (open < 0) {
      out.push(css.slice(i).trim());
      break;
    }
    let depth = 1, j = open + 1;
    for (; j < css.length && depth > 0; j++) depth += css[j] === "{" ? 1 : css[j] === "}" ? -1 : 0;
    // Statements before the rule (@charset, @import) end with ";" and are kept.
    const head = css.slice(i, open), semi = head.lastIndexOf(";");
    if (semi >= 0) out.push(head.slice(0, semi + 1).trim());
    const prelude = head.slice(semi + 1).trim(), body = css.slice(open + 1, j - 1);
    if (/^@(media|supports|layer)\b/.test(prelude)) {
      const inner = usedRules(body, classes);
      if (inner) out.push(`${prelude}{${inner}}`);
    } else if (prelude.startsWith("@")) out.push(`${prelude}{${body}}`);
    else {
      const kept = topLevelSplit(prelude).filter((s) => selectorClasses(s).every((c) => classes.has(c)));
      if (kept.length > 0) out.push(`${kept.join(",")}{${body.trim()}}`);
    }
    i = j;
  }
  return out.filter(Boolean).join("\n");
}

/** The class names a selector requires (not those inside functional pseudo-classes). */
function selectorClasses(selector: string): string[] {
  let s = selector, prev = "";
  while (s !== prev) [prev, s] = [s, s.replace(/:[\w-]+\([^()]*\)/g, "")];
  return [...s.replace(/\[[^\]]*\]/g, "").matchAll(/\.(-?[A-Za-z_][\w-]*)/g)].map((m) => m[1]);
}

/** A selector list split at its top-level commas (not those inside parentheses or brackets). */
function topLevelSplit(list: string): string[] {
  const parts: string[] = [];
  let depth = 0, start = 0;
  for (let k = 0; k < list.length; k++) {
    const ch = list[k];
    if (ch === "(" || ch === "[") depth++;
    else if (ch === ")" || ch === "]") depth--;
    else if (ch === "," && depth === 0) {
      parts.push(list.slice(start, k).trim());
      start = k + 1;
    }
  }
  parts.push(list.slice(start).trim());
  return parts.filter(Boolean);
}
