/** `gaitid report`: the self-contained HTML report of a study, or of a published results bundle. */
import type { Command } from "../cli/args";
import { choiceFlag, integerFlag, parseFlags, printHelp } from "../cli/args";
import { PRESETS, preset } from "../config";
import { EXIT, GaitidError } from "../errors";
import { studyLayout } from "../layout";
import { buildReport } from "../report/build";
import { printPdf } from "../report/pdf";
import { publishResults } from "../results/bundle";
import { readBundleResults, readStudyResults } from "../results/read";
import { prepareStudyResults } from "../study/prepare";

const HELP = `usage: gaitid report [--preset tiny|quick|paper] [--root DIR] [--dataset DIR]
                     [--runs MKL0_DIR,RHOL0_DIR] [--out report/index.html] [--max-points N]
                     [--pdf [FILE]] [--quiet]
       gaitid report --from RESULTS_DIR --out FILE.html [--pdf [FILE]] [--quiet]
       gaitid report --publish [--preset P] [--force]

Builds the report of a study as one HTML file that opens offline in any browser: the derivation
(equations typeset to SVG at build time), the data generation, the results of the (m, k, l0) and
(rho, l0) networks, the identifiability floor, the experiments that have run, limits and every
run's manifest. plotly.js is inlined once; the page makes no request to any other file or host.
Every number comes from the study's files; the report computes nothing of its own. On a study,
the derivation (data/derivation.json) and the re-simulated walks of the figures
(data/results/<preset>/walks.json) are made first when they are missing (about 20 s).

  --preset P        preset the study ran with (default quick); named in the report
  --root DIR        folder that the study's paths are relative to (default: the current one)
  --dataset DIR     dataset folder (default data/<preset>)
  --runs A,B        run folders of the mkl0 and the rhol0 network, in that order
                    (default data/runs/<preset>-mkl0,data/runs/<preset>-rhol0)
  --from DIR        build from a published results bundle instead (report/<preset>/results):
                    its files alone, no dataset needed
  --publish         write the study's results bundle to report/<preset>/results and its report
                    to report/<preset>/index.html (--force replaces a bundle already there)
  --out FILE        the HTML file to write, atomically (default report/index.html)
  --max-points N    at most N points per scatter plot, evenly spread over the test set (default 2000)
  --pdf [FILE]      also print the report to PDF with Chromium (default: the HTML's name, .pdf)
  --force           with --publish: replace the published bundle
  --quiet           no progress lines`;

/** The two run folders of --runs A,B. */
function runsFlag(value: string): { mkl0: string; rhol0: string } {
  const parts = value.split(",").map((s) => s.trim());
  if (parts.length !== 2 || parts.some((p) => p.length === 0)) {
    throw new GaitidError(`--runs must be two run folders separated by a comma, the mkl0 run first (e.g. data/runs/quick-mkl0,data/runs/quick-rhol0); got "${value}"`);
  }
  return { mkl0: parts[0], rhol0: parts[1] };
}

export const reportCommand: Command = {
  name: "report",
  summary: "build the self-contained HTML report (figures, derivation, metrics, manifests)",
  help: HELP,
  async run(argv) {
    const str = { type: "string" } as const, bool = { type: "boolean" } as const;
    // --pdf takes an optional file: "--pdf" alone is followed by another flag or nothing.
    const args = argv.flatMap((a, i) => (a === "--pdf" && (argv[i + 1] === undefined || argv[i + 1].startsWith("--")) ? ["--pdf="] : [a]));
    const { values, help } = parseFlags("report", args, {
      preset: str, root: str, dataset: str, runs: str, from: str, publish: bool, out: str, "max-points": str, pdf: str, force: bool, quiet: bool,
    });
    if (help) return printHelp(HELP);
    const presetName = choiceFlag(values, "preset", Object.keys(PRESETS)) ?? "quick";
    preset(presetName);
    const maxPoints = integerFlag(values, "max-points", 10, 1_000_000);
    const quiet = Boolean(values.quiet);
    const from = typeof values.from === "string" ? values.from : undefined;
    if (from !== undefined && (values.dataset !== undefined || values.runs !== undefined || values.publish)) {
      throw new GaitidError("--from builds from a results bundle alone: it cannot be combined with --dataset, --runs or --publish");
    }
    if (from !== undefined && typeof values.out !== "string") throw new GaitidError("--from needs --out FILE.html (e.g. --out report/paper/index.html)");
    const layout = studyLayout(presetName, typeof values.root === "string" ? values.root : ".");
    let out = typeof values.out === "string" ? values.out : layout.report;
    let results;
    if (from !== undefined) {
      results = readBundleResults(from, { maxPoints });
    } else {
      const dataset = typeof values.dataset === "string" ? values.dataset : undefined;
      const runs = typeof values.runs === "string" ? runsFlag(values.runs) : undefined;
      if (values.publish) {
        if (dataset || runs) throw new GaitidError("--publish publishes the study of --preset in its own folders: leave out --dataset and --runs");
        prepareStudyResults(layout);
        publishResults(layout, layout.published.results, { force: Boolean(values.force) });
        results = readBundleResults(layout.published.results, { maxPoints });
        out = typeof values.out === "string" ? values.out : layout.published.report;
      } else {
        prepareStudyResults(layout, { dataset });
        results = readStudyResults(layout, { dataset, runs, maxPoints });
      }
    }
    const r = await buildReport(results, { out, quiet });
    console.log(`${r.path}: ${r.figures} figures, ${r.equations} equations, ${(r.bytes / 2 ** 20).toFixed(1)} MiB, built in ${r.seconds.toFixed(1)} s`);
    if (typeof values.pdf === "string") {
      const pdf = values.pdf || out.replace(/\.html$/, ".pdf");
      await printPdf(r.path, pdf);
      console.log(`${pdf}: the report as PDF`);
    }
    return EXIT.OK;
  },
};
