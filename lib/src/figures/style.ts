/**
 * The look shared by every figure: one serif font (the report's), colour-blind-safe colours
 * (Okabe-Ito) with one colour per estimator variant used everywhere, and axis titles that always
 * carry their unit.
 */
import type { Axis, Layout, Trace } from "./types";

/** Target variants of the estimator, as in the configuration (TargetVariant). */
export type Variant = "mkl0" | "rhol0";

/** Colours: each variant keeps its colour in every figure; the floor and the truth are neutral. */
export const COLORS = {
  /** The (m, k, l0) network. */
  mkl0: "#0072B2",
  /** The (rho, l0) network. */
  rhol0: "#D55E00",
  /** The Bayes estimator E[. | rho], the identifiability floor. */
  bayes: "#1a1a1a",
  /** Identity lines, true values, reference lines. */
  reference: "#8c8c8c",
  /** Lines of constant rho. */
  isoline: "#b9b9b9",
  /** Ground, legs, the walker. */
  ink: "#222222",
  /** Subjects in the record figures (distinct from the variant colours). */
  subjects: ["#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#666666"],
} as const;

/** Display names of the variants. */
export const VARIANT_LABEL: Record<Variant, string> = {
  mkl0: "network (<i>m</i>, <i>k</i>, <i>ℓ</i><sub>0</sub>)",
  rhol0: "network (<i>ρ</i>, <i>ℓ</i><sub>0</sub>)",
};

/** The study's quantities: symbol (plotly HTML) and SI unit. */
export const QUANTITIES = {
  m: { label: "mass <i>m</i>", symbol: "<i>m</i>", unit: "kg" },
  k: { label: "leg stiffness <i>k</i>", symbol: "<i>k</i>", unit: "N/m", tickformat: "d" },
  l0: { label: "rest leg length <i>ℓ</i><sub>0</sub>", symbol: "<i>ℓ</i><sub>0</sub>", unit: "m" },
  rho: { label: "<i>ρ</i> = <i>k</i>/<i>m</i>", symbol: "<i>ρ</i>", unit: "1/s²" },
} as const;
export type Quantity = keyof typeof QUANTITIES;

/** The report's font, also used inside the plots. */
export const FONT_FAMILY = 'Charter, "Bitstream Charter", "Sitka Text", Cambria, Georgia, "DejaVu Serif", serif';

/** An axis titled "label (unit)", with the report's lines and ticks. */
export function axis(label: string, unit: string, extra: Record<string, unknown> = {}): Axis {
  return {
    title: { text: unit ? `${label} (${unit})` : label, standoff: 8 },
    showline: true,
    linecolor: "#444",
    linewidth: 1,
    mirror: true,
    ticks: "outside",
    ticklen: 4,
    tickcolor: "#444",
    gridcolor: "#ececec",
    zeroline: false,
    automargin: true,
    ...extra,
  };
}

/** An axis of one of the study's quantities, e.g. "true mass m (kg)". */
export function quantityAxis(q: Quantity, prefix = "", extra: Record<string, unknown> = {}): Axis {
  const quantity: { label: string; unit: string; tickformat?: string } = QUANTITIES[q];
  const ticks = quantity.tickformat ? { tickformat: quantity.tickformat } : {};
  return axis(prefix ? `${prefix} ${quantity.label}` : quantity.label, quantity.unit, { ...ticks, ...extra });
}

/** The layout every figure starts from. */
export function baseLayout(extra: Partial<Layout> = {}): Layout {
  return {
    font: { family: FONT_FAMILY, size: 13, color: "#1a1a1a" },
    paper_bgcolor: "#ffffff",
    plot_bgcolor: "#ffffff",
    margin: { l: 64, r: 16, t: 24, b: 56 },
    legend: { bgcolor: "rgba(255,255,255,0.85)", borderwidth: 0, font: { size: 12 } },
    hoverlabel: { font: { family: FONT_FAMILY } },
    ...extra,
  };
}

/** A subplot title placed above a subplot's x domain [x0, x1] at paper height y. */
export function panelTitle(text: string, x0: number, x1: number, y = 1.0): Record<string, unknown> {
  return {
    text,
    x: (x0 + x1) / 2,
    y,
    xref: "paper",
    yref: "paper",
    xanchor: "center",
    yanchor: "bottom",
    showarrow: false,
    font: { size: 14 },
  };
}

/** The identity line y = x over [lo, hi], for predicted-against-true panels. */
export function identityLine(lo: number, hi: number, axes: { xaxis?: string; yaxis?: string } = {}, showlegend = false): Trace {
  return {
    type: "scatter",
    mode: "lines",
    name: "identity (perfect estimate)",
    x: [lo, hi],
    y: [lo, hi],
    line: { color: COLORS.reference, width: 1.2, dash: "dash" },
    hoverinfo: "skip",
    legendgroup: "identity",
    showlegend,
    ...axes,
  };
}

/** Smallest and largest finite value over several arrays, widened by `pad` of the span. */
export function extent(arrays: ArrayLike<number>[], pad = 0): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (lo > hi) return [0, 1];
  const span = hi - lo || Math.abs(hi) || 1;
  return [lo - pad * span, hi + pad * span];
}
