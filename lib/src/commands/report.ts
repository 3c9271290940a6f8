/** `gaitid report`: the self-contained HTML report of a dataset and its two training runs. */
import * as path from "node:path";
import type { Command } from "../cli/args";
import { integerFlag, parseFlags } from "../cli/args";
import { preset } from "../config";
import { GaitidError } from "../errors";
import { buildReport } from "../report/build";
import { experimentSections } from "../experiments/report";

const HELP = `usage: gaitid report [--preset tiny|quick|paper] [--root DIR] [--dataset DIR]
                     [--runs MKL0_DIR,RHOL0_DIR] [--out report/index.html] [--max-points N] [--quiet]

Builds the report of a study as one HTML file that opens offline in any browser: the derivation
(equations typeset to SVG at build time), the data generation, the results of the (m, k, l0) and
(rho, l0) networks, the identifiability floor, limits and every run's manifest. plotly.js is
inlined once; the page makes no request to any other file or host. Every number comes from the
run files. Takes about 20 s (most of it the symbolic derivation).

  --preset P        preset the study ran with (default quick); named in the report
  --root DIR        folder that the other paths are relative to (default: the current one)
  --dataset DIR     dataset folder (default data/<preset>)
  --runs A,B        run folders of the mkl0 and the rhol0 network, in that order
                    (default data/runs/<dataset name>-mkl0,data/runs/<dataset name>-rhol0)
  --out FILE        the HTML file to write, atomically (default report/index.html)
  --max-points N    at most N points per scatter plot, evenly spread over the test set (default 2000)
  --quiet           no progress lines`;

export const reportCommand: Command = {
  name: "report",
  summary: "build the self-contained HTML report (figures, derivation, metrics, manifests)",
  help: HELP,
  async run(argv) {
    const str = { type: "string" } as const;
    const { values, help } = parseFlags("report", argv, {
      preset: str, root: str, dataset: str, runs: str, out: str, "max-points": str, quiet: { type: "boolean" },
    });
    if (help) {
      console.log(HELP);
      return 0;
    }
    const presetName = typeof values.preset === "string" ? values.preset : "quick";
    preset(presetName); // an unknown preset is an error that lists the known ones
    const datasetDir = typeof values.dataset === "string" ? values.dataset : path.join("data", presetName);
    const name = path.basename(path.resolve(datasetDir));
    let runs = { mkl0: path.join("data", "runs", `${name}-mkl0`), rhol0: path.join("data", "runs", `${name}-rhol0`) };
    if (typeof values.runs === "string") {
      const parts = values.runs.split(",").map((s) => s.trim());
      if (parts.length !== 2 || parts.some((p) => p.length === 0)) {
        throw new GaitidError(`--runs must be two run folders separated by a comma, the mkl0 run first (e.g. data/runs/quick-mkl0,data/runs/quick-rhol0); got "${values.runs}"`);
      }
      runs = { mkl0: parts[0], rhol0: parts[1] };
    }
    const out = typeof values.out === "string" ? values.out : path.join("report", "index.html");
    const maxPoints = integerFlag(values, "max-points", 10, 1_000_000);
    const r = await buildReport({
      root: typeof values.root === "string" ? values.root : undefined,
      preset: presetName,
      datasetDir,
      runs,
      out,
      maxPoints,
      quiet: Boolean(values.quiet),
      sections: experimentSections({ root: typeof values.root === "string" ? values.root : undefined, preset: presetName }),
    });
    console.log(`${r.path}: ${r.figures} figures, ${r.equations} equations, ${(r.bytes / 2 ** 20).toFixed(1)} MiB, built in ${r.seconds.toFixed(1)} s`);
    return 0;
  },
};
