/** `gaitid train`: train the estimators of a dataset (one variant, or both at once). */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Command } from "../cli/args";
import { choiceFlag, interval, numberFlag, parseFlags, printHelp } from "../cli/args";
import { MAX_DATASET_VALUES, POSTERIOR_EPOCHS, PRESETS, preset, TRAINING_RANGES, validateTrainingConfig, type Channels, type FieldNames, type PresetName } from "../config";
import { EXIT, GaitidError, type NumericRange } from "../errors";
import { BACKEND_REQUESTS, type BackendRequest } from "../estimator/backend";
import { ARCHS, type Arch } from "../estimator/net";
import { PAPER_VARIANTS, VARIANTS, type Variant } from "../estimator/variant";
import { formatMetrics } from "../estimator/evaluate";
import { trainVariants } from "../estimator/parallel";
import { trainEstimator, type RunSummary } from "../estimator/train";

const T = TRAINING_RANGES;

/** The flags of train by the training configuration's fields they set. */
const TRAIN_NAMES: FieldNames = {
  "training.epochs": "--epochs",
  "training.batchSize": "--batch-size",
  "training.learningRate": "--learning-rate",
  "training.patience": "--patience",
  "training.noise": "--noise",
  "training.noiseSeed": "--noise-seed",
  "training.seed": "--seed",
};

/** --subset: at most the records a dataset may hold (each dataset checks its own training records). */
const SUBSET_RANGE: NumericRange = { min: 1, max: Math.floor(MAX_DATASET_VALUES / 2), integer: true, unit: "training records" };

const HELP = `usage: gaitid train --dataset DIR --target mkl0|rhol0|both [--preset tiny|quick|paper]
                    [--epochs N] [--batch-size N] [--learning-rate X] [--patience N]
                    [--noise F] [--noise-seed S] [--seed S] [--subset N] [--channels xy|xy+grf]
                    [--backend auto|node|wasm|cpu] [--out DIR] [--resume] [--force] [--quiet] [--json]

Trains the estimator of arXiv 2307.11332: a fully connected network (7 hidden layers of 50 ELU
units, linear output) from the (x, y) samples of a record, standardized with training-set
statistics, to its parameters, standardized: mkl0 = (m, k, l0) or rhol0 = (rho = k/m, l0). Adam,
mean squared error; the weights with the best validation loss are kept. Writes model/,
history.csv, predictions.csv (test set, SI units), metrics.json and manifest.json into --out.

  --dataset DIR      dataset folder (gaitid generate)
  --target T         mkl0, rhol0, both (trained at the same time, one process each), or posterior
                     (a mixture density network over (log rho, l0, m), scored against the exact
                     posterior of m: KS and W1 distances, SBC ranks, 50 % and 90 % coverage)
  --arch A           mlp (the paper's fully connected network, default), cnn (1D convolutions over
                     the samples) or gru (a recurrent network over 0.5 s frames)
  --preset P         training settings of a preset (default: the dataset's preset, else paper;
                     the posterior trains 150 epochs on quick, not 60)
  --epochs N         epochs, ${interval(T.epochs)} (paper 500)
  --batch-size N     batch size, ${interval(T.batchSize)} (paper 1000)
  --learning-rate X  Adam's learning rate, ${interval(T.learningRate)}
  --patience N       stop after N epochs without a better validation loss, ${interval(T.patience)} (0: never)
  --noise F          Gaussian input noise, a fraction ${interval(T.noise)} of each channel's standard deviation
  --noise-seed S     seed of that noise, 0 to 2^32 - 1
  --seed S           seed of weights and shuffling, 0 to 2^32 - 1
  --subset N         use only the first N training records
  --channels C       network inputs: xy (default) or xy+grf (needs a dataset with forces)
  --backend B        auto (tfjs-node, else wasm, else cpu), node, wasm or cpu; a named backend
                     that cannot load is an error
  --out DIR          run folder (default data/runs/<dataset name>-<target>; with --target both,
                     DIR/mkl0 and DIR/rhol0)
  --resume           continue an interrupted run from its last checkpoint (same settings)
  --force            replace a run already in --out
  --quiet            no progress lines             --json           print the run summaries as JSON

Ctrl-C stops after the current epoch with a checkpoint; --resume continues to the same result.`;

export const trainCommand: Command = {
  name: "train",
  summary: "train the estimators (mkl0, rhol0 or both) on a dataset",
  help: HELP,
  async run(argv) {
    const str = { type: "string" } as const, bool = { type: "boolean" } as const;
    const { values, help } = parseFlags("train", argv, {
      dataset: str, target: str, preset: str, epochs: str, "batch-size": str, "learning-rate": str, patience: str,
      noise: str, "noise-seed": str, seed: str, subset: str, channels: str, backend: str, out: str, arch: str,
      resume: bool, force: bool, quiet: bool, json: bool,
    });
    if (help) return printHelp(HELP);
    if (typeof values.dataset !== "string") throw new GaitidError("--dataset is required (a folder made by gaitid generate)");
    const dataset = values.dataset;
    const target = choiceFlag<Variant | "both">(values, "target", [...VARIANTS, "both"]);
    if (!target) throw new GaitidError(`--target is required: ${VARIANTS.join(", ")} or both`);
    const arch = choiceFlag<Arch>(values, "arch", ARCHS);
    let presetName = typeof values.preset === "string" ? values.preset : undefined;
    if (!presetName) {
      try {
        const m = JSON.parse(fs.readFileSync(path.join(dataset, "manifest.json"), "utf8")) as { preset?: string };
        presetName = m.preset && m.preset in PRESETS ? m.preset : "paper";
      } catch {
        presetName = "paper"; // the dataset is checked (with a clear message) when training starts
      }
    }
    const training = preset(presetName).training;
    const presetEpochs = target === "posterior" ? (POSTERIOR_EPOCHS[presetName as PresetName] ?? training.epochs) : training.epochs;
    training.epochs = numberFlag(values, "epochs", T.epochs) ?? presetEpochs;
    training.batchSize = numberFlag(values, "batch-size", T.batchSize) ?? training.batchSize;
    training.learningRate = numberFlag(values, "learning-rate", T.learningRate) ?? training.learningRate;
    training.patience = numberFlag(values, "patience", T.patience) ?? training.patience;
    training.noise = numberFlag(values, "noise", T.noise) ?? training.noise;
    training.noiseSeed = numberFlag(values, "noise-seed", T.noiseSeed) ?? training.noiseSeed;
    training.seed = numberFlag(values, "seed", T.seed) ?? training.seed;
    validateTrainingConfig(training, TRAIN_NAMES);
    const subset = numberFlag(values, "subset", SUBSET_RANGE);
    const channels = choiceFlag<Channels>(values, "channels", ["xy", "xy+grf"]) ?? "xy";
    const backend = choiceFlag<BackendRequest>(values, "backend", BACKEND_REQUESTS) ?? "auto";
    const name = path.basename(path.resolve(dataset));
    const outFor = (t: Variant): string => {
      if (typeof values.out !== "string") return path.join("data", "runs", `${name}-${t}`);
      return target === "both" ? path.join(values.out, t) : values.out;
    };
    const base = { dataset, training, backend, subset, channels, arch, resume: Boolean(values.resume), force: Boolean(values.force), quiet: Boolean(values.quiet) };
    const targets: Variant[] = target === "both" ? [...PAPER_VARIANTS] : [target];
    if (!values.quiet) {
      console.error(
        `training ${targets.join(" and ")} on ${dataset} with the ${presetName} preset's settings (${training.epochs} epochs, batch ${training.batchSize}, ` +
          `learning rate ${training.learningRate}${training.noise > 0 ? `, noise ${training.noise}` : ""}), backend ${backend}`,
      );
    }
    const controller = new AbortController();
    const onSigint = (): void => {
      if (!values.quiet) console.error("\ninterrupt: stopping after the current epoch (a checkpoint is written)");
      controller.abort();
    };
    process.once("SIGINT", onSigint);
    let summaries: RunSummary[];
    try {
      summaries =
        targets.length === 1
          ? [await trainEstimator({ ...base, target: targets[0], out: outFor(targets[0]), signal: controller.signal })]
          : await trainVariants(base, targets, outFor, controller.signal);
    } finally {
      process.removeListener("SIGINT", onSigint);
    }
    if (values.json) {
      console.log(JSON.stringify(summaries.length === 1 ? summaries[0] : summaries, null, 2));
    } else {
      for (const s of summaries) {
        console.log(
          `\n${s.dir}: ${s.epochsRun} epochs in ${s.trainSeconds.toFixed(1)} s on ${s.backend.name} (${Math.round(s.samplesPerSecond)} samples/s), ` +
            `best validation loss ${s.bestValLoss.toPrecision(4)} at epoch ${s.bestEpoch}${s.stoppedEarly ? " (stopped early)" : ""}`,
        );
        console.log(formatMetrics(s.metrics));
      }
    }
    return EXIT.OK;
  },
};
