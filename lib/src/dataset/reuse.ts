/**
 * The one rule for reusing a dataset, shared by `gaitid reproduce`, the experiments and the
 * notebooks: a finished dataset of the same configuration is kept; otherwise it is made (continuing
 * an interrupted generation of that configuration where one was left).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { sameConfig, type DatasetConfig } from "../config";
import { sha256File } from "../provenance";
import type { DatasetManifest } from "./format";
import { generateDataset, type GenerateOptions } from "./generation";

/** A dataset made or found by {@link ensureDataset}. */
export interface EnsuredDataset {
  dir: string;
  manifest: DatasetManifest;
  /** sha256 of its manifest.json (what a training run records as its dataset hash). */
  hash: string;
  /** True when a finished dataset with the same configuration was there and was kept. */
  reused: boolean;
  /** Generation time, s (0 when reused). */
  seconds: number;
}

/** Reads dir/manifest.json; undefined when missing or not JSON. */
function readManifest(file: string): DatasetManifest | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as DatasetManifest;
  } catch {
    return undefined;
  }
}

/** Why the dataset whose manifest is `m` cannot be kept for `config`; undefined when it can. */
function whyNotReusable(dir: string, m: DatasetManifest, config: DatasetConfig): string | undefined {
  if (m.kind !== "gaitid-dataset") return undefined; // not a dataset: generateDataset refuses to replace it
  if (!sameConfig(m.config, config)) return "a dataset of another configuration";
  for (const f of ["X.npy", "params.csv"]) {
    const file = path.join(dir, f);
    const bytes = fs.existsSync(file) ? fs.statSync(file).size : -1;
    if (bytes !== m.files?.[f]?.bytes) return `a damaged dataset (${f} has ${bytes < 0 ? "no file" : `${bytes} bytes`}; its manifest says ${m.files?.[f]?.bytes})`;
  }
  return undefined;
}

/**
 * The dataset of `config` in `dir`: the one there when its manifest.json is that of a finished
 * dataset with the same configuration (and its files have the sizes it records), else a new one,
 * replacing a gaitid dataset of another configuration (or a damaged one) at that path, with a
 * message through `say`. A folder that is not a gaitid dataset is refused, never replaced. An
 * interrupted generation of the same configuration is continued, not started again.
 */
export async function ensureDataset(
  config: DatasetConfig,
  dir: string,
  opts: Omit<GenerateOptions, "force" | "shard" | "abortAfter"> = {},
): Promise<EnsuredDataset> {
  const manifestFile = path.join(dir, "manifest.json");
  const m = fs.existsSync(manifestFile) ? readManifest(manifestFile) : undefined;
  if (m) {
    const why = whyNotReusable(dir, m, config);
    if (m.kind === "gaitid-dataset" && !why) return { dir, manifest: m, hash: sha256File(manifestFile), reused: true, seconds: 0 };
    if (why) opts.say?.(`${dir} holds ${why}: replacing it`);
  }
  const t0 = performance.now();
  const manifest = await generateDataset(config, dir, { ...opts, force: true });
  return { dir, manifest, hash: sha256File(manifestFile), reused: false, seconds: (performance.now() - t0) / 1000 };
}
