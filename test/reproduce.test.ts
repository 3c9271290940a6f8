// `gaitid reproduce` on the tiny preset: every step's outputs, the summary, and that a second run
// skips the steps whose outputs exist with the same configuration.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { studyLayout } from "../lib/src/layout";
import { buildReport } from "../lib/src/report/build";
import { publishResults } from "../lib/src/results/bundle";
import { readBundleResults, readStudyResults } from "../lib/src/results/read";
import { reproduce, formatSummary } from "../lib/src/study/reproduce";

test("reproduce --preset tiny writes the dataset, both runs, the report and its manifest; a rerun skips", async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "gaitid-reproduce-"));
  try {
    const first = await reproduce({ preset: "tiny", root, quiet: true, silent: true });
    const p = studyLayout("tiny", root);
    for (const f of [
      path.join(p.dataset, "X.npy"), path.join(p.dataset, "params.csv"), path.join(p.dataset, "manifest.json"),
      path.join(p.runs.mkl0, "metrics.json"), path.join(p.runs.rhol0, "metrics.json"),
      path.join(p.runs.mkl0, "history.csv"), path.join(p.runs.rhol0, "predictions.csv"),
      p.report, p.derivation, p.reproduce, p.walks,
    ]) assert.ok(fs.existsSync(f), `${f} exists`);
    assert.equal(first.steps.length, 4);
    assert.ok(first.steps.every((s) => !s.skipped), "a first run does every step");
    // The derivation record holds the symmetry of (x, y) and none with forces.
    const d = JSON.parse(fs.readFileSync(p.derivation, "utf8"));
    assert.deepEqual(d.xy.symmetries, [{ m: 1, k: 1, l0: 0 }]);
    assert.deepEqual(d["xy+grf"].symmetries, []);
    // Key numbers are the run files' numbers.
    const text = formatSummary(first);
    assert.match(text, /variant \(rho, l0\):\s+R\^2 rho/);
    assert.match(text, new RegExp(`R\\^2 l0 ${first.metrics.rhol0.params.l0.r2!.toFixed(4)}`));
    const html = fs.readFileSync(p.report, "utf8");
    assert.ok(html.length > 1e6 && html.includes("<html"), "a self-contained report");
    const datasetStamp = fs.statSync(path.join(p.dataset, "X.npy")).mtimeMs;
    const second = await reproduce({ preset: "tiny", root, quiet: true, silent: true });
    const byName = Object.fromEntries(second.steps.map((s) => [s.name, s]));
    assert.equal(byName.generate.skipped, true, "the dataset is reused");
    assert.equal(byName["train both variants"].skipped, true, "finished runs are reused");
    assert.equal(fs.statSync(path.join(p.dataset, "X.npy")).mtimeMs, datasetStamp);
    assert.deepEqual(second.metrics.mkl0.params.m, first.metrics.mkl0.params.m);

    // Published: the results bundle holds what the report is built from, without the dataset's
    // records; the report rebuilt from it alone equals the study's report but for the build's
    // date, commit and time.
    const bundle = path.join(root, "published", "results");
    const manifest = publishResults(p, bundle, { maxPredictions: 25 });
    assert.equal(manifest.kind, "gaitid-results");
    assert.deepEqual(manifest.predictions, { kept: 25, of: 40, rule: "an evenly spread subsample of the test records: row floor(i * 40 / 25) for i = 0..24, in id order" });
    for (const f of ["dataset/manifest.json", "dataset/figure-records.csv", "runs/mkl0/model/model.json", "runs/rhol0/metrics.json", "derivation.json", "walks.json"]) {
      assert.ok(manifest.files[f] && fs.existsSync(path.join(bundle, f)), `${f} in the bundle`);
    }
    assert.ok(!fs.existsSync(path.join(bundle, "dataset", "X.npy")) && !fs.existsSync(path.join(bundle, "dataset", "params.csv")));
    const fromBundle = readBundleResults(bundle);
    assert.equal(fromBundle.preset, "tiny");
    assert.deepEqual(fromBundle.runs.mkl0.metrics, readStudyResults(p).runs.mkl0.metrics, "metrics of all test records, not of the subsample");
    assert.equal(fromBundle.runs.mkl0.predictions.id.length, 25);
    const a = await buildReport(readBundleResults(bundle), { out: path.join(root, "published", "a.html"), quiet: true });
    fs.rmSync(path.join(root, "data"), { recursive: true });
    const b = await buildReport(readBundleResults(bundle), { out: path.join(root, "published", "b.html"), quiet: true });
    const strip = (f: string): string => fs.readFileSync(f, "utf8").replace(/built [\d-]+ from commit <code>[^<]*<\/code>/, "").replace(/in [\d.]+ s: /, "");
    assert.equal(strip(b.path), strip(a.path), "the bundle alone rebuilds the report, with the dataset gone");
    assert.match(strip(b.path), /preset <b>tiny<\/b>/);
    // A changed file is refused.
    fs.appendFileSync(path.join(bundle, "walks.json"), " ");
    assert.throws(() => readBundleResults(bundle), /walks\.json is missing or has another size than the bundle's manifest records/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("reproduce refuses an unknown preset before any work", async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "gaitid-reproduce-"));
  await assert.rejects(reproduce({ preset: "huge", root, silent: true }), /unknown preset "huge"; choose one of tiny, quick, paper/);
  assert.deepEqual(fs.readdirSync(root), []);
  fs.rmSync(root, { recursive: true, force: true });
});
