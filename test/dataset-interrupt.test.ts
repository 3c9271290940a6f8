// Interrupting a generation (signals sent to real child processes): SIGTERM and SIGINT stop it with
// 128 + the signal, keep the finished records in the partial folder (counted, unlocked, no
// temporary left) for the next run to continue; the next run removes the temporaries of processes
// that no longer run, and only those; a second process never writes into a generation under way.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PRESETS, type DatasetConfig } from "../lib/src/config";
import { generateDataset, partialFolder } from "../lib/src/dataset/generate";
import { npyHeader } from "../lib/src/dataset/npy";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gaitid-interrupt-"));
const repo = path.resolve(__dirname, "..");
const config: DatasetConfig = { ...PRESETS.tiny.dataset, records: 240 };
const header = npyHeader([240, 151, 2]).length;
const recordBytes = 151 * 2 * 4;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A generation in a child process (the library from source); it commits only when stopped. */
function generateInChild(out: string): { child: ChildProcess; output: () => string } {
  const code = `
    const { generateDataset } = require(${JSON.stringify(path.join(repo, "lib/src/dataset/generate.ts"))});
    generateDataset(${JSON.stringify(config)}, ${JSON.stringify(out)}, { workers: 1, chunkSize: 8, commitSeconds: 1e6 })
      .then(() => console.log("finished"), (e) => { console.log("error: " + e.message); process.exit(1); });`;
  const child = spawn(process.execPath, ["--import", "tsx", "-e", code], { cwd: repo, stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  child.stdout!.on("data", (d) => (text += d));
  child.stderr!.on("data", (d) => (text += d));
  return { child, output: () => text };
}

/** Records written to the partial X.npy so far (counted or not). */
function written(out: string): number {
  try {
    return (fs.statSync(path.join(partialFolder(out), "X.npy")).size - header) / recordBytes;
  } catch {
    return -1;
  }
}

async function until(cond: () => boolean, run: { child: ChildProcess; output: () => string }, what: string): Promise<void> {
  for (let waited = 0; !cond(); waited += 20) {
    if (run.child.exitCode !== null) assert.fail(`the generation ended before ${what}: ${run.output()}`);
    if (waited > 120_000) assert.fail(`no ${what} after two minutes: ${run.output()}`);
    await sleep(20);
  }
}

const exited = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((r) => child.once("exit", (c) => r(c)));

/** The pid of a process that has exited. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ["-e", "console.log(process.pid)"], { encoding: "utf8" }).stdout.trim());
}

test("SIGTERM and SIGINT keep the finished records, counted and unlocked, and the next run continues them", async () => {
  const out = path.join(tmp, "signalled");
  const kept: number[] = [];
  for (const [signal, code] of [["SIGTERM", 143], ["SIGINT", 130]] as const) {
    const run = generateInChild(out);
    const target = (kept.at(-1) ?? 0) + 40;
    await until(() => written(out) >= target, run, `${target} records`);
    run.child.kill(signal);
    assert.equal(await exited(run.child), code, `${signal}: ${run.output()}`);
    const partial = partialFolder(out);
    const progress = JSON.parse(fs.readFileSync(path.join(partial, "progress.json"), "utf8")) as { records: number; bytes: Record<string, number> };
    assert.ok(progress.records >= target, `${signal}: ${progress.records} records counted`);
    assert.equal(progress.bytes["X.npy"], header + progress.records * recordBytes);
    assert.equal(fs.statSync(path.join(partial, "X.npy")).size, progress.bytes["X.npy"], "what is on disk is what is counted");
    assert.equal(fs.statSync(path.join(partial, "params.csv")).size, progress.bytes["params.csv"]);
    assert.match(run.output(), new RegExp(`interrupted: ${progress.records} of 240 records kept in .*signalled\\.partial; the same command continues`));
    assert.deepEqual(fs.readdirSync(partial).sort(), ["X.npy", "params.csv", "progress.json"], "no lock, no temporary inside");
    assert.deepEqual(fs.readdirSync(tmp).filter((e) => e.startsWith("signalled")), ["signalled.partial"], "no temporary beside it");
    kept.push(progress.records);
  }
  const lines: string[] = [];
  await generateDataset(config, out, { workers: 2, quiet: true, say: (l) => lines.push(l) });
  assert.ok(lines.some((l) => l.includes(`${kept[1]} of 240 records kept`)), lines.join("\n"));
  const reference = path.join(tmp, "reference");
  await generateDataset(config, reference, { workers: 2, quiet: true });
  for (const f of ["X.npy", "params.csv"]) assert.ok(fs.readFileSync(path.join(out, f)).equals(fs.readFileSync(path.join(reference, f))), f);
  assert.ok(!fs.existsSync(partialFolder(out)));
});

test("the next run removes the temporaries of dead processes and keeps a live one's", async () => {
  const out = path.join(tmp, "stale");
  const dead = deadPid();
  const live = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
  try {
    const stale = [`stale.tmp-${dead}`, `stale.old-${dead}`].map((e) => path.join(tmp, e));
    const alive = path.join(tmp, `stale.tmp-${live.pid}`);
    const unrelated = path.join(tmp, `other.tmp-${dead}`);
    for (const d of [...stale, alive, unrelated]) {
      fs.mkdirSync(d);
      fs.writeFileSync(path.join(d, "X.npy"), "a partial file");
    }
    const lines: string[] = [];
    await generateDataset({ ...config, records: 16 }, out, { workers: 0, quiet: true, say: (l) => lines.push(l) });
    for (const d of stale) assert.ok(!fs.existsSync(d), `${d} removed`);
    assert.ok(fs.existsSync(alive), "a live process's temporary is kept");
    assert.ok(fs.existsSync(unrelated), "another output's temporary is not touched");
    assert.equal(lines.filter((l) => /^removed .*, left by a process that no longer runs$/.test(l)).length, 2, lines.join("\n"));
  } finally {
    live.kill("SIGKILL");
  }
});

test("a second generation into the folder of one under way is refused, and a dead one's lock is taken over", async () => {
  const out = path.join(tmp, "busy");
  const run = generateInChild(out);
  try {
    await until(() => written(out) >= 1, run, "the first records");
    await assert.rejects(generateDataset(config, out, { workers: 0, quiet: true }), new RegExp(`busy\\.partial is being written by process \\d+ \\(gaitid generate\\)`));
  } finally {
    run.child.kill("SIGKILL");
    await exited(run.child);
  }
  // SIGKILL leaves the lock of a process that no longer runs: the next run takes over.
  assert.ok(fs.existsSync(path.join(partialFolder(out), ".lock")));
  await generateDataset(config, out, { workers: 2, quiet: true });
  assert.ok(fs.existsSync(path.join(out, "manifest.json")) && !fs.existsSync(partialFolder(out)));
});

test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
