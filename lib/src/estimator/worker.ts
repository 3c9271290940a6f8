/** Entry of a training process started by parallel.ts: trains one variant, replies with its summary. */
import { GaitidError } from "../errors";
import type { WorkerReply, WorkerRequest } from "./parallel";
import { trainEstimator } from "./train";

const controller = new AbortController();
process.on("SIGINT", () => controller.abort());
process.on("message", (m: WorkerRequest) => {
  if (m.type === "abort") {
    controller.abort();
    return;
  }
  trainEstimator({ ...m.options, signal: controller.signal })
    .then((summary) => ({ type: "done", summary }) satisfies WorkerReply)
    .catch((err: unknown) => {
      const user = err instanceof GaitidError;
      const e = err instanceof Error ? err : new Error(String(err));
      return { type: "error", message: user ? e.message : (e.stack ?? e.message), exitCode: err instanceof GaitidError ? err.exitCode : 1, user } satisfies WorkerReply;
    })
    .then((reply: WorkerReply) => {
      process.send?.(reply, () => process.disconnect());
    });
});
