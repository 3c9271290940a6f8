/** Reproducibility: provenance of the dataset and the runs, their full manifests, the command that rebuilds the report. */
import type { RunFiles } from "../../results/runs";
import type { StudyResults } from "../../results/study";
import type { ReportContext, ReportSection } from "../context";
import { fmt } from "../format";
import { html, joinHtml, type HtmlValue, type SafeHtml } from "../template";
import { variantText } from "./common";

/** The command that rebuilds this report from the files it was built from. */
function rebuildCommand(source: StudyResults["source"], preset: string): string {
  return source.kind === "bundle" ? `npx gaitid report --from ${source.dir} --out ${source.dir.replace(/results\/?$/, "")}index.html` : `npx gaitid report --preset ${preset}`;
}

/** Flattens an object into dotted keys with printable values (arrays of scalars joined). */
export function flatten(value: unknown, prefix = "", out: [string, string][] = []): [string, string][] {
  if (value === null || value === undefined) {
    if (prefix) out.push([prefix, String(value)]);
  } else if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== "object")) out.push([prefix, `[${value.map((v) => String(v)).join(", ")}]`]);
    else value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, out));
  } else if (typeof value === "object") {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.push([prefix, String(value)]);
  return out;
}

/** A manifest in full, folded: one row per dotted key. */
function manifestBlock(id: string, what: HtmlValue, manifest: object, dir: string): SafeHtml {
  const rows = flatten(manifest);
  return html`<details id="${id}"><summary>${what}: <code>${dir}/manifest.json</code> (${rows.length} entries)</summary><table class="manifest"><tbody>${rows.map(
    ([k, v]) => html`<tr><td class="key"><span class="key">${k}</span></td><td class="val"><span class="val">${v}</span></td></tr>`,
  )}</tbody></table></details>`;
}

/** A hash shortened to 12 characters, the whole in its title. */
function shortHash(hash: string): SafeHtml {
  return html`<code title="${hash}">${hash.slice(0, 12)}</code>`;
}

/** The provenance row of a run. */
function runRow(results: StudyResults, r: RunFiles): HtmlValue[] {
  const seeds = r.manifest.seeds ? `${r.manifest.seeds.seed} (noise ${r.manifest.seeds.noiseSeed})` : "n/a";
  const backend = r.manifest.backend ? `${r.manifest.backend.name} (tfjs ${r.manifest.backend.tfjsVersion})` : r.metrics.backend;
  const environment = (r.manifest as { environment?: { commit?: unknown } }).environment;
  const timings = (r.manifest.timings ?? {}) as Record<string, number | undefined>;
  const total = timings.totalSeconds ?? timings.trainSeconds;
  const hash = r.manifest.dataset?.hash ?? "n/a";
  const same = hash === results.dataset.hash;
  return [
    html`run ${variantText[r.variant]}`,
    html`<code>${results.paths[r.variant]}</code>`,
    seeds,
    backend,
    html`<code>${String(environment?.commit ?? "n/a").slice(0, 12)}</code>`,
    total === undefined ? "n/a" : html`${fmt(total)} s`,
    html`${shortHash(hash)} ${
      same ? html`<span class="check-ok" title="the sha256 of this dataset's manifest.json">✓ this dataset</span>` : html`<span class="check-bad">✗ another dataset</span>`
    }`,
  ];
}

/** The provenance table: the dataset and both runs. */
function provenanceTable(ctx: ReportContext, results: StudyResults): SafeHtml {
  const dm = results.dataset.manifest as unknown as { environment?: { commit?: unknown; versions?: Record<string, string | undefined> }; files?: Record<string, { sha256: string }> };
  const d = results.dataset.manifest.config;
  const dt = results.dataset.manifest.timings;
  const v = dm.environment?.versions ?? {};
  const datasetRow: HtmlValue[] = [
    "dataset",
    html`<code>${results.paths.dataset}</code>`,
    String(d.seed),
    "–",
    html`<code>${String(dm.environment?.commit ?? "n/a").slice(0, 12)}</code>`,
    dt?.generateSeconds === undefined ? "n/a" : html`${fmt(dt.generateSeconds)} s`,
    shortHash(dm.files?.["X.npy"]?.sha256 ?? "n/a"),
  ];
  return ctx.safe.table(
    "tab-provenance",
    {
      head: ["", "folder", "seed", "backend", "commit", "time", "data hash"],
      align: ["l", "l", "r", "l", "l", "r", "l"],
      rows: [datasetRow, runRow(results, results.runs.mkl0), runRow(results, results.runs.rhol0)],
    },
    html`Provenance. For the dataset the hash is the sha256 of <code>X.npy</code>; for a run, the sha256 of the manifest of
        the dataset it was trained on, checked against the manifest of the dataset of this report. Node.js ${v.node ?? "n/a"}, TensorFlow.js ${v["@tensorflow/tfjs"] ?? "n/a"},
        mathjs ${v.mathjs ?? "n/a"}, danfojs-node ${v["danfojs-node"] ?? "n/a"}, plotly.js ${v["plotly.js-dist"] ?? "n/a"}.`,
  );
}

export const reproducibility: ReportSection = {
  id: "reproducibility",
  title: "Reproducibility",
  render(ctx) {
    const results = ctx.results;
    const { runs, source, preset, paths } = results;
    const rebuilt =
      source.kind === "bundle"
        ? "This report was built from a published results bundle, which holds those files without the dataset's records; it is rebuilt with"
        : "The report itself is rebuilt with";
    return joinHtml(
      [
        html`<p>Every number and figure above is computed from the files of one dataset and two training runs, each with a
      manifest that records its configuration, seeds, package versions, backend, commit and timings (${ctx.safe.ref("tab-provenance")};
      the full manifests follow). ${rebuilt}</p>`,
        html`<pre class="command"><code>${rebuildCommand(source, preset)}</code></pre>`,
        provenanceTable(ctx, results),
        manifestBlock("manifest-dataset", "Dataset", results.dataset.manifest, paths.dataset),
        manifestBlock("manifest-mkl0", html`Run ${variantText.mkl0}`, runs.mkl0.manifest, paths.mkl0),
        manifestBlock("manifest-rhol0", html`Run ${variantText.rhol0}`, runs.rhol0.manifest, paths.rhol0),
      ],
      "\n",
    ).toString();
  },
};
