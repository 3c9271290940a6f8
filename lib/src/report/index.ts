/**
 * The self-contained HTML report of a study's results (buildReport) and its extension points:
 * sections as functions of a ReportContext that holds the results and numbers figures, tables and
 * equations.
 */
export { buildReport, arrangeSections, type BuildReportOptions, type BuiltReport } from "./build";
export { ReportContext, type ReportSection, type ReportSectionInsert } from "./context";
export { defaultSections, DEFAULT_FIGURES } from "./sections";
export { experimentSections } from "./sections/experiments";
export { TexRenderer } from "./tex";
export { type TableSpec } from "./html";
export { escapeHtml, html, raw, joinHtml, SafeHtml } from "./template";
