// Output-folder ownership (lib/src/outputs.ts): gaitid replaces only what it wrote, refuses the
// user's folders, the current folder and empty paths before any work, cleans up after signals
// and removes only the temporaries of processes that no longer run.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { GaitidError } from "../lib/src/errors";
import { folderState, lockFolder, prepareOutput, removeStaleTemporaries, replaceFolder } from "../lib/src/outputs";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "gaitid-outputs-"));
process.on("exit", () => fs.rmSync(root, { recursive: true, force: true }));

function folder(name: string, files: Record<string, string> = {}): string {
  const d = path.join(root, name);
  fs.mkdirSync(d, { recursive: true });
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(d, f)), { recursive: true });
    fs.writeFileSync(path.join(d, f), text);
  }
  return d;
}

function refuses(f: () => unknown, pattern: RegExp): void {
  assert.throws(f, (err: unknown) => err instanceof GaitidError && pattern.test(err.message));
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "console.log(process.pid)"], { encoding: "utf8" });
  return Number(r.stdout.trim());
}

test("folderState tells absent, empty, gaitid's own and foreign folders apart", () => {
  assert.equal(folderState(path.join(root, "nothing")).state, "absent");
  assert.equal(folderState(folder("empty")).state, "empty");
  const ds = folder("ds", { "manifest.json": JSON.stringify({ kind: "gaitid-dataset" }) });
  assert.deepEqual(folderState(ds), { state: "owned", kind: "dataset", manifestKind: "gaitid-dataset" });
  const run = folder("run", { "checkpoint.json": JSON.stringify({ kind: "gaitid-checkpoint" }) });
  assert.equal((folderState(run) as { kind: string }).kind, "run");
  const user = folder("user", { "thesis.txt": "mine", "sub/notes.md": "mine" });
  assert.deepEqual(folderState(user), { state: "foreign", entries: ["sub", "thesis.txt"], manifestKind: undefined });
});

test("a user's folder, the current folder and an empty path are refused even with --force", () => {
  const user = folder("thesis", { "thesis.txt": "mine", "sub/notes.md": "mine" });
  refuses(() => prepareOutput(user, "dataset", { force: true }), /--out .*thesis holds files gaitid did not write: sub\/, thesis\.txt \(2 entries\)/);
  assert.ok(fs.existsSync(path.join(user, "thesis.txt")));
  // Files whose names look like a run's, without a run's manifest, are still the user's.
  const lookalike = folder("lookalike", { "history.csv": "x", "predictions.csv": "y", "model/my_notes.txt": "z" });
  refuses(() => prepareOutput(lookalike, "run", { force: true }), /holds files gaitid did not write/);
  refuses(() => prepareOutput("", "dataset", { force: true }), /--out must name a folder; got ""/);
  refuses(() => prepareOutput(".", "dataset", { force: true }), /--out \. is the current folder/);
  refuses(() => prepareOutput("..", "run", { force: true, flag: "--out" }), /is the current folder or holds it/);
  refuses(() => prepareOutput("/", "dataset", { force: true }), /choose a folder of its own/);
});

test("a gaitid output is replaced only by one of its kind, and only with --force", () => {
  const ds = folder("data/tiny", { "manifest.json": JSON.stringify({ kind: "gaitid-dataset" }), "X.npy": "" });
  refuses(() => prepareOutput(ds, "dataset"), /already holds a gaitid dataset; pass --force to replace it/);
  assert.equal(prepareOutput(ds, "dataset", { force: true }).state, "owned");
  refuses(() => prepareOutput(ds, "run", { force: true }), /holds a gaitid dataset, not a gaitid training run; it is never replaced by one/);
  assert.equal(prepareOutput(path.join(root, "fresh/new"), "run").state, "absent");
});

test("a read-only parent is reported before any work", { skip: process.getuid?.() === 0 ? "root ignores permissions" : false }, () => {
  const ro = folder("ro");
  fs.chmodSync(ro, 0o500);
  try {
    refuses(() => prepareOutput(path.join(ro, "out"), "dataset"), /cannot write to .*ro \(its parent folder\)/);
  } finally {
    fs.chmodSync(ro, 0o700);
  }
});

test("replaceFolder swaps in the new folder and removes the old one", () => {
  const out = folder("swap", { "manifest.json": JSON.stringify({ kind: "gaitid-dataset" }), "old.txt": "old" });
  const tmp = folder("swap.tmp-1", { "manifest.json": JSON.stringify({ kind: "gaitid-dataset" }), "new.txt": "new" });
  replaceFolder(tmp, out);
  assert.deepEqual(fs.readdirSync(out).sort(), ["manifest.json", "new.txt"]);
  assert.deepEqual(fs.readdirSync(root).filter((e) => e.startsWith("swap")), ["swap"]);
});

test("stale temporaries of dead processes are removed, a live process's are kept", () => {
  const out = path.join(root, "ds2");
  const dead = deadPid();
  const stale = folder(`ds2.tmp-${dead}`, { "X.npy": "partial" });
  const staleOld = folder(`ds2.old-${dead}`);
  const live = folder(`ds2.tmp-${process.pid}`);
  const other = folder(`ds3.tmp-${dead}`);
  const removed = removeStaleTemporaries(out);
  assert.deepEqual(removed.sort(), [staleOld, stale].sort());
  assert.ok(fs.existsSync(live) && fs.existsSync(other) && !fs.existsSync(stale));
});

test("a folder lock refuses a second writer while the first lives, and is taken over after it died", async () => {
  const dir = folder("locked");
  const child = spawn(process.execPath, ["--import", "tsx", "-e", `
    const { lockFolder } = require(${JSON.stringify(path.resolve("lib/src/outputs.ts"))});
    lockFolder(${JSON.stringify(dir)}, "test");
    console.log("locked");
    setTimeout(() => {}, 60000);`], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve) => child.stdout!.once("data", () => resolve()));
  refuses(() => lockFolder(dir, "training"), new RegExp(`locked is being written by process ${child.pid} \\(training\\)`));
  child.kill("SIGKILL");
  await new Promise((r) => child.once("exit", r));
  const release = lockFolder(dir, "training");
  assert.equal(fs.readFileSync(path.join(dir, ".lock"), "utf8"), String(process.pid));
  release();
  assert.ok(!fs.existsSync(path.join(dir, ".lock")));
});

test("onInterrupt cleans up and exits with 128 + the signal", async () => {
  const tmp = folder("interrupted.tmp-x", { "X.npy": "partial" });
  const child = spawn(process.execPath, ["--import", "tsx", "-e", `
    const fs = require("node:fs");
    const { onInterrupt } = require(${JSON.stringify(path.resolve("lib/src/outputs.ts"))});
    onInterrupt(() => fs.rmSync(${JSON.stringify(tmp)}, { recursive: true, force: true }));
    console.log("ready");
    setTimeout(() => {}, 60000);`], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve) => child.stdout!.once("data", () => resolve()));
  child.kill("SIGTERM");
  const code = await new Promise((r) => child.once("exit", (c) => r(c)));
  assert.equal(code, 143);
  assert.ok(!fs.existsSync(tmp));
});
