/**
 * LaTeX to SVG at build time with MathJax (mathjax-full: lite DOM adaptor, TeX input, SVG
 * output). Each SVG carries its own glyph definitions (fontCache "local"), so the page needs no
 * font, no script and no request to show its equations.
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
  /** Number of equations converted so far. */
  count = 0;

  constructor() {
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
    this.doc = mathjax.document("", { InputJax: tex, OutputJax: new SVG({ fontCache: "local" }) });
  }

  /**
   * The SVG of `latex` (no $ or \[ delimiters). Display math is meant to stand on its own line;
   * inline math keeps MathJax's vertical alignment to sit on the text's baseline. Throws a
   * {@link GaitidError} naming the LaTeX when MathJax cannot parse it.
   */
  svg(latex: string, display: boolean): string {
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
    // A title for screen readers and for copying: the LaTeX source.
    html = html.replace(/^<svg /, `<svg aria-label="${escapeAttribute(latex)}" `);
    return html;
  }
}

function escapeAttribute(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\s+/g, " ");
}
