// Shards from a cluster scheduler: `gaitid generate --shard auto` takes its part from a Slurm job
// array or a Kubernetes Indexed Job. The parts of N tasks run with the environment each scheduler
// sets, merged, equal one machine's run byte for byte; without a scheduler it is refused clearly.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PRESETS } from "../lib/src/config";
import { generateDataset, mergeDatasets, parseShard, shardRange } from "../lib/src/dataset/generate";
import { GaitidError } from "../lib/src/errors";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gaitid-shard-"));
const repo = path.resolve(__dirname, "..");

const refused = (pattern: RegExp) => (err: unknown): boolean => err instanceof GaitidError && err.exitCode === 2 && pattern.test(err.message);

test("--shard auto reads a Slurm job array: ID with COUNT, or MIN/MAX (and STEP)", () => {
  assert.deepEqual(parseShard("auto", { SLURM_ARRAY_TASK_ID: "2", SLURM_ARRAY_TASK_COUNT: "4" }), { index: 2, count: 4 });
  // --array=1-4: tasks 1..4 are parts 0..3.
  assert.deepEqual(parseShard("auto", { SLURM_ARRAY_TASK_ID: "3", SLURM_ARRAY_TASK_MIN: "1", SLURM_ARRAY_TASK_MAX: "4" }), { index: 2, count: 4 });
  // --array=1-7:2: tasks 1, 3, 5, 7.
  const stepped = { SLURM_ARRAY_TASK_ID: "5", SLURM_ARRAY_TASK_MIN: "1", SLURM_ARRAY_TASK_MAX: "7", SLURM_ARRAY_TASK_STEP: "2", SLURM_ARRAY_TASK_COUNT: "4" };
  assert.deepEqual(parseShard("auto", stepped), { index: 2, count: 4 });
  assert.deepEqual(parseShard("auto/4", stepped), { index: 2, count: 4 });
  assert.throws(() => parseShard("auto/5", stepped), refused(/--shard auto\/N says 5 parts but the scheduler runs 4/));
  assert.throws(() => parseShard("auto", { ...stepped, GAITID_SHARD_COUNT: "3" }), refused(/GAITID_SHARD_COUNT says 3 parts but the scheduler runs 4/));
  // --array=1,4,5: not evenly spaced, no part number.
  assert.throws(() => parseShard("auto", { SLURM_ARRAY_TASK_ID: "1", SLURM_ARRAY_TASK_MIN: "1", SLURM_ARRAY_TASK_MAX: "5", SLURM_ARRAY_TASK_COUNT: "3" }), refused(/is not one of 3 evenly spaced tasks; submit the array as a range, e\.g\. sbatch --array=0-2/));
  assert.throws(() => parseShard("auto", { SLURM_ARRAY_TASK_ID: "7" }), refused(/neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MIN\/MAX/));
  assert.throws(() => parseShard("auto", { SLURM_ARRAY_TASK_ID: "0x1", SLURM_ARRAY_TASK_COUNT: "4" }), refused(/SLURM_ARRAY_TASK_ID must be a whole number; got "0x1"/));
});

test("--shard auto reads a Kubernetes Indexed Job: JOB_COMPLETION_INDEX with the count from GAITID_SHARD_COUNT or auto/N", () => {
  assert.deepEqual(parseShard("auto", { JOB_COMPLETION_INDEX: "1", GAITID_SHARD_COUNT: "3" }), { index: 1, count: 3 });
  assert.deepEqual(parseShard("auto/3", { JOB_COMPLETION_INDEX: "2" }), { index: 2, count: 3 });
  assert.throws(() => parseShard("auto", { JOB_COMPLETION_INDEX: "1" }), refused(/JOB_COMPLETION_INDEX is set but not the number of parts; set GAITID_SHARD_COUNT to the Job's completions, or pass --shard auto\/N/));
  assert.throws(() => parseShard("auto/3", { JOB_COMPLETION_INDEX: "3" }), refused(/index 3 is not below the number of parts 3/));
  assert.throws(() => parseShard("auto/0", { JOB_COMPLETION_INDEX: "0" }), refused(/auto\/N needs N >= 1/));
});

test("--shard auto without a scheduler, or with two, is refused naming what it looks for", () => {
  assert.throws(() => parseShard("auto", {}), refused(/no scheduler task found in the environment; run it as a task of a Slurm job array .*SLURM_ARRAY_TASK_ID.* or a Kubernetes Indexed Job \(JOB_COMPLETION_INDEX/));
  assert.throws(() => parseShard("auto", { SLURM_ARRAY_TASK_ID: "0", SLURM_ARRAY_TASK_COUNT: "2", JOB_COMPLETION_INDEX: "0" }), refused(/both SLURM_ARRAY_TASK_ID and JOB_COMPLETION_INDEX are set/));
  assert.throws(() => parseShard("automatic", {}), refused(/--shard must be i\/N .* or auto/));
  assert.deepEqual(parseShard("1/3", {}), { index: 1, count: 3 });
  assert.deepEqual([0, 1, 2].map((i) => shardRange(10, { index: i, count: 3 })), [[0, 3], [3, 6], [6, 10]]);
});

/** Runs `gaitid generate ARGS` (the command from source) in a child process with `vars` set as a scheduler would. */
function generateTask(args: string[], vars: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(SLURM_|JOB_COMPLETION_INDEX$|GAITID_SHARD_COUNT$)/.test(k)) env[k] = v;
  const code = `
    const { generateCommand } = require(${JSON.stringify(path.join(repo, "lib/src/commands/generate.ts"))});
    generateCommand.run(${JSON.stringify(args)}).then((c) => process.exit(c ?? 0), (e) => { console.error(e.message); process.exit(e.exitCode ?? 1); });`;
  const child = spawn(process.execPath, ["--import", "tsx", "-e", code], { cwd: repo, env: { ...env, ...vars }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  return new Promise((resolve) => child.once("exit", (c) => resolve({ code: c, output })));
}

test("three Slurm array tasks and three Kubernetes indexed pods, merged, equal one machine's run byte for byte", async () => {
  const records = 60;
  const common = ["--preset", "tiny", "--records", String(records), "--workers", "1", "--shard", "auto"];
  // sbatch --array=1-3: Slurm numbers the tasks 1, 2, 3. A Kubernetes Indexed Job with completions: 3 numbers its pods 0, 1, 2.
  const slurm = [1, 2, 3].map((id) => ({
    out: path.join(tmp, "slurm", `part-${id}`),
    vars: { SLURM_JOB_ID: String(4100 + id), SLURM_ARRAY_JOB_ID: "4100", SLURM_ARRAY_TASK_ID: String(id), SLURM_ARRAY_TASK_COUNT: "3", SLURM_ARRAY_TASK_MIN: "1", SLURM_ARRAY_TASK_MAX: "3", SLURM_ARRAY_TASK_STEP: "1" },
  }));
  const k8s = [0, 1, 2].map((i) => ({ out: path.join(tmp, "k8s", `part-${i}`), vars: { JOB_COMPLETION_INDEX: String(i), GAITID_SHARD_COUNT: "3", HOSTNAME: `gaitid-generate-${i}` } }));
  const tasks = [...slurm, ...k8s];
  // Two tasks at a time (two cores).
  for (let i = 0; i < tasks.length; i += 2) {
    const runs = await Promise.all(tasks.slice(i, i + 2).map((t) => generateTask([...common, "--out", t.out], t.vars)));
    runs.forEach((r, j) => {
      assert.equal(r.code, 0, r.output);
      const part = (i + j) % 3;
      assert.match(r.output, new RegExp(`generating ${records} records \\(part ${part} of 3\\)`));
    });
  }
  const single = path.join(tmp, "single");
  await generateDataset({ ...PRESETS.tiny.dataset, records }, single, { workers: 2, quiet: true });
  for (const [name, set] of [["slurm", slurm], ["k8s", k8s]] as const) {
    const merged = path.join(tmp, `merged-${name}`);
    await mergeDatasets(set.map((t) => t.out).reverse(), merged);
    for (const f of ["X.npy", "params.csv", "summary.csv"]) {
      assert.ok(fs.readFileSync(path.join(merged, f)).equals(fs.readFileSync(path.join(single, f))), `${name}: ${f} differs from one machine's run`);
    }
  }
  // Outside a scheduler, --shard auto is refused before any work.
  const none = await generateTask([...common, "--out", path.join(tmp, "none")], {});
  assert.equal(none.code, 2, none.output);
  assert.match(none.output, /--shard auto: no scheduler task found in the environment/);
  assert.ok(!fs.existsSync(path.join(tmp, "none")) && !fs.existsSync(path.join(tmp, "none.partial")));
});

test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
