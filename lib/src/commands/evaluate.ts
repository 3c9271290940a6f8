/** `gaitid evaluate`: scores of a trained run against the identifiability floor. */
import type { Command } from "../cli/args";
import { parseFlags, printHelp } from "../cli/args";
import { EXIT, GaitidError } from "../errors";
import { evaluateRun, formatMetrics } from "../estimator/evaluate";

const HELP = `usage: gaitid evaluate --run DIR [--dataset DIR] [--json]

Scores the test-set predictions of a training run (gaitid train) and writes its metrics.json:
for each target RMSE, MAE, bias and R^2 (SI units), next to the best any estimator could reach.
For m and k that is the Bayes estimator that knows rho exactly, E[m | rho] and E[k | rho] under
the dataset's uniform priors (computed exactly): its RMSE (the floor) and R^2 (the ceiling) on
the same records. For rho and l0 the floor is zero. For mkl0 also k_pred / m_pred against rho.

  --run DIR       run folder (holds predictions.csv and manifest.json)
  --dataset DIR   the dataset to check the predictions against (default: the one the run's
                  manifest names); its manifest must have the sha256 the run recorded
  --json          print metrics.json instead of the table`;

export const evaluateCommand: Command = {
  name: "evaluate",
  summary: "score a trained run against the identifiability floor",
  help: HELP,
  async run(argv) {
    const { values, help } = parseFlags("evaluate", argv, { run: { type: "string" }, dataset: { type: "string" }, json: { type: "boolean" } });
    if (help) return printHelp(HELP);
    if (typeof values.run !== "string") throw new GaitidError("--run is required (a folder made by gaitid train)");
    const m = evaluateRun(values.run, { dataset: typeof values.dataset === "string" ? values.dataset : undefined });
    console.log(values.json ? JSON.stringify(m, null, 2) : formatMetrics(m));
    return EXIT.OK;
  },
};
