/**
 * A dataset seen from a notebook: params.csv as a danfojs DataFrame, its parameter summary
 * (danfojs describe, as stored in summary.csv), and the acceptance of the gait conditions.
 */
import { PARAM_COLUMNS, readDatasetView, type DatasetManifest, type DatasetView } from "../dataset/format";
import { describeColumns, loadDanfo, SUMMARY_COLUMNS, type ParameterSummary } from "../dataset/summary";
import { percent } from "../report/format";
import { escapeHtml } from "../report/template";
import { cellNumber, specTableHtml } from "./display";

type Danfo = ReturnType<typeof loadDanfo>;
/** A danfojs-node DataFrame. */
export type DataFrame = InstanceType<Danfo["DataFrame"]>;

/** params.csv of a dataset (folder or view) as a danfojs DataFrame, one row per record, columns as in params.csv. */
export function paramsFrame(dataset: string | DatasetView): DataFrame {
  const view = typeof dataset === "string" ? readDatasetView(dataset) : dataset;
  const dfd = loadDanfo();
  const columns: Record<string, (number | string)[]> = {};
  for (const c of PARAM_COLUMNS) columns[c] = view.params.map((p) => p[c]);
  return new dfd.DataFrame(columns);
}

/**
 * The parameter summary of a dataset: danfojs describe() of the parameter columns (count, mean,
 * std, min, median, max), computed from params.csv (the same numbers as its summary.csv).
 */
export function datasetSummary(dataset: string | DatasetView): ParameterSummary {
  const view = typeof dataset === "string" ? readDatasetView(dataset) : dataset;
  const cols: Record<string, number[]> = {};
  for (const c of SUMMARY_COLUMNS) cols[c] = view.params.map((p) => p[c]);
  return describeColumns(cols);
}

/** Why gait conditions were rejected, in words (HTML). */
export const FAILURE_REASON_TEXT: Readonly<Record<string, string>> = {
  "no-gait": "no symmetric periodic gait for the drawn (α<sub>0</sub>, <i>e</i>)",
  unstable: "gait too unstable (step-map eigenvalue modulus above the bound)",
  flight: "stance leg reached ℓ<sub>0</sub> in single support (a run)",
  fallback: "front leg reached ℓ<sub>0</sub> first in double support (falls back)",
  fall: "the CoM fell too low",
  backward: "forward speed reached zero",
};

/** The acceptance of the gait conditions of a dataset (manifest.acceptance) as an HTML table. */
export function acceptanceHtml(manifest: DatasetManifest, caption = ""): string {
  const acc = manifest.acceptance as { attempts: number; accepted: number; rate: number; failures: Record<string, number> } | undefined;
  if (!acc) return `<p>${escapeHtml(manifest.name)}: no acceptance record in its manifest.</p>`;
  const rows = Object.entries(acc.failures).map(([reason, n]) => [FAILURE_REASON_TEXT[reason] ?? escapeHtml(reason), cellNumber(n), percent(n / acc.attempts)]);
  rows.push(["<b>accepted: walked the whole record</b>", `<b>${cellNumber(acc.accepted)}</b>`, `<b>${percent(acc.rate)}</b>`]);
  return specTableHtml({ head: ["outcome of a gait condition", "count", "share"], rows }, caption);
}
