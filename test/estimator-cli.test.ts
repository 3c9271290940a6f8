// gaitid train and gaitid evaluate on the tiny dataset: both variants at once (one process each),
// the run folders they write, and the refusals of bad input (exit code 2, a message naming the value).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { main } from "../lib/src/cli";
import { readHistory, readMetrics, readRunManifest } from "../lib/src/estimator/run";
import { tempDir, tinyDataset } from "./helpers/estimator-data";

const BIN = path.join(__dirname, "..", "lib", "bin", "gaitid.js");
function gaitid(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test("gaitid train --target both trains mkl0 and rhol0 in two processes; gaitid evaluate scores a run", async () => {
  const dataset = await tinyDataset();
  const out = path.join(tempDir(), "runs");
  const r = gaitid("train", "--dataset", dataset, "--target", "both", "--epochs", "4", "--backend", "wasm", "--out", out, "--json");
  assert.equal(r.code, 0, r.err);
  const summaries = JSON.parse(r.out) as { target: string; backend: { name: string }; epochsRun: number; metrics: { target: string } }[];
  assert.deepEqual(summaries.map((s) => s.target), ["mkl0", "rhol0"]);
  assert.ok(summaries.every((s) => s.backend.name === "wasm" && s.epochsRun === 4));
  // One progress line per epoch per variant, with losses, samples/s and time left.
  for (const t of ["mkl0", "rhol0"]) {
    const lines = r.err.split("\n").filter((l) => l.startsWith(`train ${t} `));
    assert.equal(lines.length, 4, r.err);
    assert.match(lines[0], /epoch 1\/4 loss \S+ val \S+ .*samples\/s/);
    assert.match(lines[0], /left \d+:\d\d/);
  }
  assert.match(r.err, /tiny preset/);
  for (const t of ["mkl0", "rhol0"]) {
    const dir = path.join(out, t);
    assert.equal(readHistory(dir).length, 4);
    assert.equal(readRunManifest(dir).training.batchSize, 100); // the tiny preset's settings
    assert.equal(readMetrics(dir).target, t);
  }
  const e = gaitid("evaluate", "--run", path.join(out, "mkl0"));
  assert.equal(e.code, 0, e.err);
  assert.match(e.out, /^m .*RMSE\/floor/m);
  assert.match(e.out, /k_pred\/m_pred vs rho/);
  const j = gaitid("evaluate", "--run", path.join(out, "mkl0"), "--json");
  const m = JSON.parse(j.out);
  assert.deepEqual(Object.keys(m.params), ["m", "k", "l0"]);
  assert.ok(m.params.m.floorRmse > 1 && m.params.m.floorRmse < 6, `${m.params.m.floorRmse}`);
  assert.deepEqual(Object.keys(m.ratio), ["rmse", "mae", "bias", "r2"]);
});

test("gaitid train and evaluate refuse bad input with exit code 2", async () => {
  const dataset = await tinyDataset();
  const cases: [string[], RegExp][] = [
    [["train", "--dataset", dataset, "--target", "mk"], /--target must be one of mkl0, rhol0, posterior, both; got "mk"/],
    [["train", "--dataset", dataset], /--target is required/],
    [["train", "--target", "rhol0"], /--dataset is required/],
    [["train", "--dataset", dataset, "--target", "rhol0", "--epochs", "0"], /--epochs must be .*1.*got "0"/],
    [["train", "--dataset", dataset, "--target", "rhol0", "--noise", "-1"], /noise must be a fraction >= 0/],
    [["train", "--dataset", dataset, "--target", "rhol0", "--backend", "gpu"], /--backend must be one of auto, node, wasm, cpu; got "gpu"/],
    [["train", "--dataset", path.join(dataset, "missing"), "--target", "rhol0", "--out", path.join(tempDir(), "x")], /no dataset at/],
    [["evaluate", "--run", path.join(dataset, "none")], /has no manifest\.json/],
    [["evaluate"], /--run is required/],
  ];
  // In this process (what the binary runs, without starting a process for each case).
  const inProcess = async (args: string[]): Promise<{ code: number; err: string }> => {
    const lines: string[] = [];
    const orig = console.error;
    console.error = (...a: unknown[]) => void lines.push(a.join(" "));
    try {
      return { code: await main(args), err: lines.join("\n") };
    } finally {
      console.error = orig;
    }
  };
  for (const [args, msg] of cases) {
    const r = await inProcess(args);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.err}`);
    assert.match(r.err, msg, args.join(" "));
    assert.ok(!/\n\s+at /.test(r.err), "no stack trace");
  }
  assert.ok(!fs.existsSync(path.join("data", "runs", "missing-rhol0")));
});
