/** `gaitid reproduce`: the whole study on a preset. */
import type { Command } from "../cli/args";
import { choiceFlag, numberFlag, parseFlags, printHelp, WORKERS_RANGE } from "../cli/args";
import { EXIT } from "../errors";
import { BACKEND_REQUESTS, type BackendRequest } from "../estimator/backend";
import { SEEDS_RANGE } from "../estimator/seeds";
import { formatSummary, reproduce } from "../study/reproduce";

const HELP = `usage: gaitid reproduce [--preset tiny|quick|paper] [--root DIR] [--workers W]
                        [--backend auto|node|wasm|cpu] [--seeds N] [--experiments] [--force] [--quiet]

Runs the whole study: the derivation, the dataset (data/<preset>/), both estimators at once
(data/runs/<preset>-mkl0/ and data/runs/<preset>-rhol0/) and the report (report/index.html), all
under --root (default: the current folder). A step whose outputs exist with the same
configuration is skipped; an interrupted training continues from its checkpoint. Prints the key
numbers at the end and writes data/reproduce-<preset>.json.

  --preset P     tiny (seconds), quick (minutes; the README's main job) or paper (hours); default quick
  --root DIR     folder that data/ and report/ go under
  --workers W    dataset worker threads, 0 to ${WORKERS_RANGE.max} (default: one per core)
  --backend B    TensorFlow.js backend for training (default auto: tfjs-node, else wasm, else cpu)
  --seeds N      train each variant N times with training seeds s, s + 1, ..., s + N - 1 (s the
                 preset's seed: other initial weights and shuffling, same data), concurrently up
                 to the core count; the first seed's runs are the ones above, the others go to
                 data/runs/<preset>-<variant>-seed<s>/; the report gives mean, standard deviation
                 and every run. 1 to 100, default 1
  --experiments  also run every experiment beyond the paper after training (gaitid experiment all:
                 data-volume, noise, architecture, multimodal, identifiability; quick: about 10
                 minutes more on 2 cores), each with its section in the report
  --force        replace finished runs of other settings in data/runs/ (interrupted ones continue)
  --quiet        fewer progress lines`;

export const reproduceCommand: Command = {
  name: "reproduce",
  summary: "run the whole study (derive, generate, train, report)",
  help: HELP,
  async run(argv) {
    const str = { type: "string" } as const;
    const { values, help } = parseFlags("reproduce", argv, { preset: str, root: str, workers: str, backend: str, seeds: str, quiet: { type: "boolean" }, experiments: { type: "boolean" }, force: { type: "boolean" } });
    if (help) return printHelp(HELP);
    const workers = numberFlag(values, "workers", WORKERS_RANGE);
    const backend = choiceFlag<BackendRequest>(values, "backend", BACKEND_REQUESTS);
    const seeds = numberFlag(values, "seeds", SEEDS_RANGE);
    const summary = await reproduce({
      preset: typeof values.preset === "string" ? values.preset : "quick",
      root: typeof values.root === "string" ? values.root : undefined,
      workers,
      backend,
      quiet: Boolean(values.quiet),
      experiments: Boolean(values.experiments),
      force: Boolean(values.force),
      seeds,
    });
    console.log(formatSummary(summary));
    return EXIT.OK;
  },
};
