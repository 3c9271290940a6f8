/**
 * Figures of the results: predicted against true for each variant (with the Bayes estimator
 * E[. | rho] for m and k), learning curves, the (m, k) plane with lines of constant rho, and each
 * parameter's error beside the identifiability floor. Data in, plotly figure out.
 */
import { COLORS, QUANTITIES, VARIANT_LABEL, axis, baseLayout, extent, identityLine, panelTitle, quantityAxis, type Quantity, type Variant } from "./style";
import type { Figure, Layout, Trace } from "./types";

/** One set of (true, predicted) pairs drawn in a panel. */
export interface PredictionSeries {
  /** Legend name (plotly HTML). */
  name: string;
  color: string;
  /** True and predicted values, SI units of the panel's quantity, same length. */
  true: ArrayLike<number>;
  pred: ArrayLike<number>;
  /** Marker symbol (default "circle"). */
  symbol?: string;
  /** Marker size in px (default 5). */
  size?: number;
  opacity?: number;
}

/** A predicted-against-true panel of one quantity. */
export interface PredictionPanel {
  quantity: Quantity;
  series: PredictionSeries[];
  /** Text under the panel title, e.g. "R² = 0.998" (plotly HTML). */
  note?: string;
}

/**
 * Figure: predicted against true, one panel per quantity side by side, each with the identity line
 * and its series (a series keeps its legend entry once across panels). Axes in SI units.
 */
export function predictedVsTrueFigure(panels: readonly PredictionPanel[]): Figure {
  if (panels.length === 0) throw new Error("predictedVsTrueFigure needs at least one panel");
  const n = panels.length;
  const gap = n > 1 ? 0.09 : 0;
  const w = (1 - gap * (n - 1)) / n;
  const data: Trace[] = [];
  const layout: Layout = baseLayout({
    height: n > 2 ? 400 : 420,
    margin: { l: 64, r: 16, t: 40, b: 56 },
    legend: { orientation: "h", x: 0, y: -0.2, yanchor: "top", font: { size: 12 } },
  });
  const annotations: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  panels.forEach((p, i) => {
    const suffix = i === 0 ? "" : String(i + 1);
    const xa = `x${suffix}`, ya = `y${suffix}`;
    const domain: [number, number] = [i * (w + gap), i * (w + gap) + w];
    const [lo, hi] = extent(p.series.flatMap((s) => [s.true, s.pred]), 0.04);
    layout[`xaxis${suffix}`] = quantityAxis(p.quantity, "true", { domain, anchor: ya, range: [lo, hi] });
    layout[`yaxis${suffix}`] = quantityAxis(p.quantity, "predicted", { anchor: xa, range: [lo, hi] });
    data.push(identityLine(lo, hi, { xaxis: xa, yaxis: ya }, i === 0));
    for (const s of p.series) {
      const first = !seen.has(s.name);
      seen.add(s.name);
      data.push({
        type: "scatter",
        mode: "markers",
        name: s.name,
        legendgroup: s.name,
        showlegend: first,
        x: Array.from(s.true),
        y: Array.from(s.pred),
        marker: { color: s.color, size: s.size ?? 5, symbol: s.symbol ?? "circle", opacity: s.opacity ?? 0.55, line: { width: 0 } },
        xaxis: xa,
        yaxis: ya,
        hovertemplate: `true %{x:.4g}<br>estimate %{y:.4g} ${QUANTITIES[p.quantity].unit}<extra>${s.name}</extra>`,
      });
    }
    const title = `${String.fromCharCode(97 + i)}) ${QUANTITIES[p.quantity].label}${p.note ? `: ${p.note}` : ""}`;
    annotations.push(panelTitle(`(${title}`, domain[0], domain[1], 1.02));
  });
  layout.annotations = annotations;
  return { data, layout };
}

/** True and predicted test-set values of one variant, by quantity (SI units). */
export interface VariantPredictions {
  variant: Variant;
  true: Partial<Record<Quantity, ArrayLike<number>>>;
  pred: Partial<Record<Quantity, ArrayLike<number>>>;
}

function need(p: VariantPredictions, q: Quantity): { t: ArrayLike<number>; p: ArrayLike<number> } {
  const t = p.true[q], pr = p.pred[q];
  if (!t || !pr) throw new Error(`the ${p.variant} predictions have no ${q} column`);
  return { t, p: pr };
}

/**
 * Figure of the report's results: the (m, k, l0) variant, predicted against true for m, k and l0; over m and k the Bayes
 * estimator E[m | rho], E[k | rho] at each test record (the best any estimator can do from (x, y)).
 * `notes` are shown beside the panel titles (e.g. R²).
 */
export function mkl0PredictionFigure(
  pred: VariantPredictions,
  bayes: { m: ArrayLike<number>; k: ArrayLike<number> },
  notes: Partial<Record<Quantity, string>> = {},
): Figure {
  const bayesSeries = (q: "m" | "k"): PredictionSeries => ({
    name: "Bayes estimator E[· | <i>ρ</i>] (the floor)",
    color: COLORS.bayes,
    true: need(pred, q).t,
    pred: bayes[q],
    size: 3,
    opacity: 0.8,
  });
  const net = (q: Quantity): PredictionSeries => ({ name: VARIANT_LABEL.mkl0, color: COLORS.mkl0, true: need(pred, q).t, pred: need(pred, q).p });
  return predictedVsTrueFigure([
    { quantity: "m", series: [net("m"), bayesSeries("m")], note: notes.m },
    { quantity: "k", series: [net("k"), bayesSeries("k")], note: notes.k },
    { quantity: "l0", series: [net("l0")], note: notes.l0 },
  ]);
}

/**
 * Figure of the report's results: the (rho, l0) variant, predicted against true for rho and l0; with `mkl0`, the ratio
 * k_pred / m_pred of the (m, k, l0) network is drawn over the rho panel for comparison.
 */
export function rhol0PredictionFigure(
  pred: VariantPredictions,
  mkl0?: VariantPredictions,
  notes: Partial<Record<Quantity, string>> = {},
): Figure {
  const rho = need(pred, "rho"), l0 = need(pred, "l0");
  const rhoSeries: PredictionSeries[] = [{ name: VARIANT_LABEL.rhol0, color: COLORS.rhol0, true: rho.t, pred: rho.p }];
  if (mkl0) {
    const m = need(mkl0, "m"), k = need(mkl0, "k");
    const trueRho = Array.from(m.t, (mv, i) => k.t[i] / mv);
    const ratio = Array.from(m.p, (mv, i) => k.p[i] / mv);
    rhoSeries.push({ name: `${VARIANT_LABEL.mkl0}: <i>k̂</i>/<i>m̂</i>`, color: COLORS.mkl0, true: trueRho, pred: ratio, size: 4, opacity: 0.45 });
  }
  return predictedVsTrueFigure([
    { quantity: "rho", series: rhoSeries, note: notes.rho },
    { quantity: "l0", series: [{ name: VARIANT_LABEL.rhol0, color: COLORS.rhol0, true: l0.t, pred: l0.p }], note: notes.l0 },
  ]);
}

/** Loss per epoch of one training run. */
export interface LearningCurve {
  variant: Variant;
  epoch: ArrayLike<number>;
  trainLoss: ArrayLike<number>;
  valLoss: ArrayLike<number>;
}

/**
 * Figure of the report's results: learning curves, training (solid) and validation (dashed) loss per epoch of both
 * variants, logarithmic loss axis. `lossLabel` and `lossUnit` name the loss and its unit (default: the
 * mean squared error of the standardised targets, dimensionless).
 */
export function learningCurvesFigure(curves: readonly LearningCurve[], lossLabel = "standardised MSE loss", lossUnit = "dimensionless"): Figure {
  const data: Trace[] = [];
  for (const c of curves) {
    const color = COLORS[c.variant];
    data.push(
      { type: "scatter", mode: "lines", name: `${VARIANT_LABEL[c.variant]}: training`, x: Array.from(c.epoch), y: Array.from(c.trainLoss), line: { color, width: 2 }, hovertemplate: "epoch %{x}<br>%{y:.4g}<extra>training</extra>" },
      { type: "scatter", mode: "lines", name: `${VARIANT_LABEL[c.variant]}: validation`, x: Array.from(c.epoch), y: Array.from(c.valLoss), line: { color, width: 2, dash: "dash" }, hovertemplate: "epoch %{x}<br>%{y:.4g}<extra>validation</extra>" },
    );
  }
  return {
    data,
    layout: baseLayout({
      height: 400,
      xaxis: axis("epoch", ""),
      yaxis: axis(lossLabel, lossUnit, { type: "log" }),
      legend: { orientation: "v", x: 0.99, y: 0.99, xanchor: "right", yanchor: "top", font: { size: 12 } },
    }),
  };
}

/** Input of {@link massStiffnessPlaneFigure}. SI units. */
export interface MassStiffnessPlane {
  mTrue: ArrayLike<number>;
  kTrue: ArrayLike<number>;
  mPred: ArrayLike<number>;
  kPred: ArrayLike<number>;
  /** Values of rho (1/s^2) whose lines k = rho m are drawn. */
  rhoLines: readonly number[];
  /** Prior box of (m, k): kg and N/m. */
  mRange: readonly [number, number];
  kRange: readonly [number, number];
  /** The Bayes locus (E[m | rho], E[k | rho]) as rho runs over its range. */
  bayesLocus?: { m: ArrayLike<number>; k: ArrayLike<number> };
  /** At most this many true-to-predicted segments (default 150). */
  maxSegments?: number;
}

/** The lines k = rho m clipped to the plotted box [m0, m1] × [k0, k1], each with its label at its right end. */
function rhoLines(rhos: readonly number[], [m0, m1]: readonly [number, number], [k0, k1]: readonly [number, number]): { data: Trace[]; annotations: Record<string, unknown>[] } {
  const data: Trace[] = [];
  const annotations: Record<string, unknown>[] = [];
  rhos.forEach((rho, i) => {
    const a = Math.max(m0, k0 / rho), b = Math.min(m1, k1 / rho);
    if (!(a < b)) return;
    data.push({
      type: "scatter",
      mode: "lines",
      name: "lines of constant <i>ρ</i> = <i>k</i>/<i>m</i>",
      legendgroup: "iso",
      showlegend: i === 0,
      x: [a, b],
      y: [rho * a, rho * b],
      line: { color: COLORS.isoline, width: 1 },
      hovertemplate: `ρ = ${rho} 1/s²<extra></extra>`,
    });
    annotations.push({
      x: b,
      y: rho * b,
      text: `<i>ρ</i> = ${rho}`,
      showarrow: false,
      xanchor: "right",
      yanchor: b >= m1 - 1e-9 ? "bottom" : "top",
      bgcolor: "rgba(255,255,255,0.85)",
      font: { size: 11, color: "#666" },
    });
  });
  return { data, annotations };
}

/** The prior box of (m, k), dashed. */
function priorBox(p: MassStiffnessPlane): Trace {
  return {
    type: "scatter",
    mode: "lines",
    name: "prior box",
    x: [p.mRange[0], p.mRange[1], p.mRange[1], p.mRange[0], p.mRange[0]],
    y: [p.kRange[0], p.kRange[0], p.kRange[1], p.kRange[1], p.kRange[0]],
    line: { color: COLORS.reference, width: 1, dash: "dash" },
    hoverinfo: "skip",
  };
}

/** Segments from true pairs to their predictions (at most `maxSegments`, evenly spread), the true pairs and the predicted ones. */
function truthAndPredictions(p: MassStiffnessPlane): Trace[] {
  const nSeg = Math.min(p.maxSegments ?? 150, p.mTrue.length);
  const sx: (number | null)[] = [], sy: (number | null)[] = [];
  for (let j = 0; j < nSeg; j++) {
    const i = Math.floor((j * p.mTrue.length) / nSeg);
    sx.push(p.mTrue[i], p.mPred[i], null);
    sy.push(p.kTrue[i], p.kPred[i], null);
  }
  return [
    { type: "scatter", mode: "lines", name: "true → predicted", x: sx, y: sy, line: { color: COLORS.mkl0, width: 0.6 }, opacity: 0.35, hoverinfo: "skip" },
    {
      type: "scatter",
      mode: "markers",
      name: "true (<i>m</i>, <i>k</i>)",
      x: Array.from(p.mTrue),
      y: Array.from(p.kTrue),
      marker: { color: "rgba(0,0,0,0)", size: 5, line: { color: COLORS.reference, width: 1 } },
      hovertemplate: "true m = %{x:.2f} kg, k = %{y:.0f} N/m<extra></extra>",
    },
    {
      type: "scatter",
      mode: "markers",
      name: `predicted by the ${VARIANT_LABEL.mkl0}`,
      x: Array.from(p.mPred),
      y: Array.from(p.kPred),
      marker: { color: COLORS.mkl0, size: 5, opacity: 0.7 },
      hovertemplate: "predicted m = %{x:.2f} kg, k = %{y:.0f} N/m<extra></extra>",
    },
  ];
}

/** The Bayes locus (E[m | rho], E[k | rho]) as a line. */
function bayesLocusLine(locus: NonNullable<MassStiffnessPlane["bayesLocus"]>): Trace {
  return {
    type: "scatter",
    mode: "lines",
    name: "Bayes locus (E[<i>m</i> | <i>ρ</i>], E[<i>k</i> | <i>ρ</i>])",
    x: Array.from(locus.m),
    y: Array.from(locus.k),
    line: { color: COLORS.bayes, width: 2 },
    hoverinfo: "skip",
  };
}

/**
 * Figure of the report's floor section: the (m, k) plane. True pairs fill the prior box; the network's predicted pairs fall
 * onto the lines of constant rho through them (segments from each true pair to its prediction
 * run along those lines) and gather on the Bayes locus: unidentifiability made visible.
 */
export function massStiffnessPlaneFigure(p: MassStiffnessPlane): Figure {
  const mBox = extent([p.mTrue, p.mPred, p.mRange], 0.06);
  const kBox = extent([p.kTrue, p.kPred, p.kRange], 0.06);
  const lines = rhoLines(p.rhoLines, mBox, kBox);
  const data: Trace[] = [...lines.data, priorBox(p), ...truthAndPredictions(p)];
  if (p.bayesLocus) data.push(bayesLocusLine(p.bayesLocus));
  return {
    data,
    layout: baseLayout({
      height: 520,
      xaxis: quantityAxis("m", "", { range: mBox }),
      yaxis: quantityAxis("k", "", { range: kBox }),
      legend: { orientation: "v", x: 1.02, y: 1, xanchor: "left", font: { size: 12 } },
      annotations: lines.annotations,
    }),
  };
}

/** One bar of an error panel: an RMSE in the panel quantity's unit. */
export interface ErrorBar {
  /** Legend name (plotly HTML); bars of the same name share a colour and one legend entry. */
  name: string;
  color: string;
  rmse: number;
  /** Position in the legend (lower first; default: order of first appearance). */
  rank?: number;
}

/** The bars of one parameter. */
export interface ErrorPanel {
  quantity: Quantity;
  bars: ErrorBar[];
}

/**
 * Figure of the report's floor section: error against the floor. One panel per parameter (own unit): the networks' test RMSE
 * beside the identifiability floor (the RMSE of E[. | rho], 0 for identifiable parameters) and the
 * spread of the true values (the RMSE of predicting the mean).
 */
export function errorFloorFigure(panels: readonly ErrorPanel[]): Figure {
  if (panels.length === 0) throw new Error("errorFloorFigure needs at least one panel");
  const n = panels.length;
  const gap = 0.08;
  const w = (1 - gap * (n - 1)) / n;
  const layout: Layout = baseLayout({
    height: 400,
    margin: { l: 64, r: 16, t: 40, b: 40 },
    bargap: 0.25,
    barmode: "overlay",
    legend: { orientation: "h", x: 0, y: -0.12, yanchor: "top", font: { size: 12 } },
  });
  const data: Trace[] = [];
  const seen = new Set<string>();
  const annotations: Record<string, unknown>[] = [];
  panels.forEach((p, i) => {
    const suffix = i === 0 ? "" : String(i + 1);
    const domain: [number, number] = [i * (w + gap), i * (w + gap) + w];
    const { symbol, unit } = QUANTITIES[p.quantity];
    layout[`xaxis${suffix}`] = axis("", "", { domain, anchor: `y${suffix}`, showticklabels: false, ticks: "" });
    layout[`yaxis${suffix}`] = axis(`RMSE of ${symbol}`, unit, { anchor: `x${suffix}`, rangemode: "tozero" });
    for (const b of p.bars) {
      const first = !seen.has(b.name);
      seen.add(b.name);
      data.push({
        type: "bar",
        name: b.name,
        legendgroup: b.name,
        showlegend: first,
        x: [b.name],
        y: [b.rmse],
        marker: { color: b.color },
        text: [formatBar(b.rmse)],
        textposition: "outside",
        textfont: { size: 12 },
        constraintext: "none",
        cliponaxis: false,
        ...(b.rank !== undefined ? { legendrank: b.rank } : {}),
        xaxis: `x${suffix}`,
        yaxis: `y${suffix}`,
        hovertemplate: `%{y:.4g} ${unit}<extra>${b.name}</extra>`,
      });
    }
    annotations.push(panelTitle(`(${String.fromCharCode(97 + i)}) ${QUANTITIES[p.quantity].label}`, domain[0], domain[1], 1.04));
  });
  layout.annotations = annotations;
  return { data, layout };
}

/** Three significant digits, no exponent for the magnitudes of this study. */
function formatBar(v: number): string {
  if (!Number.isFinite(v)) return "n/a";
  if (v === 0) return "0";
  return Number(v.toPrecision(3)).toString();
}
