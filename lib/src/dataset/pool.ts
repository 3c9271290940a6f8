/**
 * The generator's pool of worker threads: chunks are sent to idle workers, and their results are
 * handed to the writer in record order whatever order they finish in (a reorder buffer bounded to
 * a few chunks per worker, so memory does not grow with the dataset).
 */
import type { Worker } from "node:worker_threads";
import type { DatasetConfig } from "../config";
import { GaitidError } from "../errors";
import { startWorker, stopWorkers } from "../threads";
import type { ChunkRequest, ChunkResult } from "./chunk";

/** Chunks a worker may run ahead of the writer. */
const AHEAD_PER_WORKER = 4;

/** What a worker posts back (worker.ts). */
interface WorkerMessage {
  ok: boolean;
  result?: ChunkResult;
  error?: string;
}

/** A running pool: its workers (to stop them) and the promise of the whole job. */
export interface RunningPool {
  done: Promise<void>;
  /** Stops every worker (on an error or an interruption). */
  stop(): void;
}

/**
 * Runs the chunks on `workers` threads and calls `write` with each result in request order. The
 * promise rejects on the first failure (a worker's error, or an error thrown by `write`). Either
 * way it settles once every thread has ended.
 */
export function runPool(config: DatasetConfig, requests: ChunkRequest[], workers: number, write: (r: ChunkResult) => void): RunningPool {
  const pool: Worker[] = [];
  const stop = (): void => void stopWorkers(pool);
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
      const error = err instanceof Error ? err : new Error(String(err));
      void stopWorkers(pool).finally(() => reject(error));
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
      // Done once every thread has ended, so that the process may exit at once.
      if (nextToWrite === requests.length) return void stopWorkers(pool).then(resolve, reject);
      send(w);
      while (idle.length > 0 && canSend()) send(idle.pop()!);
    };
    for (let i = 0; i < workers; i++) {
      const w = startWorker(__dirname, "worker", { config });
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
