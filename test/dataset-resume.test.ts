// Resuming an interrupted generation: a generate killed (SIGKILL) at random points and run again
// gives the same X.npy and params.csv byte for byte as a run that was never stopped; a run of
// another configuration starts over and says so; ensureDataset continues an interrupted
// generation and keeps a finished dataset of the same configuration.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PRESETS, type DatasetConfig } from "../lib/src/config";
import { ensureDataset, generateDataset, partialFolder } from "../lib/src/dataset/generate";
import { loadDataset } from "../lib/src/dataset/format";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gaitid-resume-"));
const repo = path.resolve(__dirname, "..");
const config: DatasetConfig = { ...PRESETS.tiny.dataset, records: 300 };
const bytes = (f: string): Buffer => fs.readFileSync(f);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A generation in a child process (the library from source), its messages on stdout. */
function generateInChild(cfg: DatasetConfig, out: string, opts: Record<string, unknown>): { child: ChildProcess; output: () => string } {
  const code = `
    const { generateDataset } = require(${JSON.stringify(path.join(repo, "lib/src/dataset/generate.ts"))});
    generateDataset(${JSON.stringify(cfg)}, ${JSON.stringify(out)}, { ...${JSON.stringify(opts)}, quiet: true, say: (l) => console.log(l) })
      .then(() => console.log("finished"), (e) => { console.log("error: " + e.message); process.exit(1); });`;
  const child = spawn(process.execPath, ["--import", "tsx", "-e", code], { cwd: repo, stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  child.stdout!.on("data", (d) => (text += d));
  child.stderr!.on("data", (d) => (text += d));
  return { child, output: () => text };
}

/** Records counted by the partial folder's progress.json (-1 while there is none). */
function committed(out: string): number {
  try {
    return (JSON.parse(fs.readFileSync(path.join(partialFolder(out), "progress.json"), "utf8")) as { records: number }).records;
  } catch {
    return -1;
  }
}

/** Waits for `cond`, failing if the child ends first (or after two minutes). */
async function until(cond: () => boolean, run: { child: ChildProcess; output: () => string }, what: string): Promise<void> {
  for (let waited = 0; !cond(); waited += 20) {
    if (run.child.exitCode !== null) assert.fail(`the generation ended before ${what}: ${run.output()}`);
    if (waited > 120_000) assert.fail(`no ${what} after two minutes: ${run.output()}`);
    await sleep(20);
  }
}

const exited = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve(child.exitCode) : new Promise((r) => child.once("exit", (c) => r(c)));

test("a generate killed twice at random points and run again equals an uninterrupted run byte for byte", async () => {
  const reference = path.join(tmp, "reference");
  await generateDataset(config, reference, { workers: 2, quiet: true });
  const out = path.join(tmp, "killed");
  const opts = { workers: 1, chunkSize: 8, commitSeconds: 0 };
  let kept = 0;
  for (const round of [1, 2]) {
    // A random point after what the previous run kept, before the end (the summary and the move take longer still).
    const at = kept + 8 + Math.floor(Math.random() * (230 - kept));
    const run = generateInChild(config, out, opts);
    await until(() => committed(out) >= at, run, `${at} records`);
    run.child.kill("SIGKILL");
    await exited(run.child);
    const now = committed(out);
    assert.ok(now >= at && now < config.records, `round ${round}: killed at ${now} records (aimed at ${at})`);
    assert.ok(!fs.existsSync(out), "no dataset folder after a kill");
    if (round === 2) assert.match(run.output(), new RegExp(`continuing the interrupted generation in .*killed\\.partial: ${kept} of 300 records kept`));
    // What a kill can leave after the last records counted: part of a chunk in each file. Cut off on resume.
    fs.appendFileSync(path.join(partialFolder(out), "X.npy"), Buffer.alloc(1000, 7));
    fs.appendFileSync(path.join(partialFolder(out), "params.csv"), "123,tr");
    kept = now;
  }
  const last = generateInChild(config, out, opts);
  assert.equal(await exited(last.child), 0, last.output());
  assert.match(last.output(), new RegExp(`continuing the interrupted generation in .*killed\\.partial: ${kept} of 300 records kept`));
  for (const f of ["X.npy", "params.csv", "summary.csv"]) assert.ok(bytes(path.join(out, f)).equals(bytes(path.join(reference, f))), `${f} differs from the uninterrupted run`);
  assert.equal(loadDataset(out).records, 300);
  assert.deepEqual(fs.readdirSync(tmp).filter((e) => e.startsWith("killed")), ["killed"], "no partial folder or temporary left");
  assert.deepEqual(fs.readdirSync(out).sort(), ["X.npy", "manifest.json", "params.csv", "summary.csv", "summary.txt"]);
  const m = loadDataset(out).manifest;
  assert.ok((m.timings?.generateSeconds ?? 0) > 0 && m.acceptance!.accepted === 300);
  assert.deepEqual(m.acceptance, loadDataset(reference).manifest.acceptance, "failure counts add up over the runs");
});

test("a run of another configuration starts over in the partial folder, saying so", async () => {
  const small: DatasetConfig = { ...config, records: 60 };
  const out = path.join(tmp, "changed");
  await assert.rejects(generateDataset(small, out, { workers: 0, quiet: true, chunkSize: 8, abortAfter: 16 }), /stopped after 16 records/);
  assert.equal(committed(out), 16);
  const lines: string[] = [];
  const other = { ...small, seed: small.seed + 1 };
  await generateDataset(other, out, { workers: 1, chunkSize: 8, say: (l) => lines.push(l), quiet: true });
  assert.ok(lines.some((l) => /starting over in .*changed\.partial: it was made with another configuration \(differs in seed\)/.test(l)), lines.join("\n"));
  assert.ok(!lines.some((l) => /continuing/.test(l)));
  const fresh = path.join(tmp, "changed-fresh");
  await generateDataset(other, fresh, { workers: 1, quiet: true });
  for (const f of ["X.npy", "params.csv"]) assert.ok(bytes(path.join(out, f)).equals(bytes(path.join(fresh, f))), f);
  // Another part of the same configuration is not continued either.
  const part = path.join(tmp, "part");
  await assert.rejects(generateDataset(small, part, { workers: 0, quiet: true, chunkSize: 8, abortAfter: 8, shard: { index: 0, count: 2 } }), /stopped/);
  lines.length = 0;
  await generateDataset(small, part, { workers: 0, quiet: true, shard: { index: 1, count: 2 }, say: (l) => lines.push(l) });
  assert.ok(lines.some((l) => /starting over .*: it holds another part of the dataset/.test(l)), lines.join("\n"));
});

test("ensureDataset continues an interrupted generation, then keeps the finished dataset", async () => {
  const small: DatasetConfig = { ...config, records: 60 };
  const dir = path.join(tmp, "ensured");
  await assert.rejects(generateDataset(small, dir, { workers: 0, quiet: true, chunkSize: 8, abortAfter: 24 }), /stopped after 24 records/);
  const lines: string[] = [];
  const made = await ensureDataset(small, dir, { workers: 1, quiet: true, say: (l) => lines.push(l) });
  assert.equal(made.reused, false);
  assert.ok(lines.some((l) => /continuing the interrupted generation in .*ensured\.partial: 24 of 60 records kept/.test(l)), lines.join("\n"));
  const fresh = path.join(tmp, "ensured-fresh");
  await generateDataset(small, fresh, { workers: 2, quiet: true });
  for (const f of ["X.npy", "params.csv"]) assert.ok(bytes(path.join(dir, f)).equals(bytes(path.join(fresh, f))), f);
  const again = await ensureDataset(small, dir, { quiet: true, say: (l) => lines.push(l) });
  assert.equal(again.reused, true);
  assert.equal(again.hash, made.hash);
  // A finished dataset whose files do not have the sizes its manifest records is made again.
  fs.truncateSync(path.join(dir, "X.npy"), 1000);
  lines.length = 0;
  const remade = await ensureDataset(small, dir, { workers: 1, quiet: true, say: (l) => lines.push(l) });
  assert.equal(remade.reused, false);
  assert.match(lines.join("\n"), /holds a damaged dataset \(X\.npy has 1000 bytes; its manifest says \d+\): replacing it/);
  assert.ok(bytes(path.join(dir, "X.npy")).equals(bytes(path.join(fresh, "X.npy"))));
  // A folder that is not a gaitid dataset is never replaced.
  const mine = path.join(tmp, "mine");
  fs.mkdirSync(mine);
  fs.writeFileSync(path.join(mine, "notes.txt"), "mine");
  await assert.rejects(ensureDataset(small, mine, { quiet: true }), /holds files gaitid did not write: notes\.txt/);
  assert.equal(fs.readFileSync(path.join(mine, "notes.txt"), "utf8"), "mine");
});

test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
