// The figure builders on small inputs: which traces they draw and where, axis titles with units,
// animation frames, and the geometry of the walker drawing. A short real walk from the simulator
// feeds the model figures.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  COLORS,
  VARIANT_LABEL,
  axesOf,
  errorFloorFigure,
  grfFigure,
  learningCurvesFigure,
  massStiffnessPlaneFigure,
  mkl0PredictionFigure,
  modelFigure,
  recordsFigure,
  rhol0PredictionFigure,
  springPath,
  walkAnimationFigure,
  walkerPoses,
  type Figure,
  type Trace,
  type VariantPredictions,
} from "../lib/src/figures";
import { simulateWalk } from "../lib/src/walker/simulate";
import { findGaits } from "../lib/src/walker/gait";

/** Every titled axis of a figure says its unit in parentheses (the epoch axis counts epochs). */
function assertUnits(fig: Figure): void {
  for (const [name, ax] of axesOf(fig.layout)) {
    const title = ax.title.text;
    if (title === "" || title === "epoch") continue;
    assert.match(title, /\([^()]+\)$/, `${name} title "${title}" has no unit`);
  }
}

/** JSON round trip: figures are plain data (no typed arrays, which plotly would not get from JSON). */
function assertPlain(fig: Figure): void {
  const back = JSON.parse(JSON.stringify(fig)) as Figure;
  fig.data.forEach((t, i) => {
    if (t.x !== undefined) assert.deepEqual(back.data[i].x, t.x.map((v) => (typeof v === "number" && !Number.isFinite(v) ? null : v)));
    if (t.x !== undefined) assert.ok(Array.isArray(t.x), `trace ${i} x is not a plain array`);
  });
}

const byName = (fig: Figure, name: string): Trace[] => fig.data.filter((t) => t.name === name);

// A real walk: rho = 9000/70 1/s^2, l0 = 0.7 m, alpha0 = 61 degrees, e = 1.01 g l0.
const p = { rho: 9000 / 70, l0: 0.7, g: 9.81 };
const alpha0 = (61 * Math.PI) / 180;
const gait = findGaits(p, alpha0, 1.01 * 9.81 * 0.7, { checkDuration: 0, stability: false }).at(-1)!;
const walk = simulateWalk({ m: 70, k: 9000, l0: 0.7 }, { y0: gait.y0, vx0: gait.vx0 }, { alpha0, duration: 2, dt: 0.05 });

test("the fixture walk walks and has contact events", () => {
  assert.equal(walk.status, "walking");
  assert.ok(walk.events.filter((e) => e.type === "touchdown").length >= 2, `events ${JSON.stringify(walk.events)}`);
});

test("springPath runs from the foot to the CoM with a zigzag of fixed width", () => {
  const foot: [number, number] = [0.2, 0];
  const com: [number, number] = [0.5, 0.6];
  const s = springPath(foot, com, 0.03, 5);
  assert.deepEqual([s.x[0], s.y[0]], foot);
  assert.deepEqual([s.x.at(-1), s.y.at(-1)], com);
  assert.equal(s.x.length, 2 * 5 + 3);
  // Distance of each zigzag corner from the leg axis is the width.
  const len = Math.hypot(com[0] - foot[0], com[1] - foot[1]);
  for (let i = 2; i < s.x.length - 2; i++) {
    const cross = ((s.x[i] - foot[0]) * (com[1] - foot[1]) - (s.y[i] - foot[1]) * (com[0] - foot[0])) / len;
    assert.ok(Math.abs(Math.abs(cross) - 0.03) < 1e-12, `corner ${i} off the axis by ${cross}`);
  }
});

test("walkerPoses: the feet follow the events; the swing foot is held at alpha0", () => {
  const poses = walkerPoses({ ...walk, l0: 0.7, alpha0 });
  assert.equal(poses.length, walk.samples);
  assert.deepEqual(poses[0].feet, [0]);
  const td = walk.events.find((e) => e.type === "touchdown")!;
  const lo = walk.events.find((e) => e.type === "liftoff")!;
  for (const q of poses) {
    if (q.t < td.t) assert.deepEqual(q.feet, [0], `t = ${q.t}`);
    else if (q.t < lo.t) assert.deepEqual(q.feet, [0, td.foot], `t = ${q.t}`);
    if (q.feet.length === 1) {
      const [sx, sy] = q.swingFoot!;
      assert.ok(Math.abs(sx - q.x - 0.7 * Math.cos(alpha0)) < 1e-12);
      assert.ok(Math.abs(q.y - sy - 0.7 * Math.sin(alpha0)) < 1e-12);
    } else assert.equal(q.swingFoot, undefined);
  }
  // Every leg on the ground is compressed (no longer than l0).
  for (const q of poses) for (const f of q.feet) assert.ok(Math.hypot(q.x - f, q.y) <= 0.7 + 1e-9, `leg at ${f} longer than l0 at t = ${q.t}`);
});

test("modelFigure draws the mass, two springs, the feet and the angle of attack, in metres at equal scale", () => {
  const x = 0.2, y = 0.7 * Math.sin(alpha0);
  const fig = modelFigure({ l0: 0.7, alpha0, x, y, rearFoot: 0, frontFoot: x + 0.7 * Math.cos(alpha0) });
  assertUnits(fig);
  assertPlain(fig);
  assert.equal(fig.layout.xaxis!.title.text, "horizontal position <i>x</i> (m)");
  assert.equal(fig.layout.yaxis!.title.text, "height <i>y</i> (m)");
  assert.equal(fig.layout.yaxis!.scaleanchor, "x");
  const mass = fig.data.find((t) => String(t.name).startsWith("point mass"))!;
  assert.deepEqual([mass.x, mass.y], [[x], [y]]);
  const feet = byName(fig, "feet")[0];
  assert.deepEqual(feet.x, [0, x + 0.7 * Math.cos(alpha0)]);
  const legs = fig.data.find((t) => String(t.name).startsWith("stance legs"))!;
  assert.equal(legs.x!.filter((v) => v === null).length, 1, "two springs separated by one gap");
  const arc = fig.data.find((t) => String(t.name).startsWith("angle of attack"))!;
  const ax = arc.x as number[], ay = arc.y as number[];
  // The arc ends on the front leg: its angle from the ground is alpha0.
  const end = Math.atan2(ay.at(-1)!, (fig.data.find((t) => t.name === "feet")!.x as number[])[1] - ax.at(-1)!);
  assert.ok(Math.abs(end - alpha0) < 1e-12, `arc ends at ${(end * 180) / Math.PI} degrees`);
  assert.ok(fig.layout.annotations!.some((a) => String(a.text).includes("61.0°")));
});

test("walkAnimationFigure: one frame per sample, a play button and a slider step per frame", () => {
  const fig = walkAnimationFigure({ ...walk, l0: 0.7, alpha0 });
  assertUnits(fig);
  assert.equal(fig.frames!.length, walk.samples);
  const menus = fig.layout.updatemenus as { buttons: { label: string; method: string; args: unknown[] }[] }[];
  assert.equal(menus[0].buttons[0].method, "animate");
  assert.match(menus[0].buttons[0].label, /Play/);
  const sliders = fig.layout.sliders as { steps: { args: [string[]] }[] }[];
  assert.equal(sliders[0].steps.length, walk.samples);
  assert.deepEqual(sliders[0].steps.map((s) => s.args[0][0]), fig.frames!.map((f) => f.name));
  // Frames replace traces 1..5; the mass of frame i sits at sample i; the path grows.
  const i = 17;
  const frame = fig.frames![i];
  assert.deepEqual(frame.traces, [1, 2, 3, 4, 5]);
  assert.equal(frame.data.length, 5);
  assert.deepEqual([frame.data[4].x, frame.data[4].y], [[walk.x[i]], [walk.y[i]]]);
  assert.equal(frame.data[0].x!.length, i + 1);
  assert.equal(fig.data.length, 6);
  assertPlain(fig);
});

test("recordsFigure: x(t), y(t) and the path with events at the CoM position, units s and m", () => {
  const records = [0, 1].map((j) => ({
    label: `subject ${j}`,
    t: walk.t,
    x: walk.x.map((v) => v + j),
    y: walk.y,
    events: walk.events.map((e) => ({ type: e.type, t: e.t, x: e.foot, y: 0.5 })),
    samples: { t: [0, 1], x: [0, 1], y: [0.6, 0.61] },
  }));
  const fig = recordsFigure(records, { yWindow: 3, pathWindow: 2 });
  assertUnits(fig);
  assertPlain(fig);
  assert.equal(fig.layout.xaxis!.title.text, "time <i>t</i> (s)");
  assert.equal((fig.layout.yaxis3 as { title: { text: string } }).title.text, "CoM height <i>y</i> (m)");
  assert.deepEqual((fig.layout.xaxis2 as { range: number[] }).range, [0, 3]);
  const lines = byName(fig, "subject 1");
  assert.equal(lines.length, 3);
  assert.deepEqual(lines.map((t) => t.xaxis), ["x", "x2", "x3"]);
  assert.equal((lines[0].y as number[])[0], walk.x[0] + 1);
  const tds = byName(fig, "touchdown").filter((t) => t.xaxis === "x3" && (t.x as unknown[]).length > 0);
  assert.equal(tds.length, 2);
  assert.deepEqual(tds[0].x, walk.events.filter((e) => e.type === "touchdown").map((e) => e.foot));
  // One legend entry per kind of marker, after the subjects.
  assert.equal(fig.data.filter((t) => t.name === "touchdown" && t.showlegend !== false).length, 1);
  assert.equal(lines[0].line && (lines[0].line as { color: string }).color, COLORS.subjects[1]);
});

test("grfFigure: the leg, both legs and the body weight in newtons", () => {
  const fig = grfFigure([{ label: "A", t: [0, 0.1, 0.2], leg: [0, 800, 0], total: [700, 800, 650], weight: 686.7 }]);
  assertUnits(fig);
  assert.equal(fig.layout.yaxis!.title.text, "vertical ground reaction force <i>F</i><sub>y</sub> (N)");
  assert.equal(fig.layout.xaxis!.title.text, "time since touchdown of the leg (s)");
  assert.deepEqual(byName(fig, "A")[0].y, [0, 800, 0]);
  assert.deepEqual(byName(fig, "body weight m g")[0].y, [686.7, 686.7]);
});

const mkl0: VariantPredictions = {
  variant: "mkl0",
  true: { m: [60, 70, 75], k: [8000, 9000, 10000], l0: [0.6, 0.7, 0.8] },
  pred: { m: [66, 68, 67], k: [8800, 9000, 9100], l0: [0.61, 0.7, 0.79] },
};

test("mkl0PredictionFigure: three panels with identity lines, the Bayes estimator over m and k only", () => {
  const bayes = { m: [64, 68, 70], k: [8600, 8800, 9300] };
  const fig = mkl0PredictionFigure(mkl0, bayes, { m: "R² = 0.1" });
  assertUnits(fig);
  assertPlain(fig);
  assert.deepEqual(
    axesOf(fig.layout).map(([, a]) => a.title.text),
    [
      "true mass <i>m</i> (kg)", "predicted mass <i>m</i> (kg)",
      "true leg stiffness <i>k</i> (N/m)", "predicted leg stiffness <i>k</i> (N/m)",
      "true rest leg length <i>ℓ</i><sub>0</sub> (m)", "predicted rest leg length <i>ℓ</i><sub>0</sub> (m)",
    ],
  );
  const net = fig.data.filter((t) => t.name === VARIANT_LABEL.mkl0);
  assert.deepEqual(net.map((t) => [t.xaxis, t.yaxis]), [["x", "y"], ["x2", "y2"], ["x3", "y3"]]);
  assert.deepEqual(net[1].x, [8000, 9000, 10000]);
  assert.deepEqual(net[1].y, [8800, 9000, 9100]);
  assert.ok(net.every((t) => (t.marker as { color: string }).color === COLORS.mkl0));
  const b = fig.data.filter((t) => String(t.name).startsWith("Bayes"));
  assert.deepEqual(b.map((t) => t.xaxis), ["x", "x2"]);
  assert.deepEqual(b[0].y, bayes.m);
  // The identity line spans the panel's range, which holds every point.
  const id = fig.data.filter((t) => String(t.name).startsWith("identity"));
  assert.equal(id.length, 3);
  const [lo, hi] = id[0].x as number[];
  assert.ok(lo < 60 && hi > 75, `identity from ${lo} to ${hi}`);
  assert.deepEqual((fig.layout.xaxis!.range as number[]), [lo, hi]);
  assert.ok(fig.layout.annotations!.some((a) => String(a.text).includes("R² = 0.1")));
});

test("rhol0PredictionFigure: rho and l0, with the mkl0 ratio k/m over rho", () => {
  const rhol0: VariantPredictions = { variant: "rhol0", true: { rho: [110, 130, 150], l0: [0.6, 0.7, 0.8] }, pred: { rho: [112, 129, 149], l0: [0.6, 0.71, 0.8] } };
  const fig = rhol0PredictionFigure(rhol0, mkl0);
  assertUnits(fig);
  assert.equal(fig.layout.xaxis!.title.text, "true <i>ρ</i> = <i>k</i>/<i>m</i> (1/s²)");
  const ratio = fig.data.find((t) => String(t.name).includes("k̂"))!;
  assert.deepEqual(ratio.x, [8000 / 60, 9000 / 70, 10000 / 75]);
  assert.deepEqual(ratio.y, [8800 / 66, 9000 / 68, 9100 / 67]);
  assert.equal((ratio.marker as { color: string }).color, COLORS.mkl0);
  const own = fig.data.filter((t) => t.name === VARIANT_LABEL.rhol0);
  assert.equal(own.length, 2);
  assert.ok(own.every((t) => (t.marker as { color: string }).color === COLORS.rhol0));
  assert.throws(() => rhol0PredictionFigure({ ...rhol0, true: { l0: [0.6] } }), /no rho column/);
});

test("learningCurvesFigure: training solid and validation dashed, one colour per variant, log loss", () => {
  const fig = learningCurvesFigure([
    { variant: "mkl0", epoch: [1, 2, 3], trainLoss: [1, 0.6, 0.5], valLoss: [0.9, 0.7, 0.6] },
    { variant: "rhol0", epoch: [1, 2, 3], trainLoss: [1, 0.3, 0.1], valLoss: [0.8, 0.3, 0.15] },
  ]);
  assertUnits(fig);
  assert.equal(fig.data.length, 4);
  assert.deepEqual(fig.data.map((t) => (t.line as { color: string }).color), [COLORS.mkl0, COLORS.mkl0, COLORS.rhol0, COLORS.rhol0]);
  assert.deepEqual(fig.data.map((t) => (t.line as { dash?: string }).dash), [undefined, "dash", undefined, "dash"]);
  assert.equal(fig.layout.yaxis!.type, "log");
  assert.equal(fig.layout.xaxis!.title.text, "epoch");
  assert.deepEqual(fig.data[3].y, [0.8, 0.3, 0.15]);
});

test("massStiffnessPlaneFigure: lines of constant rho are k = rho m, clipped to the plot; segments capped", () => {
  const n = 40;
  const mTrue = Array.from({ length: n }, (_, i) => 60 + (15 * i) / (n - 1));
  const kTrue = mTrue.map((m, i) => 8000 + 50 * i);
  const fig = massStiffnessPlaneFigure({
    mTrue, kTrue, mPred: mTrue.map((m) => m + 1), kPred: kTrue, rhoLines: [110, 130, 150, 400],
    mRange: [60, 75], kRange: [8000, 10000], bayesLocus: { m: [60, 75], k: [10000, 8000] }, maxSegments: 10,
  });
  assertUnits(fig);
  assert.equal(fig.layout.xaxis!.title.text, "mass <i>m</i> (kg)");
  assert.equal(fig.layout.yaxis!.title.text, "leg stiffness <i>k</i> (N/m)");
  const iso = fig.data.filter((t) => t.legendgroup === "iso");
  assert.equal(iso.length, 3, "rho = 400 1/s^2 never enters the plot");
  const [m0, m1] = (fig.layout.xaxis!.range as number[]);
  const [k0, k1] = (fig.layout.yaxis!.range as number[]);
  iso.forEach((t, j) => {
    const rho = [110, 130, 150][j];
    (t.x as number[]).forEach((m, i) => {
      const k = (t.y as number[])[i];
      assert.ok(Math.abs(k - rho * m) < 1e-9);
      assert.ok(m >= m0 - 1e-9 && m <= m1 + 1e-9 && k >= k0 - 1e-9 && k <= k1 + 1e-9, `(${m}, ${k}) outside the plot`);
    });
  });
  const seg = byName(fig, "true → predicted")[0];
  assert.equal((seg.x as unknown[]).filter((v) => v === null).length, 10);
  assert.ok(fig.data.some((t) => String(t.name).startsWith("Bayes locus")));
});

test("errorFloorFigure: one panel per parameter with its unit, one legend entry per bar name", () => {
  const fig = errorFloorFigure([
    { quantity: "m", bars: [{ name: "net", color: COLORS.mkl0, rmse: 3.4 }, { name: "floor", color: COLORS.bayes, rmse: 3.06 }] },
    { quantity: "rho", bars: [{ name: "net", color: COLORS.mkl0, rmse: 2.5 }, { name: "floor", color: COLORS.bayes, rmse: 0 }] },
  ]);
  assertUnits(fig);
  assert.equal(fig.layout.yaxis!.title.text, "RMSE of <i>m</i> (kg)");
  assert.equal((fig.layout.yaxis2 as { title: { text: string } }).title.text, "RMSE of <i>ρ</i> (1/s²)");
  assert.equal(fig.data.length, 4);
  assert.deepEqual(fig.data.map((t) => t.y), [[3.4], [3.06], [2.5], [0]]);
  assert.deepEqual(fig.data.map((t) => t.yaxis), ["y", "y", "y2", "y2"]);
  assert.deepEqual(fig.data.map((t) => t.showlegend), [true, true, false, false]);
  assert.deepEqual(fig.data.map((t) => (t.text as string[])[0]), ["3.4", "3.06", "2.5", "0"]);
});
