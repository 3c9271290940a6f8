/**
 * What a study writes for its report besides the stages' own folders: the derivation JSON (both
 * observation models) and the walks of the figures (test records simulated again). Made when
 * missing or stale, so that the report only reads.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { derive, derivationJsonObject } from "../derive";
import { readDerivationJson } from "../derive/json";
import { readDatasetView } from "../dataset/format";
import type { StudyLayout } from "../layout";
import { sha256File, writeJsonAtomic } from "../provenance";
import { buildReport, type BuiltReport } from "../report/build";
import { readStudyResults } from "../results/read";
import { readWalks, walkFigureData, writeWalks } from "../results/walks";

/** True when the derivation JSON at `file` exists and has the current format and version. */
function derivationCurrent(file: string): boolean {
  try {
    readDerivationJson(file);
    return true;
  } catch {
    return false;
  }
}

/** Writes the derivation JSON of both observation models. */
export function writeDerivation(file: string): void {
  writeJsonAtomic(file, { xy: derivationJsonObject(derive("xy")), "xy+grf": derivationJsonObject(derive("xy+grf")) });
}

/**
 * Makes the derivation JSON and the figures' walks of `layout`'s study when they are missing or
 * stale (another dataset, an older derivation format). Returns what it made.
 */
export function prepareStudyResults(layout: StudyLayout, opts: { dataset?: string; force?: boolean } = {}): string[] {
  const made: string[] = [];
  if (opts.force || !fs.existsSync(layout.derivation) || !derivationCurrent(layout.derivation)) {
    writeDerivation(layout.derivation);
    made.push(layout.derivation);
  }
  const datasetDir = opts.dataset ?? layout.dataset;
  const hash = sha256File(path.join(datasetDir, "manifest.json"));
  let fresh = !opts.force;
  try {
    if (fresh) readWalks(layout.walks, hash);
  } catch {
    fresh = false;
  }
  if (!fresh) {
    const view = readDatasetView(datasetDir);
    writeWalks(layout.walks, walkFigureData(view, view.manifest.config), hash);
    made.push(layout.walks);
  }
  return made;
}

/**
 * The report of `layout`'s study: what the report reads is made when missing (derivation, walks),
 * the results are read, and the report is built (default: layout.report). What gaitid report does
 * on a study, for the notebooks and gaitid reproduce.
 */
export async function buildStudyReport(
  layout: StudyLayout,
  opts: { dataset?: string; runs?: { mkl0: string; rhol0: string }; out?: string; quiet?: boolean } = {},
): Promise<BuiltReport> {
  prepareStudyResults(layout, { dataset: opts.dataset });
  const results = readStudyResults(layout, { dataset: opts.dataset, runs: opts.runs });
  return buildReport(results, { out: opts.out ?? layout.report, quiet: opts.quiet });
}
