/**
 * LaTeX to SVG at build time with MathJax (mathjax-full: lite DOM adaptor, TeX input, SVG
 * output). The page needs no font, no script and no request to show its equations.
 *
 * Glyphs: with fontCache "local" (the default) each SVG carries its own glyph definitions, so any
 * SVG can be placed anywhere on its own. With fontCache "global" the SVGs refer to one set of
 * shared glyph definitions, {@link TexRenderer.defs}, which the page must hold once (anywhere:
 * references resolve across the document). A page with many inline formulas shrinks several times
 * (the derivation's 355 formulas: 1.4 MB local, see test/derive-report.test.ts for global), and
 * identical formulas are converted once and drawn once: the first SVG of a formula names its
 * drawing (`<g id="mjx-fN">`), and every later one shows that drawing with `<use href="#mjx-fN"/>`
 * in an <svg> of its own size and label. The global SVGs also leave out what an SVG inside an HTML
 * page does not need (the xmlns declarations, focusable, closing </use> tags), refer to glyphs
 * with SVG 2's href instead of xlink:href, and take their colour (fill and stroke currentColor,
 * stroke width 0) from the page's style sheet (the report's, html.ts) instead of attributes on each.
 */
import { mathjax } from "mathjax-full/js/mathjax.js";
import { TeX } from "mathjax-full/js/input/tex.js";
import { SVG } from "mathjax-full/js/output/svg.js";
import { liteAdaptor } from "mathjax-full/js/adaptors/liteAdaptor.js";
import { RegisterHTMLHandler } from "mathjax-full/js/handlers/html.js";
import "mathjax-full/js/input/tex/base/BaseConfiguration.js";
import "mathjax-full/js/input/tex/ams/AmsConfiguration.js";
import "mathjax-full/js/input/tex/newcommand/NewcommandConfiguration.js";
import { GaitidError } from "../errors";

type Adaptor = ReturnType<typeof liteAdaptor>;
let adaptor: Adaptor | undefined;

/**
 * A TeX-to-SVG converter. Use one per page: glyph ids are numbered per converter (MJX-1-...,
 * MJX-2-...), so equations of one converter never share an id.
 */
export class TexRenderer {
  private readonly doc: ReturnType<typeof mathjax.document>;
  private readonly adaptor: Adaptor;
  private readonly output: SVG<unknown, unknown, unknown>;
  /** Global cache: per formula (display flag and LaTeX), its SVG as placed again (a <use> of the first). */
  private readonly cache = new Map<string, string>();
  /** Global cache: the drawing of each formula, by its id (mjx-fN), for {@link defs}. */
  private readonly drawings = new Map<string, string>();
  /** Number of equations placed so far. */
  count = 0;

  constructor(readonly fontCache: "local" | "global" = "local") {
    if (!adaptor) {
      adaptor = liteAdaptor();
      RegisterHTMLHandler(adaptor);
    }
    this.adaptor = adaptor;
    const tex = new TeX({
      packages: ["base", "ams", "newcommand"],
      // A TeX error must stop the build, not end up as red text in the report.
      formatError: (_jax: unknown, err: { message: string }) => {
        throw new Error(err.message);
      },
    });
    this.output = new SVG({ fontCache });
    this.doc = mathjax.document("", { InputJax: tex, OutputJax: this.output });
  }

  /**
   * With fontCache "global": the shared glyph definitions of every SVG made so far, as a hidden
   * SVG element for the page (place it once, after the last formula has been converted), with the
   * drawing of each repeated formula that `page` (the page's HTML without these definitions) refers
   * to but does not hold. Empty with fontCache "local".
   */
  defs(page = ""): string {
    if (this.fontCache !== "global") return "";
    const defs = this.adaptor.outerHTML(this.output.fontCache.getCache() as never);
    // A formula placed again refers to the drawing of its first SVG; if that SVG is not in the page, the drawing goes here.
    const missing = [...this.drawings].filter(([id]) => page.includes(`href="#${id}"`) && !page.includes(`<g id="${id}" `)).map(([, g]) => g);
    return `<svg style="display:none" aria-hidden="true">${missing.length ? defs.replace(/<\/defs>$/, `${missing.join("")}</defs>`) : defs}</svg>`;
  }

  /**
   * The SVG of `latex` (no $ or \[ delimiters). Display math is meant to stand on its own line;
   * inline math keeps MathJax's vertical alignment to sit on the text's baseline. Throws a
   * {@link GaitidError} naming the LaTeX when MathJax cannot parse it.
   */
  svg(latex: string, display: boolean): string {
    const key = `${display ? "D" : "I"}${latex}`;
    const known = this.cache.get(key);
    if (known !== undefined) {
      this.count++;
      return known;
    }
    let node: unknown;
    try {
      node = this.doc.convert(latex, { display });
    } catch (err) {
      throw new GaitidError(`MathJax cannot typeset ${JSON.stringify(latex.length > 200 ? latex.slice(0, 200) + "..." : latex)}: ${(err as Error).message}`, 1);
    }
    this.count++;
    // The container is MathJax's <mjx-container>; keep only its <svg>.
    const a = this.adaptor;
    const svg = a.firstChild(node as never);
    let html = a.outerHTML(svg as never);
    // MathJax's annotations of the MathML tree (data-mml-node, data-c, data-variant, ...) serve its
    // interactive menu, which a static page does not load: dropped, a third of the size.
    html = html.replace(/ data-[a-z-]+="[^"]*"/g, "");
    // A title for screen readers and for copying: the LaTeX source.
    html = html.replace(/^<svg /, `<svg aria-label="${escapeAttribute(latex)}" `);
    // A local glyph cache gives each SVG its own ids: a copy would repeat them. Global: no ids.
    return this.fontCache === "global" ? this.shared(key, html) : html;
  }

  /** A global-cache SVG made compact, its drawing named, and its later copies (a <use>) cached. */
  private shared(key: string, html: string): string {
    html = html
      .replace(/ xmlns(:xlink)?="[^"]*"/g, "")
      .replace(/ focusable="false"/, "")
      .replace(/ xlink:href="/g, ' href="')
      .replace(/^(<svg [^>]*><g) stroke="currentColor" fill="currentColor" stroke-width="0"/, "$1")
      .replace(/><\/use>/g, "/>");
    const open = /^<svg [^>]*>/.exec(html);
    if (!open || !html.startsWith("<g ", open[0].length) || !html.endsWith("</svg>")) return html;
    const id = `mjx-f${this.drawings.size + 1}`;
    const drawing = `<g id="${id}"${html.slice(open[0].length + 2, -"</svg>".length)}`;
    this.drawings.set(id, drawing);
    this.cache.set(key, `${open[0]}<use href="#${id}"/></svg>`);
    return `${open[0]}${drawing}</svg>`;
  }
}

function escapeAttribute(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\s+/g, " ");
}
