// Merging damaged parts: a truncated part, zeroed or changed bytes in X.npy or params.csv, a missing
// file or manifest, an incomplete or mismatched set of parts: each refused naming the part and the
// file, before a merged dataset appears, and no temporary left.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PRESETS, type DatasetConfig } from "../lib/src/config";
import { generateDataset, mergeDatasets } from "../lib/src/dataset/generate";
import { GaitidError } from "../lib/src/errors";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gaitid-merge-"));
const config: DatasetConfig = { ...PRESETS.tiny.dataset, records: 30 };
const good = [0, 1, 2].map((i) => path.join(tmp, `good${i}`));

test.before(async () => {
  for (const [i, p] of good.entries()) await generateDataset(config, p, { workers: 0, quiet: true, shard: { index: i, count: 3 } });
});

/** The three parts with part 1 replaced by a copy damaged by `damage`. */
function withDamaged(name: string, damage: (dir: string) => void): string[] {
  const bad = path.join(tmp, name);
  fs.cpSync(good[1], bad, { recursive: true });
  damage(bad);
  return [good[0], bad, good[2]];
}

/** merge refuses these parts with a GaitidError matching `pattern`, and leaves nothing at --out. */
async function refuses(parts: string[], pattern: RegExp): Promise<void> {
  const out = path.join(tmp, "merged");
  await assert.rejects(mergeDatasets(parts, out), (err: unknown) => {
    assert.ok(err instanceof GaitidError, `not a GaitidError: ${String(err)}`);
    assert.match(err.message, pattern);
    return true;
  });
  assert.deepEqual(fs.readdirSync(tmp).filter((e) => e.startsWith("merged")), [], "nothing left at --out");
}

test("a truncated part is refused, naming the part and the file", async () => {
  await refuses(withDamaged("cutX", (d) => fs.truncateSync(path.join(d, "X.npy"), 9000)), /part .*cutX: X\.npy has 9000 bytes; its manifest says \d+ \(the file is truncated or damaged\)/);
  const cutP = withDamaged("cutP", (d) => fs.truncateSync(path.join(d, "params.csv"), fs.statSync(path.join(d, "params.csv")).size - 40));
  await refuses(cutP, /part .*cutP: params\.csv has \d+ bytes; its manifest says \d+/);
});

test("zeroed or changed bytes are found by their sha256", async () => {
  const zeroRecords = withDamaged("zeroed", (d) => {
    const fd = fs.openSync(path.join(d, "X.npy"), "r+");
    fs.writeSync(fd, Buffer.alloc(4 * 151 * 2 * 3), 0, 4 * 151 * 2 * 3, 128 + 4 * 151 * 2 * 4);
    fs.closeSync(fd);
  });
  await refuses(zeroRecords, /part .*zeroed: X\.npy does not match the sha256 its manifest records: the file is damaged/);
  const zeroAll = withDamaged("zeroAll", (d) => fs.writeFileSync(path.join(d, "X.npy"), Buffer.alloc(fs.statSync(path.join(d, "X.npy")).size)));
  await refuses(zeroAll, /part .*zeroAll: X\.npy is not a NumPy \.npy file/);
  const digit = withDamaged("digit", (d) => {
    const f = path.join(d, "params.csv");
    const text = fs.readFileSync(f, "utf8");
    const i = text.indexOf(",train,") + 9; // a digit of m in the first train row
    fs.writeFileSync(f, text.slice(0, i) + (text[i] === "1" ? "2" : "1") + text.slice(i + 1));
  });
  await refuses(digit, /part .*digit: params\.csv does not match the sha256 its manifest records/);
});

test("a missing file, manifest or part is named", async () => {
  await refuses(withDamaged("noParams", (d) => fs.rmSync(path.join(d, "params.csv"))), /part .*noParams: params\.csv is missing/);
  await refuses(withDamaged("noX", (d) => fs.rmSync(path.join(d, "X.npy"))), /part .*noX: X\.npy is missing/);
  await refuses(withDamaged("xFolder", (d) => { fs.rmSync(path.join(d, "X.npy")); fs.mkdirSync(path.join(d, "X.npy")); }), /part .*xFolder: X\.npy is not a file/);
  await refuses(withDamaged("noManifest", (d) => fs.rmSync(path.join(d, "manifest.json"))), /noManifest is not a complete dataset \(no manifest\.json\)/);
  await refuses(withDamaged("badJson", (d) => fs.writeFileSync(path.join(d, "manifest.json"), "{")), /badJson\/manifest\.json is corrupt/);
  await refuses([good[0], path.join(tmp, "nowhere"), good[2]], /part .*nowhere: no such folder/);
  await refuses([good[0], good[2]], /the dataset has 3 parts; got 2 \(0, 2\)/);
  await refuses([good[0], good[0], good[2]], /part 1 of 3 is missing \(have 0, 0, 2\)/);
});

test("parts of another configuration are refused; the good parts merge", async () => {
  const other = path.join(tmp, "other1");
  await generateDataset({ ...config, seed: config.seed + 1 }, other, { workers: 0, quiet: true, shard: { index: 1, count: 3 } });
  await refuses([good[0], other, good[2]], /part .*other1 was made with another configuration than .*good0/);
  const m = await mergeDatasets(good, path.join(tmp, "merged-ok"));
  assert.equal(m.records, 30);
  assert.equal(m.acceptance!.accepted, 30);
});

test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
