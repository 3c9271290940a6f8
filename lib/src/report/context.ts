/**
 * The report's extension point: a section is a function of a {@link ReportContext}, which holds
 * the study's results (the results model, read from files; the report computes nothing of its
 * own) and numbers figures, tables and subsections as they are placed. References ("Figure 3")
 * may point forward: they are resolved after every section has been rendered.
 */
import type { Figure } from "../figures/types";
import type { StudyResults } from "../results/study";
import { tableHtml, type EmbeddedFigure, type TableSpec } from "./html";
import { escapeHtml, html, raw, toHtml, type HtmlValue, type SafeHtml } from "./template";
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
 * The context's placing methods for sections written with html`` (template.ts): titles, cells and
 * captions taken as text (escaped) or SafeHtml, the placed markup returned as SafeHtml so that a
 * template does not escape it.
 */
export interface SafePlacing {
  /** A numbered subsection heading (h3) of the current section. */
  heading(id: string, title: HtmlValue): SafeHtml;
  /** A numbered figure with its caption; the plot is drawn in the browser from the embedded {data, layout, frames}. */
  figure(id: string, fig: Figure, caption: HtmlValue): SafeHtml;
  /** A numbered table with its caption above it. */
  table(id: string, t: SafeTableSpec, caption: HtmlValue): SafeHtml;
  /** A displayed equation (SVG), numbered when `id` is given. */
  equation(latex: string, id?: string): SafeHtml;
  /** Inline math (SVG). */
  math(latex: string): SafeHtml;
  /** A reference to a label placed anywhere in the page, e.g. "Figure 3" (resolved at the end by {@link ReportContext.resolve}). */
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
   * The placing methods, for html`` templates. They call the protected methods of this object,
   * so a subclass can place a figure or a table its own way (the notebooks draw figures offline).
   */
  readonly safe: SafePlacing;

  /** `results` may be left out where only sections that read nothing from it are placed (a notebook's experiment sections). */
  constructor(private readonly studyResults?: StudyResults, opts: { fontCache?: "local" | "global" } = {}) {
    this.tex = new TexRenderer(opts.fontCache ?? "local");
    this.safe = {
      heading: (id, title) => this.placeHeading(id, toHtml(title)),
      figure: (id, fig, caption) => this.placeFigure(id, fig, toHtml(caption)),
      table: (id, t, caption) => this.placeTable(id, { ...t, head: t.head.map(toHtml), rows: t.rows.map((r) => r.map(toHtml)) }, toHtml(caption)),
      equation: (latex, id) => this.placeEquation(latex, id),
      math: (latex) => raw(this.tex.svg(latex, false)),
      ref: (id) => raw(`@@ref:${id}@@`),
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

  /** Numbers a label, refusing one placed before. */
  private label(id: string, kind: Numbered["kind"], number: string): void {
    if (kind !== "Section" && this.labels.has(id)) throw new Error(`duplicate report label ${id}`);
    this.labels.set(id, { kind, number });
  }

  /** A numbered subsection heading (h3) of the current section. */
  protected placeHeading(id: string, title: SafeHtml): SafeHtml {
    this.subsection++;
    const number = this.sectionNumber ? `${this.sectionNumber}.${this.subsection}` : "";
    if (number) this.label(id, "Section", number);
    return html`<h3 id="${id}">${number && html`<span class="num">${number}</span>`}${title}</h3>`;
  }

  /**
   * Places a figure: a numbered <figure> with its plot and caption. The plot is drawn in the
   * browser from the embedded {data, layout, frames}; its height is the layout's (default 450 px),
   * a preferred width caps the plot's box.
   */
  protected placeFigure(id: string, fig: Figure, caption: SafeHtml): SafeHtml {
    const number = String(this.figures.length + 1);
    this.label(id, "Figure", number);
    const height = typeof fig.layout.height === "number" ? fig.layout.height : 450;
    // A preferred width caps the plot's box; plotly then fills the box (responsive), never wider.
    const { width, ...layout } = fig.layout;
    const style = `height:${height}px${typeof width === "number" ? `;max-width:${width}px;margin:0 auto` : ""}`;
    this.figures.push({ id: `plot-${id}`, data: fig.data, layout: layout as Record<string, unknown>, frames: fig.frames });
    return html`<figure id="${id}" class="figure"><div class="plot" id="plot-${id}" style="${style}"></div><figcaption><span class="label">Figure ${number}.</span>${caption}</figcaption></figure>`;
  }

  /** Places a numbered table with its caption above it. */
  protected placeTable(id: string, t: TableSpec, caption: SafeHtml): SafeHtml {
    const number = String(this.tables + 1);
    this.label(id, "Table", number);
    this.tables++;
    return raw(tableHtml({ ...t }, html`<caption id="${id}"><span class="label">Table ${number}.</span>${caption}</caption>`.toString()));
  }

  /** A displayed equation (SVG), numbered when `id` is given. */
  protected placeEquation(latex: string, id?: string): SafeHtml {
    if (!id) return html`<div class="eq">${raw(this.tex.svg(latex, true))}</div>`;
    const number = String(++this.equations);
    this.labels.set(id, { kind: "Equation", number });
    return html`<div class="eq" id="${id}">${raw(this.tex.svg(`${latex} \\tag{${number}}`, true))}</div>`;
  }

  /** Replaces every reference in `html`; an unknown label is an error (a broken reference). */
  resolve(html: string): string {
    return html.replace(/@@ref:([^@]+)@@/g, (_, id: string) => {
      const l = this.labels.get(id);
      if (!l) throw new Error(`the report refers to ${id}, which no section placed`);
      const text = l.kind === "Equation" ? `(${l.number})` : `${l.kind}&nbsp;${l.number}`;
      return `<a href="#${escapeHtml(id)}">${text}</a>`;
    });
  }
}
