/**
 * The report's extension point: a section is a function of a {@link ReportContext}, which holds
 * the study's results (the results model, read from files; the report computes nothing of its
 * own) and numbers figures, tables and subsections as they are placed. References ("Figure 3")
 * may point forward: they are resolved after every section has been rendered.
 */
import type { Figure } from "../figures/types";
import type { StudyResults } from "../results/study";
import { esc, tableHtml, type EmbeddedFigure, type TableSpec } from "./html";
import { raw, toHtml, type HtmlValue, type SafeHtml } from "./template";
import { TexRenderer } from "./tex";

/** A section of the report. `render` returns the section's HTML body (without its heading). */
export interface ReportSection {
  /** Anchor id, unique in the page (also used by {@link ReportSectionInsert.before}). */
  id: string;
  /** Heading, HTML. */
  title: string;
  /** Unnumbered (the summary); default numbered. */
  unnumbered?: boolean;
  render(ctx: ReportContext): string | Promise<string>;
}

/** Places an extra section before a default section (by id; default: before "limits"). */
export interface ReportSectionInsert {
  section: ReportSection;
  before?: string;
}

/** A table for {@link SafePlacing.table}: cells are text (escaped) or SafeHtml. */
export interface SafeTableSpec extends Omit<TableSpec, "head" | "rows"> {
  head: HtmlValue[];
  rows: HtmlValue[][];
}

/**
 * The context's placing methods for sections written with html`` (template.ts): the same
 * numbering and labels, titles and captions taken as text (escaped) or SafeHtml, the placed markup
 * returned as SafeHtml so that a template does not escape it.
 */
export interface SafePlacing {
  heading(id: string, title: HtmlValue): SafeHtml;
  figure(id: string, fig: Figure, caption: HtmlValue): SafeHtml;
  table(id: string, t: SafeTableSpec, caption: HtmlValue): SafeHtml;
  equation(latex: string, id?: string): SafeHtml;
  math(latex: string): SafeHtml;
  ref(id: string): SafeHtml;
}

interface Numbered {
  kind: "Figure" | "Table" | "Section" | "Equation";
  number: string;
}

/** What a section uses to place numbered figures, tables, equations and subsections. */
export class ReportContext {
  readonly figures: EmbeddedFigure[] = [];
  private readonly labels = new Map<string, Numbered>();
  private tables = 0;
  private equations = 0;
  private sectionNumber = "";
  private subsection = 0;
  /** The MathJax renderer: with fontCache "global" (the report) every formula shares one set of glyph definitions, which the builder places once; "local" (the default, notebooks) gives self-contained SVGs. */
  readonly tex: TexRenderer;
  /**
   * The placing methods below as SafeHtml, for html`` templates (they call the methods of this
   * object, so a subclass's figure or table is used). The string methods serve the sections that
   * still build their HTML by hand.
   */
  readonly safe: SafePlacing;

  /** `results` may be left out where only sections that read nothing from it are placed (a notebook's experiment sections). */
  constructor(private readonly studyResults?: StudyResults, opts: { fontCache?: "local" | "global" } = {}) {
    this.tex = new TexRenderer(opts.fontCache ?? "local");
    const text = (v: HtmlValue): string => toHtml(v).toString();
    this.safe = {
      heading: (id, title) => raw(this.heading(id, text(title))),
      figure: (id, fig, caption) => raw(this.figure(id, fig, text(caption))),
      table: (id, t, caption) => raw(this.table(id, { ...t, head: t.head.map(text), rows: t.rows.map((r) => r.map(text)) }, text(caption))),
      equation: (latex, id) => raw(this.equation(latex, id)),
      math: (latex) => raw(this.math(latex)),
      ref: (id) => raw(this.ref(id)),
    };
  }

  /** The study's results the sections present. */
  get results(): StudyResults {
    if (!this.studyResults) throw new Error("this report context holds no study results; build it with the results of a study");
    return this.studyResults;
  }

  /** Called by the builder before each section. */
  beginSection(id: string, number: string): void {
    this.sectionNumber = number;
    this.subsection = 0;
    if (number) this.labels.set(id, { kind: "Section", number });
  }

  /** A numbered subsection heading (h3) of the current section. */
  heading(id: string, title: string): string {
    this.subsection++;
    const number = this.sectionNumber ? `${this.sectionNumber}.${this.subsection}` : "";
    if (number) this.labels.set(id, { kind: "Section", number });
    return `<h3 id="${esc(id)}">${number ? `<span class="num">${number}</span>` : ""}${title}</h3>`;
  }

  /**
   * Places a figure: a numbered <figure> with its plot and caption (HTML). The plot is drawn in
   * the browser from the embedded {data, layout, frames}.
   */
  figure(id: string, fig: Figure, caption: string): string {
    if (this.labels.has(id)) throw new Error(`duplicate report label ${id}`);
    const number = String(this.figures.length + 1);
    this.labels.set(id, { kind: "Figure", number });
    const height = typeof fig.layout.height === "number" ? fig.layout.height : 450;
    // A preferred width caps the plot's box; plotly then fills the box (responsive), never wider.
    const { width, ...layout } = fig.layout;
    const style = `height:${height}px${typeof width === "number" ? `;max-width:${width}px;margin:0 auto` : ""}`;
    this.figures.push({ id: `plot-${id}`, data: fig.data, layout: layout as Record<string, unknown>, frames: fig.frames });
    return [
      `<figure id="${esc(id)}" class="figure">`,
      `<div class="plot" id="plot-${esc(id)}" style="${style}"></div>`,
      `<figcaption><span class="label">Figure ${number}.</span>${caption}</figcaption>`,
      "</figure>",
    ].join("");
  }

  /** Places a numbered table with its caption (HTML) above it. */
  table(id: string, t: TableSpec, caption: string): string {
    if (this.labels.has(id)) throw new Error(`duplicate report label ${id}`);
    const number = String(++this.tables);
    this.labels.set(id, { kind: "Table", number });
    return tableHtml({ ...t }, `<caption id="${esc(id)}"><span class="label">Table ${number}.</span>${caption}</caption>`);
  }

  /** A displayed equation (SVG), numbered when `id` is given. */
  equation(latex: string, id?: string): string {
    let tag = "";
    if (id) {
      const number = String(++this.equations);
      this.labels.set(id, { kind: "Equation", number });
      latex = `${latex} \\tag{${number}}`;
      tag = ` id="${esc(id)}"`;
    }
    return `<div class="eq"${tag}>${this.tex.svg(latex, true)}</div>`;
  }

  /** Inline math (SVG). */
  math(latex: string): string {
    return this.tex.svg(latex, false);
  }

  /** A reference to a label placed anywhere in the page, e.g. "Figure 3" (resolved at the end). */
  ref(id: string): string {
    return `@@ref:${id}@@`;
  }

  /** Replaces every reference in `html`; an unknown label is an error (a broken reference). */
  resolve(html: string): string {
    return html.replace(/@@ref:([^@]+)@@/g, (_, id: string) => {
      const l = this.labels.get(id);
      if (!l) throw new Error(`the report refers to ${id}, which no section placed`);
      const text = l.kind === "Equation" ? `(${l.number})` : `${l.kind}&nbsp;${l.number}`;
      return `<a href="#${esc(id)}">${text}</a>`;
    });
  }
}
