/**
 * gaitid's worker threads (the generator's pool and the profile study's): how one is started from
 * the compiled library or from its TypeScript source, with the V8 settings their heaps need, and how
 * a pool is stopped so that the process may exit.
 */
import * as path from "node:path";
import * as v8 from "node:v8";
import { Worker } from "node:worker_threads";

/**
 * V8 settings read when a thread's heap is made (so for the threads started after this call; the
 * threads already running, the main one included, keep theirs).
 *
 * - `--no-concurrent-recompilation`: a worker thread compiles its hot functions itself rather than
 *   on V8's background threads. Node 20 takes a worker's isolate off its platform before disposing
 *   of it, and a background compile still running in that window and allocating aborts the whole
 *   process ("NodePlatform::ForIsolate ... Assertion failed: (data.first) != nullptr"). With this and
 *   {@link stopWorkers} awaited, small generations on 2 workers (`npm run bench:worker-exit` and the
 *   same command from a shell loop) aborted 0 times in 1,100 runs, against 9 in 500 before;
 *   bench:generate's rates are unchanged (the walker's few hot functions compile once per thread).
 * - `--min-semi-space-size=16`: the young generation starts at 16 MB, V8's default maximum. The
 *   walker leaves short-lived garbage (numbers boxed across calls) at about 0.5 MB per record, and a
 *   young generation left at its 1 MB start, which V8 does not grow when little survives, was
 *   collected every few milliseconds: 4.6 % of a worker's time, 2 % at 16 MB (2,000 paper records on
 *   one worker: 349 scavenges, 144 ms, against 67 and 48 ms).
 */
function prepareWorkerHeaps(): void {
  v8.setFlagsFromString("--no-concurrent-recompilation");
  v8.setFlagsFromString("--min-semi-space-size=16");
}

/**
 * Starts the worker script `name` (without extension) of the folder `dir`. Compiled, it is the .js
 * file. Under tsx (tests, benchmarks) it is the .ts source, and tsx's loader hooks do not reach
 * worker threads by themselves: tsx's CommonJS hook is registered inside the worker first.
 */
export function startWorker(dir: string, name: string, workerData: unknown): Worker {
  prepareWorkerHeaps();
  const fromSource = __filename.endsWith(".ts");
  const file = path.join(dir, `${name}${fromSource ? ".ts" : ".js"}`);
  const code = fromSource ? `require("tsx/cjs"); require(${JSON.stringify(file)});` : file;
  return new Worker(code, { eval: fromSource, workerData });
}

/** Terminates the workers; resolves once every thread has ended (its isolate disposed). */
export async function stopWorkers(workers: Worker[]): Promise<void> {
  await Promise.all(workers.map((w) => w.terminate()));
}
