/**
 * Figures of the synthetic records: the CoM coordinates x(t), y(t) and the CoM path of a few
 * subjects with their touchdowns and lift-offs, and the vertical ground reaction force over a
 * stride (the double hump of walking). Data in (already simulated), plotly figure out.
 */
import { COLORS, axis, baseLayout, panelTitle } from "./style";
import type { Figure, Trace } from "./types";

/** A contact event located on the CoM path. */
export interface LocatedEvent {
  type: "touchdown" | "liftoff";
  /** Time, s. */
  t: number;
  /** CoM position at the event, m. */
  x: number;
  y: number;
}

/** One subject's record, finely resampled for drawing. */
export interface RecordSeries {
  /** Legend label (plotly HTML), e.g. "m = 63.1 kg, k = 8750 N/m, ℓ0 = 0.71 m". */
  label: string;
  /** Times, s, and CoM position, m. */
  t: ArrayLike<number>;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  events: readonly LocatedEvent[];
  /** The samples the network sees (the dataset's X at its sampling interval), if shown. */
  samples?: { t: ArrayLike<number>; x: ArrayLike<number>; y: ArrayLike<number> };
}

/** Options of {@link recordsFigure}. */
export interface RecordsOptions {
  /** Time window of the y(t) panel, s (default: the first 4 s; the whole record is zoomable). */
  yWindow?: number;
  /** Horizontal window of the path panel, m (default 3 m). */
  pathWindow?: number;
}

const arr = (a: ArrayLike<number>): number[] => Array.from(a);

/**
 * Figure: synthetic records. Panels (a) x(t), (b) y(t) with the samples of the dataset and the
 * contact events, (c) the CoM path y against x with the contact events. Times in s, positions in m.
 */
export function recordsFigure(records: readonly RecordSeries[], opts: RecordsOptions = {}): Figure {
  const yWindow = opts.yWindow ?? 4;
  const pathWindow = opts.pathWindow ?? 3;
  const data: Trace[] = [];
  const eventStyle = {
    touchdown: { symbol: "triangle-down", name: "touchdown" },
    liftoff: { symbol: "triangle-up", name: "lift-off" },
  } as const;
  records.forEach((r, i) => {
    const color = COLORS.subjects[i % COLORS.subjects.length];
    const group = `subject${i}`;
    const line = { color, width: 1.6 };
    data.push(
      { type: "scatter", mode: "lines", name: r.label, legendgroup: group, x: arr(r.t), y: arr(r.x), line, xaxis: "x", yaxis: "y", hovertemplate: "t = %{x:.2f} s<br>x = %{y:.3f} m<extra></extra>" },
      { type: "scatter", mode: "lines", name: r.label, legendgroup: group, showlegend: false, x: arr(r.t), y: arr(r.y), line, xaxis: "x2", yaxis: "y2", hovertemplate: "t = %{x:.2f} s<br>y = %{y:.4f} m<extra></extra>" },
      { type: "scatter", mode: "lines", name: r.label, legendgroup: group, showlegend: false, x: arr(r.x), y: arr(r.y), line, xaxis: "x3", yaxis: "y3", hovertemplate: "x = %{x:.3f} m<br>y = %{y:.4f} m<extra></extra>" },
    );
    if (r.samples) {
      data.push({
        type: "scatter",
        mode: "markers",
        name: "samples (network input)",
        legendgroup: "samples",
        showlegend: false,
        x: arr(r.samples.t),
        y: arr(r.samples.y),
        marker: { size: 4, color, line: { color: COLORS.ink, width: 0.5 } },
        xaxis: "x2",
        yaxis: "y2",
        hovertemplate: "sample t = %{x:.2f} s<br>y = %{y:.4f} m<extra></extra>",
      });
    }
    for (const type of ["touchdown", "liftoff"] as const) {
      const ev = r.events.filter((e) => e.type === type);
      const marker = { symbol: eventStyle[type].symbol, size: 8, color, line: { color: COLORS.ink, width: 1 } };
      const common = { type: "scatter" as const, mode: "markers", name: eventStyle[type].name, legendgroup: type, marker };
      data.push(
        { ...common, showlegend: false, x: ev.map((e) => e.t), y: ev.map((e) => e.y), xaxis: "x2", yaxis: "y2", hovertemplate: `${eventStyle[type].name} t = %{x:.3f} s<extra></extra>` },
        { ...common, showlegend: false, x: ev.map((e) => e.x), y: ev.map((e) => e.y), xaxis: "x3", yaxis: "y3", hovertemplate: `${eventStyle[type].name} x = %{x:.3f} m<extra></extra>` },
      );
    }
  });
  // Legend entries of the marker kinds, in neutral ink, after the subjects.
  const key = (name: string, group: string, marker: Record<string, unknown>): Trace => ({
    type: "scatter", mode: "markers", name, legendgroup: group, x: [null], y: [null], marker, xaxis: "x2", yaxis: "y2", hoverinfo: "skip",
  });
  if (records.some((r) => r.samples)) data.push(key("samples (network input)", "samples", { size: 5, color: "#ffffff", line: { color: COLORS.ink, width: 1 } }));
  data.push(
    key("touchdown", "touchdown", { symbol: "triangle-down", size: 8, color: "#ffffff", line: { color: COLORS.ink, width: 1 } }),
    key("lift-off", "liftoff", { symbol: "triangle-up", size: 8, color: "#ffffff", line: { color: COLORS.ink, width: 1 } }),
  );
  const top: [number, number] = [0.6, 1], bottom: [number, number] = [0, 0.4];
  const left: [number, number] = [0, 0.44], right: [number, number] = [0.56, 1];
  return {
    data,
    layout: baseLayout({
      height: 620,
      margin: { l: 64, r: 16, t: 28, b: 56 },
      xaxis: axis("time <i>t</i>", "s", { domain: left, anchor: "y" }),
      yaxis: axis("CoM position <i>x</i>", "m", { domain: top, anchor: "x" }),
      xaxis2: axis("time <i>t</i>", "s", { domain: right, anchor: "y2", range: [0, yWindow] }),
      yaxis2: axis("CoM height <i>y</i>", "m", { domain: top, anchor: "x2" }),
      xaxis3: axis("CoM position <i>x</i>", "m", { domain: [0, 1], anchor: "y3", range: [0, pathWindow] }),
      yaxis3: axis("CoM height <i>y</i>", "m", { domain: bottom, anchor: "x3" }),
      legend: { orientation: "h", x: 0, y: -0.12, yanchor: "top", font: { size: 12 } },
      annotations: [
        panelTitle("(a) horizontal position over time", left[0], left[1], top[1]),
        panelTitle(`(b) height over time (first ${yWindow} s; drag to pan)`, right[0], right[1], top[1]),
        panelTitle(`(c) path of the centre of mass (first ${pathWindow} m)`, 0, 1, bottom[1]),
      ],
    }),
  };
}

/** The vertical ground reaction force of one subject over one stride. */
export interface GrfSeries {
  /** Legend label (plotly HTML). */
  label: string;
  /** Time since the touchdown of the leg shown, s. */
  t: ArrayLike<number>;
  /** Vertical force of that leg, N (0 while it swings). */
  leg: ArrayLike<number>;
  /** Total vertical force of both legs, N. */
  total: ArrayLike<number>;
  /** Body weight m g, N (drawn as a reference level). */
  weight?: number;
}

/**
 * Figure: the vertical ground reaction force over a stride, from a leg's touchdown to its next
 * touchdown: the leg's own force (the double hump of walking) and the total of both legs. N.
 */
export function grfFigure(series: readonly GrfSeries[]): Figure {
  const data: Trace[] = [];
  series.forEach((s, i) => {
    const color = COLORS.subjects[i % COLORS.subjects.length];
    const group = `subject${i}`;
    data.push(
      { type: "scatter", mode: "lines", name: s.label, legendgroup: group, x: arr(s.t), y: arr(s.leg), line: { color, width: 2 }, hovertemplate: "t = %{x:.3f} s<br>F<sub>y</sub> = %{y:.0f} N<extra>one leg</extra>" },
      {
        type: "scatter",
        mode: "lines",
        name: "both legs",
        legendgroup: group,
        showlegend: false,
        x: arr(s.t),
        y: arr(s.total),
        line: { color, width: 1, dash: "dot" },
        hovertemplate: "t = %{x:.3f} s<br>F<sub>y</sub> = %{y:.0f} N<extra>both legs</extra>",
      },
    );
    if (s.weight !== undefined) {
      const t = arr(s.t);
      data.push({
        type: "scatter",
        mode: "lines",
        name: "body weight m g",
        legendgroup: group,
        showlegend: false,
        x: [t[0], t[t.length - 1]],
        y: [s.weight, s.weight],
        line: { color, width: 0.8, dash: "dash" },
        hovertemplate: "m g = %{y:.0f} N<extra></extra>",
      });
    }
  });
  // Legend entries that explain the line styles once.
  data.push(
    { type: "scatter", mode: "lines", name: "solid: one leg (touchdown → lift-off)", x: [null], y: [null], line: { color: COLORS.ink, width: 2 }, legendgroup: "styles" },
    { type: "scatter", mode: "lines", name: "dotted: both legs", x: [null], y: [null], line: { color: COLORS.ink, width: 1, dash: "dot" }, legendgroup: "styles" },
    { type: "scatter", mode: "lines", name: "dashed: body weight m g", x: [null], y: [null], line: { color: COLORS.ink, width: 0.8, dash: "dash" }, legendgroup: "styles" },
  );
  return {
    data,
    layout: baseLayout({
      height: 480,
      xaxis: axis("time since touchdown of the leg", "s"),
      yaxis: axis("vertical ground reaction force <i>F</i><sub>y</sub>", "N", { rangemode: "tozero" }),
      legend: { orientation: "h", x: 0, y: -0.18, yanchor: "top", font: { size: 12 } },
      margin: { l: 64, r: 16, t: 16, b: 56 },
    }),
  };
}
