/**
 * Output folders and who owns them. gaitid only ever replaces or deletes a folder that holds its
 * own manifest of the same kind (a dataset where a dataset goes, a run where a run goes), and only
 * when the user asked for it (--force). Everything else (a folder of the user's files, a dataset
 * where a run should go, the current folder, an empty path) is refused before any work starts,
 * naming the folder and what it holds. Temporaries are siblings named `<folder>.tmp-<pid>`; those
 * of processes that no longer run are removed on the next run, and only those.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { GaitidError } from "./errors";

/** The kinds of folder gaitid writes, and the `kind` their manifest.json (or checkpoint) holds. */
export const OUTPUT_KINDS = {
  /** A complete dataset (gaitid generate, gaitid merge). */
  dataset: ["gaitid-dataset"],
  /** One shard of a dataset (gaitid generate --shard). */
  "dataset-part": ["gaitid-dataset-part"],
  /** A training run: finished (manifest.json) or interrupted (checkpoint.json only). */
  run: ["gaitid-run", "gaitid-checkpoint"],
  /** An experiment beyond the paper. */
  experiment: ["gaitid-experiment"],
  /** A published results bundle (what a report is rebuilt from). */
  results: ["gaitid-results"],
  /** A batch of model fits or profiles. */
  fit: ["gaitid-fit"],
} as const;
export type OutputKind = keyof typeof OUTPUT_KINDS;

/** The manifest-like files whose `kind` says who wrote a folder, in order of authority. */
const OWNER_FILES = ["manifest.json", "checkpoint.json"];

/** What a folder holds, as far as ownership goes. */
export type FolderState =
  | { state: "absent" }
  | { state: "empty" }
  | { state: "owned"; kind: OutputKind; manifestKind: string }
  | { state: "foreign"; entries: string[]; manifestKind?: string };

/** The kind a manifest `kind` string belongs to, if it is one of gaitid's. */
function kindOf(manifestKind: unknown): OutputKind | undefined {
  for (const [k, names] of Object.entries(OUTPUT_KINDS)) {
    if ((names as readonly string[]).includes(manifestKind as string)) return k as OutputKind;
  }
  return undefined;
}

function manifestKindIn(dir: string): string | undefined {
  for (const f of OWNER_FILES) {
    const file = path.join(dir, f);
    if (!fs.existsSync(file)) continue;
    try {
      const kind = (JSON.parse(fs.readFileSync(file, "utf8")) as { kind?: unknown }).kind;
      if (typeof kind === "string") return kind;
    } catch {
      /* a damaged manifest does not prove ownership */
    }
  }
  return undefined;
}

/** Reads what `dir` holds: nothing, an empty folder, one of gaitid's outputs, or something else. */
export function folderState(dir: string): FolderState {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    return { state: "absent" };
  }
  if (!stat.isDirectory()) return { state: "foreign", entries: [path.basename(dir) + " (a file)"] };
  const entries = fs.readdirSync(dir);
  if (entries.length === 0) return { state: "empty" };
  const manifestKind = manifestKindIn(dir);
  const kind = kindOf(manifestKind);
  return kind ? { state: "owned", kind, manifestKind: manifestKind! } : { state: "foreign", entries, manifestKind };
}

/** A few entries of a folder for a message: `thesis.txt, sub/, ... (5 entries)`. */
function listEntries(dir: string, entries: readonly string[]): string {
  const shown = entries.slice(0, 4).map((e) => {
    try {
      return fs.statSync(path.join(dir, e)).isDirectory() ? `${e}/` : e;
    } catch {
      return e;
    }
  });
  return `${shown.join(", ")}${entries.length > 4 ? ", ..." : ""} (${entries.length} entr${entries.length === 1 ? "y" : "ies"})`;
}

const ARTICLE: Record<OutputKind, string> = {
  dataset: "a gaitid dataset",
  "dataset-part": "a shard of a gaitid dataset",
  run: "a gaitid training run",
  experiment: "a gaitid experiment",
  results: "a gaitid results bundle",
  fit: "a gaitid batch of fits",
};

/** Refuses paths that can never be an output folder: empty, the current folder or one above it, home, root. */
export function checkOutputPath(dir: string, flag: string): string {
  if (typeof dir !== "string" || dir.trim() === "") throw new GaitidError(`${flag} must name a folder; got ${JSON.stringify(dir)}`);
  const abs = path.resolve(dir);
  const cwd = process.cwd();
  const rel = path.relative(abs, cwd);
  if (abs === path.parse(abs).root || abs === os.homedir()) throw new GaitidError(`${flag} ${dir} is ${abs}; choose a folder of its own, e.g. data/<name>`);
  if (rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel))) {
    throw new GaitidError(`${flag} ${dir} is the current folder${rel === "" ? "" : " or holds it"} (${abs}); choose a folder of its own, e.g. data/<name>`);
  }
  return abs;
}

/** The nearest existing folder at or above `p`. */
function existingAncestor(p: string): string {
  let d = path.resolve(p);
  while (!fs.existsSync(d)) d = path.dirname(d);
  return d;
}

/** Throws a clear error unless the process can create `dir` (or replace it) and its siblings. */
export function checkWritable(dir: string, flag: string): void {
  const abs = path.resolve(dir);
  const parent = existingAncestor(path.dirname(abs));
  const probe = (where: string, what: string): void => {
    try {
      fs.accessSync(where, fs.constants.W_OK | fs.constants.X_OK);
    } catch {
      throw new GaitidError(`${flag} ${dir}: cannot write to ${where} (${what}); check its permissions, or choose another ${flag}`);
    }
  };
  probe(parent, parent === path.dirname(abs) ? "its parent folder" : "the nearest existing folder above it");
  if (fs.existsSync(abs) && fs.statSync(abs).isDirectory()) probe(abs, "the folder itself");
}

export interface PrepareOutputOptions {
  /** Replace a folder of the same kind (it is refused otherwise). */
  force?: boolean;
  /** The flag that named the folder, for messages (default --out). */
  flag?: string;
  /** What to tell the user to do instead of --force, e.g. "or --resume to continue it". */
  otherwise?: string;
}

/**
 * Checks, before any work, that `dir` may be written as an output of `kind`: absent or empty, or
 * holding gaitid's own output of that kind and `force` given. Refuses anything else with a message
 * naming the folder and what it holds, and checks permissions. Returns what the folder holds now.
 */
export function prepareOutput(dir: string, kind: OutputKind, opts: PrepareOutputOptions = {}): FolderState {
  const flag = opts.flag ?? "--out";
  checkOutputPath(dir, flag);
  const st = folderState(dir);
  if (st.state === "foreign") {
    const what = st.manifestKind ? `files of another program or a damaged output (manifest kind ${JSON.stringify(st.manifestKind)}): ` : "files gaitid did not write: ";
    throw new GaitidError(`${flag} ${dir} holds ${what}${listEntries(dir, st.entries)}; gaitid writes only into a new or empty folder or one holding ${ARTICLE[kind]}; choose another ${flag}`);
  }
  if (st.state === "owned" && st.kind !== kind) {
    throw new GaitidError(`${flag} ${dir} holds ${ARTICLE[st.kind]}, not ${ARTICLE[kind]}; it is never replaced by one: choose another ${flag}`);
  }
  if (st.state === "owned" && !opts.force) {
    throw new GaitidError(`${flag} ${dir} already holds ${ARTICLE[kind]}; pass --force to replace it${opts.otherwise ? ` ${opts.otherwise}` : ""}, or choose another ${flag}`);
  }
  checkWritable(dir, flag);
  return st;
}

/** The temporary sibling a process builds an output in before it is moved into place. */
export function temporaryFor(dir: string, pid = process.pid): string {
  return `${path.resolve(dir)}.tmp-${pid}`;
}

/** True when a process with this id runs (or exists but is not ours to signal). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes `<dir>.tmp-<pid>` and `<dir>.old-<pid>` siblings left by processes that no longer run
 * (killed runs); those of live processes are left alone. Returns the removed paths.
 */
export function removeStaleTemporaries(dir: string): string[] {
  const abs = path.resolve(dir);
  const parent = path.dirname(abs), base = path.basename(abs);
  if (!fs.existsSync(parent)) return [];
  const removed: string[] = [];
  for (const e of fs.readdirSync(parent)) {
    const m = /^(.*)\.(tmp|old)-(\d+)$/.exec(e);
    if (!m || m[1] !== base) continue;
    const pid = Number(m[3]);
    if (pid === process.pid || processAlive(pid)) continue;
    fs.rmSync(path.join(parent, e), { recursive: true, force: true });
    removed.push(path.join(parent, e));
  }
  return removed;
}

/**
 * Moves a finished temporary folder into place. An existing `dir` (already checked by
 * {@link prepareOutput}) is set aside first and removed only after the new one is in place; if the
 * move fails, the old one is put back.
 */
export function replaceFolder(tmp: string, dir: string): void {
  const abs = path.resolve(dir);
  if (!fs.existsSync(abs)) {
    fs.renameSync(tmp, abs);
    return;
  }
  const old = `${abs}.old-${process.pid}`;
  fs.renameSync(abs, old);
  try {
    fs.renameSync(tmp, abs);
  } catch (err) {
    fs.renameSync(old, abs);
    throw err;
  }
  fs.rmSync(old, { recursive: true, force: true });
}

/**
 * Runs `cleanup` if the process is interrupted (SIGINT, SIGTERM, SIGHUP) and exits with 128 + the
 * signal number; returns a function that removes the handlers once the work is done.
 */
export function onInterrupt(cleanup: () => void): () => void {
  const codes: Record<string, number> = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 };
  const handlers = Object.entries(codes).map(([sig, n]) => {
    const h = (): void => {
      try {
        cleanup();
      } finally {
        process.exit(128 + n);
      }
    };
    process.once(sig as NodeJS.Signals, h);
    return [sig, h] as const;
  });
  return () => {
    for (const [sig, h] of handlers) process.removeListener(sig as NodeJS.Signals, h);
  };
}

/**
 * Marks `dir` as being written by this process (a `.lock` file holding the pid, created
 * exclusively). A lock of a process that no longer runs is taken over; a live one is refused.
 * Returns the function that releases it (also called on exit).
 */
export function lockFolder(dir: string, what: string): () => void {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, ".lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: "wx" });
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        process.removeListener("exit", release);
        try {
          if (fs.readFileSync(file, "utf8") === String(process.pid)) fs.unlinkSync(file);
        } catch {
          /* already gone */
        }
      };
      process.on("exit", release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const pid = Number(fs.readFileSync(file, "utf8"));
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid)) {
        throw new GaitidError(`${dir} is being written by process ${pid} (${what}); wait for it to finish or stop it first`);
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new GaitidError(`cannot lock ${dir} (${what})`);
}
