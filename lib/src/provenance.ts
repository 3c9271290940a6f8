/**
 * Provenance of every run: package versions, commit, machine, and atomic file writes (write to a
 * temporary path, then rename: a failed run never leaves a half-written file).
 */
import { execFileSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** Versions of gaitid, Node.js and the packages the science depends on (undefined: not installed). */
export function versions(): Record<string, string | undefined> {
  const pkg = (name: string): string | undefined => {
    try {
      const file = require.resolve(`${name}/package.json`, { paths: [__dirname] });
      return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version;
    } catch {
      return undefined;
    }
  };
  return {
    gaitid: pkg("gaitid") ?? readOwnVersion(),
    node: process.versions.node,
    v8: process.versions.v8,
    mathjs: pkg("mathjs"),
    "@tensorflow/tfjs": pkg("@tensorflow/tfjs"),
    "@tensorflow/tfjs-backend-wasm": pkg("@tensorflow/tfjs-backend-wasm"),
    "@tensorflow/tfjs-node": pkg("@tensorflow/tfjs-node"),
    "danfojs-node": pkg("danfojs-node"),
    "plotly.js-dist": pkg("plotly.js-dist"),
  };
}

function readOwnVersion(): string | undefined {
  for (const p of [path.join(__dirname, "..", "package.json"), path.join(__dirname, "..", "..", "package.json")]) {
    try {
      const j = JSON.parse(fs.readFileSync(p, "utf8")) as { name?: string; version?: string };
      if (j.name === "gaitid") return j.version;
    } catch {
      /* try the next */
    }
  }
  return undefined;
}

/** The git commit of the working tree (with "-dirty" when it has uncommitted changes), if any. */
export function gitCommit(cwd = process.cwd()): string | undefined {
  try {
    const head = execFileSync("git", ["rev-parse", "HEAD"], { cwd, stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd, stdio: ["ignore", "pipe", "ignore"] })
      .toString()
      .trim();
    return dirty ? `${head}-dirty` : head;
  } catch {
    return undefined;
  }
}

/** What a manifest records about the machine and software of a run. */
export function environment(): Record<string, unknown> {
  return {
    versions: versions(),
    commit: gitCommit(),
    platform: `${process.platform}-${process.arch}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    date: new Date().toISOString(),
  };
}

/** Writes a file atomically: to `<path>.tmp-<pid>` first, then renamed over `path`. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/** Writes JSON (2-space indented, trailing newline) atomically. */
export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileAtomic(file, JSON.stringify(value, null, 2) + "\n");
}

/** The sha256 of a file (hex), streamed so large files need little memory. */
export function sha256File(file: string): string {
  const hash = crypto.createHash("sha256");
  const fd = fs.openSync(file, "r");
  const buf = Buffer.allocUnsafe(1 << 22);
  try {
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
    }
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest("hex");
}
