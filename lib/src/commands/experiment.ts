/** `gaitid experiment`: the experiments beyond the paper. */
import type { Command } from "../cli/args";
import { choiceFlag, numberFlag, parseFlags, printHelp, WORKERS_RANGE } from "../cli/args";
import { TRAINING_RANGES } from "../config";
import { EXIT, GaitidError, show, type NumericRange } from "../errors";
import { SEEDS_RANGE } from "../estimator/seeds";
import { BACKEND_REQUESTS, type BackendRequest } from "../estimator/backend";
import { checkExperimentName, runExperiments, type ExperimentOutcome } from "../experiments/experiments";
import { formatExperiment } from "../experiments/format";
import { EXPERIMENT_NAMES, experimentSettings } from "../experiments/settings";

/** Training runs at the same time, one process each. */
const JOBS_RANGE: NumericRange = { min: 1, max: 64, integer: true, unit: "processes" };

/**
 * The range of --epochs: every run's epochs stay within the training range, also data-volume's,
 * which trains the smaller subsets for up to `factor` times as many epochs.
 */
function epochsRange(names: readonly string[], factor: number): NumericRange {
  const max = TRAINING_RANGES.epochs.max;
  if (!names.includes("data-volume")) return TRAINING_RANGES.epochs;
  return { ...TRAINING_RANGES.epochs, max: Math.floor(max / factor), unit: `epochs; data-volume trains subsets for up to ${factor} times as many, at most ${max}` };
}

/** data-volume's largest epoch factor (the same for every preset). */
const FACTOR = experimentSettings("quick").dataVolume.maxEpochFactor;

const HELP = `usage: gaitid experiment <data-volume|noise|architecture|multimodal|identifiability|design|posterior|all>
                         [--preset tiny|quick|paper] [--root DIR] [--backend auto|node|wasm|cpu]
                         [--jobs N] [--workers W] [--epochs N] [--seeds N] [--force] [--quiet] [--json]

Runs an experiment beyond the paper on a preset and writes data/experiments/<preset>-<name>/
(manifest.json, results.json, results.csv, and a run folder per training run, as gaitid train
writes it) under --root. The report (gaitid report, gaitid reproduce) shows every experiment
that has run. A finished run with the same settings is reused (also the study's own runs in
data/runs/), an interrupted one continues from its checkpoint; the dataset data/<preset>/ is made
when missing, like gaitid reproduce does.

  data-volume      both variants on growing training subsets (tiny 40, 100, 320; quick 1k, 4k,
                   16k; paper 1k, 10k, 100k, 800k records), epochs scaled so that each run sees
                   about as many samples (at most 8 times the preset's): rho and l0 improve, m and
                   k stay at their identifiability floor
  noise            both variants with Gaussian input noise of 0, 1, 5, 10 % of each channel's
                   standard deviation, and on the first test records the Cramér-Rao bound and the
                   maximum-likelihood fit's error beside the network's
  architecture     the (m, k, l0) network with other depths, widths and activations, and a 1D
                   CNN and a GRU over the 151 x 2 record for both variants (quick and paper:
                   10 and 5 epochs, as they train more slowly)
  multimodal       (m, k, l0) from a dataset with ground reaction forces (data/<preset>-grf/),
                   from (x, y) alone and with the forces as inputs, on the same records
  identifiability  the identifiability measure (gaitid identifiability) on the first records of
                   the dataset (tiny 30, quick 100, paper 300), both observation models
  design           (m, k, l0) from a dataset whose initial energy is drawn in joules, with subjects
                   who cannot walk in the window replaced (data/<preset>-joules/), against the
                   floor of m under that design: the floor belongs to the design
  posterior        the posterior variant (gaitid train --target posterior; quick: 150 epochs) and its
                   learned posterior of m against the exact one on three test records, draws of
                   (m, k), SBC rank histograms and interval coverages (per seed with --seeds N),
                   as learned and recalibrated on each run's validation records
  all              all of them, in this order

Measured on quick (2 cores, wasm backend; the study's own runs existing): data-volume 2 min,
noise 3.5 (of which the Cramér-Rao comparison 2), architecture 9 (the CNN and the GRU most of it),
multimodal 2.5 (of which 1 makes the 20,000 records with forces), identifiability 5 s, design 2.3
(1 min to make its dataset), posterior 8 with --seeds 5 (other work sharing the cores); tiny about
1 minute for all; paper: days.

  --preset P     tiny, quick or paper (default quick)
  --root DIR     folder that data/ is under (default: the current one)
  --backend B    TensorFlow.js backend of the training runs (default auto)
  --jobs N       training runs at the same time, one process each, 1 to ${JOBS_RANGE.max} (default 2)
  --workers W    worker threads when a dataset is made, 0 to ${WORKERS_RANGE.max} (default: one per core)
  --epochs N     epochs of every run instead of the preset's, 1 to ${TRAINING_RANGES.epochs.max} (for a quick
                 look; the data-volume scaling applies on top, so that one allows 1 to
                 ${epochsRange(["data-volume"], FACTOR).max} with its factor of ${FACTOR})
  --seeds N      train every setting N times with training seeds s, s + 1, ... (other initial
                 weights and shuffling; runs <key>-seed<s>-<variant>), reported as mean and
                 standard deviation with every run; 1 to 100, default 1
  --force        train and analyse again even where finished runs with the same settings exist
  --quiet        no progress lines from generation and training
  --json         print the results as JSON instead of the tables

Ctrl-C stops the running trainings after their current epoch (with a checkpoint); the same
command continues them.`;

export const experimentCommand: Command = {
  name: "experiment",
  summary: "run an experiment beyond the paper (data-volume, noise, architecture, multimodal, identifiability, design, posterior, all)",
  help: HELP,
  async run(argv) {
    const [first, ...rest] = argv;
    const named = first !== undefined && !first.startsWith("-");
    const str = { type: "string" } as const, bool = { type: "boolean" } as const;
    const { values, help } = parseFlags("experiment", named ? rest : argv, {
      preset: str, root: str, backend: str, jobs: str, workers: str, epochs: str, seeds: str, force: bool, quiet: bool, json: bool,
    });
    if (help) return printHelp(HELP);
    if (!named) throw new GaitidError(`name an experiment: ${EXPERIMENT_NAMES.join(", ")} or all (e.g. gaitid experiment noise --preset tiny)`);
    const names = first === "all" ? [...EXPERIMENT_NAMES] : [checkExperimentName(first)];
    const preset = typeof values.preset === "string" ? values.preset : "quick";
    const jobs = numberFlag(values, "jobs", JOBS_RANGE);
    const workers = numberFlag(values, "workers", WORKERS_RANGE);
    const backend = choiceFlag<BackendRequest>(values, "backend", BACKEND_REQUESTS);
    const settings = experimentSettings(preset, jobs !== undefined ? { jobs } : {}); // unknown preset or bad settings: an error before any work
    const epochs = numberFlag(values, "epochs", epochsRange(names, settings.dataVolume.maxEpochFactor));
    const seeds = numberFlag(values, "seeds", SEEDS_RANGE);
    const controller = new AbortController();
    const onSigint = (): void => {
      if (!values.quiet) console.error("\ninterrupt: stopping the trainings after their current epoch (checkpoints are written)");
      controller.abort();
    };
    process.once("SIGINT", onSigint);
    let outcomes: ExperimentOutcome[];
    try {
      outcomes = await runExperiments(names, {
        preset,
        root: typeof values.root === "string" ? values.root : undefined,
        backend,
        jobs,
        workers,
        epochs,
        seeds,
        force: Boolean(values.force),
        quiet: Boolean(values.quiet),
        signal: controller.signal,
      });
    } finally {
      process.removeListener("SIGINT", onSigint);
    }
    if (values.json) {
      const replacer = (_k: string, v: unknown): unknown => (typeof v === "number" && !Number.isFinite(v) ? show(v) : v);
      console.log(JSON.stringify(outcomes.map((o) => ({ name: o.name, dir: o.dir, results: o.results })), replacer, 2));
    } else {
      console.log(outcomes.map(formatExperiment).join("\n\n"));
    }
    return EXIT.OK;
  },
};
