/**
 * The plotly figure as plain data: what every builder in this folder returns and what the report
 * serialises into the page. Only the fields the builders use are typed; everything else passes
 * through to plotly.js unchanged (see plotly's reference for the meaning of each attribute).
 */

/** One plotly trace (scatter, bar, ...). Numbers are in the units of the axis titles. */
export interface Trace {
  type: "scatter" | "bar";
  name?: string;
  x?: (number | string | null)[];
  y?: (number | string | null)[];
  mode?: string;
  /** Axis references for subplots: "x", "x2", ...; "y", "y2", ... */
  xaxis?: string;
  yaxis?: string;
  showlegend?: boolean;
  legendgroup?: string;
  [attribute: string]: unknown;
}

/** A plotly axis: its title must carry the unit, e.g. "mass m (kg)". */
export interface Axis {
  title: { text: string; standoff?: number };
  [attribute: string]: unknown;
}

/** A plotly layout. Axes are named xaxis, xaxis2, ..., yaxis, yaxis2, ... */
export interface Layout {
  xaxis?: Axis;
  yaxis?: Axis;
  /** Height in px (the report reserves it before drawing). */
  height?: number;
  /** Preferred width in px: the report draws the figure at most this wide (default: the column). */
  width?: number;
  annotations?: Record<string, unknown>[];
  shapes?: Record<string, unknown>[];
  [attribute: string]: unknown;
}

/** One animation frame: new data for the traces listed in `traces` (indices into Figure.data). */
export interface Frame {
  name: string;
  data: Partial<Trace>[];
  traces: number[];
}

/** A figure: plotly's (data, layout[, frames]). Pure data, serialisable with JSON.stringify. */
export interface Figure {
  data: Trace[];
  layout: Layout;
  frames?: Frame[];
}

/** The axes of a layout, as [name, axis] pairs in the order they appear (xaxis, yaxis, xaxis2, ...). */
export function axesOf(layout: Layout): [string, Axis][] {
  return Object.entries(layout).filter(([k]) => /^[xy]axis\d*$/.test(k)) as [string, Axis][];
}
