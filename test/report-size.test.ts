// What keeps the report light without losing anything: repeated figure arrays written once and put
// back in the page (shareFigureArrays, RESOLVE_ARRAYS), animation frames that carry only the points
// that move, and a formula placed again drawn once (TexRenderer with the global glyph cache).
import { test } from "node:test";
import assert from "node:assert/strict";
import { walkAnimationFigure } from "../lib/src/figures/model";
import { figureHtml } from "../lib/src/notebook/display";
import { compactFigureNumbers, CSS, RESOLVE_ARRAYS, SHARED_ARRAY_MIN_LENGTH, shareFigureArrays } from "../lib/src/report/html";
import { TexRenderer } from "../lib/src/report/tex";
import { findGaits } from "../lib/src/walker/gait";
import { simulateWalk } from "../lib/src/walker/simulate";

/** The page's resolver, run here as the browser runs it. */
const resolveArrays = new Function(`${RESOLVE_ARRAYS}; return gaitidResolveArrays;`)() as (v: unknown, arrays: unknown[]) => unknown;

test("repeated figure arrays are written once and put back exactly; short and non-numeric arrays stay", () => {
  const t = Array.from({ length: 500 }, (_, i) => i * 0.02);
  const x = t.map((v) => Math.sin(v) * 3.2 + 67.1);
  const short = [1, 2, 3];
  const labels = Array.from({ length: 40 }, (_, i) => `r${i}`);
  const figures = compactFigureNumbers([
    { id: "a", data: [{ x: t, y: x }, { x: t, y: x.map((v) => v * 2) }, { x: short, y: short, text: labels }], layout: { xaxis: { range: [0, 10] } } },
    { id: "b", data: [{ x, y: t, customdata: [...labels] }], layout: {}, frames: [{ name: "0", data: [{ x: short }] }] },
  ]);
  const { figures: shared, arrays } = shareFigureArrays(figures);
  assert.equal(arrays.length, 2, "t and x, each used in both figures");
  const json = JSON.stringify(shared);
  assert.equal((json.match(/"\$array":0/g) ?? []).length, 3, "t: three uses");
  assert.equal((json.match(/"\$array":1/g) ?? []).length, 2, "x: two uses");
  assert.ok(json.includes('"x":[1,2,3]'), "an array shorter than the minimum stays where it is");
  assert.ok(short.length < SHARED_ARRAY_MIN_LENGTH);
  assert.ok(json.includes('"r39"'), "strings are never shared");
  const before = JSON.stringify(figures).length, after = json.length + JSON.stringify(arrays).length;
  assert.ok(after < before - JSON.stringify(arrays[0]).length * 2, `${before} -> ${after} bytes`);
  // The page gets back exactly the figures, each use with its own copy.
  const back = resolveArrays(JSON.parse(json), JSON.parse(JSON.stringify(arrays))) as typeof figures;
  assert.deepEqual(back, figures);
  assert.notEqual(back[0].data[0].x, back[0].data[1].x, "each trace has its own array");
  // Nothing repeated: nothing shared, nothing changed.
  const single = shareFigureArrays([{ data: [{ x: t }] }]);
  assert.deepEqual(single, { figures: [{ data: [{ x: t }] }], arrays: [] });
});

test("a walk's animation frames carry only the points of the traces that move", () => {
  // A real walk: rho = 9000/70 1/s^2, l0 = 0.7 m, alpha0 = 61 degrees, e = 1.01 g l0, 1.2 s every 0.04 s.
  const alpha0 = (61 * Math.PI) / 180;
  const gait = findGaits({ rho: 9000 / 70, l0: 0.7, g: 9.81 }, alpha0, 1.01 * 9.81 * 0.7, { checkDuration: 0, stability: false }).at(-1)!;
  const w = simulateWalk({ m: 70, k: 9000, l0: 0.7 }, { y0: gait.y0, vx0: gait.vx0 }, { alpha0, duration: 1.2, dt: 0.04 });
  assert.equal(w.status, "walking");
  const fig = walkAnimationFigure({ ...w, l0: 0.7, alpha0 });
  assert.equal(fig.frames!.length, w.samples);
  for (const f of fig.frames!) {
    assert.deepEqual(f.traces, [1, 2, 3, 4, 5]);
    for (const d of f.data) assert.deepEqual(Object.keys(d).sort(), ["x", "y"], `frame ${f.name}`);
  }
  // Names and styles stay with the figure's traces, which frames update.
  const [, path, legs] = fig.data;
  assert.equal(path.name, "CoM path");
  assert.match(String(legs.name), /stance legs/);
  assert.ok(legs.line, "the legs keep their line style");
  const last = fig.frames!.at(-1)!;
  assert.equal(last.data[0].x!.length, w.samples, "the path grows to the whole walk");
  assert.deepEqual([last.data[4].x, last.data[4].y], [[w.x[w.samples - 1]], [w.y[w.samples - 1]]], "the mass at the last sample");
});

test("a formula placed again is drawn once and shown with <use>; the definitions hold a drawing the page lacks", () => {
  const tex = new TexRenderer("global");
  const latex = "\\ddot x = \\rho\\left(\\frac{\\ell_0}{\\ell_a} - 1\\right)(x - x_a)";
  const first = tex.svg(latex, false);
  const again = tex.svg(latex, false);
  const display = tex.svg(latex, true);
  assert.equal(tex.count, 3);
  assert.match(first, /^<svg aria-label="[^"]+" style="vertical-align: [-0-9.]+ex;" width="[^"]+" height="[^"]+" role="img" viewBox="[^"]+"><g id="mjx-f1" transform="scale\(1,-1\)">/);
  assert.doesNotMatch(first, /xmlns|focusable|xlink|<\/use>|currentColor/, "nothing an SVG inside HTML does not need; the colour comes from the style sheet");
  assert.match(CSS, /svg\[role="img"\]\[aria-label\] \{ fill: currentColor; stroke: currentColor; stroke-width: 0; \}/);
  const open = /^<svg [^>]*>/.exec(first)![0];
  assert.equal(again, `${open}<use href="#mjx-f1"/></svg>`, "same size and label, the first one's drawing");
  assert.match(display, /<g id="mjx-f2" /, "display math is a formula of its own");
  assert.ok(first.length > 5 * again.length, `${first.length} and ${again.length} bytes`);
  // Every glyph the drawing uses is defined once in the page's definitions.
  const defs = tex.defs(first + again + display);
  const glyphs = [...first.matchAll(/ href="#(MJX-[^"]+)"/g)].map((m) => m[1]);
  assert.ok(glyphs.length > 8, `${glyphs.length} glyphs`);
  for (const id of glyphs) assert.ok(defs.includes(`<path id="${id}"`), `glyph ${id}`);
  assert.doesNotMatch(defs, /mjx-f1/, "the page holds the first drawing: not repeated in the definitions");
  // A page that kept only the copy gets the drawing in the definitions.
  const alone = tex.defs(again);
  assert.equal((alone.match(/<g id="mjx-f1" /g) ?? []).length, 1);
  assert.doesNotMatch(alone, /mjx-f2/, "only drawings the page refers to");
  // The local cache (notebooks) is unchanged: self-contained SVGs, nothing shared.
  const local = new TexRenderer("local");
  const a = local.svg(latex, false), b = local.svg(latex, false);
  assert.match(a, /xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.doesNotMatch(a + b, /mjx-f\d|<use href=/);
  assert.equal(local.defs("anything"), "");
});

test("a notebook figure writes an array it repeats once, and draws the same figure", () => {
  const t = Array.from({ length: 300 }, (_, i) => i / 300);
  const fig = { data: [{ type: "scatter" as const, x: t, y: t.map(Math.sqrt) }, { type: "scatter" as const, x: t, y: t.map((v) => v * v) }], layout: { height: 300 } };
  const html = figureHtml(fig, { includePlotly: false });
  const m = /var spec = gaitidResolveArrays\((\{.*\}), (\[\[.*\]\])\);\n/.exec(html);
  assert.ok(m, "the figure's spec is resolved from its shared arrays");
  assert.equal((m[1].match(/"\$array":0/g) ?? []).length, 2);
  assert.ok(html.includes("function gaitidResolveArrays("), "the resolver comes with the figure");
  const spec = resolveArrays(JSON.parse(m[1]), JSON.parse(m[2])) as { data: unknown[] };
  assert.deepEqual(spec.data, compactFigureNumbers(fig.data));
  // A figure without repeats is written as it was.
  assert.doesNotMatch(figureHtml({ data: [fig.data[0]], layout: {} }, { includePlotly: false }), /gaitidResolveArrays/);
});
