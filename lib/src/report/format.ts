/**
 * The report's number formats (html.ts) as SafeHtml, for html`` templates. Their output is markup,
 * not text: thousands are separated by a thin space written as an entity (`&#8201;`), small and
 * large numbers carry an exponent in `<sup>` (`1.2&thinsp;×&thinsp;10<sup>−5</sup>`) and a
 * percentage a no-break space (`&nbsp;%`); escaped again they would show as code. The string
 * versions in html.ts stay for the code that builds HTML by hand.
 */
import * as text from "./html";
import { raw, type SafeHtml } from "./template";

/** {@link text.fmt}: `digits` significant digits (default 3); "n/a" when not finite. */
export function fmt(v: number | null | undefined, digits = 3): SafeHtml {
  return raw(text.fmt(v, digits));
}

/** {@link text.fixed}: a fixed count of decimals. */
export function fixed(v: number | null | undefined, decimals: number): SafeHtml {
  return raw(text.fixed(v, decimals));
}

/** {@link text.int}: an integer, thousands grouped. */
export function int(v: number | null | undefined): SafeHtml {
  return raw(text.int(v));
}

/** {@link text.percent}: a fraction as a percentage, e.g. 0.4321 -> "43.2 %". */
export function percent(fraction: number | null | undefined, decimals = 1): SafeHtml {
  return raw(text.percent(fraction, decimals));
}
