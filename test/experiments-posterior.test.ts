/**
 * The posterior experiment on the tiny preset (3 epochs, two training seeds): it trains the
 * posterior variant and writes, for three test records, the learned and the exact density of m,
 * draws of (m, k) on the exact segment, and every seed's calibration, with finite numbers of the
 * right shapes; its report section (and notebook 3's cell, gaitid.experimentsHtml) renders from
 * them. Also its trial plan (pure), and notebook 3's section.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { preset, POSTERIOR_EPOCHS } from "../lib/src/config";
import { readDatasetParams } from "../lib/src/dataset/format";
import { readMetrics } from "../lib/src/estimator/run";
import { experimentSettings, planTrials, readExperimentResults, runExperiment, type PosteriorExperimentResults } from "../lib/src/experiments";
import { experimentsHtml } from "../lib/src/notebook/experiments";
import { ReportContext } from "../lib/src/report/context";
import { experimentSections } from "../lib/src/report/sections/experiments";
import { readExperimentResultSet } from "../lib/src/results/experiments";

test("notebook 3 shows the posterior experiment's section through the library (experimentsHtml)", () => {
  const nb = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "notebooks", "03-estimate-m-k-l0.ipynb"), "utf8")) as { cells: { cell_type: string; source: string[] }[] };
  const code = nb.cells.filter((c) => c.cell_type === "code").map((c) => c.source.join(""));
  assert.ok(code.includes('tslab.display.html(gaitid.experimentsHtml(study, ["posterior"]));'));
});

test("posterior experiment plan: one posterior run, the preset's posterior epochs unless --epochs", () => {
  for (const p of ["tiny", "quick"] as const) {
    const [t, ...rest] = planTrials("posterior", preset(p), experimentSettings(p));
    assert.equal(rest.length, 0);
    assert.equal(t.target, "posterior");
    assert.equal(t.dataset, "xy");
    assert.equal(t.training.epochs, POSTERIOR_EPOCHS[p] ?? preset(p).training.epochs);
  }
  assert.equal(planTrials("posterior", preset("quick"), experimentSettings("quick"))[0].training.epochs, 150);
  assert.equal(planTrials("posterior", preset("quick"), experimentSettings("quick"), 7)[0].training.epochs, 7);
  assert.throws(() => experimentSettings("tiny", { posterior: { samples: 0 } }), /posterior\.samples/);
});

test("posterior experiment (tiny, 2 seeds): figures of three records and each seed's calibration, finite and of the right shapes", async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "gaitid-posterior-"));
  const t0 = performance.now();
  const o = await runExperiment("posterior", { preset: "tiny", root, epochs: 3, seeds: 2, silent: true, quiet: true, workers: 1, backend: "wasm", settings: { posterior: { samples: 50, grid: 40 } } });
  console.log(`posterior experiment on tiny (3 epochs, 2 seeds, dataset made): ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const r = readExperimentResults<PosteriorExperimentResults>(o.dir)!;
  assert.ok(fs.existsSync(path.join(o.dir, "manifest.json")));
  assert.equal(r.experiment, "posterior");
  assert.equal(r.trials.length, 1);
  assert.equal(r.trials[0].target, "posterior");
  assert.equal(r.trials[0].epochs, 3);
  const p = r.posterior;
  assert.deepEqual(p.targets, { meanKs: 0.1, coverage: 0.03, sbcLevel: 0.01 });
  assert.deepEqual(p.seeds.map((s) => s.seed), [preset("tiny").training.seed, preset("tiny").training.seed + 1]);
  // Three records: those of the lowest, the median and the highest true rho of the test split.
  const test = readDatasetParams(path.join(root, "data", "tiny")).filter((x) => x.split === "test");
  const rhos = test.map((x) => x.rho).sort((a, b) => a - b);
  assert.deepEqual(p.records.map((x) => x.which), ["lowest", "median", "highest"]);
  assert.deepEqual(p.records.map((x) => x.truth.rho), [rhos[0], rhos[Math.floor(rhos.length / 2)], rhos.at(-1)]);
  const fin = (a: readonly number[]): boolean => a.every(Number.isFinite);
  for (const x of p.records) {
    assert.ok(x.a < x.b && x.truth.m >= x.a - 1e-9 && x.truth.m <= x.b + 1e-9, `record ${x.id}: m ${x.truth.m} in [${x.a}, ${x.b}]`);
    assert.ok(x.ks >= 0 && x.ks <= 1 && x.w1 >= 0 && Number.isFinite(x.w1));
    assert.equal(x.learned.m.length, 40);
    assert.equal(x.learned.density.length, 40);
    assert.ok(fin(x.learned.m) && fin(x.learned.density) && x.learned.density.every((v) => v >= 0));
    // The learned density integrates to about 1 over its grid (trapezoids; a density with sharp edges loses a little).
    let mass = 0;
    for (let i = 1; i < 40; i++) mass += 0.5 * (x.learned.density[i] + x.learned.density[i - 1]) * (x.learned.m[i] - x.learned.m[i - 1]);
    assert.ok(mass > 0.8 && mass < 1.1, `record ${x.id}: learned density integrates to ${mass}`);
    assert.deepEqual(x.exact.m.length, 6);
    assert.ok(Math.abs(x.exact.density[2] - (2 * x.a) / (x.b ** 2 - x.a ** 2)) < 1e-4 * x.exact.density[2]);
    assert.equal(x.samples.m.length, 50);
    assert.equal(x.samples.k.length, 50);
    const pr = preset("tiny").dataset;
    assert.ok(x.samples.m.every((m) => m >= pr.m[0] - 1e-3 && m <= pr.m[1] + 1e-3), "draws of m within the prior");
    // (k = rho m is within the prior of k only for a drawn rho that the priors allow: not so after 3 epochs.)
    assert.ok(x.samples.k.every((k) => Number.isFinite(k) && k > 0), "draws of k");
    assert.ok(Math.abs(x.segment.k[0] - x.truth.rho * x.a) < 1e-9 * x.segment.k[0] && Math.abs(x.segment.k[1] - x.truth.rho * x.b) < 1e-9 * x.segment.k[1]);
  }
  for (const s of p.seeds) {
    const m = readMetrics(path.join(root, s.run));
    assert.deepEqual(s.scores, m.posterior, `seed ${s.seed}: the run's metrics`);
    assert.deepEqual(s.recalibrated, m.posteriorRecalibrated, `seed ${s.seed}: the run's recalibrated scores`);
    assert.ok(fs.existsSync(path.join(root, s.run, "recalibration.json")));
    assert.ok(s.bestEpoch >= 1 && s.bestEpoch <= 3 && Number.isFinite(s.bestValLoss));
    assert.equal(s.testRecords, test.length);
    for (const q of ["m", "k", "l0", "rho"] as const) {
      const h = s.scores.sbc[q].histogram;
      assert.equal(h.reduce((a, b) => a + b, 0), test.length);
      assert.ok(s.scores.sbc[q].pValue >= 0 && s.scores.sbc[q].pValue <= 1);
      assert.ok(s.scores.coverage[q].c50 >= 0 && s.scores.coverage[q].c90 <= 1);
    }
    assert.ok(Number.isFinite(s.scores.m.ks) && Number.isFinite(s.scores.m.w1));
  }
  assert.notDeepEqual(p.seeds[0].scores, p.seeds[1].scores, "two seeds, two runs");
  // The report's section reads it: figures, the table with a row per seed and quantity, no NaN.
  const found = readExperimentResultSet(root, "tiny");
  assert.ok(found.posterior);
  const section = experimentSections(found, "tiny").find((s) => s.section.id === "exp-posterior")!.section;
  const ctx = new ReportContext();
  const body = section.render(ctx) as string;
  assert.deepEqual(ctx.figures.map((f) => f.id), ["plot-fig-exp-posterior-density", "plot-fig-exp-posterior-plane", "plot-fig-exp-posterior-sbc", "plot-fig-exp-posterior-sbc-recalibrated"]);
  assert.equal((body.match(/<tr>/g) ?? []).length, 1 + 2 * 2, "two rows per seed: as learned, recalibrated");
  assert.match(body, /Seed \d+\. As learned: KS [^]*Recalibrated: KS /);
  assert.doesNotMatch(body.replace(/<[^>]+>/g, " "), /\bNaN\b|\bundefined\b/);
  // Notebook 3's cell shows the same section: its four figures drawn offline and the table.
  const nb = experimentsHtml({ root, preset: "tiny" }, ["posterior"]);
  assert.equal((nb.match(/class="gaitid-plot"/g) ?? []).length, 4);
  assert.equal((nb.match(/<table/g) ?? []).length, 1);
  assert.match(nb, /id="exp-posterior"/);
  fs.rmSync(root, { recursive: true, force: true });
});
