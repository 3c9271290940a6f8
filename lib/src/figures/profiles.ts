/**
 * Figure: profile likelihoods of a record. One panel per parameter (m, k, rho, l0 in a 2 x 2 grid):
 * delta chi2 against the parameter's fixed value, the threshold of the 95 % interval as a dashed
 * line, the interval shaded, the true value as a dotted line. Pure data in (lib/src/fit computes the
 * profiles), plotly figure out.
 */
import { axis, baseLayout, COLORS, panelTitle, QUANTITIES, type Quantity } from "./style";
import type { Figure, Layout, Trace } from "./types";

/** One profile as the figure needs it (SI units of the parameter). */
export interface ProfileCurve {
  /** m, k, rho or l0 (sets the axis label and unit). */
  parameter: Quantity;
  /** Points of the curve: fixed value and delta chi2 (re-optimised misfit minus the least), any order. */
  points: { value: number; delta: number }[];
  /** The interval's ends; null where it is open. */
  lower: number | null;
  upper: number | null;
  /** The estimate (the fit's value) and the true value, if known. */
  estimate: number;
  truth?: number;
  /** Threshold of delta chi2 for the interval (3.84 for 95 %, one parameter). */
  threshold: number;
  /** The verdict, shown in the panel's title. */
  verdict: string;
}

/** Options of {@link profilesFigure}. */
export interface ProfilesFigureOptions {
  /** Height in px (default 600). */
  height?: number;
  /** Upper end of the delta chi2 axis, as a multiple of the threshold (default 3): a flat profile then still shows its scale. */
  yMaxFactor?: number;
  /** Colour of the curves (default the (rho, l0) network's). */
  color?: string;
}

/** The 2 x 2 panels of up to four profiles (in the order given). */
export function profilesFigure(curves: readonly ProfileCurve[], opts: ProfilesFigureOptions = {}): Figure {
  const color = opts.color ?? COLORS.rhol0;
  const gap = 0.12, vgap = 0.24; // the vertical gap holds the top row's axis titles and the bottom row's panel titles
  const data: Trace[] = [];
  const shapes: Record<string, unknown>[] = [];
  const annotations: Record<string, unknown>[] = [];
  const layout: Layout = baseLayout({ height: opts.height ?? 600, showlegend: false, margin: { l: 64, r: 16, t: 36, b: 56 } });
  curves.slice(0, 4).forEach((c, i) => {
    const col = i % 2, row = Math.floor(i / 2);
    const x0 = col === 0 ? 0 : 0.5 + gap / 2, x1 = col === 0 ? 0.5 - gap / 2 : 1;
    const y1 = row === 0 ? 1 : 0.5 - vgap / 2, y0 = row === 0 ? 0.5 + vgap / 2 : 0;
    const n = i === 0 ? "" : String(i + 1);
    const xa = `x${n}`, ya = `y${n}`;
    const q = QUANTITIES[c.parameter];
    const pts = [...c.points].sort((a, b) => a.value - b.value);
    const yMax = (opts.yMaxFactor ?? 3) * c.threshold;
    const ticks = "tickformat" in q ? { tickformat: q.tickformat } : { exponentformat: "power" };
    layout[`xaxis${n}`] = axis(q.label, q.unit, { domain: [x0, x1], anchor: ya, ...ticks });
    layout[`yaxis${n}`] = axis("Δχ²", "", { domain: [y0, y1], anchor: xa, range: [-0.05 * yMax, yMax] });
    data.push({
      type: "scatter", mode: "lines+markers", xaxis: xa, yaxis: ya, name: `profile of ${c.parameter}`,
      x: pts.map((p) => p.value), y: pts.map((p) => p.delta),
      line: { color, width: 2 }, marker: { color, size: 5 },
      hovertemplate: `${c.parameter} %{x:.6g}<br>Δχ² %{y:.3g}<extra></extra>`,
    });
    const lo = pts[0]?.value ?? c.estimate, hi = pts[pts.length - 1]?.value ?? c.estimate;
    shapes.push({ type: "line", xref: xa, yref: ya, x0: lo, x1: hi, y0: c.threshold, y1: c.threshold, line: { color: COLORS.reference, dash: "dash", width: 1.5 } });
    const a = c.lower ?? lo, b = c.upper ?? hi;
    shapes.push({ type: "rect", xref: xa, yref: ya, x0: a, x1: b, y0: 0, y1: c.threshold, fillcolor: color, opacity: 0.12, line: { width: 0 } });
    if (c.truth !== undefined) {
      shapes.push({ type: "line", xref: xa, yref: ya, x0: c.truth, x1: c.truth, y0: 0, y1: yMax, line: { color: COLORS.ink, dash: "dot", width: 1.5 } });
    }
    annotations.push(panelTitle(`${q.symbol}: ${c.verdict}`, x0, x1, y1));
  });
  layout.shapes = shapes;
  layout.annotations = annotations;
  return { data, layout };
}
