// The report of a real tiny-preset study (generate + train, ~20 s; then the report, ~15 s):
// built from the run files, one self-contained file, bad input rejected before anything is
// written; then opened in Debian's chromium (playwright-core) with the network blocked: no
// console error, no failed or outside request, every figure drawn, every equation an SVG, the
// animation plays. A screenshot of the top goes to test-output/report-browser/report-top.png.
//
// Without /usr/bin/chromium the browser test is skipped, unless CI is set: then it fails.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { GaitidError } from "../lib/src/errors";
import { readMetrics } from "../lib/src/estimator/run";
import { studyLayout, type StudyLayout } from "../lib/src/layout";
import { arrangeSections, buildReport, DEFAULT_FIGURES, ReportContext, TexRenderer, type BuiltReport } from "../lib/src/report";
import { subsampleIndices } from "../lib/src/results/figure-data";
import { readStudyResults } from "../lib/src/results/read";
import type { StudyResults } from "../lib/src/results/study";
import { prepareStudyResults } from "../lib/src/study/prepare";
import { fmt, fixed } from "../lib/src/report/format";
import { compactFigureNumbers, inlineScript, plotlyBundle, plotlyKindFor } from "../lib/src/report/html";
import { makeTinyStudy, type StudyFixture } from "./helpers/report-fixture";

const CHROMIUM = "/usr/bin/chromium";
const ON_CI = process.env.CI !== undefined && process.env.CI !== "";
const HAVE_CHROMIUM = fs.existsSync(CHROMIUM);
const BROWSER_SKIP = !HAVE_CHROMIUM && !ON_CI ? `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y --no-install-recommends chromium) to run the browser test` : false;
const OUTPUT = path.join(__dirname, "..", "test-output", "report-browser");

let root = "";
let study: StudyFixture;
let layout: StudyLayout;
let results: StudyResults;
let built: BuiltReport;
let html = "";

before(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "gaitid-report-"));
  study = await makeTinyStudy(root);
  layout = studyLayout("tiny", root);
  prepareStudyResults(layout); // the derivation JSON and the figures' walks, as gaitid reproduce writes them
  results = readStudyResults(layout);
  built = await buildReport(results, { out: path.join(root, "report", "index.html"), quiet: true });
  html = fs.readFileSync(built.path, "utf8");
});

after(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

test("the report is one file with every figure, plotly's basic bundle inlined once, nothing to fetch", () => {
  assert.equal(built.path, path.join(root, "report", "index.html"));
  assert.equal(built.figures, DEFAULT_FIGURES.length);
  assert.equal(built.bytes, fs.statSync(built.path).size);
  assert.equal(fs.readdirSync(path.dirname(built.path)).join(","), "index.html", "no temporary file left beside it");
  const basic = plotlyBundle("basic");
  assert.equal(basic.package, "plotly.js-basic-dist-min");
  assert.equal(html.split(`* plotly.js (basic - minified) v${basic.version}`).length - 1, 1, "plotly's basic bundle inlined exactly once");
  assert.ok(html.includes(inlineScript(basic.source)), "the whole basic bundle");
  assert.doesNotMatch(html, /\* plotly\.js v\d/, "the full plotly.js-dist is not inlined");
  for (const id of DEFAULT_FIGURES) assert.ok(html.includes(`id="plot-${id}"`), `no plot ${id}`);
  assert.equal((html.match(/<figure /g) ?? []).length, built.figures);
  // No reference to another file or host: no src or stylesheet links, no url(...) in styles.
  assert.doesNotMatch(html, /<script[^>]+src=/i);
  assert.doesNotMatch(html, /<link[^>]+stylesheet/i);
  assert.doesNotMatch(html, /<img[^>]+src="(?!data:)/i);
  assert.doesNotMatch(html.slice(0, html.indexOf("<script>")), /url\((?!data:)/i);
  // The equations are SVG already; no MathJax in the page.
  assert.ok(built.equations >= 10, `${built.equations} equations`);
  assert.equal((html.match(/<div class="eq"[^>]*><svg /g) ?? []).length > 0, true);
  assert.doesNotMatch(html, /data-mjx-error|merror/);
  // Every label referenced is resolved.
  assert.doesNotMatch(html, /@@ref:/);
});

test("the report is under 2 MiB", () => {
  // plotly's basic bundle is 1.14 MiB of it; the rest is the figures' JSON and the formulas' SVG.
  assert.ok(built.bytes < 2 * 2 ** 20, `the report is ${(built.bytes / 2 ** 20).toFixed(2)} MiB`);
});

test("numbers in the text come from the run files", () => {
  const a = readMetrics(path.join(root, study.runs.mkl0));
  const b = readMetrics(path.join(root, study.runs.rhol0));
  const summary = html.slice(html.indexOf('id="summary"'), html.indexOf('<nav class="toc"'));
  assert.ok(summary.includes(`${fixed(b.params.rho.r2, 3)}\n      for <i>ρ</i>`), "R² of rho (rhol0) in the summary");
  assert.ok(summary.includes(`but only ${fixed(a.params.m.r2, 3)} for <i>m</i>`), "R² of m (mkl0) in the summary");
  assert.ok(summary.includes(`The network's RMSE of <i>m</i> is ${fmt(a.params.m.rmse)} kg`), "RMSE of m in the summary");
  assert.ok(summary.includes(`${fmt(a.params.m.rmse / a.params.m.floorRmse)} times that floor`));
  // The metrics table holds every R² of both runs.
  const table = html.slice(html.indexOf('id="tab-metrics"'));
  for (const v of [a.params.m.r2, a.params.k.r2, a.params.l0.r2, b.params.rho.r2, b.params.l0.r2]) {
    assert.ok(table.includes(`<td class="num">${fixed(v, 3)}</td>`), `R² ${v} not in the metrics table`);
  }
  // The runs were trained on this dataset: the provenance table says so.
  assert.equal((html.match(/✓ this dataset/g) ?? []).length, 2);
  // The tiny preset is announced as such.
  assert.match(summary, /built with the <b>tiny<\/b> preset \(400 records/);
});

test("bad input is a GaitidError naming it, and nothing is written", async () => {
  const at = (p: string): string => path.join(root, p);
  assert.throws(() => readStudyResults(layout, { runs: { mkl0: at(study.runs.rhol0), rhol0: at(study.runs.mkl0) } }), (e: unknown) => {
    assert.ok(e instanceof GaitidError);
    assert.match(e.message, /is a rhol0 run, but it was given as the mkl0 run/);
    return true;
  });
  assert.throws(() => readStudyResults(layout, { dataset: at("data/nothing") }), /no dataset at .*data\/nothing/);
  await assert.rejects(buildReport(results, { out: at("bad/report.pdf"), quiet: true }), /must be an .html file/);
  assert.equal(fs.existsSync(at("bad")), false);
});

test("sections can be inserted; figures, tables and forward references are numbered in page order", async () => {
  const sections = arrangeSections([{ id: "a", title: "A", render: () => "" }, { id: "limits", title: "L", render: () => "" }], [
    { section: { id: "experiments", title: "E", render: () => "" } },
  ]);
  assert.deepEqual(sections.map((s) => s.id), ["a", "experiments", "limits"]);
  assert.throws(() => arrangeSections(sections, [{ section: { id: "x", title: "X", render: () => "" }, before: "nope" }]), /before one of a, experiments, limits/);
  const ctx = new ReportContext();
  ctx.beginSection("s", "2");
  const fig = { data: [], layout: { height: 300 } };
  const text = `${ctx.safe.ref("f2")} follows ${ctx.safe.ref("f1")}; see ${ctx.safe.ref("t1")} and ${ctx.safe.ref("s")}.`;
  ctx.safe.figure("f1", fig, "one");
  ctx.safe.table("t1", { head: ["a"], rows: [["1"]] }, "a table");
  ctx.safe.figure("f2", fig, "two");
  assert.equal(
    ctx.resolve(text),
    '<a href="#f2">Figure&nbsp;2</a> follows <a href="#f1">Figure&nbsp;1</a>; see <a href="#t1">Table&nbsp;1</a> and <a href="#s">Section&nbsp;2</a>.',
  );
  assert.throws(() => ctx.resolve(String(ctx.safe.ref("missing"))), /refers to missing/);
  assert.match(String(ctx.safe.heading("h", "Sub")), /<span class="num">2\.1<\/span>Sub/);
  assert.deepEqual(subsampleIndices(5, 10), [0, 1, 2, 3, 4]);
  assert.deepEqual(subsampleIndices(10, 4), [0, 2, 5, 7]);
});

test("figure numbers keep 1/10000 of each array's range; the basic bundle is picked unless a trace needs another", () => {
  const fig = {
    scatter: { type: "scatter", x: [0, 0.123456789, 1], y: [1000.123456, 1000.2, null, 1001], line: { width: 1.23456 }, name: "a", text: ["p", "q"] },
    bar: { type: "bar", x: ["m", "k"], y: [3.0948178931020167], base: [0, 123456789], marker: { size: new Float64Array([2.5, 7.123456]) } },
    layout: { xaxis: { range: [-0.09311287329599593, 2.306524374833556] }, height: 400 },
  };
  const copy = structuredClone(fig);
  const c = compactFigureNumbers(fig);
  assert.deepEqual(fig, copy, "the input is not changed");
  assert.deepEqual(c.scatter.x, [0, 0.1235, 1]); // range 1: four decimals
  assert.deepEqual(c.scatter.y, [1000.12346, 1000.2, null, 1001]); // range 0.877: five decimals, gaps kept
  assert.equal(c.scatter.line.width, 1.23456, "a number outside an array is kept");
  assert.deepEqual(c.scatter.text, ["p", "q"]);
  assert.deepEqual(c.bar.x, ["m", "k"]);
  assert.deepEqual(c.bar.y, [3.0948], "one number: 1/10000 of its magnitude");
  assert.deepEqual(c.bar.base, [0, 123456789], "integer parts are never rounded");
  assert.deepEqual(c.bar.marker.size, [2.5, 7.1235], "a typed array becomes an array, rounded");
  assert.deepEqual(c.layout.xaxis.range, [-0.0931, 2.3065]);
  assert.equal(c.layout.height, 400);
  // Which plotly.js: the basic bundle (scatter, bar, pie) unless a trace (or a frame's) needs more.
  assert.equal(plotlyKindFor([{ data: [{ type: "scatter" }, { type: "bar" }, {}] }]), "basic");
  assert.equal(plotlyKindFor([{ data: [{ type: "scatter" }], frames: [{ name: "0", data: [{ x: [1] }] }] }]), "basic");
  assert.equal(plotlyKindFor([{ data: [{ type: "scatter" }] }, { data: [{ type: "heatmap" }] }]), "full");
  assert.equal(plotlyKindFor([{ data: [], frames: [{ data: [{ type: "scattergl" }] }] }]), "full");
});

test("MathJax typesets TeX to standalone SVG and rejects broken TeX", () => {
  const tex = new TexRenderer();
  const svg = tex.svg("\\mathrm{E}[m \\mid \\rho] = \\frac{2}{3}\\,\\frac{b^3 - a^3}{b^2 - a^2}", true);
  assert.match(svg, /^<svg aria-label="[^"]+" style="vertical-align: [-0-9.]+ex;" xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  // Glyphs are defined in the SVG itself (fontCache "local").
  const uses = [...svg.matchAll(/xlink:href="#([^"]+)"/g)].map((m) => m[1]);
  assert.ok(uses.length > 5);
  for (const id of uses) assert.ok(svg.includes(`id="${id}"`), `glyph ${id} is not defined in the SVG`);
  assert.throws(() => tex.svg("\\frac{1}{", false), (e: unknown) => e instanceof GaitidError && /MathJax cannot typeset/.test(e.message));
  assert.throws(() => tex.svg("\\cdotm", false), /Undefined control sequence \\cdotm/);
});

test("in chromium with the network blocked: no error, every figure drawn, equations as SVG, the walk plays", { skip: BROWSER_SKIP, timeout: 120_000 }, async () => {
  if (!HAVE_CHROMIUM) assert.fail(`CI is set but ${CHROMIUM} is missing: install it with apt-get install -y --no-install-recommends chromium`);
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, offline: true });
    const url = pathToFileURL(built.path).href;
    const requests: string[] = [], failed: string[] = [], errors: string[] = [];
    await context.route("**/*", (route) => (route.request().url() === url ? route.continue() : route.abort()));
    const page = await context.newPage();
    page.on("request", (r) => requests.push(r.url()));
    page.on("requestfailed", (r) => failed.push(`${r.url()} (${r.failure()?.errorText})`));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(`uncaught: ${e.message}`));
    await page.goto(url);
    await page.waitForSelector(`body[data-figures-rendered="${built.figures}"]`, { timeout: 60_000 });
    assert.deepEqual(errors, [], "console errors");
    assert.deepEqual(failed, [], "failed requests");
    assert.deepEqual(requests, [url], "the page requested something besides itself");

    const plots = await page.$$eval("figure .plot", (els) =>
      els.map((el) => ({
        id: el.id,
        rendered: el.getAttribute("data-rendered"),
        svg: el.querySelectorAll("svg.main-svg").length,
        traces: el.querySelectorAll(".scatterlayer .trace, .barlayer .trace").length,
        points: el.querySelectorAll(".scatterlayer path.js-line, .scatterlayer path.point, .barlayer path").length,
        width: el.getBoundingClientRect().width,
      })),
    );
    assert.equal(plots.length, DEFAULT_FIGURES.length);
    for (const p of plots) {
      assert.equal(p.rendered, "true", `${p.id} not rendered`);
      assert.ok(p.svg >= 1 && p.traces >= 1 && p.points >= 1, `${p.id}: ${JSON.stringify(p)}`);
      assert.ok(p.width > 300, `${p.id} is ${p.width} px wide`);
    }
    const figures = await page.$$eval("figure", (els) => els.map((el) => el.querySelector("figcaption .label")?.textContent));
    assert.deepEqual(figures, DEFAULT_FIGURES.map((_, i) => `Figure ${i + 1}.`));

    const eqs = await page.$$eval(".eq", (els) => els.map((el) => ({ svg: el.querySelector("svg") !== null, w: el.querySelector("svg")?.getBoundingClientRect().width ?? 0 })));
    assert.ok(eqs.length >= 5, `${eqs.length} displayed equations`);
    assert.ok(eqs.every((e) => e.svg && e.w > 10), "every displayed equation is a visible SVG");
    assert.equal(await page.locator("mjx-container, script[src], .MathJax_Preview").count(), 0);

    // The animation: Play moves the mass along the walk.
    // Trace 5 of the walk figure is the mass; plotly keeps the drawn data on the element.
    const massX = (): Promise<number> => page.evaluate('document.getElementById("plot-fig-walk").data[5].x[0]') as Promise<number>;
    const x0 = await massX();
    await page.locator("#plot-fig-walk .updatemenu-button").first().click();
    await page.waitForTimeout(600);
    const x1 = await massX();
    assert.ok(x1 > x0 + 0.1, `the mass did not move forward: ${x0} -> ${x1} m`);

    fs.mkdirSync(OUTPUT, { recursive: true });
    await page.evaluate("window.scrollTo(0, 0)");
    await page.screenshot({ path: path.join(OUTPUT, "report-top.png") });
    assert.ok(fs.statSync(path.join(OUTPUT, "report-top.png")).size > 20_000);
    assert.deepEqual(errors, [], "console errors after playing the animation");
  } finally {
    await browser.close();
  }
});
