/**
 * A worker thread of a batch of fits: runs each task it is sent ({@link runTask}) and posts back
 * its result, or the error (a GaitidError marked as the user's: a record that cannot be fitted).
 */
import { parentPort, workerData } from "node:worker_threads";
import { GaitidError } from "../errors";
import { WalkerSimulator } from "../walker/simulate";
import type { Priors } from "./fit";
import type { ChannelScales } from "./noise";
import { runTask, type TaskMessage } from "./study";

const { scales, priors } = workerData as { scales: ChannelScales; priors: Priors };
const sim = new WalkerSimulator();
parentPort!.on("message", (msg: TaskMessage) => {
  try {
    parentPort!.postMessage({ ok: true, index: msg.index, result: runTask(sim, msg.task, scales, priors) });
  } catch (err) {
    parentPort!.postMessage({ ok: false, index: msg.index, error: err instanceof Error ? err.message : String(err), user: err instanceof GaitidError });
  }
});
