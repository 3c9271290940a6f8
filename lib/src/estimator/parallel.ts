/**
 * Training several target variants at once, each in its own process (its own TensorFlow.js and
 * backend; the wasm backend computes on one thread, so two variants use both cores).
 */
import { fork } from "node:child_process";
import * as path from "node:path";
import { GaitidError } from "../errors";
import type { Variant } from "./variant";
import type { RunSummary, TrainOptions } from "./train";

/** Options of one variant as sent to its process (everything but the signal and callbacks). */
export type WorkerTrainOptions = Omit<TrainOptions, "signal" | "onEpoch" | "progressStream">;

/** Messages between the parent and a training process. */
export type WorkerRequest = { type: "train"; options: WorkerTrainOptions } | { type: "abort" };
export type WorkerReply = { type: "done"; summary: RunSummary } | { type: "error"; message: string; exitCode: number; user: boolean };

/** The module that a training process runs (worker.ts under tsx, worker.js once compiled). */
function workerModule(): { file: string; execArgv: string[] } {
  const ext = path.extname(__filename);
  const file = path.join(__dirname, `worker${ext}`);
  const execArgv = process.execArgv.filter((a) => !a.startsWith("--test"));
  if (ext === ".ts" && !execArgv.some((a) => a.includes("tsx"))) execArgv.push("--import", "tsx");
  return { file, execArgv };
}

/** Trains one variant in a child process; resolves to its summary. */
export function trainInProcess(options: WorkerTrainOptions, signal?: AbortSignal): Promise<RunSummary> {
  const { file, execArgv } = workerModule();
  return new Promise((resolve, reject) => {
    const child = fork(file, [], { execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] });
    let reply: WorkerReply | undefined;
    const onAbort = (): void => {
      if (child.connected) child.send({ type: "abort" } satisfies WorkerRequest);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    child.on("message", (m: WorkerReply) => {
      reply = m;
    });
    child.on("error", (err) => reject(err));
    child.on("exit", (code, sig) => {
      signal?.removeEventListener("abort", onAbort);
      if (reply?.type === "done") resolve(reply.summary);
      else if (reply?.type === "error") reject(reply.user ? new GaitidError(reply.message, reply.exitCode) : new Error(reply.message));
      else reject(new Error(`training ${options.target} ended without a result (exit code ${code}, signal ${sig})`));
    });
    child.send({ type: "train", options } satisfies WorkerRequest);
    if (signal?.aborted) onAbort();
  });
}

/**
 * Trains `targets` concurrently, one process each; `outFor` names each run folder. Waits for all;
 * if any fails, the first failure is thrown (after the others have finished or stopped).
 */
export async function trainVariants(
  base: Omit<WorkerTrainOptions, "target" | "out">,
  targets: readonly Variant[],
  outFor: (target: Variant) => string,
  signal?: AbortSignal,
): Promise<RunSummary[]> {
  const results = await Promise.allSettled(targets.map((target) => trainInProcess({ ...base, target, out: outFor(target) }, signal)));
  const failed = results.map((r, i) => ({ r, target: targets[i] })).filter((x) => x.r.status === "rejected");
  if (failed.length > 0) {
    const first = (failed[0].r as PromiseRejectedResult).reason as Error;
    const msg = failed.map((f) => `${f.target}: ${((f.r as PromiseRejectedResult).reason as Error).message}`).join("; ");
    throw first instanceof GaitidError ? new GaitidError(msg, first.exitCode) : new Error(msg);
  }
  return results.map((r) => (r as PromiseFulfilledResult<RunSummary>).value);
}
