// The cluster recipes of docs/cluster run as the schedulers run them: the Slurm batch scripts under
// bash with the variables a job array task gets, and the commands of the Kubernetes Jobs under sh
// with what an Indexed Job's pods get; the merged dataset equals one machine's run byte for byte.
// Runs the built command line (lib/bin/gaitid.js: `npm test` builds first).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PRESETS } from "../lib/src/config";
import { generateDataset } from "../lib/src/dataset/generate";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gaitid-cluster-"));
const repo = path.resolve(__dirname, "..");
const docs = path.join(repo, "docs", "cluster");
const records = 30;
const single = path.join(tmp, "single");

/** The environment of this process without any scheduler's variables, plus `vars`. */
function environment(vars: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(SLURM_|JOB_COMPLETION_INDEX$|GAITID_)/.test(k)) env[k] = v;
  return { ...env, ...vars };
}

function run(cmd: string, args: string[], vars: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(cmd, args, { cwd: tmp, env: environment(vars), stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, output })));
}

/** Runs the tasks two at a time (two cores), each expected to succeed. */
async function runAll(tasks: (() => Promise<{ code: number | null; output: string }>)[]): Promise<void> {
  for (let i = 0; i < tasks.length; i += 2) {
    for (const r of await Promise.all(tasks.slice(i, i + 2).map((t) => t()))) assert.equal(r.code, 0, r.output);
  }
}

function sameAsSingle(merged: string, what: string): void {
  for (const f of ["X.npy", "params.csv", "summary.csv"]) {
    assert.ok(fs.readFileSync(path.join(merged, f)).equals(fs.readFileSync(path.join(single, f))), `${what}: ${f} differs from one machine's run`);
  }
}

test.before(async () => {
  await generateDataset({ ...PRESETS.tiny.dataset, records }, single, { workers: 2, quiet: true });
});

test("the Slurm batch scripts: an array of three tasks, then the merge", async () => {
  const data = path.join(tmp, "slurm");
  const common = { GAITID_DATA: data, SLURM_SUBMIT_DIR: repo, GAITID_PRESET: "tiny", GAITID_RECORDS: String(records), SLURM_CPUS_PER_TASK: "1" };
  // sbatch --array=0-2 as submit.sh 3 queues it.
  const tasks = [0, 1, 2].map((id) => () => run("bash", [path.join(docs, "slurm", "generate.sbatch")], {
    ...common, SLURM_JOB_ID: String(700 + id), SLURM_ARRAY_JOB_ID: "700", SLURM_ARRAY_TASK_ID: String(id),
    SLURM_ARRAY_TASK_COUNT: "3", SLURM_ARRAY_TASK_MIN: "0", SLURM_ARRAY_TASK_MAX: "2", SLURM_ARRAY_TASK_STEP: "1",
  }));
  await runAll(tasks);
  assert.deepEqual(fs.readdirSync(path.join(data, "parts")).sort(), ["part-0", "part-1", "part-2"]);
  const merge = await run("bash", [path.join(docs, "slurm", "merge.sbatch")], { ...common, SLURM_JOB_ID: "703" });
  assert.equal(merge.code, 0, merge.output);
  assert.match(merge.output, /merged 3 parts into .*dataset: 30 records/);
  sameAsSingle(path.join(data, "dataset"), "Slurm");
});

/** The container of a Job manifest, read with PyYAML (undefined where python3 or PyYAML is missing). */
function container(file: string): { spec: { completions?: number }; env: Record<string, string>; args: string[] } | undefined {
  const py = spawnSync("python3", ["-c", `
import json, sys, yaml
job = yaml.safe_load(open(sys.argv[1]))
c = job["spec"]["template"]["spec"]["containers"][0]
print(json.dumps({"spec": job["spec"], "env": {e["name"]: e["value"] for e in c.get("env", [])}, "args": c["args"], "command": c["command"]}))`, file], { encoding: "utf8" });
  return py.status === 0 ? JSON.parse(py.stdout) : undefined;
}

const yaml = spawnSync("python3", ["-c", "import yaml"]).status === 0;

test("the Kubernetes Jobs: three indexed pods, then the merge Job", { skip: yaml ? false : "python3 with PyYAML is needed to read the manifests" }, async () => {
  const generate = container(path.join(docs, "kubernetes", "generate-job.yaml"))!;
  const merge = container(path.join(docs, "kubernetes", "merge-job.yaml"))!;
  assert.equal(generate.env.GAITID_SHARD_COUNT, String(generate.spec.completions), "GAITID_SHARD_COUNT must equal the Job's completions");
  // The image's PATH has gaitid; here a shim runs the built command line. /data is the shared volume.
  const bin = path.join(tmp, "bin");
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, "gaitid"), `#!/bin/sh\nexec "${process.execPath}" "${path.join(repo, "lib", "bin", "gaitid.js")}" "$@"\n`, { mode: 0o755 });
  const data = path.join(tmp, "k8s");
  const onVolume = (script: string): string => script.replaceAll("/data/", `${data}/`);
  const podEnv = { ...generate.env, PATH: `${bin}:${process.env.PATH}`, GAITID_SHARD_COUNT: "3", GAITID_PRESET: "tiny", GAITID_RECORDS: String(records), GAITID_WORKERS: "1" };
  fs.mkdirSync(path.join(data, "parts"), { recursive: true });
  await runAll([0, 1, 2].map((i) => () => run("sh", ["-c", onVolume(generate.args[0])], { ...podEnv, JOB_COMPLETION_INDEX: String(i), HOSTNAME: `gaitid-generate-${i}` })));
  const merged = await run("sh", ["-c", onVolume(merge.args[0])], { PATH: `${bin}:${process.env.PATH}` });
  assert.equal(merged.code, 0, merged.output);
  sameAsSingle(path.join(data, "dataset"), "Kubernetes");
});

test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
