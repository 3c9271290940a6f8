/**
 * HTML building blocks of the report: escaping, number formatting, tables, the style sheet and
 * the page shell that inlines plotly.js once and draws every figure from embedded JSON.
 */

/** Escapes text for HTML content and attribute values. */
export function esc(s: unknown): string {
  return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/**
 * A number for the text: `digits` significant digits (default 3), thousands separated by a thin
 * space, no exponent between 1e-4 and 1e7; NaN and infinities as "n/a".
 */
export function fmt(v: number | undefined, digits = 3): string {
  if (v === undefined || !Number.isFinite(v)) return "n/a";
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a < 1e-4 || a >= 1e7) {
    const [mant, exp] = v.toExponential(digits - 1).split("e");
    return `${mant}&thinsp;×&thinsp;10<sup>${Number(exp)}</sup>`;
  }
  const s = Number(v.toPrecision(digits)).toString();
  return groupThousands(s);
}

/** A number with a fixed count of decimals (R², percentages), thousands grouped. */
export function fixed(v: number | undefined, decimals: number): string {
  if (v === undefined || !Number.isFinite(v)) return "n/a";
  return groupThousands(v.toFixed(decimals));
}

/** An integer with thousands grouped. */
export function int(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return "n/a";
  return groupThousands(Math.round(v).toString());
}

function groupThousands(s: string): string {
  const neg = s.startsWith("-");
  const [i, f] = (neg ? s.slice(1) : s).split(".");
  const grouped = i.length > 4 ? i.replace(/\B(?=(\d{3})+(?!\d))/g, "&#8201;") : i;
  return `${neg ? "−" : ""}${grouped}${f !== undefined ? "." + f : ""}`;
}

/** A percentage of a fraction, e.g. 0.4321 -> "43.2 %". */
export function percent(fraction: number | undefined, decimals = 1): string {
  if (fraction === undefined || !Number.isFinite(fraction)) return "n/a";
  return `${fixed(100 * fraction, decimals)}&nbsp;%`;
}

/** A table: header cells and rows of HTML cells; numeric columns are right-aligned. */
export interface TableSpec {
  head: string[];
  rows: string[][];
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

/** The style sheet: a paper-like page (serif text, numbered captions, booktabs-style tables). */
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
details { max-width: var(--measure); margin: .6rem auto; font-size: .9rem; }
details summary { cursor: pointer; color: var(--muted); }
details pre { font-size: .74rem; line-height: 1.35; background: #f7f7f5; padding: .7rem .9rem; overflow-x: auto; border-left: 2px solid var(--faint); }
.note { max-width: var(--measure); margin: 1rem auto; padding: .6rem .9rem; border-left: 3px solid #E69F00; background: #fffaf0; font-size: .92rem; }
.check-ok { color: #007a55; }
.check-bad { color: #b00020; font-weight: 600; }
footer { max-width: var(--measure); margin: 3rem auto 0; font-size: .8rem; color: var(--muted); border-top: 1px solid var(--faint); padding-top: .6rem; }
@media (max-width: 700px) { article { padding: 1.2rem .8rem 3rem; } nav.toc { columns: 1; } p { text-align: left; } }
@media print { body { background: #fff; } article { box-shadow: none; max-width: none; padding: 0; } figure, table { break-inside: avoid; } .modebar { display: none !important; } }
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

/** Makes a JavaScript source safe to inline in a <script> element. */
export function inlineScript(source: string): string {
  return source.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
}

/** The script that draws every embedded figure with plotly and marks it rendered. */
export const DRAW_FIGURES = `
(function () {
  var specs = JSON.parse(document.getElementById("gaitid-figures").textContent);
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
})();
`;

/** The whole page. `body` is the article's inner HTML; plotly.js is inlined once. */
export function page(opts: { title: string; body: string; figures: EmbeddedFigure[]; plotly: string; description?: string }): string {
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(opts.title)}</title>`,
    opts.description ? `<meta name="description" content="${esc(opts.description)}">` : "",
    // Nothing may leave the file: no request to any host, not even for a favicon.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:; connect-src 'none'">`,
    '<link rel="icon" href="data:,">',
    `<style>${CSS}</style>`,
    "</head>",
    "<body>",
    `<article>${opts.body}</article>`,
    `<script>${inlineScript(opts.plotly)}</script>`,
    `<script type="application/json" id="gaitid-figures">${scriptJson(opts.figures)}</script>`,
    `<script>${DRAW_FIGURES}</script>`,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
