/**
 * A worker thread of the dataset generator: makes the records of each chunk it is sent and posts
 * back their samples (float32, transferred, not copied), params rows and failure counts.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { DatasetConfig } from "../config";
import { WalkerSimulator } from "../walker/simulate";
import { makeChunk, type ChunkRequest } from "./chunk";

const config = (workerData as { config: DatasetConfig }).config;
const sim = new WalkerSimulator();
parentPort!.on("message", (req: ChunkRequest) => {
  try {
    const result = makeChunk(sim, config, req);
    parentPort!.postMessage({ ok: true, result }, [result.X.buffer as ArrayBuffer]);
  } catch (err) {
    parentPort!.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err), start: req.start });
  }
});
