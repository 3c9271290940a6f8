/** What every section writes the same way: symbols and units from the one table of quantities, variant names, ranges. */
import { QUANTITIES, type Quantity, type Variant } from "../../figures/style";
import type { TargetMetrics } from "../../estimator/run";
import { fmt } from "../format";
import { html, rawValues, type SafeHtml } from "../template";

/** Symbol of a quantity (HTML), from figures/style.ts. */
export const SYM = Object.fromEntries(Object.entries(QUANTITIES).map(([q, v]) => [q, v.symbol])) as Record<Quantity, string>;
/** SI unit of a quantity, from figures/style.ts. */
export const UNIT = Object.fromEntries(Object.entries(QUANTITIES).map(([q, v]) => [q, v.unit])) as Record<Quantity, string>;
/** The variants as the text names them: by their targets. */
export const VARIANT_NAME: Record<Variant, string> = { mkl0: `(${SYM.m}, ${SYM.k}, ${SYM.l0})`, rhol0: `(${SYM.rho}, ${SYM.l0})` };

/** {@link SYM} as SafeHtml, for html`` templates. */
export const sym: Record<Quantity, SafeHtml> = rawValues(SYM);
/** {@link UNIT} as SafeHtml, for html`` templates. */
export const unit: Record<Quantity, SafeHtml> = rawValues(UNIT);
/** {@link VARIANT_NAME} as SafeHtml, for html`` templates. */
export const variantText: Record<Variant, SafeHtml> = rawValues(VARIANT_NAME);

/** A range [lo, hi] for the text. */
export function range(r: readonly [number, number], digits = 4): SafeHtml {
  return html`[${fmt(r[0], digits)}, ${fmt(r[1], digits)}]`;
}

/** "R² = 0.987" for a metric. */
export function r2note(m: TargetMetrics): string {
  return `<i>R</i><sup>2</sup> = ${m.r2 === null || m.r2 === undefined || !Number.isFinite(m.r2) ? "n/a" : m.r2.toFixed(3)}`;
}
