/**
 * The report's sections, one per file, in the order of the study. Each is a pure function of the
 * results (ctx.results) that places its figures, tables and equations through the context.
 */
import type { ReportSection } from "../context";
import { data } from "./data";
import { floor } from "./floor";
import { limits } from "./limits";
import { model } from "./model";
import { references } from "./references";
import { reproducibility } from "./reproducibility";
import { results } from "./results";
import { summary } from "./summary";

/** The default sections, in order. Insert more with BuildReportOptions.sections. */
export function defaultSections(): ReportSection[] {
  return [summary, model, data, results, floor, limits, reproducibility, references];
}

/** Labels of the figures the default sections place, for tests and for extensions that refer to them. */
export const DEFAULT_FIGURES = ["fig-model", "fig-walk", "fig-records", "fig-grf", "fig-learning", "fig-mkl0", "fig-rhol0", "fig-plane", "fig-error"] as const;
