/** "Beyond the paper": the list of experiments, with the command that runs a missing one. */
import type { ReportContext, ReportSection } from "../../context";
import { html, joinHtml, rawValues } from "../../template";
import { EXPERIMENT_NAMES } from "../../../experiments/settings";
import type { ExperimentResultSet } from "../../../results/experiments";
import { PURPOSE, experimentSectionId, commandLine } from "./common";

const purpose = rawValues(PURPOSE);

export function beyondSection(preset: string, found: ExperimentResultSet): ReportSection {
  return {
    id: "beyond",
    title: "Beyond the paper",
    render(ctx: ReportContext) {
      const items = EXPERIMENT_NAMES.map((n) =>
        found[n]
          ? html`<li><b>${n}</b>: ${purpose[n]} See ${ctx.safe.ref(experimentSectionId(n))}.</li>`
          : html`<li><b>${n}</b>: ${purpose[n]} <span class="muted">Not run for this preset; run it with ${commandLine(preset, n)} and rebuild the report.</span></li>`,
      );
      return html`<p>The paper lists checks it did not run and questions it leaves open. Each is an experiment here, a command that writes a
        folder under <code>data/experiments/</code> with a manifest (configuration, seeds, versions, backend, timings, commit); the sections
        that follow read those folders. <code>npx gaitid experiment all --preset ${preset}</code> runs every one.</p>
<ul>${joinHtml(items, "\n")}</ul>`.toString();
    },
  };
}
