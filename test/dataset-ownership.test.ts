// Output folders of generate and merge: only a folder holding a gaitid dataset (a dataset part,
// for a shard) is replaced, and only with force; a folder of the user's files, the current folder,
// an empty path, a read-only folder, a training run, the other kind of dataset folder and a
// partial folder holding other files are refused before any work, and left as they were.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PRESETS, type DatasetConfig } from "../lib/src/config";
import { generateDataset, mergeDatasets, partialFolder } from "../lib/src/dataset/generate";
import { loadDataset } from "../lib/src/dataset/format";
import { GaitidError } from "../lib/src/errors";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gaitid-ownership-"));
const repo = path.resolve(__dirname, "..");
const config: DatasetConfig = { ...PRESETS.tiny.dataset, records: 12 };

function folder(name: string, files: Record<string, string>): string {
  const d = path.join(tmp, name);
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(d, f)), { recursive: true });
    fs.writeFileSync(path.join(d, f), text);
  }
  return d;
}

/** Every file under `dir` with its content, to show a folder was left as it was. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out[path.relative(dir, path.join(e.parentPath, e.name))] = fs.readFileSync(path.join(e.parentPath, e.name), "latin1");
  }
  return out;
}

const refused = (pattern: RegExp) => (err: unknown): boolean => err instanceof GaitidError && err.exitCode === 2 && pattern.test(err.message);

/** Nothing was started beside `dir`: no partial folder, no temporary. */
function noWorkBeside(dir: string): void {
  const base = path.basename(dir);
  const siblings = fs.readdirSync(path.dirname(path.resolve(dir))).filter((e) => e.startsWith(`${base}.`));
  assert.deepEqual(siblings, [], `left beside ${dir}`);
}

let parts: string[] = [];
test.before(async () => {
  parts = [0, 1].map((i) => path.join(tmp, `part${i}`));
  for (const [i, p] of parts.entries()) await generateDataset(config, p, { workers: 0, quiet: true, shard: { index: i, count: 2 } });
});

test("a folder of the user's files is never replaced, by generate or merge, even with --force", async () => {
  const mine = folder("myfiles", { "thesis.txt": "four years", "sub/notes.md": "more" });
  const before = snapshot(mine);
  const pattern = /--out .*myfiles holds files gaitid did not write: sub\/, thesis\.txt \(2 entries\)/;
  await assert.rejects(generateDataset(config, mine, { force: true, quiet: true, workers: 0 }), refused(pattern));
  await assert.rejects(mergeDatasets(parts, mine, { force: true }), refused(pattern));
  assert.deepEqual(snapshot(mine), before);
  noWorkBeside(mine);
  // A damaged manifest does not make a folder gaitid's.
  const broken = folder("broken", { "manifest.json": "{ not json", "X.npy": "bytes" });
  await assert.rejects(generateDataset(config, broken, { force: true, quiet: true }), refused(/holds files gaitid did not write/));
  assert.deepEqual(snapshot(broken), { "manifest.json": "{ not json", "X.npy": "bytes" });
});

test("the current folder, a folder above it and an empty path are refused", async () => {
  for (const out of [".", "..", "", "  "]) {
    const pattern = out.trim() === "" ? /--out must name a folder/ : /is the current folder/;
    await assert.rejects(generateDataset(config, out, { force: true, quiet: true }), refused(pattern), JSON.stringify(out));
    await assert.rejects(mergeDatasets(parts, out, { force: true }), refused(pattern), JSON.stringify(out));
  }
  assert.ok(!fs.existsSync(path.join(process.cwd(), "..partial")) && !fs.existsSync(`${process.cwd()}.partial`));
});

test("a training run, a dataset part where a dataset goes (and the reverse) are refused", async () => {
  const run = folder("run", { "manifest.json": JSON.stringify({ kind: "gaitid-run" }), "history.csv": "epoch\n" });
  await assert.rejects(generateDataset(config, run, { force: true, quiet: true }), refused(/holds a gaitid training run, not a gaitid dataset; it is never replaced by one/));
  await assert.rejects(mergeDatasets(parts, run, { force: true }), refused(/holds a gaitid training run/));
  await assert.rejects(generateDataset(config, parts[0], { force: true, quiet: true }), refused(/holds a shard of a gaitid dataset, not a gaitid dataset/));
  await assert.rejects(mergeDatasets(parts, parts[1], { force: true }), refused(/holds a shard of a gaitid dataset, not a gaitid dataset/));
  const ds = path.join(tmp, "dataset");
  await generateDataset(config, ds, { workers: 0, quiet: true });
  await assert.rejects(generateDataset(config, ds, { force: true, quiet: true, shard: { index: 0, count: 2 } }), refused(/holds a gaitid dataset, not a shard of a gaitid dataset/));
  assert.equal(loadDataset(ds).records, 12);
  noWorkBeside(run);
});

test("a gaitid dataset is replaced only with --force", async () => {
  const ds = path.join(tmp, "replaced");
  await generateDataset(config, ds, { workers: 0, quiet: true });
  await assert.rejects(generateDataset(config, ds, { quiet: true }), refused(/replaced already holds a gaitid dataset; pass --force to replace it/));
  await assert.rejects(mergeDatasets(parts, ds), refused(/already holds a gaitid dataset; pass --force/));
  const other = { ...config, seed: config.seed + 7 };
  await generateDataset(other, ds, { workers: 0, quiet: true, force: true });
  assert.equal(loadDataset(ds).manifest.seed, other.seed);
  await mergeDatasets(parts, ds, { force: true });
  assert.equal(loadDataset(ds).manifest.seed, config.seed);
  assert.deepEqual(fs.readdirSync(tmp).filter((e) => e.startsWith("replaced")), ["replaced"], "no old copy or temporary left");
});

test("a partial folder holding other files than a generation writes is refused", async () => {
  const out = path.join(tmp, "guarded");
  const partial = folder("guarded.partial", { "X.npy": "x", "my-notes.txt": "mine" });
  await assert.rejects(generateDataset(config, out, { quiet: true }), refused(/guarded\.partial holds files gaitid did not write \(my-notes\.txt\)/));
  assert.deepEqual(snapshot(partial), { "X.npy": "x", "my-notes.txt": "mine" });
  assert.equal(partialFolder(out), partial);
});

test("a read-only folder holding a dataset is refused before any work, and left as it was", () => {
  // As root, permissions do not apply: run the generation as the unprivileged user nobody.
  const asRoot = process.getuid?.() === 0;
  const room = path.join(tmp, "room");
  fs.mkdirSync(room, { mode: 0o777 });
  fs.chmodSync(room, 0o777);
  fs.chmodSync(tmp, 0o755);
  const ro = path.join(room, "ro");
  fs.cpSync(parts[0], ro, { recursive: true });
  fs.writeFileSync(path.join(ro, "manifest.json"), fs.readFileSync(path.join(parts[0], "manifest.json"), "utf8").replace('"gaitid-dataset-part"', '"gaitid-dataset"'));
  const before = snapshot(ro);
  fs.chmodSync(ro, 0o555);
  const code = `
    const { generateDataset } = require(${JSON.stringify(path.join(repo, "lib/src/dataset/generate.ts"))});
    generateDataset(${JSON.stringify(config)}, ${JSON.stringify(ro)}, { force: true, quiet: true, workers: 0 })
      .then(() => console.log("generated"), (e) => { console.log(e.message); process.exit(e.exitCode ?? 1); });`;
  const r = spawnSync(process.execPath, ["--import", "tsx", "-e", code], { cwd: repo, encoding: "utf8", ...(asRoot ? { uid: 65534, gid: 65534 } : {}) });
  fs.chmodSync(ro, 0o755);
  assert.equal(r.status, 2, r.stdout + r.stderr);
  assert.match(r.stdout, /--out .*room\/ro: cannot write to .*room\/ro \(the folder itself\); check its permissions/);
  assert.deepEqual(snapshot(ro), before);
  assert.deepEqual(fs.readdirSync(room), ["ro"], "nothing started beside it");
});

test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
