/**
 * Figures of the posterior experiment as pure functions, data in, plotly {data, layout} out (the
 * look of src/figures: one font, Okabe-Ito colours, a unit on every axis):
 * - the learned and the exact posterior density of m, one panel per record;
 * - posterior draws of (m, k) with the exact posterior's segment k = rho m, one panel per record;
 * - SBC rank histograms, one panel per quantity, with the count every bin expects.
 */
import { COLORS, QUANTITIES, axis, baseLayout, panelTitle, type Quantity } from "./style";
import type { Axis, Figure, Layout, Trace } from "./types";

/** The posterior variant's colour (distinct from the two point-estimate networks' and the observation models'). */
export const POSTERIOR_COLOR = "#CC79A7";

/**
 * The axes' look (that of {@link axis}) given once as the layout's template, which plotly applies
 * to every x and every y axis; each axis then carries only its title, domain and anchor. With
 * three or four panels this keeps a figure about 2 kB smaller (the quick report's 2 MB).
 */
function axisTemplate(): Record<string, unknown> {
  const { title: _title, ...style } = axis("", "");
  return { layout: { xaxis: style, yaxis: style } };
}

/** An axis titled "label (unit)" whose look comes from {@link axisTemplate}. */
function leanAxis(label: string, unit: string, extra: Record<string, unknown> = {}): Axis {
  return { title: axis(label, unit).title, ...extra };
}

/** A trace's legend entry: named and shown in the first panel; in the others only its group (clicking the entry toggles all), no name to store. */
function legend(panel: number, name: string, group: string): Pick<Trace, "name" | "legendgroup" | "showlegend"> {
  return panel === 0 ? { name, legendgroup: group, showlegend: true } : { legendgroup: group, showlegend: false };
}

/** x domains of `n` panels side by side. */
function columns(n: number, gap = 0.08): [number, number][] {
  const w = (1 - gap * (n - 1)) / n;
  return Array.from({ length: n }, (_, i) => [i * (w + gap), i * (w + gap) + w]);
}

/** One panel of {@link posteriorDensityFigure}: a record's learned and exact densities of m. */
export interface PosteriorDensityPanel {
  /** Panel title (plotly HTML), e.g. "lowest ρ: 110 1/s²". */
  title: string;
  /** Learned density (1/kg) on a grid of m (kg). */
  learned: { m: readonly number[]; density: readonly number[] };
  /** Exact density (1/kg) as a polyline over m (kg). */
  exact: { m: readonly number[]; density: readonly number[] };
  /** The record's true m, kg. */
  trueM: number;
}

/** Figure: the learned (coloured) and the exact (black, dashed) posterior density of m for each record, the true m as a grey line; panels side by side. */
export function posteriorDensityFigure(panels: readonly PosteriorDensityPanel[]): Figure {
  if (panels.length === 0) throw new Error("posteriorDensityFigure needs at least one panel");
  const cols = columns(panels.length);
  const layout: Layout = baseLayout({ template: axisTemplate(), height: 360, margin: { l: 64, r: 16, t: 40, b: 56 }, legend: { orientation: "h", x: 0, y: -0.22, yanchor: "top", font: { size: 12 } } });
  const data: Trace[] = [];
  const annotations: Record<string, unknown>[] = [];
  panels.forEach((p, i) => {
    const s = i === 0 ? "" : String(i + 1);
    const top = Math.max(...p.learned.density.filter(Number.isFinite), ...p.exact.density) * 1.08 || 1;
    layout[`xaxis${s}`] = leanAxis("mass <i>m</i>", "kg", { domain: cols[i], anchor: `y${s}` });
    layout[`yaxis${s}`] = leanAxis(i === 0 ? "posterior density" : "", i === 0 ? "1/kg" : "", { anchor: `x${s}`, range: [0, top] });
    const ax = { xaxis: `x${s}`, yaxis: `y${s}` };
    data.push(
      { type: "scatter", mode: "lines", ...legend(i, "learned posterior", "l"), x: [...p.learned.m], y: [...p.learned.density], line: { color: POSTERIOR_COLOR, width: 2.2 }, hoverinfo: "x+y", ...ax },
      { type: "scatter", mode: "lines", ...legend(i, "exact posterior p(<i>m</i> | <i>ρ</i>)", "e"), x: [...p.exact.m], y: [...p.exact.density], line: { color: COLORS.bayes, width: 1.6, dash: "dash" }, hoverinfo: "skip", ...ax },
      { type: "scatter", mode: "lines", ...legend(i, "true <i>m</i>", "t"), x: [p.trueM, p.trueM], y: [0, top], line: { color: COLORS.reference, width: 1.2, dash: "dot" }, hoverinfo: "skip", ...ax },
    );
    annotations.push(panelTitle(`(${String.fromCharCode(97 + i)}) ${p.title}`, cols[i][0], cols[i][1], 1.02));
  });
  layout.annotations = annotations;
  return { data, layout };
}

/** One panel of {@link posteriorPlaneFigure}: a record's posterior draws of (m, k) and the exact segment. */
export interface PosteriorPlanePanel {
  title: string;
  /** Draws of the learned posterior: m kg, k N/m. */
  samples: { m: readonly number[]; k: readonly number[] };
  /** The exact posterior's support: k = rho m from (m[0], k[0]) to (m[1], k[1]). */
  segment: { m: readonly [number, number]; k: readonly [number, number] };
  /** The record's true (m, k). */
  truth: { m: number; k: number };
}

/** Figure: draws of the learned posterior of (m, k) (dots) on the exact posterior's segment of constant rho (black line), the truth as a cross; panels side by side. */
export function posteriorPlaneFigure(panels: readonly PosteriorPlanePanel[]): Figure {
  if (panels.length === 0) throw new Error("posteriorPlaneFigure needs at least one panel");
  const cols = columns(panels.length, 0.1);
  const layout: Layout = baseLayout({ template: axisTemplate(), height: 380, margin: { l: 70, r: 16, t: 40, b: 56 }, legend: { orientation: "h", x: 0, y: -0.22, yanchor: "top", font: { size: 12 } } });
  const data: Trace[] = [];
  const annotations: Record<string, unknown>[] = [];
  panels.forEach((p, i) => {
    const s = i === 0 ? "" : String(i + 1);
    layout[`xaxis${s}`] = leanAxis("mass <i>m</i>", "kg", { domain: cols[i], anchor: `y${s}` });
    layout[`yaxis${s}`] = leanAxis(i === 0 ? "leg stiffness <i>k</i>" : "", i === 0 ? "N/m" : "", { anchor: `x${s}`, tickformat: "d" });
    const ax = { xaxis: `x${s}`, yaxis: `y${s}` };
    data.push(
      { type: "scatter", mode: "markers", ...legend(i, "draws of the learned posterior", "d"), x: [...p.samples.m], y: [...p.samples.k], marker: { color: POSTERIOR_COLOR, size: 4, opacity: 0.45 }, hoverinfo: "x+y", ...ax },
      { type: "scatter", mode: "lines", ...legend(i, "exact posterior: <i>k</i> = <i>ρ m</i>, <i>m</i> in [<i>a</i>, <i>b</i>]", "s"), x: [...p.segment.m], y: [...p.segment.k], line: { color: COLORS.bayes, width: 2 }, hoverinfo: "skip", ...ax },
      { type: "scatter", mode: "markers", ...legend(i, "true (<i>m</i>, <i>k</i>)", "t"), x: [p.truth.m], y: [p.truth.k], marker: { color: COLORS.ink, size: 10, symbol: "x-thin-open", line: { width: 2, color: COLORS.ink } }, hoverinfo: "x+y", ...ax },
    );
    annotations.push(panelTitle(`(${String.fromCharCode(97 + i)}) ${p.title}`, cols[i][0], cols[i][1], 1.02));
  });
  layout.annotations = annotations;
  return { data, layout };
}

/** One panel of {@link sbcFigure}: the rank histogram of one quantity. */
export interface SbcPanel {
  quantity: Quantity;
  /** Counts of the truth's ranks in equal bins of 0..samples. */
  histogram: readonly number[];
  /** Posterior draws per record (ranks run from 0 to samples). */
  samples: number;
  /** The chi-square test's p-value of uniformity. */
  pValue: number;
}

/**
 * Figure: SBC rank histograms, one panel per quantity (two columns), bars at the centre of each
 * bin of ranks, with the count each bin expects if the posterior is calibrated (records / bins)
 * as a dashed line; the quantity and the chi-square p-value in each panel's x-axis title.
 */
export function sbcFigure(panels: readonly SbcPanel[]): Figure {
  if (panels.length === 0) throw new Error("sbcFigure needs at least one panel");
  const n = panels.length, cols = Math.min(2, n), rows = Math.ceil(n / cols);
  const gapX = 0.1, gapY = 0.2;
  const w = (1 - gapX * (cols - 1)) / cols, h = (1 - gapY * (rows - 1)) / rows;
  const layout: Layout = baseLayout({ template: axisTemplate(), height: 260 * rows + 90, margin: { l: 64, r: 16, t: 16, b: 40 }, bargap: 0.06, legend: { orientation: "h", x: 0, y: -0.1, yanchor: "top", font: { size: 12 } } });
  const data: Trace[] = [];
  panels.forEach((p, i) => {
    const s = i === 0 ? "" : String(i + 1);
    const c = i % cols, r = Math.floor(i / cols);
    const x: [number, number] = [c * (w + gapX), c * (w + gapX) + w], y: [number, number] = [1 - r * (h + gapY) - h, 1 - r * (h + gapY)];
    const bins = p.histogram.length, width = (p.samples + 1) / bins;
    const records = p.histogram.reduce((a, b) => a + b, 0);
    const expected = records / bins;
    const centres = p.histogram.map((_, j) => (j + 0.5) * width);
    const pText = p.pValue >= 0.001 ? p.pValue.toFixed(3) : p.pValue.toExponential(1);
    layout[`xaxis${s}`] = leanAxis(`rank of the true ${QUANTITIES[p.quantity].symbol}, χ² <i>p</i> = ${pText}`, `among ${p.samples} draws`, { domain: x, anchor: `y${s}`, range: [0, p.samples + 1] });
    layout[`yaxis${s}`] = leanAxis("records", "count", { domain: y, anchor: `x${s}`, rangemode: "tozero" });
    const ax = { xaxis: `x${s}`, yaxis: `y${s}` };
    data.push(
      { type: "bar", ...legend(i, "ranks of the true value", "r"), x: centres, y: [...p.histogram], marker: { color: POSTERIOR_COLOR }, hoverinfo: "y", ...ax },
      { type: "scatter", mode: "lines", ...legend(i, "expected count if calibrated", "x"), x: [0, p.samples + 1], y: [expected, expected], line: { color: COLORS.bayes, width: 1.6, dash: "dash" }, hoverinfo: "skip", ...ax },
    );
  });
  return { data, layout };
}
