// The notebooks (issue 7). Static checks of the committed notebooks (no outputs, tslab kernel,
// the library imported by package name), the notebook helpers of lib/src/notebook, and a real
// headless run: `node scripts/notebooks.mjs` (what `npm run notebooks` runs) executes all six
// notebooks on the tiny preset in a temporary study root with Jupyter's nbconvert and the project's
// tslab kernel (about 2 minutes), then every cell must have run without error, every notebook
// must show a figure or a table, the HTML exports must exist and be self-contained, the first
// notebook's derivation text must equal `gaitid derive`'s output, and in Debian's chromium, with
// the network blocked, every figure of the exports must be drawn.
//
// Needs lib/dist (npm run build; npm test builds first). Without Jupyter (Debian's
// jupyter-nbconvert, see scripts/setup-jupyter.sh) the run is skipped, unless CI is set: then it
// fails. The same for /usr/bin/chromium and the browser check.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { GaitidError } from "../lib/src/errors";
import { describeColumns, loadDanfo } from "../lib/src/dataset/summary";
import { readMetrics } from "../lib/src/estimator/run";
import { readExperimentResults, type ExperimentResults } from "../lib/src/experiments/run";
import { EXPERIMENT_NAMES } from "../lib/src/experiments/settings";
import {
  dataFrameHtml,
  experimentCommandLine,
  experimentsHtml,
  figureHtml,
  gaitsHtml,
  notebookPreset,
  plotlyBundle,
  notebookStudy,
  pathDifference,
  resetPlotly,
  runMismatch,
  studyRoot,
  summaryHtml,
  withStderrLines,
  withUsedCssOnly,
} from "../lib/src/notebook";
import { fixed } from "../lib/src/report/format";
import { SECTION_CSS } from "../lib/src/report/template";
import { findGaits } from "../lib/src/walker/gait";
import { simulateWalk } from "../lib/src/walker/simulate";

const ROOT = path.resolve(__dirname, "..");
const NOTEBOOKS = ["01-derivation", "02-walker-and-data", "03-estimate-m-k-l0", "04-estimate-rho-l0", "05-report", "06-profiles"];
const ON_CI = !["", "0", "false"].includes((process.env.CI ?? "").trim().toLowerCase());
const HAVE_JUPYTER = fs.existsSync("/usr/bin/jupyter-nbconvert");
const RUN_SKIP = !HAVE_JUPYTER && !ON_CI ? "Jupyter is not installed: bash scripts/setup-jupyter.sh installs Debian's nbconvert and registers the tslab kernel" : false;
const CHROMIUM = "/usr/bin/chromium";
const BROWSER_SKIP = RUN_SKIP || (!fs.existsSync(CHROMIUM) && !ON_CI ? `${CHROMIUM} is missing (apt-get install -y --no-install-recommends chromium)` : false);
const OUTPUT = path.join(ROOT, "test-output", "notebooks");

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, string | string[]>;
  ename?: string;
  evalue?: string;
}
interface Cell {
  cell_type: "code" | "markdown" | "raw";
  id?: string;
  source: string | string[];
  metadata: { tags?: string[] };
  outputs?: Output[];
  execution_count?: number | null;
}
interface Notebook {
  cells: Cell[];
  metadata: { kernelspec?: { name: string } };
  nbformat: number;
  nbformat_minor: number;
}

const join = (s: string | string[] | undefined): string => (Array.isArray(s) ? s.join("") : (s ?? ""));
const readNotebook = (file: string): Notebook => JSON.parse(fs.readFileSync(file, "utf8")) as Notebook;
const codeCells = (nb: Notebook): Cell[] => nb.cells.filter((c) => c.cell_type === "code");

// ---------------------------------------------------------------------------------------------
// The committed notebooks

test("the committed notebooks are the six steps, on the tslab kernel, without outputs", () => {
  const files = fs.readdirSync(path.join(ROOT, "notebooks")).filter((f) => f.endsWith(".ipynb")).sort();
  assert.deepEqual(files, NOTEBOOKS.map((n) => `${n}.ipynb`));
  for (const f of files) {
    const nb = readNotebook(path.join(ROOT, "notebooks", f));
    assert.equal(nb.nbformat, 4, f);
    assert.ok(nb.nbformat_minor >= 5, `${f}: nbformat 4.5 or later (cell ids)`);
    assert.equal(nb.metadata.kernelspec?.name, "tslab", `${f}: kernel`);
    const ids = nb.cells.map((c) => c.id);
    assert.equal(new Set(ids).size, ids.length, `${f}: cell ids are unique`);
    assert.ok(nb.cells.some((c) => c.cell_type === "markdown") && codeCells(nb).length >= 2, `${f}: narrative and code`);
    for (const c of codeCells(nb)) {
      assert.deepEqual(c.outputs, [], `${f} cell ${c.id} has outputs: clear them before committing`);
      assert.equal(c.execution_count, null, `${f} cell ${c.id} has an execution count`);
    }
  }
});

test("notebooks only call the library: imported by package name, no functions of their own", () => {
  for (const n of NOTEBOOKS) {
    const nb = readNotebook(path.join(ROOT, "notebooks", `${n}.ipynb`));
    const code = codeCells(nb).map((c) => join(c.source)).join("\n");
    assert.match(code, /import \* as gaitid from "gaitid";/, `${n} imports the library as "gaitid"`);
    for (const m of code.matchAll(/from "([^"]+)"/g)) {
      assert.ok(m[1] === "tslab" || m[1] === "gaitid" || m[1].startsWith("gaitid/dist/"), `${n} imports ${m[1]}: only the library (by package name) and tslab`);
    }
    assert.doesNotMatch(code, /\bfunction\b|\bclass\b/, `${n} defines a function or class; put it in the library`);
  }
  const first = readNotebook(path.join(ROOT, "notebooks", "01-derivation.ipynb"));
  const tagged = first.cells.filter((c) => c.metadata.tags?.includes("derive-text"));
  assert.equal(tagged.length, 1, "01 has one cell tagged derive-text");
  assert.equal(join(tagged[0].source).trim(), "void process.stdout.write(gaitid.derivationText(xy));");
});

// ---------------------------------------------------------------------------------------------
// The helpers of lib/src/notebook

test("the preset: GAITID_PRESET, else tiny on CI and quick elsewhere; an unknown one names the variable", () => {
  assert.equal(notebookPreset({}), "quick");
  assert.equal(notebookPreset({ CI: "true" }), "tiny");
  assert.equal(notebookPreset({ CI: "false" }), "quick");
  assert.equal(notebookPreset({ CI: "true", GAITID_PRESET: "paper" }), "paper");
  assert.throws(
    () => notebookPreset({ GAITID_PRESET: "huge" }),
    (e: unknown) => e instanceof GaitidError && /GAITID_PRESET="huge"/.test(e.message) && /tiny, quick, paper/.test(e.message),
  );
});

test("the study root is GAITID_ROOT or the repository, never the notebook's folder; paths as gaitid reproduce lays them out", () => {
  assert.equal(studyRoot({}), ROOT);
  assert.equal(studyRoot({ GAITID_ROOT: "some/where" }), path.resolve("some/where"));
  const s = notebookStudy({ GAITID_PRESET: "tiny", GAITID_ROOT: "/tmp/x" });
  assert.equal(s.preset, "tiny");
  assert.equal(s.config.dataset.records, 400);
  assert.equal(s.paths.dataset, path.join("/tmp/x", "data", "tiny"));
  assert.equal(s.paths.runs.mkl0, path.join("/tmp/x", "data", "runs", "tiny-mkl0"));
  assert.equal(s.paths.runs.rhol0, path.join("/tmp/x", "data", "runs", "tiny-rhol0"));
  assert.equal(s.paths.report, path.join("/tmp/x", "report", "index.html"));
  assert.equal(s.notebookExports, path.join("/tmp/x", "report", "notebooks"));
});

test("figureHtml inlines plotly.js with the first figure only, and every figure gets its own element", () => {
  resetPlotly();
  const fig = { data: [{ type: "scatter" as const, x: [1, 2], y: [3, 4], name: "</script><b>" }], layout: { height: 321 } };
  const a = figureHtml(fig), b = figureHtml(fig), c = figureHtml(fig, { includePlotly: true });
  // plotly's minified basic bundle (scatter, bar, pie), about 1.2 MB, not the full plotly.js-dist.
  const basic = `plotly.js (basic - minified) v${plotlyBundle("basic").version}`;
  assert.ok(a.includes(basic), "the basic bundle with the first figure");
  assert.ok(a.length > 1_000_000 && a.length < 1_500_000, `the bundle is inlined (${a.length} characters)`);
  assert.doesNotMatch(b, /plotly\.js (\(basic - minified\) )?v\d/);
  assert.ok(b.length < 5000);
  assert.ok(c.includes(basic));
  const ids = [a, b, c].map((h) => /<div id="([^"]+)" class="gaitid-plot" style="width:100%;height:321px"/.exec(h)?.[1]);
  assert.ok(ids.every((id) => id), "a sized plot element in each");
  assert.equal(new Set(ids).size, 3, "distinct element ids");
  // The figure's own JSON cannot close the script early: exactly one </script> per script.
  assert.equal(b.split("</script>").length - 1, 1);
  assert.ok(b.includes("\\u003c/script>\\u003cb>"), "the trace name is escaped inside the script");
  // The draw script marks the element once plotly has drawn it (what the browser check waits for).
  assert.match(b, /setAttribute\("data-rendered", "true"\)/);
  // The figure's numbers are rounded to 1/10000 of each array's range.
  const long = figureHtml({ data: [{ type: "scatter", x: [0, 1 / 3, 1], y: [2, 2.5, 3] }], layout: {} });
  assert.ok(long.includes('"x":[0,0.3333,1]'), "x rounded to four decimals");
});

test("figureHtml inlines the full plotly.js only once a figure needs a trace type outside the basic bundle", () => {
  resetPlotly();
  const scatter = { data: [{ type: "scatter" as const, x: [1, 2], y: [3, 4] }], layout: {} };
  const heatmap = { data: [{ type: "heatmap" as unknown as "scatter", z: [[1, 2], [3, 4]] }], layout: {} };
  const first = figureHtml(scatter), full = figureHtml(heatmap), again = figureHtml(heatmap), after = figureHtml(scatter, { includePlotly: true });
  const fullHeader = `plotly.js v${plotlyBundle("full").version} (plotly.js-dist`;
  assert.ok(first.includes("plotly.js (basic - minified)") && !first.includes(fullHeader));
  assert.ok(full.includes(fullHeader), "the heatmap brings the full bundle");
  assert.ok(!again.includes(fullHeader) && again.length < 5000, "once");
  assert.ok(after.includes(fullHeader), "once the full bundle is on the page, the basic one does not replace it");
  resetPlotly();
});

test("an export keeps only the CSS rules that can apply to it", () => {
  const css = [
    '@charset "UTF-8";',
    ":root { --jp-ui-font-size1: 13px; }",
    "body { margin: 0; }",
    ".a { color: red; }",
    ".c { color: blue; }",
    ".a .c, .a > .b { x: 1; }",
    ".a:not(.c), .b:is(.c, .d) { y: 2; }",
    "[data-jp-theme-light=\"true\"] .b { z: 3; }",
    "@media print { .b { u: 4; } .c { v: 5; } }",
    "@media screen { .c { w: 6; } }",
    "@keyframes spin { from { t: 0; } to { t: 1; } }",
  ].join("\n");
  const page = `<html><head><style>${css}</style></head><body class="a"><div class="b x">.c { kept: in the body }</div><style>.c{}</style></body></html>`;
  const out = withUsedCssOnly(page);
  const kept = out.slice(out.indexOf("<style>") + 7, out.indexOf("</style>"));
  assert.deepEqual(kept.split("\n"), [
    '@charset "UTF-8";',
    ":root{--jp-ui-font-size1: 13px;}",
    "body{margin: 0;}",
    ".a{color: red;}",
    ".a > .b{x: 1;}",
    ".a:not(.c),.b:is(.c, .d){y: 2;}",
    '[data-jp-theme-light="true"] .b{z: 3;}',
    "@media print{.b{u: 4;}}",
    "@keyframes spin{ from { t: 0; } to { t: 1; } }",
  ]);
  assert.ok(out.endsWith('<body class="a"><div class="b x">.c { kept: in the body }</div><style>.c{}</style></body></html>'), "the body is left as it is");
});

test("tables: a danfojs DataFrame and the danfojs parameter summary as HTML", () => {
  const dfd = loadDanfo();
  const df = new dfd.DataFrame({ m: [60.5, 70.25, 74], split: ["train", "val", "test"] });
  const html = dataFrameHtml(df, { caption: "cap", units: { m: "kg" } });
  assert.equal((html.match(/<tr>/g) ?? []).length, 1 + 3, "a header row and one row per record");
  assert.match(html, /<th class="num">m \(kg\)<\/th>/);
  for (const v of ["60.5", "70.25", "74", "val"]) assert.ok(html.includes(`>${v}</td>`), `${v} in the table`);
  const s = describeColumns({ m: [60, 70, 80], k: [8000, 9000, 10000] });
  const t = summaryHtml(s);
  const mean = s.values[s.index.indexOf("mean")];
  assert.equal(mean[s.columns.indexOf("m")], 70);
  assert.match(t, /<b>m<\/b><\/td><td>kg<\/td><td class="num">3<\/td><td class="num">70<\/td>/);
  assert.match(t, /<b>k<\/b><\/td><td>N\/m<\/td><td class="num">3<\/td><td class="num">9000<\/td>/);
});

test("withStderrLines hands each progress line over and restores stderr", async () => {
  const lines: string[] = [];
  const before = process.stderr.write;
  const value = await withStderrLines((l) => lines.push(l), async () => {
    process.stderr.write("a 1/3\n");
    process.stderr.write("\rb 2/3");
    process.stderr.write("\rc 3/3\n");
    process.stderr.write("tail");
    return 42;
  });
  assert.equal(value, 42);
  assert.deepEqual(lines, ["a 1/3", "b 2/3", "c 3/3", "tail"]);
  assert.equal(process.stderr.write, before);
  await assert.rejects(withStderrLines(() => undefined, async () => Promise.reject(new Error("boom"))), /boom/);
  assert.equal(process.stderr.write, before, "restored after a failure too");
});

test("experimentsHtml: for an experiment that has not run, the command that runs it; an unknown name is refused", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "gaitid-no-experiments-"));
  try {
    const html = experimentsHtml({ root, preset: "tiny" }, EXPERIMENT_NAMES);
    for (const n of EXPERIMENT_NAMES) {
      assert.ok(html.includes(`<code>npx gaitid experiment ${n} --preset tiny --root ${root}</code>`), `the command of ${n}`);
      assert.ok(html.includes(path.join(root, "data", "experiments", `tiny-${n}`)), `the folder of ${n}`);
    }
    assert.doesNotMatch(html, /gaitid-plot|<table/, "nothing to draw");
    assert.ok(html.includes(SECTION_CSS.trim()), "the sections' classes are styled as in the report");
    assert.equal(experimentCommandLine("noise", "quick", ROOT), "npx gaitid experiment noise --preset quick", "no --root for the repository");
    assert.throws(() => experimentsHtml({ root, preset: "tiny" }, ["noise", "colour"]), (e: unknown) => e instanceof GaitidError && /"colour"/.test(e.message) && /data-volume/.test(e.message));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("the walker helpers: a gait table row per gait; subjects with the same k/m walk the same path", () => {
  const alpha0 = (60 * Math.PI) / 180;
  const gaits = findGaits({ rho: 9000 / 67.5, l0: 0.7, g: 9.81 }, alpha0, 1.02 * 9.81 * 0.7, { checkDuration: 0, stability: false });
  assert.ok(gaits.length >= 1);
  const html = gaitsHtml(gaits);
  assert.equal((html.match(/<tr>/g) ?? []).length, 1 + gaits.length);
  assert.ok(html.includes(`<td>${fixed(gaits[0].y0, 5)}</td>`));
  const g = gaits[gaits.length - 1];
  const a = simulateWalk({ m: 67.5, k: 9000, l0: 0.7 }, { y0: g.y0, vx0: g.vx0 }, { alpha0, duration: 3 });
  const b = simulateWalk({ m: 81, k: 10800, l0: 0.7 }, { y0: g.y0, vx0: g.vx0 }, { alpha0, duration: 3 });
  const c = simulateWalk({ m: 67.5, k: 9500, l0: 0.7 }, { y0: g.y0, vx0: g.vx0 }, { alpha0, duration: 3 });
  assert.ok(pathDifference(a, b) < 1e-9, `same rho: ${pathDifference(a, b)} m apart`);
  assert.ok(pathDifference(a, c) > 1e-3, `another rho: ${pathDifference(a, c)} m apart`);
});

// ---------------------------------------------------------------------------------------------
// The headless run of all notebooks on the tiny preset

let studyDir = "";
let run: Promise<{ code: number; stderr: string; seconds: number; derive: string }> | undefined;

function spawnText(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** Runs the notebooks once (and `gaitid derive` beside them); later calls get the same result. */
function runNotebooks(): Promise<{ code: number; stderr: string; seconds: number; derive: string }> {
  run ??= (async () => {
    studyDir = fs.mkdtempSync(path.join(os.tmpdir(), "gaitid-notebooks-"));
    const env = { ...process.env, CI: "true", GAITID_PRESET: "tiny", GAITID_ROOT: studyDir };
    const t0 = performance.now();
    const [nb, derive] = await Promise.all([
      spawnText(process.execPath, [path.join(ROOT, "scripts", "notebooks.mjs"), "--no-build", "--timeout", "300"], env),
      spawnText(process.execPath, [path.join(ROOT, "lib", "bin", "gaitid.js"), "derive"], env),
    ]);
    assert.equal(derive.code, 0, `gaitid derive failed: ${derive.stderr}`);
    return { code: nb.code, stderr: nb.stderr, seconds: (performance.now() - t0) / 1000, derive: derive.stdout };
  })();
  return run;
}

before(() => {
  if (!RUN_SKIP) void runNotebooks().catch(() => undefined);
});

after(() => {
  if (studyDir) fs.rmSync(studyDir, { recursive: true, force: true });
});

const exported = (name: string, ext: string): string => path.join(studyDir, "report", "notebooks", `${name}.${ext}`);

test("npm run notebooks executes all six on the tiny preset: every cell without error, HTML exports written", { skip: RUN_SKIP, timeout: 600_000 }, async () => {
  if (!HAVE_JUPYTER) assert.fail("CI is set but Jupyter is missing: run bash scripts/setup-jupyter.sh");
  const r = await runNotebooks();
  assert.equal(r.code, 0, `the notebooks failed:\n${r.stderr.slice(-6000)}`);
  console.log(`notebooks: all six executed and exported in ${r.seconds.toFixed(1)} s`);
  const manifest = JSON.parse(fs.readFileSync(path.join(studyDir, "report", "notebooks", "manifest.json"), "utf8")) as {
    kind: string; preset: string; failed: string | null; notebooks: { name: string; seconds: number }[];
  };
  assert.equal(manifest.kind, "gaitid-notebooks");
  assert.equal(manifest.preset, "tiny");
  assert.equal(manifest.failed, null);
  assert.deepEqual(manifest.notebooks.map((n) => n.name), NOTEBOOKS);
  for (const n of NOTEBOOKS) {
    const nb = readNotebook(exported(n, "ipynb"));
    const cells = codeCells(nb);
    cells.forEach((c, i) => {
      assert.equal(c.execution_count, i + 1, `${n} cell ${c.id} ran in order`);
      for (const o of c.outputs ?? []) {
        assert.notEqual(o.output_type, "error", `${n} cell ${c.id}: ${o.ename}: ${o.evalue}`);
        assert.ok(!(o.output_type === "stream" && o.name === "stderr"), `${n} cell ${c.id} wrote to stderr:\n${join(o.text).slice(0, 2000)}`);
      }
    });
    const html = cells.flatMap((c) => (c.outputs ?? []).map((o) => join(o.data?.["text/html"]))).join("\n");
    const figures = (html.match(/class="gaitid-plot"/g) ?? []).length;
    const tables = (html.match(/<table/g) ?? []).length;
    assert.ok(figures + tables >= 1, `${n} shows no figure or table`);
    assert.ok(fs.statSync(exported(n, "html")).size > 10_000, `${n}.html exists`);
  }
  // Where the story needs them: figures from notebook 2 on, the floor in 3, both variants in 4.
  const outputsOf = (n: string): string =>
    codeCells(readNotebook(exported(n, "ipynb"))).flatMap((c) => (c.outputs ?? []).map((o) => join(o.text) + join(o.data?.["text/html"]) + join(o.data?.["text/plain"]))).join("\n");
  for (const n of NOTEBOOKS.slice(1, 4)) assert.ok((outputsOf(n).match(/class="gaitid-plot"/g) ?? []).length >= 3, `${n} draws its figures`);
  assert.match(outputsOf("02-walker-and-data"), /danfojs describe/);
  assert.match(outputsOf("04-estimate-rho-l0"), /\(m, k, ℓ₀\) run kept/, "notebook 4 reuses the run of notebook 3");
  assert.ok(outputsOf("05-report").includes(path.join(studyDir, "report", "index.html")), "notebook 5 says where the report is");
  // Beyond the paper: 04 runs the multimodal experiment and shows its section; the experiments it
  // does not run, and 01's identifiability over records, are a command each.
  const multimodal = readExperimentResults<ExperimentResults>(path.join(studyDir, "data", "experiments", "tiny-multimodal"));
  assert.ok(multimodal, "notebook 4 ran the multimodal experiment");
  assert.deepEqual(multimodal.trials.map((t) => t.channels), ["xy", "xy+grf"]);
  const four = outputsOf("04-estimate-rho-l0");
  assert.match(four, /id="exp-multimodal"/);
  assert.ok(/id="fig-exp-multimodal"><div class="gaitid-figure"><div id="[^"]+" class="gaitid-plot"/.test(four), "the multimodal figure is drawn in notebook 4");
  for (const t of multimodal.trials) {
    for (const q of ["m", "k", "l0"]) assert.ok(four.includes(`<td class="num">${fixed(t.params[q].r2, 3)}</td>`), `R² of ${q} from ${t.channels} (${fixed(t.params[q].r2, 3)}) in notebook 4`);
  }
  for (const n of ["data-volume", "noise", "architecture"]) assert.ok(four.includes(`npx gaitid experiment ${n} --preset tiny --root ${studyDir}`), `notebook 4 says how to run ${n}`);
  assert.ok(outputsOf("01-derivation").includes(`npx gaitid experiment identifiability --preset tiny --root ${studyDir}`), "notebook 1 says how to run the identifiability measure");
  assert.ok(fs.statSync(path.join(studyDir, "report", "index.html")).size > 1_000_000, "the report was built");
});

test("the first notebook's derivation output equals gaitid derive's", { skip: RUN_SKIP, timeout: 600_000 }, async () => {
  const r = await runNotebooks();
  assert.equal(r.code, 0, "the notebooks ran");
  const nb = readNotebook(exported("01-derivation", "ipynb"));
  const cell = nb.cells.find((c) => c.metadata.tags?.includes("derive-text"));
  assert.ok(cell, "the derive-text cell");
  const text = (cell.outputs ?? []).filter((o) => o.output_type === "stream" && o.name === "stdout").map((o) => join(o.text)).join("");
  assert.ok(r.derive.length > 1000 && r.derive.includes("scaling symmetries: (m, k, l0) -> (c m, c k, l0)"), "gaitid derive printed the derivation");
  assert.equal(text, r.derive);
  // The rendered derivation is there too, its equations as SVG.
  const html = codeCells(nb).flatMap((c) => (c.outputs ?? []).map((o) => join(o.data?.["text/html"]))).join("");
  assert.ok((html.match(/<svg /g) ?? []).length >= 20, "equations typeset to SVG");
});

test("the runs the notebooks made are the preset's, and a changed setting is noticed", { skip: RUN_SKIP, timeout: 600_000 }, async () => {
  const r = await runNotebooks();
  assert.equal(r.code, 0, "the notebooks ran");
  const study = notebookStudy({ GAITID_PRESET: "tiny", GAITID_ROOT: studyDir });
  for (const v of ["mkl0", "rhol0"] as const) assert.equal(runMismatch(study, study.paths.runs[v]), "", `${v} fits the preset`);
  const changed = { ...study, config: { ...study.config, training: { ...study.config.training, epochs: study.config.training.epochs + 1 } } };
  assert.match(runMismatch(changed, study.paths.runs.mkl0), /training settings differ/);
  // The metrics table of notebook 4 holds the R² of both runs' metrics.json.
  const nb = readNotebook(exported("04-estimate-rho-l0", "ipynb"));
  const html = codeCells(nb).flatMap((c) => (c.outputs ?? []).map((o) => join(o.data?.["text/html"]))).join("");
  const a = readMetrics(study.paths.runs.mkl0), b = readMetrics(study.paths.runs.rhol0);
  for (const v of [a.params.m.r2, a.params.k.r2, a.params.l0.r2, b.params.rho.r2, b.params.l0.r2]) {
    assert.ok(html.includes(`<td class="num">${fixed(v, 3)}</td>`), `R² ${fixed(v, 3)} in notebook 4's metrics table`);
  }
});

test("the HTML exports are self-contained and draw every figure offline in chromium", { skip: BROWSER_SKIP, timeout: 600_000 }, async () => {
  if (!fs.existsSync(CHROMIUM)) assert.fail(`CI is set but ${CHROMIUM} is missing: apt-get install -y --no-install-recommends chromium`);
  const r = await runNotebooks();
  assert.equal(r.code, 0, "the notebooks ran");
  fs.mkdirSync(OUTPUT, { recursive: true });
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
  try {
    for (const n of NOTEBOOKS) {
      const file = exported(n, "html");
      const html = fs.readFileSync(file, "utf8");
      assert.doesNotMatch(html, /<script[^>]+src=/i, `${n}.html loads a script from elsewhere`);
      const plots = (html.match(/class="gaitid-plot"/g) ?? []).length;
      assert.equal(html.split("plotly.js (basic - minified) v").length - 1, plots > 0 ? 1 : 0, `${n}.html carries plotly's basic bundle once when it has figures`);
      assert.ok(fs.statSync(file).size < 2 * 2 ** 20, `${n}.html is ${(fs.statSync(file).size / 2 ** 20).toFixed(2)} MiB`);
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const problems: string[] = [];
      page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
      page.on("console", (m) => {
        if (m.type() === "error") problems.push(`console: ${m.text()}`);
      });
      const url = `file://${file}`;
      await page.route("**/*", (route) => {
        if (route.request().url() === url) return route.continue();
        problems.push(`request: ${route.request().url()}`);
        return route.abort();
      });
      await page.goto(url, { waitUntil: "load" });
      await page.waitForFunction(`document.querySelectorAll('.gaitid-plot[data-rendered="true"]').length === ${plots}`, undefined, { timeout: 60_000 });
      assert.equal(await page.locator(".gaitid-plot .main-svg").count() >= plots, true, `${n}: every plot has its SVG`);
      assert.deepEqual(problems, [], `${n}.html in chromium`);
      if (plots > 0) {
        await page.locator(".gaitid-plot").first().scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(OUTPUT, `${n}-first-figure.png`) });
      }
      await page.close();
    }
  } finally {
    await browser.close();
  }
});
