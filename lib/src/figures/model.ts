/**
 * Figure: the model. The walker drawn at a touchdown (point mass, two spring legs, feet, angle of
 * attack) and a walk animated over time (plotly frames, a play button and a time slider).
 * Geometry only: the caller simulates the walk (walker/simulate.ts) and passes the samples in.
 */
import { COLORS, axis, baseLayout } from "./style";
import type { Figure, Frame, Trace } from "./types";

/** Contact events as the simulator reports them. */
export interface FigureContactEvent {
  type: "touchdown" | "liftoff";
  /** Time, s. */
  t: number;
  /** Horizontal position of the foot, m. */
  foot: number;
}

/** A sampled walk: CoM samples and contact events (a subset of walker/simulate's Walk). */
export interface WalkSamples {
  /** Sample times, s. */
  t: ArrayLike<number>;
  /** CoM position, m. */
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  events: readonly FigureContactEvent[];
  /** Rest leg length, m. */
  l0: number;
  /** Angle of attack, rad, measured from the ground. */
  alpha0: number;
}

/** The walker at one instant. */
export interface WalkerPose {
  /** Time, s. */
  t: number;
  /** CoM, m. */
  x: number;
  y: number;
  /** Horizontal positions of the feet on the ground, m (rear first). */
  feet: number[];
  /** In single support: the swing foot, held at the angle of attack ahead of the CoM, m. */
  swingFoot?: [number, number];
}

/**
 * The pose at each sample: the feet on the ground follow from the events (the walk starts in
 * single support on the foot at x = 0; a touchdown adds a foot, a lift-off removes the rear one).
 */
export function walkerPoses(walk: WalkSamples): WalkerPose[] {
  const poses: WalkerPose[] = [];
  const feet: number[] = [0];
  let next = 0;
  const cosA = Math.cos(walk.alpha0), sinA = Math.sin(walk.alpha0);
  for (let i = 0; i < walk.t.length; i++) {
    const t = walk.t[i];
    while (next < walk.events.length && walk.events[next].t <= t) {
      const e = walk.events[next++];
      if (e.type === "touchdown") feet.push(e.foot);
      else feet.shift();
    }
    const x = walk.x[i], y = walk.y[i];
    const pose: WalkerPose = { t, x, y, feet: [...feet] };
    if (feet.length === 1) pose.swingFoot = [x + walk.l0 * cosA, y - walk.l0 * sinA];
    poses.push(pose);
  }
  return poses;
}

/**
 * A spring drawn from `foot` to `com` (m): straight ends and a zigzag of `coils` turns in the
 * middle, of fixed width, so a compressed leg shows denser coils. Points in data coordinates.
 */
export function springPath(foot: readonly [number, number], com: readonly [number, number], width: number, coils = 6): { x: number[]; y: number[] } {
  const dx = com[0] - foot[0], dy = com[1] - foot[1];
  const len = Math.hypot(dx, dy);
  const ux = dx / len, uy = dy / len; // along the leg
  const nx = -uy, ny = ux; // across it
  const x: number[] = [foot[0]], y: number[] = [foot[1]];
  const a = 0.22, b = 0.78; // zigzag between these fractions of the length
  const n = coils * 2;
  x.push(foot[0] + a * dx);
  y.push(foot[1] + a * dy);
  for (let i = 1; i < n; i++) {
    const s = (a + ((b - a) * i) / n) * len;
    const side = i % 2 === 1 ? 1 : -1;
    x.push(foot[0] + s * ux + side * width * nx);
    y.push(foot[1] + s * uy + side * width * ny);
  }
  x.push(foot[0] + b * dx, com[0]);
  y.push(foot[1] + b * dy, com[1]);
  return { x, y };
}

/** Concatenates polylines into one trace's x, y with null gaps between them. */
function joined(paths: { x: number[]; y: number[] }[]): { x: (number | null)[]; y: (number | null)[] } {
  const x: (number | null)[] = [], y: (number | null)[] = [];
  paths.forEach((p, i) => {
    if (i > 0) {
      x.push(null);
      y.push(null);
    }
    x.push(...p.x);
    y.push(...p.y);
  });
  return { x, y };
}

/** Level ground from x0 to x1 (m) with hatching below it. */
function groundTrace(x0: number, x1: number, hatch: number): Trace {
  const paths = [{ x: [x0, x1], y: [0, 0] }];
  for (let x = x0 + hatch; x <= x1; x += hatch) paths.push({ x: [x, x - hatch * 0.8], y: [0, -hatch * 0.8] });
  return {
    type: "scatter",
    mode: "lines",
    name: "ground",
    ...joined(paths),
    line: { color: COLORS.ink, width: 1 },
    hoverinfo: "skip",
    showlegend: false,
  };
}

/** Traces of the walker at a pose: stance legs, swing leg, feet, mass (in that order). */
function walkerTraces(p: WalkerPose, l0: number): Trace[] {
  const width = 0.035 * l0;
  const legs = joined(p.feet.map((f) => springPath([f, 0], [p.x, p.y], width)));
  const swing = p.swingFoot ? springPath(p.swingFoot, [p.x, p.y], width) : { x: [], y: [] };
  return [
    { type: "scatter", mode: "lines", name: "stance legs (springs <i>k</i>, <i>ℓ</i><sub>0</sub>)", ...legs, line: { color: COLORS.ink, width: 2 }, hoverinfo: "skip" },
    {
      type: "scatter",
      mode: "lines",
      name: "swing leg, held at <i>α</i><sub>0</sub>",
      x: swing.x,
      y: swing.y,
      line: { color: COLORS.reference, width: 1.5, dash: "dot" },
      hoverinfo: "skip",
    },
    {
      type: "scatter",
      mode: "markers",
      name: "feet",
      x: p.feet,
      y: p.feet.map(() => 0),
      marker: { symbol: "triangle-up", size: 11, color: COLORS.ink },
      hovertemplate: "foot at x = %{x:.3f} m<extra></extra>",
    },
    {
      type: "scatter",
      mode: "markers+text",
      name: "point mass <i>m</i> at the CoM",
      x: [p.x],
      y: [p.y],
      text: ["<i>m</i>"],
      textposition: "middle center",
      textfont: { color: "#ffffff", size: 14 },
      marker: { size: 30, color: COLORS.mkl0, line: { color: COLORS.ink, width: 1.5 } },
      hovertemplate: "CoM (%{x:.3f} m, %{y:.3f} m)<extra></extra>",
    },
  ];
}

/** What {@link modelFigure} draws: the walker at the touchdown of its front leg. */
export interface ModelSketch {
  /** Rest leg length, m. */
  l0: number;
  /** Angle of attack, rad. */
  alpha0: number;
  /** CoM at touchdown, m (y = l0 sin(alpha0)). */
  x: number;
  y: number;
  /** Rear (stance) foot, m. */
  rearFoot: number;
  /** Front foot, m (x + l0 cos(alpha0)). */
  frontFoot: number;
}

/**
 * Figure of the report's model section: the walker at a touchdown, with the mass, both spring legs (the rear one
 * compressed, the front one at rest length l0), the feet, the angle of attack alpha0 and gravity.
 * Axes in m, equal scale.
 */
export function modelFigure(s: ModelSketch): Figure {
  const pose: WalkerPose = { t: 0, x: s.x, y: s.y, feet: [s.rearFoot, s.frontFoot] };
  const x0 = Math.min(s.rearFoot, s.x) - 0.25 * s.l0, x1 = Math.max(s.frontFoot, s.x) + 0.25 * s.l0;
  const data: Trace[] = [groundTrace(x0, x1, 0.05 * s.l0), ...walkerTraces(pose, s.l0)];
  // The swing trace is empty at a double-support pose: keep it out of the legend.
  data[2].showlegend = false;
  // The angle of attack: an arc at the front foot between the ground and the front leg.
  const r = 0.2 * s.l0;
  const arc = { x: [] as number[], y: [] as number[] };
  for (let i = 0; i <= 24; i++) {
    const th = Math.PI - (s.alpha0 * i) / 24;
    arc.x.push(s.frontFoot + r * Math.cos(th));
    arc.y.push(r * Math.sin(th));
  }
  data.push({ type: "scatter", mode: "lines", name: "angle of attack <i>α</i><sub>0</sub>", ...arc, line: { color: COLORS.rhol0, width: 2 }, hoverinfo: "skip" });
  const mid = (a: number, b: number): number => (a + b) / 2;
  const lRear = Math.hypot(s.x - s.rearFoot, s.y);
  const labelAngle = Math.PI - s.alpha0 / 2;
  const annotations: Record<string, unknown>[] = [
    {
      x: s.frontFoot + 1.45 * r * Math.cos(labelAngle),
      y: 1.45 * r * Math.sin(labelAngle),
      text: `<i>α</i><sub>0</sub> = ${((s.alpha0 * 180) / Math.PI).toFixed(1)}°`,
      showarrow: false,
      xanchor: "right",
      font: { color: COLORS.rhol0, size: 14 },
    },
    {
      x: mid(s.x, s.frontFoot) + 0.06 * s.l0,
      y: mid(s.y, 0) + 0.04 * s.l0,
      text: "front leg at rest:<br><i>k</i>, length <i>ℓ</i><sub>0</sub>",
      showarrow: false,
      xanchor: "left",
      align: "left",
    },
    {
      x: mid(s.x, s.rearFoot) - 0.06 * s.l0,
      y: mid(s.y, 0) + 0.04 * s.l0,
      text: `rear leg compressed:<br><i>l</i><sub>a</sub> = ${lRear.toFixed(3)} m &lt; <i>ℓ</i><sub>0</sub>`,
      showarrow: false,
      xanchor: "right",
      align: "right",
    },
    { x: s.rearFoot, y: -0.07 * s.l0, text: "<i>x</i><sub>a</sub>", showarrow: false, yanchor: "top" },
    { x: s.frontFoot, y: -0.07 * s.l0, text: "<i>x</i><sub>b</sub>", showarrow: false, yanchor: "top" },
    { x: s.x, y: s.y + 0.1 * s.l0, text: "CoM (<i>x</i>, <i>y</i>)", showarrow: false, yanchor: "bottom" },
    {
      x: s.x + 0.3 * s.l0,
      y: s.y - 0.18 * s.l0,
      ax: s.x + 0.3 * s.l0,
      ay: s.y + 0.04 * s.l0,
      axref: "x",
      ayref: "y",
      text: "",
      showarrow: true,
      arrowhead: 2,
      arrowwidth: 1.5,
      arrowcolor: COLORS.ink,
    },
    { x: s.x + 0.33 * s.l0, y: s.y - 0.08 * s.l0, text: "<i>g</i>", showarrow: false, xanchor: "left" },
  ];
  return {
    data,
    layout: baseLayout({
      height: 470,
      width: 660,
      // Equal scale: plotly widens the x range to the plot's aspect ratio.
      xaxis: axis("horizontal position <i>x</i>", "m", { range: [x0, x1] }),
      yaxis: axis("height <i>y</i>", "m", { range: [-0.18 * s.l0, 1.3 * s.l0], scaleanchor: "x", scaleratio: 1 }),
      legend: { orientation: "h", x: 0, y: -0.22, font: { size: 12 } },
      margin: { l: 64, r: 16, t: 16, b: 40 },
      annotations,
    }),
  };
}

/** Options of {@link walkAnimationFigure}. */
export interface AnimationOptions {
  /** Milliseconds per frame when playing (default: the walk's own time step, real time). */
  frameMs?: number;
  /** Label of the subject shown in the title line, plotly HTML. */
  label?: string;
}

/**
 * Figure, a walk animated: one frame per sample (uniform time steps expected), with the CoM path
 * drawn so far, the stance springs, the swing leg held at alpha0, the feet and the mass; a play /
 * pause button and a time slider. Axes in m, equal scale. A frame holds only what changes, the
 * points of traces 1 to 5 (plotly keeps each trace's name and style from the figure's data): a
 * about half the bytes of frames that repeat the whole traces.
 */
export function walkAnimationFigure(walk: WalkSamples, opts: AnimationOptions = {}): Figure {
  const poses = walkerPoses(walk);
  if (poses.length < 2) throw new Error("walkAnimationFigure needs at least two samples");
  const dt = poses[1].t - poses[0].t;
  const frameMs = opts.frameMs ?? Math.round(dt * 1000);
  let xmin = 0, xmax = 0;
  for (const p of poses) {
    xmin = Math.min(xmin, p.x, ...p.feet);
    xmax = Math.max(xmax, p.x, ...p.feet, p.swingFoot ? p.swingFoot[0] : -Infinity);
  }
  const l0 = walk.l0;
  const x0 = xmin - 0.15 * l0, x1 = xmax + 0.15 * l0;
  const pathUpTo = (i: number): Trace => ({
    type: "scatter",
    mode: "lines",
    name: "CoM path",
    x: poses.slice(0, i + 1).map((p) => p.x),
    y: poses.slice(0, i + 1).map((p) => p.y),
    line: { color: COLORS.mkl0, width: 1.5 },
    hoverinfo: "skip",
  });
  const frameData = (i: number): Trace[] => [pathUpTo(i), ...walkerTraces(poses[i], l0)];
  const name = (i: number): string => poses[i].t.toFixed(2);
  const pointsOnly = (t: Trace): Partial<Trace> => ({ x: t.x, y: t.y });
  const frames: Frame[] = poses.map((_, i) => ({ name: name(i), data: frameData(i).map(pointsOnly), traces: [1, 2, 3, 4, 5] }));
  const play = { frame: { duration: frameMs, redraw: false }, transition: { duration: 0 }, fromcurrent: true, mode: "immediate" };
  return {
    data: [groundTrace(x0, x1, 0.05 * l0), ...frameData(0)],
    frames,
    layout: baseLayout({
      height: 400,
      xaxis: axis("horizontal position <i>x</i>", "m", { range: [x0, x1] }),
      yaxis: axis("height <i>y</i>", "m", { range: [-0.08 * l0, 1.25 * l0], scaleanchor: "x", scaleratio: 1 }),
      margin: { l: 64, r: 16, t: 16, b: 40 },
      legend: { orientation: "h", x: 0, y: 1.02, yanchor: "bottom", font: { size: 12 } },
      updatemenus: [
        {
          type: "buttons",
          direction: "left",
          showactive: false,
          x: 0,
          y: -0.32,
          xanchor: "left",
          yanchor: "top",
          pad: { t: 0, r: 10 },
          buttons: [
            { label: "▶ Play", method: "animate", args: [null, play] },
            { label: "❚❚ Pause", method: "animate", args: [[null], { frame: { duration: 0, redraw: false }, mode: "immediate", transition: { duration: 0 } }] },
          ],
        },
      ],
      sliders: [
        {
          active: 0,
          x: 0.2,
          len: 0.8,
          y: -0.25,
          yanchor: "top",
          pad: { t: 0, b: 0 },
          currentvalue: { prefix: "t = ", suffix: " s", font: { size: 13, color: "#1a1a1a" } },
          ticklen: 3,
          minorticklen: 0,
          // One label per frame would overlap: the labels are hidden and the current time is shown.
          font: { size: 9, color: "rgba(0,0,0,0)" },
          steps: poses.map((p, i) => ({
            method: "animate",
            label: p.t.toFixed(2),
            args: [[name(i)], { mode: "immediate", frame: { duration: 0, redraw: false }, transition: { duration: 0 } }],
          })),
        },
      ],
      annotations: opts.label
        ? [{ text: opts.label, x: 1, y: 1.02, xref: "paper", yref: "paper", xanchor: "right", yanchor: "bottom", showarrow: false, font: { size: 12 } }]
        : [],
    }),
  };
}
