// npm run bench:worker-exit — how often a command that ran worker threads dies as it ends.
// Runs `gaitid generate --preset tiny --records 20 --workers 2` (the compiled CLI) RUNS times, two
// at a time (BENCH_RUNS, default 200), and counts the runs that did not exit with 0, with the first
// line of each one's fatal error. Node 20 aborts a process when V8 compiles in the background for a
// worker thread that is being torn down (threads.ts says how the pools avoid it); the abort comes at
// random, about 1.5 % of such runs before the fix, so it takes hundreds of runs to see.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const repo = path.join(__dirname, "..");

function run(out: string): Promise<{ code: number | null; signal: string | null; output: string }> {
  const child = spawn(process.execPath, [path.join(repo, "lib/bin/gaitid.js"), "generate", "--preset", "tiny", "--records", "20", "--workers", "2", "--out", out, "--force"], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal, output })));
}

(async () => {
  const runs = Number(process.env.BENCH_RUNS ?? 200);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gaitid-bench-exit-"));
  const t0 = performance.now();
  let failed = 0;
  for (let i = 0; i < runs; i += 2) {
    const pair = await Promise.all([0, 1].slice(0, Math.min(2, runs - i)).map((j) => run(path.join(tmp, `d${j}`))));
    for (const r of pair) {
      if (r.code === 0) continue;
      failed++;
      const why = r.output.split("\n").find((l) => /Assertion|Fatal|Error/.test(l)) ?? "(no message)";
      console.log(`run ${i + 1}: exit ${r.code ?? r.signal}: ${why.trim()}`);
    }
    if ((i + 2) % 50 === 0) console.error(`${i + 2}/${runs} runs, ${failed} failed, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  console.log(`${failed} of ${runs} runs failed (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  fs.rmSync(tmp, { recursive: true, force: true });
})();
