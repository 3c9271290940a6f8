/**
 * Rich text of the derivation: prose with inline mathematics and citations, kept as data so that
 * every rendering (terminal text, LaTeX, the report's HTML with MathJax SVG) shows the same
 * sentence. A piece of rich text is a list of inlines: plain text, a formula (LaTeX for the
 * typeset renderings, plain text for the terminal), a code name (a function, file or command,
 * shown as code), or a citation (a key of bibliography.ts).
 *
 * Formulas are written in one of two ways:
 * - {@link m}: mathjs syntax ("k/2*(l0 - l_a)^2", "x_dd = rho*(l0/l_a - 1)*(x - x_a)"), parsed
 *   by mathjs and printed with the derivation's symbol table (symbolic.ts texSymbol), so a symbol
 *   is spelled the same in prose and in the displayed equations;
 * - {@link tex}: LaTeX with its plain-text reading, for what mathjs cannot parse (d/dt, maps,
 *   sets, tuples).
 */
import { parse } from "./mathjs";
import { toLatex } from "./symbolic";

/** One piece of rich text. */
export type Inline = { text: string } | { tex: string; plain: string } | { code: string } | { cite: string };

/** Rich text: a sentence or paragraph. */
export type Rich = Inline[];

/** LaTeX of inline mathjs text; `a = b`, `a < b` and `a <= b` are split so each side is parsed. */
export function mathjsLatex(expr: string): string {
  return expr
    .split(/(\s(?:=|<|<=|>|>=|->)\s)/)
    .map((part, i) => {
      if (i % 2 === 0) return toLatex(parse(part));
      const op = part.trim();
      return op === "<=" ? " \\le " : op === ">=" ? " \\ge " : op === "->" ? " \\to " : ` ${op} `;
    })
    .join("");
}

/** A formula in mathjs syntax (see the file comment). */
export function m(mathjs: string): Inline {
  return { tex: mathjsLatex(mathjs), plain: mathjs };
}

/** A formula in LaTeX, with its plain-text reading for the terminal. */
export function tex(latex: string, plain: string): Inline {
  return { tex: latex, plain };
}

/** A code name: a function, a file or a command, shown as code. */
export function code(name: string): Inline {
  return { code: name };
}

/** A citation of the bibliography entry `key`. */
export function cite(key: string): Inline {
  return { cite: key };
}

/**
 * Rich text from a template: literal parts are text, interpolated inlines stay as they are,
 * interpolated strings and numbers become text. `r\`the mass ${m("m")} cancels\``.
 */
export function r(strings: TemplateStringsArray, ...parts: (Inline | Rich | string | number)[]): Rich {
  const out: Rich = [];
  const push = (x: Inline): void => {
    const last = out[out.length - 1];
    if ("text" in x && last && "text" in last) out[out.length - 1] = { text: last.text + x.text };
    else if (!("text" in x) || x.text.length > 0) out.push(x);
  };
  strings.forEach((s, i) => {
    push({ text: s });
    if (i < parts.length) {
      const p = parts[i];
      if (typeof p === "string" || typeof p === "number") push({ text: String(p) });
      else if (Array.isArray(p)) p.forEach(push);
      else push(p);
    }
  });
  return out;
}

/** Joins rich texts with a separator (text). */
export function joinRich(parts: readonly Rich[], separator: string): Rich {
  const out: Rich = [];
  parts.forEach((p, i) => {
    if (i > 0) out.push({ text: separator });
    out.push(...p);
  });
  return r`${out}`;
}

/** Plain text: formulas in their plain reading, code as written, citations as `cites` says ([key]). */
export function plainText(rich: Rich, cites: (key: string) => string = (k) => `[${k}]`): string {
  return rich.map((x) => ("text" in x ? x.text : "tex" in x ? x.plain : "code" in x ? x.code : cites(x.cite))).join("");
}

function escapeLatexText(s: string): string {
  return s
    .replace(/\\/g, "\\textbackslash{}")
    .replace(/([_%&#{}$])/g, "\\$1")
    .replace(/\^/g, "\\^{}")
    .replace(/~/g, "\\~{}");
}

/** LaTeX: text escaped, formulas between $...$, citations as \cite{key}. */
export function latexText(rich: Rich): string {
  return rich
    .map((x) => ("text" in x ? escapeLatexText(x.text) : "tex" in x ? `$${x.tex}$` : "code" in x ? `\\texttt{${escapeLatexText(x.code)}}` : `\\cite{${x.cite}}`))
    .join("");
}
