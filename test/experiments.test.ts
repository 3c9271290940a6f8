// The experiments beyond the paper (issue 8) on the tiny preset, in one temporary root: each
// writes its folder (manifest.json, results.json, results.csv, run folders with metrics.json);
// more data lowers the errors of rho and l0 while m and k stay near their floor; ground reaction
// forces make m and k estimable where (x, y) cannot; a rerun reuses finished runs; the report
// sections read the results. Also the settings table, the trial plans and the figure builders.
// About 1.5 minutes on two cores (most of it training, two runs at a time).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { main } from "../lib/src/cli";
import { preset } from "../lib/src/config";
import { GaitidError } from "../lib/src/errors";
import { readMetrics, readRunManifest } from "../lib/src/estimator/run";
import { categoryErrorFigure, errorCurvesFigure, histogram, multimodalFigure, ratioHistogramFigure } from "../lib/src/figures/experiments";
import {
  experimentSettings,
  formatExperiment,
  planTrials,
  RESULTS_CSV_HEADER,
  runExperiment,
  subsetEpochs,
  type ExperimentResults,
  type IdentifiabilityExperiment,
  type TrainingExperiment,
  type TrialResult,
} from "../lib/src/experiments";
import { axesOf } from "../lib/src/figures/types";
import { arrangeSections } from "../lib/src/report/build";
import { ReportContext } from "../lib/src/report/context";
import { experimentSections } from "../lib/src/report/sections/experiments";
import { readExperimentResultSet } from "../lib/src/results/experiments";
import { defaultSections } from "../lib/src/report/sections";
import { EXPERIMENT_NAMES } from "../lib/src/experiments/settings";
import { tempDir } from "./helpers/estimator-data";

const root = tempDir("gaitid-exp-");
const quiet = { preset: "tiny", root, quiet: true, silent: true, backend: "wasm" as const };

/** The files every experiment folder holds, and every run folder's metrics.json. */
function assertExperimentFiles(dir: string, r: ExperimentResults): void {
  for (const f of ["manifest.json", "results.json", "results.csv"]) assert.ok(fs.existsSync(path.join(dir, f)), `${dir}/${f}`);
  assert.deepEqual(fs.readdirSync(dir).filter((f) => f.includes(".tmp-")), []);
  const man = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));
  assert.equal(man.kind, "gaitid-experiment");
  assert.equal(man.preset, "tiny");
  assert.ok(man.environment.versions.node && man.environment.date);
  assert.ok("commit" in man.environment);
  assert.equal(man.seeds.dataset, preset("tiny").dataset.seed);
  assert.ok(man.timings.totalSeconds > 0);
  assert.equal(man.backend.name, "wasm");
  const csv = fs.readFileSync(path.join(dir, "results.csv"), "utf8").trim().split("\n");
  assert.equal(csv[0], RESULTS_CSV_HEADER);
  // One row per trial and parameter (mkl0: m, k, l0 and the ratio; rhol0: rho, l0).
  assert.equal(csv.length - 1, r.trials.reduce((s, t) => s + Object.keys(t.params).length + (t.ratio ? 1 : 0), 0));
  for (const t of r.trials) {
    const run = path.join(root, t.run);
    assert.deepEqual(readMetrics(run).params.l0.rmse, t.params.l0.rmse, `${t.run}/metrics.json is the trial's`);
    assert.equal(readRunManifest(run).target, t.target);
  }
}

const byTarget = (r: ExperimentResults, target: string): TrialResult[] => r.trials.filter((t) => t.target === target);

test("settings: a typed table per preset, subsets within the training set, bad values refused", () => {
  assert.deepEqual(experimentSettings("tiny").dataVolume.subsets, [40, 100, 320]);
  assert.deepEqual(experimentSettings("quick").dataVolume.subsets, [1000, 4000, 16000]);
  assert.deepEqual(experimentSettings("paper").dataVolume.subsets, [1000, 10000, 100000, 800000]);
  for (const p of ["tiny", "quick", "paper"]) {
    const s = experimentSettings(p);
    assert.deepEqual(s.noise.levels, [0, 0.01, 0.05, 0.1]);
    assert.ok(s.dataVolume.subsets.at(-1)! <= 0.8 * preset(p).dataset.records);
    assert.deepEqual(s.architecture.architectures[0], { layers: 7, units: 50, activation: "elu" });
  }
  assert.throws(() => experimentSettings("huge"), /unknown preset "huge"; choose one of tiny, quick, paper/);
  assert.throws(() => experimentSettings("tiny", { dataVolume: { subsets: [40, 400] } }), (e: unknown) => e instanceof GaitidError && /subsets\[1\].*from 1 to 320; got 400/.test(e.message));
  assert.throws(() => experimentSettings("tiny", { dataVolume: { subsets: [100, 40] } }), /ascending/);
  assert.throws(() => experimentSettings("tiny", { noise: { levels: [0, -0.1] } }), /noise\.levels\[1\] must be a fraction >= 0.*got -0\.1/);
  assert.throws(() => experimentSettings("tiny", { architecture: { architectures: [{ layers: 0, units: 5, activation: "elu" }] } }), /training\.layers/);
  assert.throws(() => experimentSettings("tiny", { jobs: 0 }), /jobs/);
  // Equal samples seen, capped: 20 epochs on 320 records -> 160 on 40 (cap 8x), 64 on 100.
  assert.equal(subsetEpochs(20, 40, 320, 8), 160);
  assert.equal(subsetEpochs(20, 100, 320, 8), 64);
  assert.equal(subsetEpochs(20, 320, 320, 8), 20);
  assert.equal(subsetEpochs(60, 1000, 16000, 8), 480);
});

test("trial plans: one run per setting and variant, the study's training changed in one setting", () => {
  const c = preset("tiny"), s = experimentSettings("tiny");
  const dv = planTrials("data-volume", c, s);
  assert.deepEqual(dv.map((t) => `${t.key}-${t.target}`), ["subset-40-mkl0", "subset-40-rhol0", "subset-100-mkl0", "subset-100-rhol0", "subset-320-mkl0", "subset-320-rhol0"]);
  assert.deepEqual(dv.map((t) => t.subset), [40, 40, 100, 100, undefined, undefined], "all training records: no subset (the study's own run)");
  assert.deepEqual(dv.filter((t) => t.target === "mkl0").map((t) => t.training.epochs), [160, 64, 20]);
  assert.deepEqual(dv[4].training, c.training);
  const noise = planTrials("noise", c, s, 3);
  assert.deepEqual(noise.map((t) => t.training.noise), [0, 0, 0.01, 0.01, 0.05, 0.05, 0.1, 0.1]);
  assert.ok(noise.every((t) => t.training.epochs === 3 && t.channels === "xy"));
  const arch = planTrials("architecture", c, s);
  assert.deepEqual(arch.map((t) => t.value), ["7x50 elu", "2x32 relu", "4x100 tanh"]);
  assert.ok(arch.every((t) => t.target === "mkl0"));
  const mm = planTrials("multimodal", c, s);
  assert.deepEqual(mm.map((t) => [t.channels, t.dataset, t.target, t.training.epochs]), [["xy", "grf", "mkl0", 40], ["xy+grf", "grf", "mkl0", 40]]);
});

test("figures: error curves with units and a log axis, bars, R^2 groups, histograms of sigma_min / sigma_max", () => {
  const curves = errorCurvesFigure(
    [
      { quantity: "m", series: [{ name: "net", color: "#000", x: [40, 100, 320], y: [4.8, 4.6, 4.0] }, { name: "floor", color: "#111", x: [40, 320], y: [3.5, 3.5], dash: "dash" }] },
      { quantity: "l0", series: [{ name: "net", color: "#000", x: [40, 100, 320], y: [0.02, 0.015, 0.01] }] },
    ],
    { label: "training records", unit: "log scale", log: true },
  );
  assert.equal(curves.data.length, 3);
  assert.equal(curves.data.filter((t) => t.showlegend).length, 2, "one legend entry per series name");
  assert.equal(curves.layout.xaxis?.type, "log");
  assert.equal(curves.layout.yaxis?.title.text, "RMSE of <i>m</i> (kg)");
  assert.equal((curves.layout.yaxis2 as { title: { text: string } }).title.text, "RMSE of <i>ℓ</i><sub>0</sub> (m)");
  for (const [, ax] of axesOf(curves.layout)) assert.match(ax.title.text, /\(.+\)$/);
  const bars = categoryErrorFigure([{ quantity: "k", categories: ["a", "b"], rmse: [500, 520], floor: [459, 459], name: "net" }], "network");
  assert.deepEqual(bars.data.map((t) => t.type), ["bar", "scatter"]);
  const mm = multimodalFigure([{ quantity: "m", xy: 0.2, grf: 0.98, ceiling: 0.41 }]);
  assert.deepEqual(mm.data.map((t) => t.y), [[0.2], [0.98], [0.41]]);
  assert.deepEqual(histogram([-20, -15.9, -3, -0.2, 0, Number.NaN], [-16, -8, -1, 0]), [2, 1, 2]);
  const h = ratioHistogramFigure([{ title: "t", series: [{ name: "xy", color: "#000", ratios: [0, 1e-20, 1e-12, 0.5] }] }]);
  const y = h.data[0].y as number[];
  assert.equal(y.reduce((s, v) => s + v, 0), 4, "every record counted");
  assert.equal(y[0], 2, "exact zeros and ratios below 1e-16 in the first bin");
  assert.equal((h.data[0].x as number[])[y.findIndex((v, i) => i > 0 && v > 0)], -11.75, "1e-12 in the bin [-12, -11.5)");
});

test("the experiments on the tiny preset write their folders; data volume, forces and the identifiability measure behave as the physics says", { timeout: 300_000 }, async () => {
  const t0 = performance.now();
  assert.deepEqual(experimentSections(readExperimentResultSet(root, "tiny"), "tiny"), [], "no experiment yet: nothing added to the report");

  // 1. Data volume, with the tiny preset's own training settings.
  const dv = (await runExperiment("data-volume", quiet)) as TrainingExperiment;
  assert.ok(fs.existsSync(path.join(root, "data", "tiny", "manifest.json")), "the preset's dataset was made");
  assertExperimentFiles(dv.dir, dv.results);
  assert.equal(dv.dir, path.join(root, "data", "experiments", "tiny-data-volume"));
  const A = byTarget(dv.results, "mkl0"), B = byTarget(dv.results, "rhol0");
  assert.deepEqual(A.map((t) => t.trainRecords), [40, 100, 320]);
  assert.deepEqual(A.map((t) => t.epochs), [160, 64, 20]);
  assert.ok(dv.results.trials.every((t) => t.status === "trained" && t.testRecords === 40));
  // More data: the identifiable parameters improve with 8 times the records. Measured with training
  // seeds 1, 2, 3 (last / first RMSE): rho 0.75, 0.56, 0.61; k_pred/m_pred 0.68, 0.60, 0.59; l0 of
  // the mkl0 network 0.65, 0.63, 0.48, of the rhol0 network 0.86, 0.48, 0.53.
  const gain = (ts: TrialResult[], f: (t: TrialResult) => number): number => f(ts[2]) / f(ts[0]);
  assert.ok(gain(B, (t) => t.params.rho.rmse) < 0.85, `rho RMSE ${B.map((t) => t.params.rho.rmse)}`);
  assert.ok(gain(A, (t) => t.ratio!.rmse) < 0.85, `k_pred/m_pred RMSE ${A.map((t) => t.ratio!.rmse)}`);
  assert.ok(gain(A, (t) => t.params.l0.rmse) < 0.8, `mkl0 l0 RMSE ${A.map((t) => t.params.l0.rmse)}`);
  assert.ok(gain(B, (t) => t.params.l0.rmse) < 1, `rhol0 l0 RMSE ${B.map((t) => t.params.l0.rmse)}`);
  assert.deepEqual(dv.results.settings?.subsets, [40, 100, 320]);
  // m and k never beat the floor from (x, y) (the floor is the same on the same test records).
  for (const t of A) {
    for (const q of ["m", "k"]) {
      assert.ok(t.params[q].rmse > 0.9 * t.params[q].floorRmse, `${t.label} ${q}: RMSE ${t.params[q].rmse} vs floor ${t.params[q].floorRmse}`);
      assert.equal(t.params[q].floorRmse, A[0].params[q].floorRmse);
      assert.ok(t.params[q].r2! < t.params[q].r2Ceiling! + 0.05);
    }
  }
  // A rerun trains nothing.
  const again = (await runExperiment("data-volume", quiet)) as TrainingExperiment;
  assert.ok(again.results.trials.every((t) => t.status === "reused"));
  assert.deepEqual(again.results.trials.map((t) => t.params), dv.results.trials.map((t) => t.params));

  // 2. Noise and 3. architecture, with 4 epochs (the files and the settings of each run).
  const noise = (await runExperiment("noise", { ...quiet, epochs: 4 })) as TrainingExperiment;
  assertExperimentFiles(noise.dir, noise.results);
  assert.deepEqual(noise.results.trials.map((t) => readRunManifest(path.join(root, t.run)).training.noise), [0, 0, 0.01, 0.01, 0.05, 0.05, 0.1, 0.1]);
  assert.ok(noise.results.trials.every((t) => t.epochs === 4));
  const arch = (await runExperiment("architecture", { ...quiet, epochs: 4 })) as TrainingExperiment;
  assertExperimentFiles(arch.dir, arch.results);
  assert.deepEqual(arch.results.trials.map((t) => { const m = readRunManifest(path.join(root, t.run)).training; return `${m.layers}x${m.units} ${m.activation}`; }), ["7x50 elu", "2x32 relu", "4x100 tanh"]);
  assert.equal(new Set(arch.results.trials.map((t) => t.parameters)).size, 3);
  assert.equal(arch.results.trials[0].status, "reused", "the 7x50 elu run is the noise experiment's 0 % run (same settings)");
  assert.equal(arch.results.trials[0].run, noise.results.trials[0].run);

  // 4. Multimodal with the tiny settings (400 records with forces, 40 epochs).
  const mm = (await runExperiment("multimodal", quiet)) as TrainingExperiment;
  assertExperimentFiles(mm.dir, mm.results);
  const grfManifest = JSON.parse(fs.readFileSync(path.join(root, "data", "tiny-grf", "manifest.json"), "utf8"));
  assert.equal(grfManifest.channels, "xy+grf");
  const [xy, grf] = mm.results.trials;
  assert.equal(readRunManifest(path.join(root, grf.run)).inputs, "xy+grf");
  assert.equal(readRunManifest(path.join(root, xy.run)).inputs, "xy");
  // Measured with training seeds 1 to 4: with forces R^2 of m 0.955 to 0.978, of k 0.885 to 0.903;
  // from (x, y) m 0.150 to 0.286, k 0.294 to 0.380 (ceilings 0.415 and 0.440).
  assert.ok(grf.params.m.r2! > 0.85 && grf.params.k.r2! > 0.75, `with forces: R^2 m ${grf.params.m.r2}, k ${grf.params.k.r2}`);
  assert.ok(xy.params.m.r2! < 0.6 && xy.params.k.r2! < 0.6, `from (x, y): R^2 m ${xy.params.m.r2}, k ${xy.params.k.r2}`);
  assert.ok(grf.params.m.r2! > xy.params.m.r2Ceiling! + 0.3, "beyond what any estimator from (x, y) can reach");
  assert.ok(grf.params.m.rmse < 0.5 * grf.params.m.floorRmse && grf.params.k.rmse < 0.8 * grf.params.k.floorRmse);

  // 5. The identifiability measure on 30 records.
  const id = (await runExperiment("identifiability", quiet)) as IdentifiabilityExperiment;
  assert.ok(fs.existsSync(path.join(id.dir, "manifest.json")) && fs.existsSync(path.join(id.dir, "results.json")));
  const rows = id.results.rows;
  assert.equal(rows.xy.length + id.results.failures.length, 30);
  assert.ok(rows.xy.filter((r) => r.verdict === "null").length >= 27, "(x, y): m and k scaled together are invisible");
  assert.ok(rows["xy+grf"].every((r) => r.verdict !== "null") && rows["xy+grf"].filter((r) => r.verdict === "identifiable").length >= 27);
  assert.ok(id.results.summaries["xy+grf"].ratio.min > 1e3 * id.results.summaries.xy.ratio.max);
  assert.match(formatExperiment(id), /xy\s+\(m, k, l0\)\s+\d+/);

  // The report sections: one per experiment plus the overview, before the limits, every figure placed.
  const inserts = experimentSections(readExperimentResultSet(root, "tiny"), "tiny");
  assert.deepEqual(inserts.map((i) => i.section.id), ["beyond", "exp-data-volume", "exp-noise", "exp-architecture", "exp-multimodal", "exp-identifiability"]);
  const order = arrangeSections(defaultSections(), inserts).map((s) => s.id);
  assert.deepEqual(order.slice(order.indexOf("beyond"), order.indexOf("limits") + 1), [...inserts.map((i) => i.section.id), "limits"]);
  const ctx = new ReportContext();
  ctx.beginSection("floor", "4");
  ctx.safe.heading("derive-grf", "forces");
  let html = "";
  for (const [i, ins] of inserts.entries()) {
    ctx.beginSection(ins.section.id, String(5 + i));
    html += await ins.section.render(ctx);
  }
  html = ctx.resolve(html);
  assert.equal(ctx.figures.length, 5);
  assert.ok(html.includes(`<i>R</i><sup>2</sup> = ${grf.params.m.r2!.toFixed(3)}`), "the multimodal numbers come from the results");
  assert.ok(html.includes(`N</i> = 40, 100, 320`));
  assert.ok(!html.includes("NaN") && !html.includes("undefined"));

  // From the command line: the identifiability result is reused, the summary printed as JSON.
  const out: string[] = [], said: string[] = [];
  const log = console.log, err = console.error;
  console.log = (...a: unknown[]) => void out.push(a.join(" "));
  console.error = (...a: unknown[]) => void said.push(a.join(" "));
  let code: number;
  try {
    code = await main(["experiment", "identifiability", "--preset", "tiny", "--root", root, "--quiet", "--json"]);
  } finally {
    console.log = log;
    console.error = err;
  }
  assert.match(said.join("\n"), /experiment identifiability: up to date .*, reused/);
  assert.equal(code, 0);
  const printed = JSON.parse(out.join("\n")) as { name: string; results: { rows: { xy: unknown[] } } }[];
  assert.equal(printed[0].name, "identifiability");
  assert.equal(printed[0].results.rows.xy.length, rows.xy.length);
  console.error(`experiments on tiny: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
});

test("gaitid experiment refuses a missing or unknown experiment and an unknown preset (exit code 2, nothing written)", async () => {
  const errors: string[] = [];
  const err = console.error;
  console.error = (...a: unknown[]) => void errors.push(a.join(" "));
  const dir = tempDir("gaitid-exp-bad-");
  try {
    assert.equal(await main(["experiment"]), 2);
    // Every experiment is named, in the registry's order.
    assert.ok(errors.at(-1)!.includes(`name an experiment: ${EXPERIMENT_NAMES.join(", ")} or all`), errors.at(-1));
    assert.ok(EXPERIMENT_NAMES.includes("design") && EXPERIMENT_NAMES.includes("noise"));
    assert.equal(await main(["experiment", "bigger", "--root", dir]), 2);
    assert.ok(errors.at(-1)!.includes(`unknown experiment "bigger"; choose one of ${EXPERIMENT_NAMES.join(", ")}, or all`), errors.at(-1));
    assert.equal(await main(["experiment", "noise", "--preset", "huge", "--root", dir]), 2);
    assert.match(errors.at(-1)!, /unknown preset "huge"/);
    assert.equal(await main(["experiment", "noise", "--jobs", "0", "--root", dir]), 2);
    assert.match(errors.at(-1)!, /--jobs must be an integer from 1 to 64 \(processes\); got "0"/);
    assert.deepEqual(fs.readdirSync(dir), []);
  } finally {
    console.error = err;
  }
  const out: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => void out.push(a.join(" "));
  try {
    assert.equal(await main(["experiment", "--help"]), 0);
  } finally {
    console.log = log;
  }
  // The usage line lists every registered experiment, then "all".
  assert.ok(out.join("\n").includes(`usage: gaitid experiment <${[...EXPERIMENT_NAMES, "all"].join("|")}>`), out[0]);
});
