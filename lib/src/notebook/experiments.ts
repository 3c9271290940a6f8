/**
 * The experiments beyond the paper (lib/src/experiments) seen from a notebook: the report's own
 * section of each finished experiment (its text, figure and table, every number read from
 * data/experiments/<preset>-<name>/), with the figures drawn by figureHtml, and for an experiment
 * that has not run, the command that runs it.
 */
import * as path from "node:path";
import { checkExperimentName } from "../experiments/experiments";
import { experimentFolder } from "../layout";
import { experimentSectionId, experimentSections } from "../report/sections/experiments";
import { readExperimentResultSet } from "../results/experiments";
import type { ExperimentName } from "../experiments/settings";
import type { Figure } from "../figures/types";
import { ReportContext } from "../report/context";
import { escapeHtml, html, raw, SECTION_CSS, type SafeHtml } from "../report/template";
import { figureHtml } from "./display";
import { studyRoot } from "./study";

/** Where the report's sections refer outside an experiment's section, in the notebooks' words. */
const OUTSIDE_REFERENCES: Readonly<Record<string, string>> = {
  floor: "notebook 3",
  "derive-grf": "notebook 1",
};

/** The report's context for notebook output: figures drawn by {@link figureHtml}, references to other sections in words. */
class NotebookReportContext extends ReportContext {
  constructor() {
    // The experiment sections use only the context's numbering and typesetting, not the report's data.
    super();
  }

  protected override placeFigure(id: string, fig: Figure, caption: SafeHtml): SafeHtml {
    super.placeFigure(id, fig, caption); // numbers the figure and registers its label
    const label = html`<span class="label">Figure ${this.figures.length}.</span>`;
    return html`<div id="${id}">${raw(figureHtml(fig, { caption: html`${label}${caption}`.toString() }))}</div>`;
  }

  /** Resolves the references of `html`: to figures and tables placed here as links, to the rest of the study in words. */
  resolveHere(html: string): string {
    return html.replace(/@@ref:([^@]+)@@/g, (ref, id: string) => {
      try {
        return this.resolve(ref);
      } catch {
        return OUTSIDE_REFERENCES[id] ?? "the report";
      }
    });
  }
}

/**
 * The report's style for what the sections use (the notebook page does not carry the report's
 * style sheet): labels, captions and the measure of a paragraph, and the sections' own classes
 * ({@link SECTION_CSS}: muted text, the files line), as in the report.
 */
const EXPERIMENT_STYLE =
  "<style>.gaitid-experiment{--muted:#5c5c5c}.gaitid-experiment .label{font-weight:600;margin-right:.35em}" +
  ".gaitid-experiment caption{caption-side:top;text-align:left;padding-bottom:.4em}.gaitid-experiment p{max-width:52em}" +
  `${SECTION_CSS}</style>`;

/** The command that runs an experiment for a preset (with --root when the study is not in the repository). */
export function experimentCommandLine(name: ExperimentName, preset: string, root: string): string {
  const here = path.resolve(root) === studyRoot({});
  return `npx gaitid experiment ${name} --preset ${preset}${here ? "" : ` --root ${root}`}`;
}

/**
 * The experiments `names` of the study's preset as notebook HTML, in that order: for each one
 * that has finished (data/experiments/<preset>-<name>/manifest.json under `study.root`), the
 * report's section (heading, text, figure drawn offline by {@link figureHtml}, table, files); for
 * each one that has not, a line with the command that runs it. Figures and tables are numbered
 * across the sections shown. An unknown name is a GaitidError that lists the experiments.
 */
export function experimentsHtml(study: { root: string; preset: string }, names: readonly string[]): string {
  const checked = names.map(checkExperimentName);
  const found = readExperimentResultSet(study.root, study.preset);
  const sections = new Map(experimentSections(found, study.preset).map((s) => [s.section.id, s.section]));
  const ctx = new NotebookReportContext();
  const out: string[] = [];
  for (const name of checked) {
    const section = sections.get(experimentSectionId(name));
    if (!found.dirs[name] || !section) {
      const dir = experimentFolder(study.preset, name, study.root);
      out.push(
        `<p><b>${escapeHtml(name)}</b>: not run for the ${escapeHtml(study.preset)} preset (nothing finished in <code>${escapeHtml(dir)}</code>). ` +
          `Run it with <code>${escapeHtml(experimentCommandLine(name, study.preset, study.root))}</code>, then this cell again.</p>`,
      );
      continue;
    }
    const body = section.render(ctx);
    if (typeof body !== "string") throw new Error(`the report section ${section.id} renders asynchronously; experimentsHtml expects it synchronous`);
    out.push(`<h3 id="${escapeHtml(section.id)}">${section.title}</h3>`, body);
  }
  return `<div class="gaitid-experiment">${EXPERIMENT_STYLE}${ctx.resolveHere(out.join("\n"))}</div>`;
}
