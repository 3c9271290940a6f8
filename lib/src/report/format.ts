/**
 * The report's number formats, as SafeHtml for html`` templates. Their output is markup, not
 * text: thousands are separated by a thin space written as an entity (`&#8201;`), small and large
 * numbers carry an exponent in `<sup>` (`1.2&thinsp;×&thinsp;10<sup>−5</sup>`) and a percentage a
 * no-break space (`&nbsp;%`); escaped again they would show as code. In a plain template literal
 * (the notebooks' HTML strings) they give the same markup.
 */
import { raw, type SafeHtml } from "./template";

/**
 * A number for the text: `digits` significant digits (default 3), thousands separated by a thin
 * space, no exponent between 1e-4 and 1e7; NaN and infinities as "n/a".
 */
export function fmt(v: number | null | undefined, digits = 3): SafeHtml {
  if (v === undefined || v === null || !Number.isFinite(v)) return raw("n/a");
  if (v === 0) return raw("0");
  const a = Math.abs(v);
  if (a < 1e-4 || a >= 1e7) {
    const [mant, exp] = v.toExponential(digits - 1).split("e");
    return raw(`${mant}&thinsp;×&thinsp;10<sup>${Number(exp)}</sup>`);
  }
  return raw(groupThousands(Number(v.toPrecision(digits)).toString()));
}

/** A number with a fixed count of decimals (R², percentages), thousands grouped. */
export function fixed(v: number | null | undefined, decimals: number): SafeHtml {
  if (v === undefined || v === null || !Number.isFinite(v)) return raw("n/a");
  return raw(groupThousands(v.toFixed(decimals)));
}

/** An integer with thousands grouped. */
export function int(v: number | null | undefined): SafeHtml {
  if (v === undefined || v === null || !Number.isFinite(v)) return raw("n/a");
  return raw(groupThousands(Math.round(v).toString()));
}

/** A fraction as a percentage, e.g. 0.4321 -> "43.2 %". */
export function percent(fraction: number | null | undefined, decimals = 1): SafeHtml {
  if (fraction === undefined || fraction === null || !Number.isFinite(fraction)) return raw("n/a");
  return raw(`${fixed(100 * fraction, decimals)}&nbsp;%`);
}

/** Digits of a number with the integer part's thousands separated by a thin space (from five digits on), the minus sign typeset. */
function groupThousands(s: string): string {
  const neg = s.startsWith("-");
  const [i, f] = (neg ? s.slice(1) : s).split(".");
  const grouped = i.length > 4 ? i.replace(/\B(?=(\d{3})+(?!\d))/g, "&#8201;") : i;
  return `${neg ? "−" : ""}${grouped}${f !== undefined ? "." + f : ""}`;
}
