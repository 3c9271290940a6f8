/** Reproducibility: provenance of the dataset and the runs, their full manifests, the command that rebuilds the report. */
import type { RunFiles } from "../../results/runs";
import type { StudyResults } from "../../results/study";
import type { ReportContext, ReportSection } from "../context";
import { esc, fmt } from "../html";
import { VARIANT_NAME } from "./common";

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

function manifestBlock(_ctx: ReportContext, id: string, what: string, manifest: Record<string, unknown>, dir: string): string {
  const rows = flatten(manifest).map(([k, v]) => [`<span class="key">${esc(k)}</span>`, `<span class="val">${esc(v)}</span>`]);
  return [
    `<details id="${esc(id)}"><summary>${what}: <code>${esc(dir)}/manifest.json</code> (${rows.length} entries)</summary>`,
    `<table class="manifest"><tbody>${rows.map((r) => `<tr><td class="key">${r[0]}</td><td class="val">${r[1]}</td></tr>`).join("")}</tbody></table>`,
    "</details>",
  ].join("");
}

export const reproducibility: ReportSection = {
  id: "reproducibility",
  title: "Reproducibility",
  render(ctx) {
    const { dataset, runs, source, preset } = ctx.results;
    const d = dataset.manifest.config;
    const dm = dataset.manifest as unknown as Record<string, unknown>;
    const env = (m: Record<string, unknown>): Record<string, unknown> => (m.environment ?? {}) as Record<string, unknown>;
    const ver = (m: Record<string, unknown>): Record<string, string | undefined> => (env(m).versions ?? {}) as Record<string, string | undefined>;
    const run = (r: RunFiles): string[] => {
      const m = r.manifest as unknown as Record<string, unknown>;
      const seeds = r.manifest.seeds ? `${r.manifest.seeds.seed} (noise ${r.manifest.seeds.noiseSeed})` : "n/a";
      const backend = r.manifest.backend ? `${r.manifest.backend.name} (tfjs ${r.manifest.backend.tfjsVersion})` : esc(r.metrics.backend);
      const timings = (r.manifest.timings ?? {}) as Record<string, number | undefined>;
      const total = timings.totalSeconds ?? timings.trainSeconds;
      const hash = r.manifest.dataset?.hash ?? "n/a";
      const same = hash === dataset.hash;
      return [
        `run ${VARIANT_NAME[r.variant]}`,
        `<code>${esc(ctx.results.paths[r.variant])}</code>`,
        esc(seeds),
        esc(backend),
        `<code>${esc(String(env(m).commit ?? "n/a").slice(0, 12))}</code>`,
        total === undefined ? "n/a" : `${fmt(total)} s`,
        `<code title="${esc(hash)}">${esc(hash.slice(0, 12))}</code> ${same ? '<span class="check-ok" title="the sha256 of this dataset\'s manifest.json">✓ this dataset</span>' : '<span class="check-bad">✗ another dataset</span>'}`,
      ];
    };
    const xHash = (dm.files as Record<string, { sha256: string }> | undefined)?.["X.npy"]?.sha256 ?? "n/a";
    const dt = dm.timings as Record<string, number> | undefined;
    const v = ver(dm);
    const out: string[] = [
      `<p>Every number and figure above is computed from the files of one dataset and two training runs, each with a
      manifest that records its configuration, seeds, package versions, backend, commit and timings (${ctx.ref("tab-provenance")};
      the full manifests follow). ${source.kind === "bundle" ? "This report was built from a published results bundle, which holds those files without the dataset's records; it is rebuilt with" : "The report itself is rebuilt with"}</p>`,
      `<pre class="command"><code>${esc(rebuildCommand(source, preset))}</code></pre>`,
      ctx.table(
        "tab-provenance",
        {
          head: ["", "folder", "seed", "backend", "commit", "time", "data hash"],
          align: ["l", "l", "r", "l", "l", "r", "l"],
          rows: [
            ["dataset", `<code>${esc(ctx.results.paths.dataset)}</code>`, String(d.seed), "–", `<code>${esc(String(env(dm).commit ?? "n/a").slice(0, 12))}</code>`, dt?.generateSeconds === undefined ? "n/a" : `${fmt(dt.generateSeconds)} s`, `<code title="${esc(xHash)}">${esc(xHash.slice(0, 12))}</code>`],
            run(runs.mkl0),
            run(runs.rhol0),
          ],
        },
        `Provenance. For the dataset the hash is the sha256 of <code>X.npy</code>; for a run, the sha256 of the manifest of
        the dataset it was trained on, checked against the manifest of the dataset of this report. Node.js ${esc(v.node ?? "n/a")}, TensorFlow.js ${esc(v["@tensorflow/tfjs"] ?? "n/a")},
        mathjs ${esc(v.mathjs ?? "n/a")}, danfojs-node ${esc(v["danfojs-node"] ?? "n/a")}, plotly.js ${esc(v["plotly.js-dist"] ?? "n/a")}.`,
      ),
      manifestBlock(ctx, "manifest-dataset", "Dataset", dm, ctx.results.paths.dataset),
      manifestBlock(ctx, "manifest-mkl0", `Run ${VARIANT_NAME.mkl0}`, runs.mkl0.manifest as unknown as Record<string, unknown>, ctx.results.paths.mkl0),
      manifestBlock(ctx, "manifest-rhol0", `Run ${VARIANT_NAME.rhol0}`, runs.rhol0.manifest as unknown as Record<string, unknown>, ctx.results.paths.rhol0),
    ];
    return out.join("\n");
  },
};

