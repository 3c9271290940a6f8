/**
 * HTML for the report's sections through one tagged template that escapes by default:
 *
 *     html`<p>Records of <code>${dir}</code>: ${int(n)} (${ctx.safe.ref("tab-x")}).</p>`
 *
 * Every interpolated value is escaped (`&`, `<`, `>`, `"` and `'`) unless it is {@link SafeHtml}:
 * the result of another html`` template, of {@link raw} (markup from a trusted source, such as
 * MathJax's SVG or a constant of the code), of the number formats in format.ts, or of the
 * context's placing methods (`ctx.safe`). Arrays are joined without separator (use
 * {@link joinHtml} for one); `null`, `undefined` and `false` give nothing, so that
 * `${cond && html`...`}` works; numbers and other values are written as `String(value)`, escaped
 * (format numbers for the text with format.ts first).
 */

/** Markup that is trusted as it is: html`` does not escape it again. */
export class SafeHtml {
  /** Use {@link html} or {@link raw} rather than the constructor. */
  constructor(private readonly markup: string) {}

  /** The markup. Also what a plain template literal or `String()` gives. */
  toString(): string {
    return this.markup;
  }
}

/** A value html`` accepts in an interpolation. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text escaped for HTML content and (quoted) attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** One interpolated value as markup. */
function markupOf(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.toString();
  if (value === null || value === undefined || value === false) return "";
  if (Array.isArray(value)) return value.map(markupOf).join("");
  return escapeHtml(String(value));
}

/** The tagged template: literal parts as written, interpolations escaped unless SafeHtml. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += markupOf(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

/** Trusted markup as SafeHtml (typeset SVG, markup constants of the code). Never user text. SafeHtml is returned as it is. */
export function raw(markup: string | SafeHtml): SafeHtml {
  return markup instanceof SafeHtml ? markup : new SafeHtml(markup);
}

/** Values as one SafeHtml, `separator` (text, escaped, or SafeHtml) between them. */
export function joinHtml(values: readonly HtmlValue[], separator: HtmlValue = ""): SafeHtml {
  const sep = markupOf(separator);
  return new SafeHtml(values.map(markupOf).join(sep));
}

/** A value as markup: SafeHtml as it is, anything else escaped (for APIs that take both). */
export function toHtml(value: HtmlValue): SafeHtml {
  return value instanceof SafeHtml ? value : new SafeHtml(markupOf(value));
}

/** A table of trusted markup constants (e.g. symbols written as HTML in the code) as SafeHtml. */
export function rawValues<K extends string>(table: Readonly<Record<K, string>>): Record<K, SafeHtml> {
  return Object.fromEntries(Object.entries(table).map(([k, v]) => [k, raw(v as string)])) as Record<K, SafeHtml>;
}

/**
 * The style of what the sections mark with classes instead of inline styles; the page shell
 * places it after the report's style sheet.
 */
export const SECTION_CSS = `
.muted { color: var(--muted); }
p.files { color: var(--muted); font-size: .9rem; }
`;
