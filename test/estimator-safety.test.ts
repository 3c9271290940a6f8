// The estimator never overwrites what it did not write, never trains twice into one folder, never
// scores predictions that do not belong to the dataset, and reads undefined scores as null: one
// test per class, on the tiny dataset (made once, in a temporary folder). Signals go to real
// processes. (The permission check cannot be shown here: the tests run as root, who may write
// anywhere.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { preset, type TrainingConfig } from "../lib/src/config";
import { loadDataset } from "../lib/src/dataset/format";
import { GaitidError } from "../lib/src/errors";
import { evaluateRun, formatMetrics } from "../lib/src/estimator/evaluate";
import { readHistory, readMetrics } from "../lib/src/estimator/run";
import { trainEstimator } from "../lib/src/estimator/train";
import { processAlive } from "../lib/src/outputs";
import { copyDataset, tempDir, tinyDataset } from "./helpers/estimator-data";

const tiny = (over: Partial<TrainingConfig> = {}): TrainingConfig => ({ ...preset("tiny").training, epochs: 2, ...over });
const LIB = path.join(__dirname, "..", "lib", "src");

/** True while `pid` runs (a zombie, exited but not yet reaped, counts as gone). */
function running(pid: number): boolean {
  if (!processAlive(pid)) return false;
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

/** Waits until `done()` holds; fails after `seconds` (a bound on hanging, not a speed target). */
async function until(done: () => boolean, what: string, seconds = 300): Promise<void> {
  const end = Date.now() + seconds * 1000;
  while (!done()) {
    if (Date.now() > end) assert.fail(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every file under `dir` with its contents (to show that nothing changed). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const p = path.join(dir, f);
    if (fs.statSync(p).isFile()) out[f] = fs.readFileSync(p, "base64");
  }
  return out;
}

test("a folder of the user's files or a dataset is refused before any work, with or without --force", async () => {
  const dataset = await tinyDataset();
  const mine = path.join(tempDir(), "myfolder");
  fs.mkdirSync(path.join(mine, "model"), { recursive: true });
  fs.writeFileSync(path.join(mine, "model", "my_notes.txt"), "notes");
  fs.writeFileSync(path.join(mine, "history.csv"), "my history");
  fs.writeFileSync(path.join(mine, "predictions.csv"), "my predictions");
  const before = snapshot(mine);
  for (const flags of [{}, { force: true }, { resume: true }]) {
    // The dataset does not even exist: the folder is refused first.
    await assert.rejects(
      trainEstimator({ dataset: path.join(dataset, "nope"), target: "mkl0", out: mine, training: tiny(), backend: "cpu", quiet: true, ...flags }),
      (e: unknown) => e instanceof GaitidError && /--out .*myfolder holds files gaitid did not write: history\.csv, model\/, predictions\.csv/.test(e.message),
    );
  }
  assert.deepEqual(snapshot(mine), before);

  // A dataset where the run should go: never replaced, and it still loads.
  const d = copyDataset(dataset);
  const dBefore = snapshot(d);
  await assert.rejects(
    trainEstimator({ dataset: d, target: "rhol0", out: d, training: tiny(), backend: "cpu", quiet: true, force: true }),
    (e: unknown) => e instanceof GaitidError && /holds a gaitid dataset, not a gaitid training run/.test(e.message),
  );
  assert.deepEqual(snapshot(d), dBefore);
  assert.equal(loadDataset(d).records, 400);
});

test("a finished run: refused without --force, replaced with it; --resume with other settings is refused naming them", async () => {
  const dataset = await tinyDataset();
  const out = path.join(tempDir(), "run");
  const base = { dataset, target: "rhol0" as const, out, backend: "wasm" as const, quiet: true };
  await trainEstimator({ ...base, training: tiny() });
  fs.writeFileSync(path.join(out, "my_notes.txt"), "kept");
  await assert.rejects(trainEstimator({ ...base, training: tiny() }), /already holds a finished run.*--force/);
  const changed: [Partial<TrainingConfig>, RegExp][] = [
    [{ learningRate: 2e-3 }, /learningRate: checkpoint 0\.001, now 0\.002|learningRate/],
    [{ epochs: 3 }, /epochs/],
    [{ seed: 9 }, /seed/],
  ];
  for (const [over, msg] of changed) {
    await assert.rejects(trainEstimator({ ...base, training: tiny(over), resume: true }), (e: unknown) => e instanceof GaitidError && /finished run .* other settings/.test(e.message) && msg.test(e.message));
  }
  const same = await trainEstimator({ ...base, training: tiny(), resume: true });
  assert.equal(same.epochsRun, 2);
  const again = await trainEstimator({ ...base, training: tiny({ epochs: 3 }), force: true });
  assert.equal(again.epochsRun, 3);
  assert.equal(readHistory(out).length, 3);
  assert.equal(fs.readFileSync(path.join(out, "my_notes.txt"), "utf8"), "kept"); // only the run's own files are replaced
});

test("a run folder is locked while a process trains into it", async () => {
  const dataset = await tinyDataset();
  const out = path.join(tempDir(), "locked");
  const script = path.join(tempDir(), "resume.ts");
  fs.writeFileSync(
    script,
    `import { trainEstimator } from ${JSON.stringify(path.join(LIB, "estimator", "train"))};
trainEstimator({ dataset: ${JSON.stringify(dataset)}, target: "rhol0", out: ${JSON.stringify(out)}, training: ${JSON.stringify(tiny({ epochs: 4 }))}, backend: "cpu", quiet: true, resume: true })
  .then(() => process.exit(0), (e) => { console.error(e.message); process.exit(e.exitCode ?? 1); });`,
  );
  let tried = false;
  await trainEstimator({
    dataset, target: "rhol0", out, training: tiny({ epochs: 4 }), backend: "cpu", quiet: true,
    onEpoch: (row) => {
      if (row.epoch !== 2) return;
      // Another process resumes the same folder while this one trains: refused, nothing run beside.
      const r = spawnSync(process.execPath, ["--import", "tsx", script], { encoding: "utf8" });
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`being trained into by process ${process.pid}`));
      tried = true;
    },
  });
  assert.ok(tried);
  assert.equal(readHistory(out).length, 4);
  assert.ok(!fs.existsSync(path.join(out, ".lock")));
});

test("train --target both: killing the parent with SIGKILL stops both workers; the runs resume afterwards", async () => {
  const dataset = await tinyDataset();
  const root = path.join(tempDir(), "both");
  const training = tiny({ epochs: 10_000, checkpointEvery: 1 });
  const script = path.join(tempDir(), "both.ts");
  fs.writeFileSync(
    script,
    `import { trainVariants } from ${JSON.stringify(path.join(LIB, "estimator", "parallel"))};
trainVariants({ dataset: ${JSON.stringify(dataset)}, training: ${JSON.stringify(training)}, backend: "wasm", quiet: true }, ["mkl0", "rhol0"], (t) => ${JSON.stringify(root)} + "/" + t);`,
  );
  const parent = spawn(process.execPath, ["--import", "tsx", script], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  parent.stderr.on("data", (b: Buffer) => void (stderr += b.toString()));
  parent.on("exit", (code) => void (stderr += `\n(exit ${code})`));
  const dirs = ["mkl0", "rhol0"].map((t) => path.join(root, t));
  const epochs = (d: string): number => (fs.existsSync(path.join(d, "history.csv")) ? readHistory(d).length : 0);
  await until(() => {
    assert.equal(parent.exitCode, null, stderr);
    return dirs.every((d) => epochs(d) >= 1);
  }, "both workers train");
  const workers = dirs.map((d) => Number(fs.readFileSync(path.join(d, ".lock"), "utf8")));
  assert.ok(workers.every((pid) => pid !== parent.pid && running(pid)));
  parent.kill("SIGKILL");
  // The workers notice (their IPC channel closes), write a checkpoint and exit.
  await until(() => !workers.some(running), "the workers exit");
  for (const d of dirs) {
    assert.ok(fs.existsSync(path.join(d, "checkpoint.json")) && !fs.existsSync(path.join(d, "manifest.json")), d);
    assert.ok(!fs.existsSync(path.join(d, ".lock")), `${d}: lock released`);
  }
  const stopped = dirs.map(epochs);
  await new Promise((r) => setTimeout(r, 500));
  assert.deepEqual(dirs.map(epochs), stopped, "nothing trains any more");
  // The same settings, stopped where the checkpoint is: --resume finishes the run.
  const done = JSON.parse(fs.readFileSync(path.join(dirs[1], "checkpoint.json"), "utf8")).epoch as number;
  const s = await trainEstimator({ dataset, target: "rhol0", out: dirs[1], training: { ...training, epochs: done }, backend: "wasm", quiet: true, resume: true });
  assert.equal(s.resumed, true);
  assert.equal(s.epochsRun, done);
});

test("evaluate refuses predictions that do not match the dataset's test split, and a run of another dataset", async () => {
  const dataset = await tinyDataset();
  const out = path.join(tempDir(), "scored");
  await trainEstimator({ dataset, target: "mkl0", out, training: tiny(), backend: "wasm", quiet: true });
  const file = path.join(out, "predictions.csv");
  const good = fs.readFileSync(file, "utf8");
  const metricsBefore = fs.readFileSync(path.join(out, "metrics.json"), "utf8");
  const lines = good.trimEnd().split("\n");
  const cases: [string, RegExp][] = [
    [[lines[0], ...lines.slice(1, 21)].join("\n") + "\n", /predictions\.csv holds 20 rows; the test split of .* has 40 records/],
    [good.replace(/\n(\d+),/, (_, id) => `\n${Number(id) + 1},`), /predictions\.csv row 2 has id \d+; test record 1 of .* has id \d+/],
    [good.replace(/\n(\d+),([^,\n]+),([^,\n]+),/, "\n$1,$2,NaN,"), /predictions\.csv line 2: "NaN" is not a number/],
    [good.replace(/\n(\d+),([^,\n]+),/, "\n$1,61.5,"), /predictions\.csv row 2: m_true is 61\.5; record \d+ of .* has m = /],
  ];
  for (const [text, msg] of cases) {
    fs.writeFileSync(file, text);
    assert.throws(() => evaluateRun(out), (e: unknown) => e instanceof GaitidError && msg.test(e.message));
    assert.equal(fs.readFileSync(path.join(out, "metrics.json"), "utf8"), metricsBefore);
  }
  fs.writeFileSync(file, good);
  // Another dataset (a manifest that differs) is refused; the run's own dataset is scored.
  const other = copyDataset(dataset);
  const man = JSON.parse(fs.readFileSync(path.join(other, "manifest.json"), "utf8"));
  fs.writeFileSync(path.join(other, "manifest.json"), JSON.stringify({ ...man, name: "other" }));
  assert.throws(() => evaluateRun(out, { dataset: other }), /is not the dataset the run .* was trained on/);
  assert.throws(() => evaluateRun(out, { dataset: path.join(other, "gone") }), /which is not there .*--dataset/);
  assert.deepEqual(evaluateRun(out), readMetrics(out));
});

test("an undefined score (null in metrics.json) reads as null and prints as n/a; a malformed one names the file and field", async () => {
  const dataset = await tinyDataset();
  const out = path.join(tempDir(), "nulls");
  await trainEstimator({ dataset, target: "mkl0", out, training: tiny(), backend: "wasm", quiet: true });
  const file = path.join(out, "metrics.json");
  const m = JSON.parse(fs.readFileSync(file, "utf8"));
  m.params.k.r2 = null;
  m.params.k.r2Ceiling = Number.NaN; // written by JSON.stringify as null
  m.ratio.r2 = null;
  fs.writeFileSync(file, JSON.stringify(m));
  const read = readMetrics(out);
  assert.equal(read.params.k.r2, null);
  assert.equal(read.params.k.r2Ceiling, null);
  assert.equal(typeof read.params.m.r2, "number");
  assert.match(formatMetrics(read), /^k .* n\/a +n\/a/m);
  m.params.m.rmse = "abc";
  fs.writeFileSync(file, JSON.stringify(m));
  assert.throws(() => readMetrics(out), /metrics\.json: params\.m\.rmse must be a finite number >= 0; got "abc"/);
  fs.writeFileSync(file, "{");
  assert.throws(() => readMetrics(out), /metrics\.json is corrupt/);
});
