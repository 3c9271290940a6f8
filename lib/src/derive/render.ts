/**
 * The blocks a derivation step is made of (prose paragraphs, lists, displayed equations) and
 * their renderings as plain text and as LaTeX. Prose is rich text (rich.ts); an equations block
 * carries its display LaTeX, so that every renderer (the terminal, `--latex`, the report's
 * MathJax) shows the same equations without parsing anything again.
 */
import { parse } from "./mathjs";
import { reference } from "./bibliography";
import { latexText, mathjsLatex, plainText, type Rich } from "./rich";
import { toLatex } from "./symbolic";

/** One displayed equation: lhs = rhs. */
export interface Equation {
  /** Left-hand side as plain text, e.g. "x_dd" or "dL/dx_dot". */
  lhs: string;
  /** Left-hand side as LaTeX. */
  lhsTex: string;
  /** Right-hand side in mathjs syntax, explicit (only the base symbols). */
  rhs: string;
  /** Right-hand side for reading (leg lengths abbreviated to l_a, l_b); mathjs syntax. */
  display: string;
  /** {@link display} as LaTeX. */
  displayTex: string;
  /** Key of the equation in the step's `mathjs` map, if it is exported. */
  key?: string;
}

export type Block =
  | {
      kind: "prose";
      /** Plain text of the paragraphs (formulas in mathjs syntax), one paragraph per line. */
      text: string;
      paragraphs: Rich[];
      /** The paragraphs are the items of a bulleted list. */
      list?: boolean;
    }
  | {
      kind: "equations";
      /** Heading, plain text. */
      heading?: string;
      headingRich?: Rich;
      items: Equation[];
      /** The display as LaTeX (an aligned environment, without \[ \]). */
      latex: string;
    };

const LEG_LEGEND: Record<string, string> = {
  l_a: "l_a = sqrt((x - x_a)^2 + y^2)",
  l_b: "l_b = sqrt((x - x_b)^2 + y^2)",
};

function legendFor(items: readonly Equation[]): string[] {
  return Object.keys(LEG_LEGEND).filter((s) => items.some((e) => new RegExp(`\\b${s}\\b`).test(e.display)));
}

/** An equation from its sides: `display` (mathjs, legs abbreviated) is typeset here. */
export function equation(lhs: string, lhsTex: string, rhs: string, display: string, key?: string): Equation {
  return { lhs, lhsTex, rhs, display, displayTex: toLatex(parse(display)), key };
}

/** Paragraphs of prose. */
export function prose(...paragraphs: Rich[]): Block {
  return { kind: "prose", text: paragraphs.map(plain).join("\n"), paragraphs };
}

/** Plain text with citations as "Author year". */
function plain(rich: Rich): string {
  return plainText(rich, (k) => reference(k).short);
}

/** A bulleted list. */
export function list(...items: Rich[]): Block {
  return { kind: "prose", text: items.map((p) => `- ${plain(p)}`).join("\n"), paragraphs: items, list: true };
}

/** A block of displayed equations, aligned at "=", with the legend of the leg lengths they use. */
export function equations(items: Equation[], heading?: Rich): Block {
  const rows = items.map((e) => `  ${e.lhsTex} &= ${e.displayTex}`);
  const legend = legendFor(items);
  if (legend.length > 0) rows.push(`  &\\text{where } ${legend.map((s) => mathjsLatex(LEG_LEGEND[s])).join(",\\ ")}`);
  const latex = ["\\begin{aligned}", rows.join(" \\\\\n"), "\\end{aligned}"].join("\n");
  return heading ? { kind: "equations", heading: plainText(heading), headingRich: heading, items, latex } : { kind: "equations", items, latex };
}

function wrap(line: string, width: number, indent: string): string[] {
  const words = line.split(/\s+/).filter((w) => w.length > 0);
  const out: string[] = [];
  let cur = "";
  for (const w of words) {
    if (cur.length > 0 && indent.length + cur.length + 1 + w.length > width) {
      out.push(indent + cur);
      cur = w;
    } else {
      cur = cur.length > 0 ? `${cur} ${w}` : w;
    }
  }
  if (cur.length > 0) out.push(indent + cur);
  return out;
}

/** Plain-text rendering (prose wrapped at 100 columns, equations one per line). */
export function blocksToText(blocks: readonly Block[]): string {
  const lines: string[] = [];
  for (const b of blocks) {
    if (b.kind === "prose") {
      for (const p of b.paragraphs) {
        const text = plain(p);
        if (b.list) lines.push(...wrap(text, 100, "    ").map((l, i) => (i === 0 ? `  - ${l.trimStart()}` : l)));
        else lines.push(...wrap(text, 100, "  "));
      }
    } else {
      if (b.heading) lines.push(`  ${b.heading}:`);
      for (const e of b.items) lines.push(`    ${e.lhs} = ${e.display}`);
      const legend = legendFor(b.items);
      if (legend.length > 0) lines.push(`    where ${legend.map((s) => LEG_LEGEND[s]).join(", ")}`);
    }
  }
  return lines.join("\n");
}

/** LaTeX rendering: prose paragraphs with inline math, lists as itemize, equations in displays. */
export function blocksToLatex(blocks: readonly Block[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    if (b.kind === "prose") {
      if (b.list) out.push("\\begin{itemize}", ...b.paragraphs.map((p) => `  \\item ${latexText(p)}`), "\\end{itemize}", "");
      else for (const p of b.paragraphs) out.push(latexText(p), "");
    } else {
      if (b.headingRich) out.push(`\\emph{${latexText(b.headingRich)}}:`);
      out.push("\\[", b.latex, "\\]", "");
    }
  }
  return out.join("\n").trim();
}

/** The `mathjs` map of a step: every equation with a key, explicit form. */
export function blocksToMathjs(blocks: readonly Block[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const b of blocks) {
    if (b.kind !== "equations") continue;
    for (const e of b.items) if (e.key) out[e.key] = e.rhs;
  }
  return out;
}

/** LaTeX of inline mathjs text (kept for callers of the earlier API; see rich.ts mathjsLatex). */
export const inlineLatex = mathjsLatex;
