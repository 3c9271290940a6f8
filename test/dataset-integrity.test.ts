// Never compute on damaged or mismatched data: every class of damage to a dataset is refused by
// the loader (what training, evaluation and the report read), naming the file and the row or
// record, before anything is computed.
import assert from "node:assert/strict";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { checkCommand } from "../lib/src/commands/check";
import { loadDataset, verifyDataset } from "../lib/src/dataset/format";
import { GaitidError } from "../lib/src/errors";
import { copyDataset, tinyDataset } from "./helpers/estimator-data";

/** Records the current size and sha256 of `file` in the manifest, as if it had been written so. */
function rehash(dir: string, file: string): void {
  const mf = path.join(dir, "manifest.json");
  const m = JSON.parse(fs.readFileSync(mf, "utf8"));
  const bytes = fs.readFileSync(path.join(dir, file));
  m.files[file] = { sha256: crypto.createHash("sha256").update(bytes).digest("hex"), bytes: bytes.length };
  fs.writeFileSync(mf, JSON.stringify(m));
}

function editManifest(dir: string, f: (m: Record<string, any>) => void): void {
  const mf = path.join(dir, "manifest.json");
  const m = JSON.parse(fs.readFileSync(mf, "utf8"));
  f(m);
  fs.writeFileSync(mf, JSON.stringify(m));
}

/** Rewrites line `line` (1-based, header = 1) of params.csv through `f`, and records the new hash. */
function editParams(dir: string, line: number, f: (fields: string[]) => void): void {
  const file = path.join(dir, "params.csv");
  const lines = fs.readFileSync(file, "utf8").split("\n");
  const fields = lines[line - 1].split(",");
  f(fields);
  lines[line - 1] = fields.join(",");
  fs.writeFileSync(file, lines.join("\n"));
  rehash(dir, "params.csv");
}

function refused(dir: string, ...patterns: RegExp[]): void {
  assert.throws(
    () => loadDataset(dir),
    (err: unknown) => {
      assert.ok(err instanceof GaitidError, `expected a GaitidError, got ${err}`);
      for (const p of patterns) assert.match(err.message, p);
      return true;
    },
  );
}

test("an undamaged dataset loads and verifies with hashes", async () => {
  const dir = await tinyDataset();
  const ds = loadDataset(dir);
  assert.equal(ds.records, 400);
  const check = verifyDataset(dir, { hashes: true });
  assert.equal(check.records, 400);
  assert.ok(check.bytes > 400 * 151 * 2 * 4);
});

test("damaged bytes: zeroed records, truncation, trailing bytes, a folder for X.npy", async () => {
  const src = await tinyDataset();
  // 100 records zeroed in place: the size is right, the hash is not.
  let d = copyDataset(src);
  const x = path.join(d, "X.npy");
  const fd = fs.openSync(x, "r+");
  fs.writeSync(fd, Buffer.alloc(100 * 151 * 2 * 4), 0, 100 * 151 * 2 * 4, 128);
  fs.closeSync(fd);
  refused(d, /X\.npy is damaged: its sha256/);
  // The same with a manifest that agrees (records overwritten, hashes recomputed): the values are refused.
  rehash(d, "X.npy");
  refused(d, /X\.npy: record 0, sample 0, channel 1 holds 0, a CoM height y that is not above the ground/);
  // A record of 1e30.
  d = copyDataset(src);
  const buf = fs.readFileSync(path.join(d, "X.npy"));
  buf.writeFloatLE(1e30, 128 + (7 * 151 * 2 + 3 * 2) * 4);
  fs.writeFileSync(path.join(d, "X.npy"), buf);
  rehash(d, "X.npy");
  refused(d, /record 7, sample 3, channel 0 holds 1\.0000000150474662e\+30/);
  // Truncated and trailing bytes: refused by size before the file is read.
  d = copyDataset(src);
  fs.truncateSync(path.join(d, "X.npy"), 1000);
  refused(d, /X\.npy has 1000 bytes; the manifest records \d+: the file is truncated/);
  d = copyDataset(src);
  fs.appendFileSync(path.join(d, "X.npy"), Buffer.alloc(8));
  refused(d, /X\.npy has \d+ bytes; the manifest records/);
  // X.npy replaced by a folder.
  d = copyDataset(src);
  fs.rmSync(path.join(d, "X.npy"));
  fs.mkdirSync(path.join(d, "X.npy"));
  refused(d, /X\.npy is not a file/);
});

test("params rows: out of the priors, rho not k/m, NaN, duplicate ids, no test split, CRLF", async () => {
  const src = await tinyDataset();
  const cases: [number, (f: string[]) => void, RegExp][] = [
    [2, (f) => (f[2] = "500"), /params\.csv: line 2 \(record 0\): m = 500 kg lies outside the prior \[60, 75\]/],
    [5, (f) => (f[2] = "-5"), /line 5 \(record 3\): m = -5 kg lies outside the prior/],
    [3, (f) => (f[5] = String(Number(f[5]) * 1.01)), /line 3 \(record 1\): rho = [\d.]+ 1\/s\^2 is not k \/ m/],
    [4, (f) => (f[4] = "NaN"), /line 4: l0 is not a number \("NaN"\)/],
    [6, (f) => (f[0] = "3"), /line 6 has id 3, expected 4/],
  ];
  for (const [line, edit, pattern] of cases) {
    const d = copyDataset(src);
    editParams(d, line, edit);
    refused(d, pattern);
  }
  // No test split: every test row relabelled as validation (and the manifest's counts to match).
  let d = copyDataset(src);
  const file = path.join(d, "params.csv");
  fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(/,test,/g, ",val,"));
  rehash(d, "params.csv");
  editManifest(d, (m) => {
    m.splits.val += m.splits.test;
    m.splits.test = 0;
  });
  refused(d, /params\.csv has no test records/);
  // CRLF line endings: said so, not two identical-looking strings.
  d = copyDataset(src);
  fs.writeFileSync(path.join(d, "params.csv"), fs.readFileSync(path.join(src, "params.csv"), "utf8").replace(/\n/g, "\r\n"));
  rehash(d, "params.csv");
  refused(d, /params\.csv: line 1 ends with a carriage return \(Windows CRLF line endings\)/);
});

test("a manifest that disagrees with itself or with X.npy is refused", async () => {
  const src = await tinyDataset();
  let d = copyDataset(src);
  editManifest(d, (m) => (m.samples = 150));
  refused(d, /manifest\.json: samples is 150 but duration 15 s at dt 0\.1 s gives 151/);
  d = copyDataset(src);
  editManifest(d, (m) => (m.channels = "xy+grf"));
  refused(d, /channels "xy\+grf" disagree with the configuration's "xy"/);
  d = copyDataset(src);
  editManifest(d, (m) => {
    m.records = 300;
    m.splits = undefined;
  });
  refused(d, /X\.npy has shape \[400,151,2\] \(<f4\); the manifest says \[300,151,2\]/);
  d = copyDataset(src);
  editManifest(d, (m) => delete m.files["params.csv"]);
  refused(d, /manifest\.json does not list params\.csv/);
});

test("gaitid check verifies every file's sha256 and names a damaged one", async () => {
  const src = await tinyDataset();
  const lines: string[] = [];
  const log = console.log;
  console.log = (s: string) => lines.push(s);
  try {
    assert.equal(await checkCommand.run([src]), 0);
  } finally {
    console.log = log;
  }
  assert.match(lines.join("\n"), /tiny: dataset, 400 records, [\d.]+ MiB; intact \(sha256 of every file checked\)/);
  // summary.txt is read by nothing that computes, so only the full check sees it changed.
  const d = copyDataset(src);
  const file = path.join(d, "summary.txt");
  const text = fs.readFileSync(file, "utf8");
  fs.writeFileSync(file, text.replace(/\d/, (c) => String((Number(c) + 1) % 10)));
  assert.doesNotThrow(() => loadDataset(d));
  await assert.rejects(checkCommand.run([d]), /summary\.txt is damaged: its sha256/);
  await assert.rejects(checkCommand.run([path.join(d, "nope")]), /nope does not exist/);
});
