/**
 * LaTeX to SVG at build time with MathJax (mathjax-full: lite DOM adaptor, TeX input, SVG
 * output). The page needs no font, no script and no request to show its equations.
 *
 * Glyphs: with fontCache "local" (the default) each SVG carries its own glyph definitions, so any
 * SVG can be placed anywhere on its own. With fontCache "global" the SVGs refer to one set of
 * shared glyph definitions, {@link TexRenderer.defs}, which the page must hold once (anywhere:
 * references resolve across the document). A page with many inline formulas shrinks several times
 * (the derivation's 355 formulas: 1.4 MB local, see test/derive-report.test.ts for global), and
 * identical formulas are converted once.
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
  private readonly cache = new Map<string, string>();
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
   * SVG element for the page (place it once, after the last formula has been converted). Empty
   * with fontCache "local".
   */
  defs(): string {
    if (this.fontCache !== "global") return "";
    const defs = this.output.fontCache.getCache();
    return `<svg xmlns="http://www.w3.org/2000/svg" style="display:none" aria-hidden="true">${this.adaptor.outerHTML(defs as never)}</svg>`;
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
    if (this.fontCache === "global") this.cache.set(key, html);
    return html;
  }
}

function escapeAttribute(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\s+/g, " ");
}
