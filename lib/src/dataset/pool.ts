/**
 * The generator's pool of worker threads: chunks are sent to idle workers, and their results are
 * handed to the writer in record order whatever order they finish in (a reorder buffer bounded to
 * a few chunks per worker, so memory does not grow with the dataset).
 */
import * as path from "node:path";
import * as v8 from "node:v8";
import { Worker } from "node:worker_threads";
import type { DatasetConfig } from "../config";
import { GaitidError } from "../errors";
import type { ChunkRequest, ChunkResult } from "./chunk";

/** Chunks a worker may run ahead of the writer. */
const AHEAD_PER_WORKER = 4;

/** What a worker posts back (worker.ts). */
interface WorkerMessage {
  ok: boolean;
  result?: ChunkResult;
  error?: string;
}

/**
 * How to start a worker. Compiled, the worker is worker.js. Under tsx (tests, benchmarks) it is
 * the .ts source, and tsx's loader hooks do not reach worker threads by themselves: tsx's CommonJS
 * hook is registered inside the worker first.
 */
function workerScript(): { code: string; eval: boolean } {
  const fromSource = __filename.endsWith(".ts");
  const file = path.join(__dirname, fromSource ? "worker.ts" : "worker.js");
  return fromSource ? { code: `require("tsx/cjs"); require(${JSON.stringify(file)});`, eval: true } : { code: file, eval: false };
}

/**
 * Starts the young generation of the worker threads' heaps at 16 MB, V8's default maximum. The
 * walker leaves short-lived garbage (numbers boxed across calls) at about 0.5 MB per record, and a
 * young generation left at its 1 MB start, which V8 does not grow when little survives, was
 * collected every few milliseconds: 4.6 % of a worker's time, 2 % at 16 MB (2,000 paper records on
 * one worker: 349 scavenges, 144 ms, against 67 and 48 ms). V8 reads the flag when it makes a new
 * thread's heap; the threads already running, the main one included, keep theirs.
 */
function sizeYoungGeneration(): void {
  v8.setFlagsFromString("--min-semi-space-size=16");
}

/** A running pool: its workers (to stop them) and the promise of the whole job. */
export interface RunningPool {
  done: Promise<void>;
  /** Stops every worker (on an error or an interruption). */
  stop(): void;
}

/**
 * Runs the chunks on `workers` threads and calls `write` with each result in request order. The
 * promise rejects on the first failure (a worker's error, or an error thrown by `write`).
 */
export function runPool(config: DatasetConfig, requests: ChunkRequest[], workers: number, write: (r: ChunkResult) => void): RunningPool {
  const script = workerScript();
  sizeYoungGeneration();
  const pool: Worker[] = [];
  const stop = (): void => {
    for (const w of pool) void w.terminate();
  };
  const done = new Promise<void>((resolve, reject) => {
    let next = 0; // next request to send
    let nextToWrite = 0; // index into requests of the next chunk to write
    let failed = false;
    const finished = new Map<number, ChunkResult>();
    const indexOf = new Map(requests.map((r, i) => [r.start, i]));
    const idle: Worker[] = [];
    const fail = (err: unknown): void => {
      if (failed) return;
      failed = true;
      stop();
      reject(err instanceof Error ? err : new Error(String(err)));
    };
    const canSend = (): boolean => next < requests.length && next - nextToWrite < AHEAD_PER_WORKER * workers;
    const send = (w: Worker): void => {
      if (canSend()) w.postMessage(requests[next++]);
      else idle.push(w);
    };
    const receive = (w: Worker, msg: WorkerMessage): void => {
      if (failed) return;
      if (!msg.ok) return fail(new GaitidError(msg.error ?? "a worker failed", 1));
      const r = msg.result!;
      // Transferred typed arrays arrive as plain views; rebuild the Float32Array over the buffer.
      finished.set(indexOf.get(r.start)!, { ...r, X: new Float32Array(r.X.buffer, r.X.byteOffset, r.X.length) });
      try {
        for (let c = finished.get(nextToWrite); c; c = finished.get(nextToWrite)) {
          finished.delete(nextToWrite++);
          write(c);
        }
      } catch (err) {
        return fail(err);
      }
      if (nextToWrite === requests.length) {
        stop();
        return resolve();
      }
      send(w);
      while (idle.length > 0 && canSend()) send(idle.pop()!);
    };
    for (let i = 0; i < workers; i++) {
      const w = new Worker(script.code, { workerData: { config }, eval: script.eval });
      pool.push(w);
      w.on("error", fail);
      w.on("exit", (code) => {
        if (nextToWrite < requests.length) fail(new GaitidError(`a worker thread stopped (exit code ${code}) before the generation ended`, 1));
      });
      w.on("message", (msg: WorkerMessage) => receive(w, msg));
      send(w);
    }
  });
  return { done, stop };
}
