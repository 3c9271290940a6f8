/**
 * Publishing a study: its results bundle, the files a report is rebuilt from without the dataset
 * (report/<preset>/results/). The dataset's manifest and summary (not its records), per variant the
 * run's manifest, metrics, history, trained model and test predictions (and the manifest and metrics
 * of the runs of other seeds, when the study has them), the derivation, the walks
 * of the figures with the parameter rows of their records, the reproduce summary and the finished
 * experiments' results. Test predictions above `maxPredictions` rows are cut to a fixed, evenly
 * spread subsample (every (n / max)-th row in id order), which the bundle's manifest records; the
 * metrics in metrics.json stay those of all test records.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PARAMS_HEADER, formatParamsRow } from "../dataset/format";
import { GaitidError } from "../errors";
import { STUDY_VARIANTS, type StudyLayout, type StudyVariant } from "../layout";
import { prepareOutput, removeStaleTemporaries, replaceFolder, temporaryFor } from "../outputs";
import { environment, sha256File, writeJsonAtomic } from "../provenance";
import { bundleLayout, readStudyResults, type BundleManifest } from "./read";
import { subsampleIndices } from "./figure-data";

export interface PublishOptions {
  /** Replace a bundle already there. */
  force?: boolean;
  /** Test predictions kept per run at most (default 20,000). */
  maxPredictions?: number;
}

function copy(src: string, dst: string): void {
  if (!fs.existsSync(src)) throw new GaitidError(`${src} is missing: the study is not complete`);
  fs.mkdirSync(path.dirname(dst), { recursive: true });
  fs.cpSync(src, dst, { recursive: true });
}

/** Copies predictions.csv, keeping at most `max` rows (evenly spread); returns [kept, of]. */
function copyPredictions(src: string, dst: string, max: number): [number, number] {
  const [head, ...rows] = fs.readFileSync(src, "utf8").split("\n").filter((l) => l.length > 0);
  const keep = subsampleIndices(rows.length, max);
  fs.writeFileSync(dst, [head, ...keep.map((i) => rows[i])].join("\n") + "\n");
  return [keep.length, rows.length];
}

/** Every file below `dir` (relative paths, sorted). */
function filesBelow(dir: string, base = dir): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesBelow(path.join(dir, e.name), base) : [path.relative(base, path.join(dir, e.name))]))
    .sort();
}

/** Copies run `dir` into `dst`: manifest, metrics, history, model and (cut) predictions. */
function copyRun(dir: string, dst: string, max: number): [number, number] {
  for (const f of ["manifest.json", "metrics.json", "history.csv", "model"]) copy(path.join(dir, f), path.join(dst, f));
  return copyPredictions(path.join(dir, "predictions.csv"), path.join(dst, "predictions.csv"), max);
}

/**
 * Writes the results bundle of `layout`'s study to `out` (default: the layout's published
 * results folder), atomically. The study's results are read (and so validated) first.
 */
export function publishResults(layout: StudyLayout, out = layout.published.results, opts: PublishOptions = {}): BundleManifest {
  prepareOutput(out, "results", { force: opts.force, flag: "--out" });
  const results = readStudyResults(layout);
  const max = opts.maxPredictions ?? 20_000;
  removeStaleTemporaries(out);
  const tmp = temporaryFor(out);
  fs.rmSync(tmp, { recursive: true, force: true });
  try {
    const b = bundleLayout(tmp);
    for (const f of ["manifest.json", "summary.csv", "summary.txt"]) {
      if (fs.existsSync(path.join(layout.dataset, f))) copy(path.join(layout.dataset, f), path.join(b.dataset, f));
    }
    fs.writeFileSync(path.join(b.dataset, "figure-records.csv"), [PARAMS_HEADER, ...results.walks.subjects.map(formatParamsRow)].join("\n") + "\n");
    const kept = {} as Record<StudyVariant, [number, number]>;
    for (const v of STUDY_VARIANTS) kept[v] = copyRun(layout.runs[v], b.runs[v], max);
    for (const r of results.seeds ? STUDY_VARIANTS.flatMap((v) => results.seeds!.runs[v].filter((x) => x.dir !== layout.runs[v])) : []) {
      for (const f of ["manifest.json", "metrics.json"]) copy(path.join(r.dir, f), path.join(b.seeds, path.basename(r.dir), f));
    }
    copy(layout.derivation, b.derivation);
    copy(layout.walks, b.walks);
    if (fs.existsSync(layout.reproduce)) copy(layout.reproduce, b.reproduce);
    for (const [name, dir] of Object.entries(results.experiments.dirs)) {
      for (const f of ["manifest.json", "results.json", "results.csv"]) {
        if (fs.existsSync(path.join(dir, f))) copy(path.join(dir, f), path.join(b.experiments, name, f));
      }
    }
    if (results.profiles) {
      for (const f of ["manifest.json", "results.json", "intervals.csv", "fits.csv", "crb.csv"]) {
        if (fs.existsSync(path.join(layout.profiles, f))) copy(path.join(layout.profiles, f), path.join(b.profiles, f));
      }
    }
    const [k, n] = kept.mkl0;
    const manifest: BundleManifest = {
      kind: "gaitid-results",
      preset: layout.preset,
      from: results.paths,
      predictions: { kept: k, of: n, rule: k < n ? `an evenly spread subsample of the test records: row floor(i * ${n} / ${k}) for i = 0..${k - 1}, in id order` : "all test records" },
      files: Object.fromEntries(filesBelow(tmp).map((f) => [f, { sha256: sha256File(path.join(tmp, f)), bytes: fs.statSync(path.join(tmp, f)).size }])),
      environment: environment(),
    };
    writeJsonAtomic(b.manifest, manifest);
    replaceFolder(tmp, out);
    return manifest;
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}
