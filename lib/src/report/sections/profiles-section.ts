/** The profile likelihoods section, placed after the experiments when gaitid profile has run for the preset. */
import type { ReportSectionInsert } from "../context";
import type { StudyResults } from "../../results/study";
import { profilesHtml } from "./profiles";

/** The section of the profiles in the results, before the limits; none when they have not run. */
export function profileSections(results: StudyResults): ReportSectionInsert[] {
  const p = results.profiles;
  if (!p) return [];
  return [{ section: { id: "profiles", title: "Profile likelihoods and the Cramér-Rao bound", render: (ctx) => profilesHtml(ctx, p.results) }, before: "limits" }];
}
