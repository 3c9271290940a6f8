/**
 * The resumable folder of a generation, `<out>.partial/`: X.npy and params.csv as far as they are
 * made, and progress.json, which says what they are (the configuration and record range) and how
 * many records of them are finished (with the byte lengths that hold those records). The records
 * are written in order and progress.json is rewritten atomically after the data it counts are on
 * disk, so a run stopped in any way (Ctrl-C, SIGTERM, SIGKILL, a crash) leaves a prefix that the
 * next run with the same configuration keeps, cutting off anything written after the last record
 * counted. Its name does not depend on the process, so the next run finds it; a run of another
 * configuration starts over in it, saying so. When the generation ends the folder, without
 * progress.json, becomes the dataset.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { sameConfig, type DatasetConfig } from "../config";
import { GaitidError } from "../errors";
import { lockFolder, processAlive } from "../outputs";
import { writeJsonAtomic } from "../provenance";
import type { ChunkResult } from "./chunk";
import { ParamColumns } from "./columns";
import { formatParamsRow, PARAMS_HEADER } from "./format";
import { FAILURE_REASONS, type FailureReason } from "./record";
import { forEachParamsBlock } from "./rows";
import type { Shard } from "./shard";

/** The `kind` of progress.json. */
export const PARTIAL_KIND = "gaitid-dataset-partial";
const PROGRESS = "progress.json";
/** The files a generation writes in its partial folder; a folder holding anything else is not gaitid's. */
const OWN_FILES = ["X.npy", "params.csv", PROGRESS, "summary.csv", "summary.txt", "manifest.json", ".lock"];

/** progress.json. */
export interface PartialProgress {
  kind: typeof PARTIAL_KIND;
  /** What is being made: the configuration, the part (null: the whole dataset) and its record range. */
  config: DatasetConfig;
  shard: Shard | null;
  range: [number, number];
  /** Records finished, from range[0] on, and the bytes of X.npy and params.csv that hold them. */
  records: number;
  bytes: { "X.npy": number; "params.csv": number };
  failures: Record<FailureReason, number>;
  /** Generation time spent so far, over every run that worked on it, s. */
  seconds: number;
  /** When progress.json was written (ISO 8601). */
  updated: string;
}

/** What a generation makes: enough to start, or to check that a partial folder holds the same. */
export interface PartialPlan {
  config: DatasetConfig;
  shard: Shard | null;
  range: [number, number];
  /** The header of X.npy (its shape is that of the finished file) and the bytes of one record. */
  npyHeader: Buffer;
  recordBytes: number;
}

/** The partial folder of the output folder `out`. */
export function partialFolder(out: string): string {
  return `${path.resolve(out)}.partial`;
}

const ownTemporary = (name: string): RegExpExecArray | null => /^(.+)\.tmp-(\d+)$/.exec(name);

/**
 * Refuses, before any work, a partial folder that is not gaitid's (a file, or a folder holding
 * other files than a generation writes there). Returns whether one exists.
 */
export function checkPartialFolder(out: string): boolean {
  const dir = partialFolder(out);
  if (!fs.existsSync(dir)) return false;
  if (!fs.statSync(dir).isDirectory()) {
    throw new GaitidError(`${dir} is a file; gaitid keeps an interrupted generation of --out ${out} there: move it away`);
  }
  const foreign = fs.readdirSync(dir).filter((e) => !OWN_FILES.includes(e) && !OWN_FILES.includes(ownTemporary(e)?.[1] ?? ""));
  if (foreign.length > 0) {
    throw new GaitidError(
      `${dir} holds files gaitid did not write (${foreign.slice(0, 4).join(", ")}${foreign.length > 4 ? ", ..." : ""}); ` +
        `gaitid keeps an interrupted generation of --out ${out} there: move them away`,
    );
  }
  return true;
}

/** Reads progress.json of a partial folder; undefined when it is missing or unreadable. */
function readProgress(dir: string): PartialProgress | undefined {
  try {
    const p = JSON.parse(fs.readFileSync(path.join(dir, PROGRESS), "utf8")) as PartialProgress;
    return p.kind === PARTIAL_KIND ? p : undefined;
  } catch {
    return undefined;
  }
}

/** The names of the configuration fields in which `a` and `b` differ. */
function differences(a: DatasetConfig, b: DatasetConfig): string {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])] as (keyof DatasetConfig)[];
  return keys.filter((k) => !sameConfig(a[k], b[k])).join(", ") || "the configuration";
}

/** Why the progress in a partial folder cannot be continued by `plan`; undefined when it can. */
function whyNotResumable(dir: string, p: PartialProgress | undefined, plan: PartialPlan): string | undefined {
  if (!p) return "it has no readable progress.json";
  if (!sameConfig(p.config, plan.config)) return `it was made with another configuration (differs in ${differences(p.config, plan.config)})`;
  if (!sameConfig(p.shard, plan.shard) || !sameConfig(p.range, plan.range)) return "it holds another part of the dataset";
  const n = plan.range[1] - plan.range[0];
  const xBytes = plan.npyHeader.length + p.records * plan.recordBytes;
  if (!(Number.isInteger(p.records) && p.records >= 0 && p.records <= n) || p.bytes?.["X.npy"] !== xBytes) return "its progress.json is inconsistent";
  for (const f of ["X.npy", "params.csv"] as const) {
    const file = path.join(dir, f);
    if (!fs.existsSync(file) || fs.statSync(file).size < p.bytes[f]) return `its ${f} is shorter than progress.json says`;
  }
  const head = Buffer.alloc(plan.npyHeader.length);
  const fd = fs.openSync(path.join(dir, "X.npy"), "r");
  fs.readSync(fd, head, 0, head.length, 0);
  fs.closeSync(fd);
  return head.equals(plan.npyHeader) ? undefined : "its X.npy has another header";
}

/** Removes `name.tmp-<pid>` files of processes that no longer run from a partial folder. */
function removeStaleFiles(dir: string): void {
  for (const e of fs.readdirSync(dir)) {
    const m = ownTemporary(e);
    if (m && Number(m[2]) !== process.pid && !processAlive(Number(m[2]))) fs.rmSync(path.join(dir, e), { force: true });
  }
}

/** A generation's partial folder, open for writing (see the module's comment). */
export class PartialDataset {
  private xFd: number | undefined;
  private pFd: number | undefined;
  private lastCommit = performance.now();
  private readonly sessionStart = performance.now();
  private readonly secondsBefore: number;

  private constructor(
    readonly dir: string,
    private readonly progress: PartialProgress,
    private readonly unlock: () => void,
  ) {
    this.secondsBefore = progress.seconds;
    this.xFd = fs.openSync(path.join(dir, "X.npy"), "r+");
    this.pFd = fs.openSync(path.join(dir, "params.csv"), "r+");
  }

  /**
   * Opens the partial folder of `out` for `plan` (checked first with {@link checkPartialFolder}):
   * locks it against a second process, continues the records it holds when they were made for
   * the same plan (cutting off what was written after the last record counted), else starts it
   * over, with a line through `say`. `columns` receives the params rows of the records kept.
   */
  static open(out: string, plan: PartialPlan, columns: ParamColumns, say: (line: string) => void): PartialDataset {
    const dir = partialFolder(out);
    const existed = checkPartialFolder(out);
    const unlock = lockFolder(dir, "gaitid generate");
    try {
      removeStaleFiles(dir);
      let progress = readProgress(dir);
      const why = existed ? whyNotResumable(dir, progress, plan) : undefined;
      if (existed && why) say(`starting over in ${dir}: ${why}`);
      if (!existed || why) progress = PartialDataset.start(dir, plan);
      const kept = progress!;
      fs.truncateSync(path.join(dir, "X.npy"), kept.bytes["X.npy"]);
      fs.truncateSync(path.join(dir, "params.csv"), kept.bytes["params.csv"]);
      if (kept.records > 0 && !PartialDataset.readKept(dir, kept, columns)) {
        say(`starting over in ${dir}: its params.csv does not hold the ${kept.records} records progress.json counts`);
        columns.clear();
        progress = PartialDataset.start(dir, plan);
      } else if (kept.records > 0) {
        say(`continuing the interrupted generation in ${dir}: ${kept.records} of ${plan.range[1] - plan.range[0]} records kept`);
      }
      return new PartialDataset(dir, progress!, unlock);
    } catch (err) {
      unlock();
      throw err;
    }
  }

  /** Empties the folder (gaitid's own, checked) and writes the headers and a progress of 0 records. */
  private static start(dir: string, plan: PartialPlan): PartialProgress {
    for (const e of fs.readdirSync(dir)) if (e !== ".lock") fs.rmSync(path.join(dir, e), { force: true });
    fs.writeFileSync(path.join(dir, "X.npy"), plan.npyHeader);
    fs.writeFileSync(path.join(dir, "params.csv"), PARAMS_HEADER + "\n");
    const progress: PartialProgress = {
      kind: PARTIAL_KIND,
      config: plan.config,
      shard: plan.shard,
      range: plan.range,
      records: 0,
      bytes: { "X.npy": plan.npyHeader.length, "params.csv": Buffer.byteLength(PARAMS_HEADER) + 1 },
      failures: Object.fromEntries(FAILURE_REASONS.map((r) => [r, 0])) as Record<FailureReason, number>,
      seconds: 0,
      updated: new Date().toISOString(),
    };
    writeJsonAtomic(path.join(dir, PROGRESS), progress);
    return progress;
  }

  /** Adds the kept rows to `columns`; false when they are not the records counted, in order. */
  private static readKept(dir: string, p: PartialProgress, columns: ParamColumns): boolean {
    let next = p.range[0];
    try {
      forEachParamsBlock(path.join(dir, "params.csv"), (rows) => {
        for (const r of rows) {
          if (r.id !== next++) throw new GaitidError("ids out of order");
          columns.add(r);
        }
      }, p.bytes["params.csv"]);
    } catch {
      return false;
    }
    return next === p.range[0] + p.records;
  }

  /** Records finished (kept and made in this run). */
  get records(): number {
    return this.progress.records;
  }

  /** Failure counts of every record finished. */
  get failures(): Readonly<Record<FailureReason, number>> {
    return this.progress.failures;
  }

  /** Generation time over every run that worked on this folder, s. */
  get seconds(): number {
    return this.secondsBefore + (performance.now() - this.sessionStart) / 1000;
  }

  /** Appends the next chunk of records (they must follow the records finished). */
  append(r: ChunkResult): void {
    const p = this.progress;
    if (r.start !== p.range[0] + p.records) throw new GaitidError(`chunk at record ${r.start} written out of order (next is ${p.range[0] + p.records})`, 1);
    const x = new Uint8Array(r.X.buffer, r.X.byteOffset, r.X.byteLength);
    const rows = Buffer.from(r.params.map(formatParamsRow).join("\n") + "\n", "latin1");
    fs.writeSync(this.xFd!, x, 0, x.length, p.bytes["X.npy"]);
    fs.writeSync(this.pFd!, rows, 0, rows.length, p.bytes["params.csv"]);
    p.bytes["X.npy"] += x.length;
    p.bytes["params.csv"] += rows.length;
    p.records += r.count;
    for (const reason of FAILURE_REASONS) p.failures[reason] += r.failures[reason];
  }

  /**
   * Makes the records written so far survive whatever happens next: flushes the data to disk, then
   * rewrites progress.json. Only when `everySeconds` have passed since the last commit.
   */
  commit(everySeconds = 0): void {
    if (this.xFd === undefined || this.pFd === undefined) return;
    const now = performance.now();
    if (now - this.lastCommit < everySeconds * 1000) return;
    this.lastCommit = now;
    fs.fdatasyncSync(this.xFd);
    fs.fdatasyncSync(this.pFd);
    this.progress.seconds = this.seconds;
    this.progress.updated = new Date().toISOString();
    writeJsonAtomic(path.join(this.dir, PROGRESS), this.progress);
  }

  /** Commits, closes the files and unlocks the folder (an interruption or an error: kept for the next run). */
  suspend(): void {
    this.commit();
    this.close();
    this.unlock();
  }

  /** Closes the files, removes progress.json and the lock: the folder now holds only the dataset's files. */
  seal(): void {
    this.close();
    fs.rmSync(path.join(this.dir, PROGRESS), { force: true });
    this.unlock();
  }

  private close(): void {
    for (const fd of [this.xFd, this.pFd]) if (fd !== undefined) fs.closeSync(fd);
    this.xFd = this.pFd = undefined;
  }
}
