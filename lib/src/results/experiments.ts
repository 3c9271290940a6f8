/** The experiments' results as the results model holds them: every finished experiment of a preset. */
import * as path from "node:path";
import type { DesignResults } from "../experiments/design";
import type { NoiseResults } from "../experiments/experiments";
import type { IdentifiabilityResultsFile } from "../experiments/identifiability";
import type { PosteriorExperimentResults } from "../experiments/posterior";
import { readExperimentResults, type ExperimentResults } from "../experiments/run";
import { EXPERIMENT_NAMES } from "../experiments/settings";
import { experimentFolder } from "../layout";

/** The results of each experiment found for a preset (missing ones left out), with their folders. */
export interface ExperimentResultSet {
  "data-volume"?: ExperimentResults;
  noise?: NoiseResults;
  architecture?: ExperimentResults;
  multimodal?: ExperimentResults;
  identifiability?: IdentifiabilityResultsFile;
  design?: DesignResults;
  posterior?: PosteriorExperimentResults;
  /** Folder of each experiment found, as the study named it. */
  dirs: Partial<Record<(typeof EXPERIMENT_NAMES)[number], string>>;
}

/**
 * Reads the finished experiments of `preset` under `root` (a folder without manifest.json counts
 * as missing). `folder` maps an experiment to its folder (default: the study layout's).
 */
export function readExperimentResultSet(root: string, preset: string, folder = (name: string) => experimentFolder(preset, name, root)): ExperimentResultSet {
  const out: ExperimentResultSet = { dirs: {} };
  for (const name of EXPERIMENT_NAMES) {
    const dir = folder(name);
    const r = readExperimentResults<ExperimentResults & IdentifiabilityResultsFile>(dir);
    if (!r) continue;
    (out as unknown as Record<string, unknown>)[name] = r;
    out.dirs[name] = path.normalize(dir);
  }
  return out;
}
