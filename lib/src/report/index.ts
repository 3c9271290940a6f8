/**
 * The self-contained HTML report of a study (buildReport) and its extension points: sections as
 * functions of a ReportContext that numbers figures, tables and equations.
 */
export { buildReport, arrangeSections, type BuildReportOptions, type BuiltReport } from "./build";
export { ReportContext, type ReportData, type ReportSection, type ReportSectionInsert } from "./context";
export { defaultSections, stepHtml, DEFAULT_FIGURES } from "./sections";
export * from "./figure-data";
export { TexRenderer } from "./tex";
export { readRun, readDatasetView, readRecord, type RunFiles, type DatasetView } from "./runs";
export { walkFigureData, pickSubjects, type WalkFigureData } from "./walks";
export { esc as escapeHtml, type TableSpec } from "./html";
