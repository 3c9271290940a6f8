/**
 * Figures of the experiments as pure functions, data in, plotly {data, layout} out (the look of
 * src/figures: one font, Okabe-Ito colours, a unit on every axis):
 * - error against a setting (training-set size on a log axis, or noise level), one panel per
 *   parameter, with the identifiability floor as a line;
 * - error per architecture beside the floor;
 * - R^2 with and without the ground reaction force;
 * - histograms of sigma_min / sigma_max over records, per observation model.
 */
import { COLORS, QUANTITIES, axis, baseLayout, panelTitle, type Quantity } from "./style";
import type { Figure, Layout, Trace } from "./types";

/** Colours of the two observation models (distinct from the variant colours). */
export const OBSERVATION_COLORS = { xy: "#E69F00", "xy+grf": "#009E73" } as const;

/** One line of an error panel: y (RMSE, unit of the panel's quantity) at each x. */
export interface ErrorSeries {
  /** Legend name (plotly HTML); series of the same name share one legend entry. */
  name: string;
  color: string;
  x: readonly number[];
  y: readonly number[];
  /** "solid" (default), "dash", "dot". */
  dash?: string;
  /** Draw markers at the points (default true). */
  markers?: boolean;
}

/** One panel: the errors of one parameter. */
export interface ErrorCurvePanel {
  quantity: Quantity;
  series: ErrorSeries[];
}

/** Grid positions of `n` panels in `cols` columns: x and y domains of each. */
function grid(n: number, cols: number, gapX = 0.1, gapY = 0.16): { x: [number, number]; y: [number, number] }[] {
  const rows = Math.ceil(n / cols);
  const w = (1 - gapX * (cols - 1)) / cols, h = (1 - gapY * (rows - 1)) / rows;
  return Array.from({ length: n }, (_, i) => {
    const c = i % cols, r = Math.floor(i / cols);
    const top = 1 - r * (h + gapY);
    return { x: [c * (w + gapX), c * (w + gapX) + w], y: [top - h, top] };
  });
}

/**
 * Figure: the test RMSE of each parameter against an experiment's setting, one panel per
 * parameter (two columns), each in its own unit, with zero included. `xAxis` names the setting;
 * `log` puts it on a logarithmic axis (training-set sizes).
 */
export function errorCurvesFigure(panels: readonly ErrorCurvePanel[], xAxis: { label: string; unit: string; log?: boolean; tickvals?: number[]; ticktext?: string[] }): Figure {
  if (panels.length === 0) throw new Error("errorCurvesFigure needs at least one panel");
  const cols = panels.length > 1 ? 2 : 1;
  const cells = grid(panels.length, cols);
  const rows = Math.ceil(panels.length / cols);
  const layout: Layout = baseLayout({
    height: 300 * rows + 90,
    margin: { l: 70, r: 16, t: 34, b: 40 },
    legend: { orientation: "h", x: 0, y: -0.08, yanchor: "top", font: { size: 12 } },
  });
  const data: Trace[] = [];
  const annotations: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  panels.forEach((p, i) => {
    const s = i === 0 ? "" : String(i + 1);
    const { symbol, unit, label } = QUANTITIES[p.quantity];
    const ticks = xAxis.tickvals ? { tickvals: xAxis.tickvals, ticktext: xAxis.ticktext } : {};
    layout[`xaxis${s}`] = axis(xAxis.label, xAxis.unit, { domain: cells[i].x, anchor: `y${s}`, ...(xAxis.log ? { type: "log" } : {}), ...ticks });
    layout[`yaxis${s}`] = axis(`RMSE of ${symbol}`, unit, { domain: cells[i].y, anchor: `x${s}`, rangemode: "tozero" });
    for (const line of p.series) {
      const first = !seen.has(line.name);
      seen.add(line.name);
      data.push({
        type: "scatter",
        mode: line.markers === false ? "lines" : "lines+markers",
        name: line.name,
        legendgroup: line.name,
        showlegend: first,
        x: [...line.x],
        y: [...line.y],
        line: { color: line.color, width: 2, dash: line.dash ?? "solid" },
        marker: { color: line.color, size: 7 },
        xaxis: `x${s}`,
        yaxis: `y${s}`,
        hovertemplate: `%{x}: %{y:.4g} ${unit}<extra>${line.name}</extra>`,
      });
    }
    annotations.push(panelTitle(`(${String.fromCharCode(97 + i)}) ${label}`, cells[i].x[0], cells[i].x[1], cells[i].y[1] + 0.01));
  });
  layout.annotations = annotations;
  return { data, layout };
}

/** One panel of {@link categoryErrorFigure}: the RMSE of one parameter per category (e.g. architecture). */
export interface CategoryErrorPanel {
  quantity: Quantity;
  categories: readonly string[];
  /** RMSE per category, unit of the quantity. */
  rmse: readonly number[];
  /** The identifiability floor per category (omit for identifiable parameters: it is 0). */
  floor?: readonly number[];
  /** Spread of the true values (the RMSE of answering their mean). */
  spread?: readonly number[];
  /** Bar colour (default the (m, k, l0) network's). */
  color?: string;
  /** Legend name of the bars. */
  name: string;
}

/**
 * Figure: the RMSE of each parameter per category as bars, with the floor (black, dashed) and
 * the spread of the true values (grey, dotted) as lines over the categories; one panel per
 * parameter side by side, each in its own unit.
 */
export function categoryErrorFigure(panels: readonly CategoryErrorPanel[], categoryLabel: string): Figure {
  if (panels.length === 0) throw new Error("categoryErrorFigure needs at least one panel");
  const cols = Math.min(2, panels.length);
  const cells = grid(panels.length, cols, 0.1, 0.2);
  const rows = Math.ceil(panels.length / cols);
  const layout: Layout = baseLayout({
    height: 320 * rows + 90,
    margin: { l: 70, r: 16, t: 34, b: 40 },
    bargap: 0.35,
    legend: { orientation: "h", x: 0, y: -0.1, yanchor: "top", font: { size: 12 } },
  });
  const data: Trace[] = [];
  const annotations: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  const first = (name: string): boolean => {
    const f = !seen.has(name);
    seen.add(name);
    return f;
  };
  panels.forEach((p, i) => {
    const s = i === 0 ? "" : String(i + 1);
    const { symbol, unit, label } = QUANTITIES[p.quantity];
    layout[`xaxis${s}`] = axis(categoryLabel, "", { domain: cells[i].x, anchor: `y${s}`, type: "category" });
    layout[`yaxis${s}`] = axis(`RMSE of ${symbol}`, unit, { domain: cells[i].y, anchor: `x${s}`, rangemode: "tozero" });
    const cats = [...p.categories];
    data.push({
      type: "bar",
      name: p.name,
      legendgroup: p.name,
      showlegend: first(p.name),
      x: cats,
      y: [...p.rmse],
      marker: { color: p.color ?? COLORS.mkl0 },
      text: p.rmse.map((v) => Number(v.toPrecision(3)).toString()),
      textposition: "outside",
      cliponaxis: false,
      xaxis: `x${s}`,
      yaxis: `y${s}`,
      hovertemplate: `%{x}: %{y:.4g} ${unit}<extra>${p.name}</extra>`,
    });
    if (p.floor) {
      const name = "floor: E[· | <i>ρ</i>]";
      data.push({
        type: "scatter", mode: "lines+markers", name, legendgroup: name, showlegend: first(name), x: cats, y: [...p.floor],
        line: { color: COLORS.bayes, width: 2, dash: "dash" }, marker: { color: COLORS.bayes, size: 6, symbol: "line-ew-open" },
        xaxis: `x${s}`, yaxis: `y${s}`, hovertemplate: `floor %{y:.4g} ${unit}<extra></extra>`,
      });
    }
    if (p.spread) {
      const name = "spread of the true values";
      data.push({
        type: "scatter", mode: "lines", name, legendgroup: name, showlegend: first(name), x: cats, y: [...p.spread],
        line: { color: COLORS.reference, width: 1.5, dash: "dot" }, xaxis: `x${s}`, yaxis: `y${s}`, hovertemplate: `spread %{y:.4g} ${unit}<extra></extra>`,
      });
    }
    annotations.push(panelTitle(`(${String.fromCharCode(97 + i)}) ${label}`, cells[i].x[0], cells[i].x[1], cells[i].y[1] + 0.01));
  });
  layout.annotations = annotations;
  return { data, layout };
}

/** R^2 of one parameter with each set of inputs. */
export interface MultimodalBar {
  quantity: Quantity;
  /** R^2 of the network from (x, y) and from (x, y) + forces (dimensionless). */
  xy: number;
  grf: number;
  /** The best R^2 any estimator can reach from (x, y) (the Bayes estimator E[. | rho]; 1 for l0). */
  ceiling: number;
}

/**
 * Figure: R^2 of the (m, k, l0) network on the same test records from (x, y) alone and from
 * (x, y) with the ground reaction force, per parameter, with the ceiling of (x, y) as a black tick.
 */
export function multimodalFigure(bars: readonly MultimodalBar[]): Figure {
  const cats = bars.map((b) => QUANTITIES[b.quantity].label);
  const text = (v: number): string => (Number.isFinite(v) ? v.toFixed(3) : "n/a");
  const data: Trace[] = [
    {
      type: "bar", name: "inputs (<i>x</i>, <i>y</i>)", x: cats, y: bars.map((b) => b.xy), marker: { color: OBSERVATION_COLORS.xy },
      text: bars.map((b) => text(b.xy)), textposition: "outside", cliponaxis: false, hovertemplate: "%{x}: R² %{y:.4f}<extra>(x, y)</extra>",
    },
    {
      type: "bar", name: "inputs (<i>x</i>, <i>y</i>) + ground reaction force", x: cats, y: bars.map((b) => b.grf), marker: { color: OBSERVATION_COLORS["xy+grf"] },
      text: bars.map((b) => text(b.grf)), textposition: "outside", cliponaxis: false, hovertemplate: "%{x}: R² %{y:.4f}<extra>(x, y) + force</extra>",
    },
    {
      type: "scatter", mode: "markers", name: "ceiling from (<i>x</i>, <i>y</i>): E[· | <i>ρ</i>]", x: cats, y: bars.map((b) => b.ceiling),
      marker: { color: COLORS.bayes, size: 26, symbol: "line-ew", line: { color: COLORS.bayes, width: 3 } },
      hovertemplate: "%{x}: ceiling %{y:.4f}<extra></extra>",
    },
  ];
  const lo = Math.min(0, ...bars.flatMap((b) => [b.xy, b.grf]).filter(Number.isFinite));
  return {
    data,
    layout: baseLayout({
      height: 420,
      width: 760,
      barmode: "group",
      bargap: 0.3,
      xaxis: axis("parameter", "", { type: "category" }),
      yaxis: axis("<i>R</i>²", "dimensionless", { range: [lo, 1.12] }),
      legend: { orientation: "h", x: 0, y: -0.18, yanchor: "top", font: { size: 12 } },
    }),
  };
}

/** Counts of values in bins: edges of length bins + 1; values outside go to the first or last bin. */
export function histogram(values: readonly number[], edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length - 1).fill(0);
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    let i = 0;
    while (i < counts.length - 1 && v >= edges[i + 1]) i++;
    counts[i]++;
  }
  return counts;
}

/** One histogram of {@link ratioHistogramFigure}: sigma_min / sigma_max of each record. */
export interface RatioSeries {
  name: string;
  color: string;
  /** sigma_min / sigma_max per record (0 allowed: sigma_min exactly 0). */
  ratios: readonly number[];
}

/** A panel of {@link ratioHistogramFigure} (one parametrisation). */
export interface RatioPanel {
  /** Panel title (plotly HTML). */
  title: string;
  series: RatioSeries[];
}

/**
 * Figure: histograms over records of log10(sigma_min / sigma_max), one panel per parametrisation,
 * the observation models overlaid. Ratios below 10^`lowest` (including exact zeros) are counted
 * in the first bin, whose tick says "≤". Bins are `binWidth` decades wide.
 */
export function ratioHistogramFigure(panels: readonly RatioPanel[], opts: { lowest?: number; binWidth?: number } = {}): Figure {
  const lowest = opts.lowest ?? -16, w = opts.binWidth ?? 0.5;
  const edges: number[] = [];
  for (let e = lowest; e <= 0 + 1e-9; e += w) edges.push(Number(e.toFixed(6)));
  const centres = edges.slice(0, -1).map((e) => e + w / 2);
  const cells = grid(panels.length, panels.length, 0.08);
  const layout: Layout = baseLayout({
    height: 400,
    margin: { l: 64, r: 16, t: 40, b: 56 },
    barmode: "overlay",
    bargap: 0.02,
    legend: { orientation: "h", x: 0, y: -0.2, yanchor: "top", font: { size: 12 } },
  });
  const data: Trace[] = [];
  const annotations: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  const tickvals: number[] = [], ticktext: string[] = [];
  for (let e = lowest; e <= 0; e += 2) {
    tickvals.push(e);
    ticktext.push(e === lowest ? `≤10<sup>${e}</sup>` : `10<sup>${e}</sup>`);
  }
  panels.forEach((p, i) => {
    const s = i === 0 ? "" : String(i + 1);
    layout[`xaxis${s}`] = axis("<i>σ</i><sub>min</sub> / <i>σ</i><sub>max</sub>", "log scale", { domain: cells[i].x, anchor: `y${s}`, range: [lowest, 0], tickvals, ticktext });
    layout[`yaxis${s}`] = axis("records", "count", { anchor: `x${s}`, rangemode: "tozero" });
    for (const series of p.series) {
      const logs = series.ratios.map((r) => (r > 0 ? Math.log10(r) : -Infinity));
      const counts = histogram(logs, edges);
      const first = !seen.has(series.name);
      seen.add(series.name);
      data.push({
        type: "bar",
        name: series.name,
        legendgroup: series.name,
        showlegend: first,
        x: centres,
        y: counts,
        width: centres.map(() => w),
        marker: { color: series.color, opacity: 0.65, line: { color: series.color, width: 1 } },
        xaxis: `x${s}`,
        yaxis: `y${s}`,
        hovertemplate: `10^%{x:.2f}: %{y} records<extra>${series.name}</extra>`,
      });
    }
    annotations.push(panelTitle(`(${String.fromCharCode(97 + i)}) ${p.title}`, cells[i].x[0], cells[i].x[1], 1.02));
  });
  layout.annotations = annotations;
  return { data, layout };
}
