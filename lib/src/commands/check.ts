/** `gaitid check`: verifies a dataset or a run folder in full before anyone computes on it. */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Command } from "../cli/args";
import { parseFlags, printHelp } from "../cli/args";
import { verifyDataset } from "../dataset/format";
import { EXIT, GaitidError } from "../errors";
import { folderState } from "../outputs";
import { sha256File } from "../provenance";

const HELP = `usage: gaitid check DIR... [--no-hashes] [--json]

Verifies each folder gaitid wrote and says what it holds, or names the first problem (exit 2).
A dataset: manifest fields that agree with each other, every file of the recorded size and
sha256, X.npy of the manifest's shape with finite values and the CoM above the ground, params.csv
with one row per record in id order, each inside the priors, rho = k/m, every split present.
Training, merging and the report run the same checks (sizes always, hashes where the bytes are
read anyway); check reads every file once, which at 1,000,000 records (1.2 GB) takes a few
seconds. A run folder: its manifest and the dataset it was trained on (same sha256).

  --no-hashes   skip the sha256 of every file (sizes and values are still checked)
  --json        print the findings as JSON`;

/** What check found in one folder. */
interface Finding {
  dir: string;
  kind: string;
  records?: number;
  bytes?: number;
  hashed?: boolean;
  seconds: number;
  note: string;
}

function checkRun(dir: string, hashes: boolean): Finding {
  const t0 = performance.now();
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8")) as { dataset?: { dir?: string; hash?: string } };
  const dsDir = manifest.dataset?.dir;
  if (!dsDir || !fs.existsSync(path.join(dsDir, "manifest.json"))) {
    return { dir, kind: "run", seconds: (performance.now() - t0) / 1000, note: `its dataset ${dsDir ?? "(not recorded)"} is not here: only the run's own files were read` };
  }
  const hash = sha256File(path.join(dsDir, "manifest.json"));
  if (hash !== manifest.dataset?.hash) {
    throw new GaitidError(`${dir} was trained on a dataset whose manifest has sha256 ${manifest.dataset?.hash?.slice(0, 12)}...; ${dsDir} now has ${hash.slice(0, 12)}...: it was regenerated or changed since`);
  }
  const ds = verifyDataset(dsDir, { hashes });
  return { dir, kind: "run", records: ds.records, hashed: hashes, seconds: (performance.now() - t0) / 1000, note: `trained on ${dsDir}, which is intact` };
}

function checkFolder(dir: string, hashes: boolean): Finding {
  const st = folderState(dir);
  if (st.state === "absent") throw new GaitidError(`${dir} does not exist`);
  if (st.state !== "owned") throw new GaitidError(`${dir} holds no gaitid dataset or run (no manifest.json of gaitid's)`);
  if (st.kind === "dataset") {
    const c = verifyDataset(dir, { hashes });
    return { dir, kind: "dataset", records: c.records, bytes: c.bytes, hashed: hashes, seconds: c.seconds, note: "intact" };
  }
  if (st.kind === "run" && st.manifestKind === "gaitid-run") return checkRun(dir, hashes);
  throw new GaitidError(`${dir} holds ${st.manifestKind}; check knows datasets and finished runs`);
}

export const checkCommand: Command = {
  name: "check",
  summary: "verify a dataset or run folder (sizes, hashes, values)",
  help: HELP,
  async run(argv) {
    const { values, positionals, help } = parseFlags("check", argv, { "no-hashes": { type: "boolean" }, json: { type: "boolean" } }, { positionals: true });
    if (help) return printHelp(HELP);
    if (positionals.length === 0) throw new GaitidError("name at least one folder to check, e.g. gaitid check data/quick");
    const findings = positionals.map((d) => checkFolder(d, !values["no-hashes"]));
    if (values.json) console.log(JSON.stringify(findings, null, 2));
    else for (const f of findings) console.log(`${f.dir}: ${f.kind}${f.records ? `, ${f.records} records` : ""}${f.bytes ? `, ${(f.bytes / 2 ** 20).toFixed(1)} MiB` : ""}; ${f.note}${f.hashed ? " (sha256 of every file checked)" : ""}; ${f.seconds.toFixed(1)} s`);
    return EXIT.OK;
  },
};
