/**
 * The report's "Beyond the paper" part: one section per experiment in the results model (each
 * read from data/experiments/<preset>-<name>/results.json), placed before the report's limits,
 * and an opening section that lists every experiment with the command that runs a missing one.
 * Every number in the text is read from the result files. Nothing is placed when none has run.
 */
import * as path from "node:path";
import type { ReportSection, ReportSectionInsert } from "../../context";
import type { ExperimentName } from "../../../experiments/settings";
import type { ExperimentResultSet } from "../../../results/experiments";
import { experimentSectionId } from "./common";
import { architectureSection } from "./architecture";
import { beyondSection } from "./beyond";
import { dataVolumeSection } from "./data-volume";
import { designSection } from "./design";
import { identifiabilitySection } from "./identifiability";
import { multimodalSection } from "./multimodal";
import { noiseSection } from "./noise";
import { posteriorSection } from "./posterior";

export { experimentSectionId };

/** Where the experiments' sections go (before this default section). */
export const EXPERIMENTS_BEFORE = "limits";

/**
 * The report sections of the experiments in the results: "Beyond the paper" with the list of
 * experiments, then one section per experiment that has results, all placed before the report's
 * limits. Empty when no experiment has run, so a report without experiments is unchanged.
 */
export function experimentSections(found: ExperimentResultSet, preset: string): ReportSectionInsert[] {
  if (Object.keys(found.dirs).length === 0) return [];
  const dir = (n: ExperimentName): string => (found.dirs[n] ?? "").split(path.sep).join("/");
  const sections: ReportSection[] = [beyondSection(preset, found)];
  if (found["data-volume"]) sections.push(dataVolumeSection(found["data-volume"], dir("data-volume")));
  if (found.noise) sections.push(noiseSection(found.noise, dir("noise")));
  if (found.architecture) sections.push(architectureSection(found.architecture, dir("architecture")));
  if (found.multimodal) sections.push(multimodalSection(found.multimodal, dir("multimodal")));
  if (found.identifiability) sections.push(identifiabilitySection(found.identifiability, dir("identifiability")));
  if (found.design) sections.push(designSection(found.design, dir("design")));
  if (found.posterior) sections.push(posteriorSection(found.posterior, dir("posterior")));
  return sections.map((section) => ({ section, before: EXPERIMENTS_BEFORE }));
}
