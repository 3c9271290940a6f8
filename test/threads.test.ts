/**
 * gaitid's worker pools (the generator's and the profile study's) settle only after every one of
 * their threads has ended, on success and on failure: a command may then exit at once, with no
 * worker thread still being torn down (Node 20 can abort the process when it exits during a
 * worker's teardown). Each thread is watched through process's "worker" event.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import type { Worker } from "node:worker_threads";
import { preset } from "../lib/src/config";
import { generateDataset } from "../lib/src/dataset/generate";
import { runProfileStudy } from "../lib/src/fit/study";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gaitid-threads-"));

/**
 * Runs `job` and counts the threads that ended before it settled and those that ended in the half
 * second after. Threads of others (tsx's esbuild runs one of its own when it compiles cold) live on.
 */
async function watchThreads(job: () => Promise<unknown>): Promise<{ endedBefore: number; endedAfter: number; outcome: "resolved" | "rejected" }> {
  let settled = false, endedBefore = 0, endedAfter = 0;
  const onWorker = (w: Worker): void => void w.once("exit", () => (settled ? endedAfter++ : endedBefore++));
  process.on("worker", onWorker);
  try {
    const outcome = await job().then(
      () => "resolved" as const,
      () => "rejected" as const,
    );
    settled = true;
    await new Promise((resolve) => setTimeout(resolve, 500));
    return { endedBefore, endedAfter, outcome };
  } finally {
    process.off("worker", onWorker);
  }
}

test("a generation on 2 threads resolves once both threads have ended", async () => {
  const r = await watchThreads(() => generateDataset({ ...preset("tiny").dataset, records: 12 }, path.join(tmp, "ds"), { workers: 2, quiet: true, chunkSize: 2 }));
  assert.deepEqual(r, { endedBefore: 2, endedAfter: 0, outcome: "resolved" });
});

test("a generation stopped by an error rejects once both threads have ended", async () => {
  const r = await watchThreads(() => generateDataset({ ...preset("tiny").dataset, records: 40 }, path.join(tmp, "stopped"), { workers: 2, quiet: true, chunkSize: 2, abortAfter: 6 }));
  assert.deepEqual(r, { endedBefore: 2, endedAfter: 0, outcome: "rejected" });
});

test("a profile study on 2 threads resolves once both threads have ended", async () => {
  const ds = path.join(tmp, "ds");
  const r = await watchThreads(() =>
    runProfileStudy({ dataset: ds, ids: [0, 1], observe: ["xy"], noise: [0.01], parameters: [], points: 0, starts: 1, workers: 2, quiet: true, forceRecords: 2 }),
  );
  assert.deepEqual(r, { endedBefore: 2, endedAfter: 0, outcome: "resolved" });
});

test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
