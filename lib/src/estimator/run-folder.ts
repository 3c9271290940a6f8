/**
 * Who may train into a run folder, decided before any work starts (before the dataset is read):
 * - absent or empty: a new run;
 * - a finished gaitid run (manifest.json of kind gaitid-run): refused, unless --force (trained
 *   again) or --resume (reported as it is, if the settings are the same);
 * - an interrupted gaitid run (checkpoint.json only): refused, unless --resume (continued) or
 *   --force (started over);
 * - anything else (a user's files, even named like a run's; a dataset; a file): refused, naming
 *   the folder and what it holds. Write permission is checked too.
 * While a process trains into a folder it holds the folder's lock (outputs.ts lockFolder): a
 * second process is refused instead of training beside it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { GaitidError } from "../errors";
import { checkOutputPath, checkWritable, folderState, lockFolder, prepareOutput, processAlive } from "../outputs";
import { RUN_FILES } from "./run";

/** What training does with its run folder. */
export type RunStart =
  /** Nothing there: train from the start. */
  | "new"
  /** A gaitid run there and --force: cleared (only the run's own files) once the dataset is read. */
  | "replace"
  /** An interrupted run and --resume: continue from its checkpoint. */
  | "resume"
  /** A finished run and --resume: report it (its settings must be the ones asked for). */
  | "finished";

/** Entries that a start killed before its first checkpoint can leave behind. */
const LEFTOVER = /^(\.lock|checkpoint\.json\.tmp-\d+)$/;

function liveLock(dir: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(path.join(dir, ".lock"), "utf8"));
    return Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Decides, before any work, what training into `out` may do (see the module comment); throws a
 * {@link GaitidError} naming the folder otherwise. `flag` names the folder in messages.
 */
export function checkRunFolder(out: string, opts: { resume?: boolean; force?: boolean; flag?: string } = {}): RunStart {
  const flag = opts.flag ?? "--out";
  checkOutputPath(out, flag);
  const pid = liveLock(out);
  if (pid !== undefined) throw new GaitidError(`${flag} ${out} is being trained into by process ${pid}; wait for it to finish or stop it first`);
  const st = folderState(out);
  if (st.state === "absent" || st.state === "empty" || (st.state === "foreign" && !st.manifestKind && st.entries.every((e) => LEFTOVER.test(e)))) {
    checkWritable(out, flag);
    return "new";
  }
  if (st.state === "owned" && st.kind === "run") {
    const finished = st.manifestKind === "gaitid-run";
    if (opts.force) {
      checkWritable(out, flag);
      return "replace";
    }
    if (opts.resume) {
      checkWritable(out, flag);
      return finished ? "finished" : "resume";
    }
    throw new GaitidError(
      finished
        ? `${flag} ${out} already holds a finished run; choose another ${flag}, or --force to train it again (--resume with the same settings reports it)`
        : `${flag} ${out} holds an interrupted run; continue it with --resume, or start over with --force`,
    );
  }
  // A dataset, another kind of output, or a user's files: prepareOutput refuses them with the
  // folder and what it holds named.
  prepareOutput(out, "run", { force: opts.force, flag });
  throw new GaitidError(`${flag} ${out} cannot hold a training run`);
}

/**
 * Takes the lock of `out` for this process (creating the folder). The returned function releases
 * it and, if the folder holds nothing else (a start that failed before writing anything), removes
 * the folder this call created.
 */
export function lockRunFolder(out: string): () => void {
  const existed = fs.existsSync(out);
  // Leftovers of a start killed before its first checkpoint (a dead process's lock is taken over).
  for (const e of fs.existsSync(out) ? fs.readdirSync(out) : []) {
    if (e !== ".lock" && LEFTOVER.test(e) && !processAlive(Number(e.split("-").pop()))) fs.rmSync(path.join(out, e), { force: true });
  }
  const release = lockFolder(out, "gaitid train");
  return () => {
    release();
    try {
      if (!existed && fs.readdirSync(out).length === 0) fs.rmdirSync(out);
    } catch {
      /* already gone */
    }
  };
}

/** Removes what a run writes in `dir` (nothing else: a user's other files stay). */
export function clearRun(dir: string): void {
  for (const f of Object.values(RUN_FILES)) fs.rmSync(path.join(dir, f), { recursive: true, force: true });
}
