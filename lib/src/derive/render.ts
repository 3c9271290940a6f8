/**
 * Renders the blocks of a derivation step as plain text (mathjs syntax) and as LaTeX.
 * Prose carries inline mathjs expressions between `$...$`: in text they are printed as written,
 * in LaTeX they are parsed by mathjs and printed with toTex (sides of `=` separately).
 */
import { parse } from "./mathjs";
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
  /** Key of the equation in the step's `mathjs` map, if it is exported. */
  key?: string;
}

export type Block =
  | { kind: "prose"; text: string }
  | { kind: "equations"; heading?: string; items: Equation[] };

const LEG_LEGEND: Record<string, string> = {
  l_a: "l_a = sqrt((x - x_a)^2 + y^2)",
  l_b: "l_b = sqrt((x - x_b)^2 + y^2)",
};

function legendFor(items: Equation[]): string[] {
  return Object.keys(LEG_LEGEND).filter((s) => items.some((e) => new RegExp(`\\b${s}\\b`).test(e.display)));
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
export function blocksToText(blocks: Block[]): string {
  const lines: string[] = [];
  for (const b of blocks) {
    if (b.kind === "prose") {
      for (const para of b.text.split("\n")) lines.push(...wrap(para.replace(/\$([^$]*)\$/g, "$1"), 100, "  "));
    } else {
      if (b.heading) lines.push(`  ${b.heading}:`);
      for (const e of b.items) lines.push(`    ${e.lhs} = ${e.display}`);
      const legend = legendFor(b.items);
      if (legend.length > 0) lines.push(`    where ${legend.map((s) => LEG_LEGEND[s]).join(", ")}`);
    }
  }
  return lines.join("\n");
}

function escapeLatex(s: string): string {
  return s.replace(/\\/g, "\\textbackslash{}").replace(/([_%&#{}])/g, "\\$1").replace(/\^/g, "\\^{}").replace(/~/g, "\\~{}");
}

/** LaTeX of inline mathjs text; `a = b` is split so each side is parsed separately. */
export function inlineLatex(expr: string): string {
  return expr
    .split(/\s=\s/)
    .map((side) => toLatex(parse(side)))
    .join(" = ");
}

/** LaTeX rendering: prose paragraphs with inline math, equations in aligned displays. */
export function blocksToLatex(blocks: Block[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    if (b.kind === "prose") {
      const inline = (para: string) =>
        para
          .split("$")
          .map((p, i) => (i % 2 === 1 ? `$${inlineLatex(p)}$` : escapeLatex(p)))
          .join("");
      let inList = false;
      for (const para of b.text.split("\n")) {
        const item = para.startsWith("- ");
        if (item && !inList) out.push("\\begin{itemize}");
        if (!item && inList) out.push("\\end{itemize}", "");
        inList = item;
        if (item) out.push(`  \\item ${inline(para.slice(2))}`);
        else out.push(inline(para), "");
      }
      if (inList) out.push("\\end{itemize}", "");
    } else {
      if (b.heading) out.push(`\\emph{${escapeLatex(b.heading)}}:`);
      const rows = b.items.map((e) => `  ${e.lhsTex} &= ${toLatex(parse(e.display))}`);
      const legend = legendFor(b.items);
      if (legend.length > 0) {
        rows.push(`  &\\text{where } ${legend.map((s) => inlineLatex(LEG_LEGEND[s])).join(",\\ ")}`);
      }
      out.push("\\[", "\\begin{aligned}", rows.join(" \\\\\n"), "\\end{aligned}", "\\]", "");
    }
  }
  return out.join("\n").trim();
}

/** The `mathjs` map of a step: every equation with a key, explicit form. */
export function blocksToMathjs(blocks: Block[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const b of blocks) {
    if (b.kind !== "equations") continue;
    for (const e of b.items) if (e.key) out[e.key] = e.rhs;
  }
  return out;
}
