// Synthetic datasets: determinism across workers, shard-and-merge, re-simulation from params.csv,
// priors, splits, atomicity, the .npy format, the GRF channels and bad input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PRESETS, type DatasetConfig } from "../lib/src/config";
import { generateDataset, mergeDatasets, parseShard } from "../lib/src/dataset/generate";
import { loadDataset } from "../lib/src/dataset/format";
import { parseNpyHeader } from "../lib/src/dataset/npy";
import { resimulate } from "../lib/src/dataset/record";
import { WalkerSimulator } from "../lib/src/walker/simulate";
import { G } from "../lib/src/walker/physics";
import { GaitidError } from "../lib/src/errors";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gaitid-dataset-"));
const config: DatasetConfig = { ...PRESETS.tiny.dataset, records: 200 };
const bytes = (f: string): Buffer => fs.readFileSync(f);

test("the same seed gives byte-identical X.npy and params.csv with 0, 1 and 2 workers", async () => {
  for (const w of [0, 1, 2]) await generateDataset(config, path.join(tmp, `w${w}`), { workers: w, quiet: true, chunkSize: 16 });
  for (const f of ["X.npy", "params.csv"]) {
    assert.ok(bytes(path.join(tmp, "w0", f)).equals(bytes(path.join(tmp, "w1", f))), `${f}: 0 vs 1 worker`);
    assert.ok(bytes(path.join(tmp, "w0", f)).equals(bytes(path.join(tmp, "w2", f))), `${f}: 0 vs 2 workers`);
  }
  // A different seed gives different data.
  await generateDataset({ ...config, records: 20, seed: config.seed + 1 }, path.join(tmp, "other"), { workers: 0, quiet: true });
  const a = loadDataset(path.join(tmp, "w0")), b = loadDataset(path.join(tmp, "other"));
  assert.notEqual(a.params[0].m, b.params[0].m);
});

test("three shards merged equal a single run byte for byte", async () => {
  const parts = [0, 1, 2].map((i) => path.join(tmp, `part${i}`));
  // Out of order on purpose: parts are independent.
  for (const i of [2, 0, 1]) await generateDataset(config, parts[i], { workers: 1, quiet: true, shard: { index: i, count: 3 } });
  assert.throws(() => loadDataset(parts[0]), /is not the manifest of a complete gaitid dataset \(kind "gaitid-dataset-part"\)/);
  await assert.rejects(mergeDatasets(parts.slice(0, 2), path.join(tmp, "merged-incomplete"), { quiet: true }), /has 3 parts; got 2/);
  const m = await mergeDatasets(parts, path.join(tmp, "merged"), { quiet: true });
  assert.equal(m.records, 200);
  for (const f of ["X.npy", "params.csv"]) assert.ok(bytes(path.join(tmp, "merged", f)).equals(bytes(path.join(tmp, "w0", f))), f);
  assert.equal(loadDataset(path.join(tmp, "merged")).records, 200);
});

test("every stored record re-simulated from its params.csv row matches X.npy", () => {
  const ds = loadDataset(path.join(tmp, "w0"));
  const sim = new WalkerSimulator();
  const stride = ds.samples * ds.channels;
  let worst = 0;
  for (const r of ds.params) {
    const w = resimulate(sim, config, r);
    assert.equal(w.status, "walking", `record ${r.id}`);
    for (let i = 0; i < ds.samples; i++) {
      worst = Math.max(worst, Math.abs(Math.fround(w.x[i]) - ds.X[r.id * stride + i * 2]), Math.abs(Math.fround(w.y[i]) - ds.X[r.id * stride + i * 2 + 1]));
    }
  }
  assert.equal(worst, 0, `largest difference ${worst} m`);
});

test("the generator's tolerance keeps every sample within 1e-6 m of a tight-tolerance reference", () => {
  const ds = loadDataset(path.join(tmp, "w0"));
  const sim = new WalkerSimulator();
  const tight = { ...config, rtol: 1e-12, atol: 1e-13 };
  let worst = 0;
  for (const r of ds.params.slice(0, 40)) {
    const a = resimulate(sim, config, r);
    const ax = Float64Array.from(a.x), ay = Float64Array.from(a.y);
    const b = resimulate(sim, tight, r);
    assert.equal(b.status, "walking");
    for (let i = 0; i < 151; i++) worst = Math.max(worst, Math.abs(ax[i] - b.x[i]), Math.abs(ay[i] - b.y[i]));
  }
  assert.ok(worst < 1e-6, `largest deviation ${worst} m`);
});

test("priors are respected: ranges, and means within sampling error", () => {
  const ds = loadDataset(path.join(tmp, "w0"));
  const n = ds.records;
  const check = (name: "m" | "k" | "l0", [lo, hi]: readonly [number, number]): void => {
    const v = ds.params.map((p) => p[name]);
    assert.ok(v.every((x) => x >= lo && x <= hi), `${name} within [${lo}, ${hi}]`);
    const mean = v.reduce((a, b) => a + b, 0) / n;
    const sd = (hi - lo) / Math.sqrt(12);
    assert.ok(Math.abs(mean - (lo + hi) / 2) < 4 * (sd / Math.sqrt(n)), `${name}: mean ${mean}`);
  };
  check("m", config.m);
  check("k", config.k);
  check("l0", config.l0);
  for (const p of ds.params) {
    assert.ok(Math.abs(p.rho - p.k / p.m) < 1e-12 * p.rho);
    assert.ok(p.alpha0 >= config.alpha0Deg[0] && p.alpha0 <= config.alpha0Deg[1]);
    const eRel = p.e / (G * p.l0);
    assert.ok(eRel >= config.energy[0] - 1e-12 && eRel <= config.energy[1] + 1e-12);
  }
  // The nuisance is drawn per unit mass: it does not correlate with m (|r| < 4 / sqrt(n)).
  const corr = (a: number[], b: number[]): number => {
    const ma = a.reduce((s, x) => s + x, 0) / a.length, mb = b.reduce((s, x) => s + x, 0) / b.length;
    let sab = 0, saa = 0, sbb = 0;
    a.forEach((x, i) => { sab += (x - ma) * (b[i] - mb); saa += (x - ma) ** 2; sbb += (b[i] - mb) ** 2; });
    return sab / Math.sqrt(saa * sbb);
  };
  const r = corr(ds.params.map((p) => p.m), ds.params.map((p) => p.alpha0));
  assert.ok(Math.abs(r) < 4 / Math.sqrt(n), `corr(m, alpha0) = ${r}`);
});

test("splits are 80/10/10, disjoint and fixed by the seed", () => {
  const ds = loadDataset(path.join(tmp, "w0"));
  const ids = { train: new Set<number>(), val: new Set<number>(), test: new Set<number>() };
  for (const p of ds.params) ids[p.split].add(p.id);
  assert.equal(ids.train.size, 160);
  assert.equal(ids.val.size, 20);
  assert.equal(ids.test.size, 20);
  assert.equal(ids.train.size + ids.val.size + ids.test.size, new Set(ds.params.map((p) => p.id)).size);
  assert.ok(ds.params.slice(0, 40).some((p) => p.split !== "train"), "splits are shuffled, not blocks");
});

test("X.npy is NumPy's format: magic, version 1.0, 64-byte aligned header, float32 C order", () => {
  const buf = bytes(path.join(tmp, "w0", "X.npy"));
  const info = parseNpyHeader(buf);
  assert.deepEqual(info.shape, [200, 151, 2]);
  assert.equal(info.dtype, "<f4");
  assert.equal(info.offset % 64, 0);
  assert.equal(buf.length, info.offset + 200 * 151 * 2 * 4);
  const header = buf.subarray(10, info.offset).toString("latin1");
  assert.match(header, /^\{'descr': '<f4', 'fortran_order': False, 'shape': \(200, 151, 2\), \} *\n$/);
  // Where numpy is installed, numpy.load must agree value for value.
  const py = spawnSync("python3", ["-c", "import numpy, sys; a = numpy.load(sys.argv[1]); print(a.shape, a.dtype, repr(float(a[7, 33, 1])))", path.join(tmp, "w0", "X.npy")], { encoding: "utf8" });
  if (py.status === 0) {
    const ds = loadDataset(path.join(tmp, "w0"));
    assert.equal(py.stdout.trim(), `(200, 151, 2) float32 ${String(ds.X[7 * 302 + 33 * 2 + 1])}`);
  }
});

test("xy+grf: the mean vertical ground reaction force over a record is the weight m g", async () => {
  const out = path.join(tmp, "grf");
  await generateDataset({ ...config, records: 12, channels: "xy+grf" }, out, { workers: 0, quiet: true });
  const ds = loadDataset(out, { channels: "xy+grf" });
  assert.equal(ds.channels, 4);
  for (const p of ds.params) {
    let fy = 0;
    for (let i = 0; i < 151; i++) fy += ds.X[p.id * 604 + i * 4 + 3];
    // 151 samples over about 29 steps: the mean is the weight to within a few percent.
    assert.ok(Math.abs(fy / 151 / (p.m * G) - 1) < 0.05, `record ${p.id}: mean fy / mg = ${fy / 151 / (p.m * G)}`);
  }
  assert.throws(() => loadDataset(out, { channels: "xy" }), /holds channels "xy\+grf" but "xy" are needed/);
});

test("an interrupted run leaves nothing that loads as a dataset", async () => {
  const out = path.join(tmp, "interrupted");
  await assert.rejects(generateDataset(config, out, { workers: 1, quiet: true, abortAfter: 50, chunkSize: 16 }), /stopped after/);
  assert.ok(!fs.existsSync(out));
  assert.throws(() => loadDataset(out), /no dataset at/);
  // Only the resumable folder of the finished records is left (no pid-named temporary), and it is no dataset.
  assert.deepEqual(fs.readdirSync(tmp).filter((f) => f.startsWith("interrupted")), ["interrupted.partial"]);
  assert.throws(() => loadDataset(`${out}.partial`), /not a complete dataset \(no manifest.json\)/);
  // A real kill (SIGKILL) of the command line halfway: the output folder never appears.
  const killed = path.join(tmp, "killed");
  const bin = path.join(__dirname, "..", "lib", "bin", "gaitid.js");
  const child = spawn(process.execPath, [bin, "generate", "--records", "3000", "--workers", "1", "--out", killed], { stdio: "ignore" });
  await new Promise((r) => setTimeout(r, 2500));
  child.kill("SIGKILL");
  await new Promise((r) => child.on("exit", r));
  assert.ok(!fs.existsSync(killed), "no dataset folder after a kill");
  assert.throws(() => loadDataset(killed), /no dataset at/);
});

test("a corrupt dataset is refused with a clear message", () => {
  const src = path.join(tmp, "w0"), bad = path.join(tmp, "corrupt");
  fs.cpSync(src, bad, { recursive: true });
  fs.truncateSync(path.join(bad, "X.npy"), 5000);
  assert.throws(() => loadDataset(bad), /X.npy has 5000 bytes; the manifest records 241728/);
  fs.cpSync(src, bad, { recursive: true });
  fs.writeFileSync(path.join(bad, "params.csv"), fs.readFileSync(path.join(src, "params.csv"), "utf8").replace(/\n1,/, "\n1,xx,"));
  assert.throws(() => loadDataset(bad), /params.csv has 35733 bytes; the manifest records 35730/);
  fs.rmSync(path.join(bad, "manifest.json"));
  assert.throws(() => loadDataset(bad), /not a complete dataset \(no manifest.json\)/);
});

test("bad input fails before any work with a clear message", async () => {
  await assert.rejects(generateDataset({ ...config, records: 0 }, path.join(tmp, "zero")), /dataset\.records must be .* from 1 to/);
  await assert.rejects(generateDataset(config, path.join(tmp, "w0")), /already holds a gaitid dataset; pass --force to replace it/);
  await assert.rejects(generateDataset({ ...config, m: [70, 60] }, path.join(tmp, "bad-m")), /dataset.m must be a range/);
  await assert.rejects(generateDataset({ ...config, m: [-5, 60] }, path.join(tmp, "neg-m")), /dataset.m must be positive \(kg\)/);
  await assert.rejects(generateDataset({ ...config, alpha0Deg: [60, 95] }, path.join(tmp, "bad-a")), /alpha0Deg must lie in \(0, 90\)/);
  assert.throws(() => parseShard("2/2"), (e: unknown) => e instanceof GaitidError && /0 <= i < N/.test(e.message));
  assert.throws(() => parseShard("a/b"), /--shard must be i\/N/);
  const bin = path.join(__dirname, "..", "lib", "bin", "gaitid.js");
  const r = spawnSync(process.execPath, [bin, "generate", "--preset", "huge", "--out", path.join(tmp, "huge")], { encoding: "utf8" });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown preset "huge"; choose one of tiny, quick, paper/);
  assert.ok(!fs.existsSync(path.join(tmp, "huge")));
  // A folder that cannot be made: its parent is a file.
  const file = path.join(tmp, "a-file");
  fs.writeFileSync(file, "not a folder");
  const ro = spawnSync(process.execPath, [bin, "generate", "--preset", "tiny", "--out", path.join(file, "sub", "x")], { encoding: "utf8" });
  assert.equal(ro.status, 2);
  assert.match(ro.stderr, /cannot write to/);
});

test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
