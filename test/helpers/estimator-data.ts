// A tiny dataset for the estimator tests: made once per test process with the real generator
// (preset tiny: 400 records, 320 / 40 / 40), in a temporary folder removed at exit.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { preset } from "../../lib/src/config";
import { generateDataset } from "../../lib/src/dataset/generate";

let made: Promise<string> | undefined;
const dirs: string[] = [];
process.on("exit", () => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A fresh temporary folder, removed when the process exits. */
export function tempDir(prefix = "gaitid-est-"): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(d);
  return d;
}

/** The folder of the tiny-preset dataset (generated on first use). */
export function tinyDataset(): Promise<string> {
  made ??= (async () => {
    const dir = path.join(tempDir(), "tiny");
    await generateDataset(preset("tiny").dataset, dir, { workers: 2, quiet: true, preset: "tiny" });
    return dir;
  })();
  return made;
}

/** A copy of a dataset folder (to damage it in a test). */
export function copyDataset(src: string): string {
  const dst = path.join(tempDir(), path.basename(src));
  fs.cpSync(src, dst, { recursive: true });
  return dst;
}
