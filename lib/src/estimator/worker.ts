/**
 * Entry of a training process started by parallel.ts: trains one variant, replies with its
 * summary. It dies with its parent: when the IPC channel closes (the parent exited or was killed,
 * even by SIGKILL) it stops after the current epoch, writes its checkpoint, releases the run
 * folder's lock and exits, so no run goes on training unattended and a --resume started next is
 * refused by the lock only until then.
 */
import { GaitidError } from "../errors";
import type { WorkerReply, WorkerRequest } from "./parallel";
import { trainEstimator } from "./train";

const controller = new AbortController();
process.on("SIGINT", () => controller.abort());
process.on("disconnect", () => controller.abort());

function reply(r: WorkerReply): void {
  if (process.connected && process.send) process.send(r, () => process.disconnect());
  else process.exit(r.type === "done" ? 0 : r.exitCode);
}

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
    .then(reply);
});
