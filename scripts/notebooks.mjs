#!/usr/bin/env node
// npm run notebooks: executes notebooks/NN-*.ipynb in order, headless, with Jupyter's nbconvert
// (Debian's packages, /usr/bin/python3) on the project's tslab kernel, and exports each executed
// notebook to <root>/report/notebooks/NN-name.ipynb and NN-name.html, plus manifest.json.
//
//   npm run notebooks                      # all notebooks, preset from GAITID_PRESET
//   npm run notebooks -- 01 03             # only these (by number or name)
//   npm run notebooks -- --no-build        # do not rebuild lib/dist first
//   npm run notebooks -- --timeout 600     # seconds per cell (default: none; GAITID_CELL_TIMEOUT)
//
// Environment: GAITID_PRESET (tiny | quick | paper; default tiny when CI is set, quick otherwise),
// GAITID_ROOT (folder of data/ and report/; default the repository). The kernel is the one
// scripts/setup-jupyter.sh registers under node_modules/.cache/gaitid-jupyter (run here when it is
// missing); nothing is taken from PATH but node itself.
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const JUPYTER_DIR = path.join(ROOT, "node_modules", ".cache", "gaitid-jupyter");
const KERNEL_JSON = path.join(JUPYTER_DIR, "kernels", "tslab", "kernel.json");
const PY = "/usr/bin/python3";

function fail(message, code = 2) {
  console.error(`notebooks: ${message}`);
  process.exit(code);
}

function parseArgs(argv) {
  const out = { build: true, timeout: process.env.GAITID_CELL_TIMEOUT ? Number(process.env.GAITID_CELL_TIMEOUT) : -1, select: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--no-build") out.build = false;
    else if (a === "--timeout") {
      out.timeout = Number(argv[++i]);
      if (!(out.timeout > 0 || out.timeout === -1)) fail(`--timeout must be a number of seconds > 0 (or -1: none); got "${argv[i]}"`);
    } else if (a === "-h" || a === "--help") {
      console.log(fs.readFileSync(fileURLToPath(import.meta.url), "utf8").split("\n").slice(1, 15).map((l) => l.replace(/^\/\/ ?/, "")).join("\n"));
      process.exit(0);
    } else if (a.startsWith("-")) fail(`unknown option "${a}" (valid: --no-build, --timeout S, --help)`);
    else out.select.push(a);
  }
  if (!Number.isFinite(out.timeout)) fail(`GAITID_CELL_TIMEOUT must be a number of seconds; got "${process.env.GAITID_CELL_TIMEOUT}"`);
  return out;
}

function run(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "inherit", "pipe"], ...opts });
    let err = "";
    child.stderr.on("data", (d) => {
      err += d;
      if (err.length > 400_000) err = err.slice(-200_000);
    });
    child.on("close", (code, signal) => resolve({ code: code ?? 1, signal, stderr: err }));
    child.on("error", (e) => resolve({ code: 1, stderr: String(e) }));
  });
}

function kernelReady() {
  if (!fs.existsSync(KERNEL_JSON)) return false;
  try {
    const spec = JSON.parse(fs.readFileSync(KERNEL_JSON, "utf8"));
    return spec.argv.slice(0, 2).every((p) => fs.existsSync(p));
  } catch {
    return false;
  }
}

/** How to call nbconvert: Debian's script, else Debian's python -m nbconvert. */
function nbconvertCommand() {
  if (fs.existsSync("/usr/bin/jupyter-nbconvert")) return [PY, ["/usr/bin/jupyter-nbconvert"]];
  return [PY, ["-m", "nbconvert"]];
}

/**
 * tslab sends no execute_input messages, so nbclient leaves every execution_count empty ("In [ ]"
 * in the export). The cells ran once each, in order: number them so.
 */
function numberCells(file) {
  const nb = JSON.parse(fs.readFileSync(file, "utf8"));
  let n = 0;
  for (const c of nb.cells) {
    if (c.cell_type !== "code") continue;
    c.execution_count = ++n;
    for (const o of c.outputs ?? []) if (o.output_type === "execute_result") o.execution_count = n;
  }
  fs.writeFileSync(file, JSON.stringify(nb, null, 1) + "\n");
}

/**
 * nbconvert's page template loads require.js and MathJax from files of Debian's libjs packages
 * (file:///usr/share/javascript/...), which other machines do not have. Nothing in these notebooks
 * needs them (figures carry plotly.js, equations are SVG, the markdown has no TeX), so the export
 * drops them and is one self-contained file. The template also inlines JupyterLab's whole style
 * sheet (540 kB); only the rules that apply to the page are kept (withUsedCssOnly: the page looks
 * the same), so that an export with figures stays under 2 MB.
 */
function selfContained(file) {
  const html = fs.readFileSync(file, "utf8");
  const out = html.replace(/<script[^>]*\bsrc="[^"]*(?:require(?:\.min)?\.js|MathJax\.js)[^"]*"[^>]*>\s*<\/script>\n?/gi, "");
  fs.writeFileSync(file, withUsedCssOnly(out));
}

const args = parseArgs(process.argv.slice(2));
const ci = !["", "0", "false"].includes((process.env.CI ?? "").trim().toLowerCase());
const preset = (process.env.GAITID_PRESET ?? "").trim() || (ci ? "tiny" : "quick");
if (!["tiny", "quick", "paper"].includes(preset)) fail(`GAITID_PRESET="${preset}" is not a preset; choose one of tiny, quick, paper`);
const studyRoot = path.resolve(process.env.GAITID_ROOT?.trim() || ROOT);
const outDir = path.join(studyRoot, "report", "notebooks");

const all = fs.readdirSync(path.join(ROOT, "notebooks")).filter((f) => /^\d\d-.+\.ipynb$/.test(f)).sort();
if (all.length === 0) fail("no notebooks/NN-*.ipynb found");
const chosen = args.select.length === 0 ? all : all.filter((f) => args.select.some((s) => f === s || f.startsWith(`${s}-`) || f === `${s}.ipynb`));
for (const s of args.select) {
  if (!all.some((f) => f === s || f.startsWith(`${s}-`) || f === `${s}.ipynb`)) fail(`no notebook "${s}"; choose among ${all.join(", ")}`);
}

const t0 = performance.now();
if (args.build) {
  console.error("notebooks: building lib/dist (npm run build)");
  const b = spawnSync(process.execPath, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", path.join(ROOT, "lib", "tsconfig.json")], { stdio: "inherit" });
  if (b.status !== 0) fail("the build failed", 1);
}
if (!kernelReady()) {
  console.error("notebooks: registering the tslab kernel (scripts/setup-jupyter.sh)");
  const s = spawnSync("bash", [path.join(ROOT, "scripts", "setup-jupyter.sh")], { stdio: "inherit" });
  if (s.status !== 0 || !kernelReady()) fail(`no tslab kernel at ${KERNEL_JSON}; run bash scripts/setup-jupyter.sh`, 1);
}

const env = { ...process.env, GAITID_PRESET: preset, GAITID_ROOT: studyRoot, JUPYTER_PATH: JUPYTER_DIR, PYTHONNOUSERSITE: "1" };
// Jupyter's own runtime and config folders under the cache, so nothing of the user's Jupyter set-up is read.
env.JUPYTER_CONFIG_DIR = path.join(JUPYTER_DIR, "config");
env.JUPYTER_RUNTIME_DIR = path.join(JUPYTER_DIR, "runtime");
fs.mkdirSync(outDir, { recursive: true });
const tmp = fs.mkdtempSync(path.join(outDir, ".tmp-"));
const [py, nbconvert] = nbconvertCommand();
const require = createRequire(import.meta.url);
const { withUsedCssOnly } = require(path.join(ROOT, "lib", "dist", "notebook", "display.js"));
if (typeof withUsedCssOnly !== "function") fail("lib/dist is older than lib/src (no withUsedCssOnly): run npm run build, or leave out --no-build", 1);
console.error(`notebooks: ${chosen.length} notebook(s) on preset ${preset}, data under ${studyRoot}, exports to ${outDir}`);

const results = [];
let failed = "";
try {
  for (const file of chosen) {
    const name = file.replace(/\.ipynb$/, "");
    const ts = performance.now();
    console.error(`notebooks: ${name} ...`);
    const exec = await run(py, [
      ...nbconvert,
      "--to", "notebook", "--execute",
      "--ExecutePreprocessor.kernel_name=tslab",
      `--ExecutePreprocessor.timeout=${args.timeout}`,
      "--ExecutePreprocessor.startup_timeout=120",
      "--output-dir", tmp, "--output", name,
      path.join(ROOT, "notebooks", file),
    ], { env, cwd: ROOT });
    if (exec.code !== 0) {
      failed = name;
      console.error(exec.stderr.split("\n").filter((l) => !/MissingIDFieldWarning|validate\(nb\)/.test(l)).slice(-80).join("\n"));
      break;
    }
    numberCells(path.join(tmp, `${name}.ipynb`));
    const html = await run(py, [...nbconvert, "--to", "html", "--output-dir", tmp, "--output", name, path.join(tmp, `${name}.ipynb`)], { env, cwd: ROOT });
    if (html.code !== 0) {
      failed = name;
      console.error(html.stderr.slice(-4000));
      break;
    }
    selfContained(path.join(tmp, `${name}.html`));
    for (const ext of ["ipynb", "html"]) fs.renameSync(path.join(tmp, `${name}.${ext}`), path.join(outDir, `${name}.${ext}`));
    const seconds = (performance.now() - ts) / 1000;
    results.push({ name, seconds, html: `${name}.html`, ipynb: `${name}.ipynb`, htmlBytes: fs.statSync(path.join(outDir, `${name}.html`)).size });
    console.error(`notebooks: ${name} done in ${seconds.toFixed(1)} s -> ${path.join(outDir, `${name}.html`)}`);
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}

// The manifest of this run: what ran, on which preset, how long, with which versions.
let environment = {};
try {
  environment = require(path.join(ROOT, "lib", "dist", "provenance.js")).environment();
} catch (e) {
  environment = { error: `lib/dist/provenance.js: ${e.message}` };
}
const nbVersion = spawnSync(py, [...nbconvert, "--version"], { encoding: "utf8", env }).stdout.trim();
const manifest = {
  kind: "gaitid-notebooks",
  preset,
  root: studyRoot,
  notebooks: results,
  failed: failed || null,
  totalSeconds: (performance.now() - t0) / 1000,
  kernel: JSON.parse(fs.readFileSync(KERNEL_JSON, "utf8")).argv,
  nbconvert: nbVersion,
  cellTimeoutSeconds: args.timeout,
  finishedAt: new Date().toISOString(),
  environment,
};
const mf = path.join(outDir, "manifest.json");
fs.writeFileSync(`${mf}.tmp`, JSON.stringify(manifest, null, 2) + "\n");
fs.renameSync(`${mf}.tmp`, mf);
if (failed) fail(`${failed} failed (its cell and error are above); the notebooks before it are in ${outDir}`, 1);
console.error(`notebooks: all ${results.length} done in ${manifest.totalSeconds.toFixed(1)} s; exports in ${outDir}`);
