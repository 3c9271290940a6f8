/**
 * The settings of the experiments beyond the paper (experiments.ts), one value per preset: which
 * training-set sizes, noise levels and architectures are tried, how large the dataset with
 * ground reaction forces is, and how many records the identifiability measure samples. Like the
 * presets themselves these are data, not code paths; {@link experimentSettings} returns a
 * validated copy, and any field can be overridden for a run (tests use fewer epochs).
 */
import { PRESETS, preset as presetConfig, validateTrainingConfig, type PresetName, type TrainingConfig } from "../config";
import { GaitidError, requireInteger, show } from "../errors";
import type { PaperVariant } from "../estimator/variant";
import { checkArch, type Arch } from "../estimator/arch";

/** The experiments, in the order `gaitid experiment all` runs them. */
export const EXPERIMENT_NAMES = ["data-volume", "noise", "architecture", "multimodal", "identifiability", "design", "posterior"] as const;
export type ExperimentName = (typeof EXPERIMENT_NAMES)[number];

/** The experiments that train networks (the identifiability measure re-simulates records instead). */
export const TRAINING_EXPERIMENTS: readonly ExperimentName[] = ["data-volume", "noise", "architecture", "multimodal", "design", "posterior"];

/** One network architecture of the architecture experiment. */
export interface Architecture {
  /** The kind of network (default "mlp"; "cnn" and "gru" are the sequence networks of estimator/layers-net.ts). */
  arch?: Arch;
  /** Hidden layers (of an "mlp"; the sequence networks have their own). */
  layers: number;
  /** Units per hidden layer (of an "mlp"). */
  units: number;
  /** Activation of the hidden layers. */
  activation: TrainingConfig["activation"];
  /** Epochs, when fewer than the preset's (a network that trains slowly); the report says so. */
  epochs?: number;
  /** Target variants, when others than the experiment's. */
  targets?: PaperVariant[];
}

/** Settings of the data-volume experiment. */
export interface DataVolumeSettings {
  /**
   * Training-set sizes, records, ascending: the first N training records (by id) of the preset's
   * dataset. Each at most the dataset's training records (the last one usually all of them).
   */
  subsets: number[];
  /**
   * Epochs of a subset of N records: the preset's epochs E scaled so that every subset sees about
   * as many training samples (epochs x records) as the whole training set in E epochs, i.e.
   * round(E * N_train / N), but at most maxEpochFactor * E. Without the scaling a small subset
   * would also get fewer gradient steps, and the experiment would mix data volume with training
   * length.
   */
  maxEpochFactor: number;
  /** Target variants trained on each subset. */
  targets: PaperVariant[];
}

/** Settings of the noise experiment. */
export interface NoiseSettings {
  /**
   * Gaussian input noise, fractions of each channel's training-set standard deviation, added to
   * every record (training, validation and test: a noisy sensor), fixed by the training's noiseSeed.
   */
  levels: number[];
  /** Target variants trained at each level. */
  targets: PaperVariant[];
  /**
   * Test records (the first ones, by id) on which the Cramér-Rao bound and the maximum-likelihood
   * fit are computed at every level, and the network's RMSE compared (a few seconds each; 0: none).
   */
  crbRecords: number;
}

/** Settings of the design experiment (the initial energy drawn in joules). */
export interface DesignSettings {
  /** Records of the dataset with the energy in joules (data/<preset>-joules/); its other settings are the preset's. */
  records: number;
  /**
   * Range of the initial energy E, J (null: the range of m g l0 eps that the per-unit-mass design
   * gives, [m1 g l01 eps1, m2 g l02 eps2], so that every subject has walking energies in it).
   */
  energyJoules: [number, number] | null;
  /**
   * Whether a subject who cannot walk at the drawn energy is replaced by a new one (DatasetConfig
   * redrawSubject). With the default range every subject walks and nothing is selected; with a
   * range narrower than the subjects' m g l0, replacing them selects subjects by m l0.
   */
  redrawSubject: boolean;
}

/** Settings of the posterior experiment (its figures; the run itself trains with the preset's posterior epochs, config.ts POSTERIOR_EPOCHS). */
export interface PosteriorSettings {
  /** Posterior draws of (m, k) kept per shown record, for the (m, k) plane. */
  samples: number;
  /** Points of the grid on which the learned density of m is written per shown record. */
  grid: number;
}

/** Settings of the architecture experiment. */
export interface ArchitectureSettings {
  /** Networks tried (the first is the paper's 7 x 50 ELU). */
  architectures: Architecture[];
  /**
   * Target variants trained with each network. (m, k, l0) alone suffices: it shows the
   * unidentifiable m and k beside the identifiable l0 and the ratio k/m of its own estimates.
   */
  targets: PaperVariant[];
}

/** Settings of the multimodal experiment. */
export interface MultimodalSettings {
  /** Records of the dataset with forces (data/<preset>-grf/); its other settings are the preset's. */
  records: number;
  /** Changes to the preset's training for both networks of this experiment (e.g. more epochs). */
  training: Partial<TrainingConfig>;
}

/** Settings of the identifiability measure over records. */
export interface IdentifiabilitySettings {
  /** How many records of the preset's dataset (the first ones, by id) are re-simulated and analysed (about 0.2 s each). */
  records: number;
}

/** All experiment settings of a preset. */
export interface ExperimentSettings {
  dataVolume: DataVolumeSettings;
  noise: NoiseSettings;
  architecture: ArchitectureSettings;
  multimodal: MultimodalSettings;
  identifiability: IdentifiabilitySettings;
  design: DesignSettings;
  posterior: PosteriorSettings;
  /** Training runs at the same time, each in its own process (default: 2, the cores of the reference machine). */
  jobs: number;
}

/** The paper's network: 7 hidden layers of 50 ELU units. */
const PAPER_NET: Architecture = { layers: 7, units: 50, activation: "elu" };

/**
 * The sequence networks the paper names besides fully connected ones (CNNs, RNNs), for both
 * variants: a 1D CNN and a GRU over the 151 x 2 record, trained for fewer epochs than the preset's
 * 60 because they are slower (the CNN about 5 times, the GRU more; see estimator/layers-net.ts).
 */
const SEQUENCE_NETS: Architecture[] = [
  { arch: "cnn", layers: 7, units: 50, activation: "elu", epochs: 10, targets: ["mkl0", "rhol0"] },
  { arch: "gru", layers: 7, units: 50, activation: "elu", epochs: 5, targets: ["mkl0", "rhol0"] },
];

const NOISE_LEVELS = [0, 0.01, 0.05, 0.1];

/**
 * The design experiment's window of initial energies, J. The subjects' m g l0 spans 353-589 J, and a
 * subject walks only with e between about 0.95 and 1.06 g l0 (the gait conditions of 20,000 records
 * with a window that all can walk in), so no window narrower than about 370-560 J lets every subject
 * walk: the lab that fixes the budget in joules must turn subjects away. This window (30 J) keeps
 * those with m l0 of about 43-51 kg m (the priors span 36-60), and given (l0, e) it leaves m a range
 * of 30 J / e, about 4 kg. The window that holds every subject's walking band (energyJoules null)
 * gives e next to no information about m: the acceptance keeps e near g l0 whatever m is.
 */
const SELECTING_WINDOW: [number, number] = [445, 475];
const SELECTING_WINDOW_TINY: [number, number] = [420, 500];

/**
 * The posterior experiment's figures: 50 draws of (m, k) and a 40-point density of m per shown
 * record, what the quick report's 2 MB leave room for (the section, figures and text, about
 * 18 kB with three seeds; 200 draws and 100 points made it 35 kB).
 */
const POSTERIOR_FIGURES: PosteriorSettings = { samples: 50, grid: 40 };

/**
 * The experiment settings of each preset.
 * - tiny (400 records, 320 for training; seconds, for tests): subsets 40, 100, 320; three small
 *   architecture changes; the force dataset is as large as the preset's, trained for 40 epochs
 *   (the tiny preset's 20 leave k at R^2 of about 0.8 with forces).
 * - quick (20,000 records, 16,000 for training; the README scale): subsets 1k, 4k, 16k; four networks
 *   from 2 x 200 ReLU to 12 x 32 SELU.
 * - The Cramér-Rao comparison of the noise experiment uses 20 test records on tiny (of its 40) and
 *   200 on quick and paper (enough for the root mean bound to about 5 %; a few seconds a record).
 * - The design experiment's dataset (energy in joules) has as many records as the preset's
 *   (200,000 on paper, as the force dataset).
 * - paper (1,000,000 records, 800,000 for training): subsets 1k, 10k, 100k, 800k as the issue
 *   suggests; the force dataset has 200,000 records (the point is made at 20,000 already, and a
 *   second million-record dataset would double the generation time of the preset).
 */
export const EXPERIMENT_SETTINGS: Readonly<Record<PresetName, ExperimentSettings>> = {
  tiny: {
    dataVolume: { subsets: [40, 100, 320], maxEpochFactor: 8, targets: ["mkl0", "rhol0"] },
    noise: { levels: NOISE_LEVELS, targets: ["mkl0", "rhol0"], crbRecords: 20 },
    architecture: {
      architectures: [PAPER_NET, { layers: 2, units: 32, activation: "relu" }, { layers: 4, units: 100, activation: "tanh" }],
      targets: ["mkl0"],
    },
    multimodal: { records: 400, training: { epochs: 40 } },
    identifiability: { records: 30 },
    design: { records: 400, energyJoules: SELECTING_WINDOW_TINY, redrawSubject: true },
    posterior: POSTERIOR_FIGURES,
    jobs: 2,
  },
  quick: {
    dataVolume: { subsets: [1000, 4000, 16000], maxEpochFactor: 8, targets: ["mkl0", "rhol0"] },
    noise: { levels: NOISE_LEVELS, targets: ["mkl0", "rhol0"], crbRecords: 200 },
    architecture: {
      architectures: [PAPER_NET, { layers: 2, units: 200, activation: "relu" }, { layers: 4, units: 100, activation: "tanh" }, { layers: 12, units: 32, activation: "selu" }, ...SEQUENCE_NETS],
      targets: ["mkl0"],
    },
    multimodal: { records: 20_000, training: {} },
    identifiability: { records: 100 },
    design: { records: 20_000, energyJoules: SELECTING_WINDOW, redrawSubject: true },
    posterior: POSTERIOR_FIGURES,
    jobs: 2,
  },
  paper: {
    dataVolume: { subsets: [1000, 10_000, 100_000, 800_000], maxEpochFactor: 8, targets: ["mkl0", "rhol0"] },
    noise: { levels: NOISE_LEVELS, targets: ["mkl0", "rhol0"], crbRecords: 200 },
    architecture: {
      architectures: [PAPER_NET, { layers: 2, units: 200, activation: "relu" }, { layers: 4, units: 100, activation: "tanh" }, { layers: 12, units: 32, activation: "selu" }, ...SEQUENCE_NETS],
      targets: ["mkl0"],
    },
    multimodal: { records: 200_000, training: {} },
    identifiability: { records: 300 },
    design: { records: 200_000, energyJoules: SELECTING_WINDOW, redrawSubject: true },
    posterior: POSTERIOR_FIGURES,
    jobs: 2,
  },
};

/** Overrides of some settings (each given part replaces the preset's part of that name). */
export type ExperimentSettingsOverride = { [K in keyof ExperimentSettings]?: ExperimentSettings[K] extends object ? Partial<ExperimentSettings[K]> : ExperimentSettings[K] };

/** Short name of an architecture, e.g. "7x50 elu", "1D CNN elu", "GRU elu". */
export function architectureName(a: Architecture): string {
  const kind = { mlp: `${a.layers}x${a.units}`, cnn: "1D CNN", gru: "GRU" }[a.arch ?? "mlp"];
  return `${kind} ${a.activation}`;
}

/** The folder-safe key of an architecture's trials, e.g. "arch-7x50-elu", "arch-cnn-elu". */
export function architectureKey(a: Architecture): string {
  return (a.arch ?? "mlp") === "mlp" ? `arch-${a.layers}x${a.units}-${a.activation}` : `arch-${a.arch}-${a.activation}`;
}

/**
 * The settings of a preset (a fresh copy) with `override` applied, checked against the preset's
 * dataset: subsets within its training records, noise levels >= 0, valid networks. Throws a
 * {@link GaitidError} naming the first bad value.
 */
export function experimentSettings(presetName: string, override: ExperimentSettingsOverride = {}): ExperimentSettings {
  const config = presetConfig(presetName); // unknown preset: an error that lists the known ones
  const base = structuredClone(EXPERIMENT_SETTINGS[presetName as PresetName]) as ExperimentSettings;
  const s: ExperimentSettings = {
    dataVolume: { ...base.dataVolume, ...override.dataVolume },
    noise: { ...base.noise, ...override.noise },
    architecture: { ...base.architecture, ...override.architecture },
    multimodal: { ...base.multimodal, ...override.multimodal },
    identifiability: { ...base.identifiability, ...override.identifiability },
    design: { ...base.design, ...override.design },
    posterior: { ...base.posterior, ...override.posterior },
    jobs: override.jobs ?? base.jobs,
  };
  const nTrain = Math.round(config.dataset.split[0] * config.dataset.records);
  const dv = s.dataVolume;
  if (!Array.isArray(dv.subsets) || dv.subsets.length === 0) throw new GaitidError("dataVolume.subsets must be a non-empty list of training-set sizes");
  dv.subsets.forEach((n, i) => {
    requireInteger(`dataVolume.subsets[${i}] (records)`, n, 1, nTrain);
    if (i > 0 && !(n > dv.subsets[i - 1])) throw new GaitidError(`dataVolume.subsets must be ascending; got ${dv.subsets.join(", ")}`);
  });
  if (!(Number.isFinite(dv.maxEpochFactor) && dv.maxEpochFactor >= 1)) {
    throw new GaitidError(`dataVolume.maxEpochFactor must be a number >= 1 (a multiple of the preset's epochs); got ${show(dv.maxEpochFactor)}`);
  }
  if (!Array.isArray(s.noise.levels) || s.noise.levels.length === 0) throw new GaitidError("noise.levels must be a non-empty list of fractions");
  s.noise.levels.forEach((v, i) => {
    if (!(Number.isFinite(v) && v >= 0)) {
      throw new GaitidError(`noise.levels[${i}] must be a fraction >= 0 of each channel's standard deviation (0.05 is 5 %); got ${show(v)}`);
    }
  });
  if (s.architecture.architectures.length === 0) throw new GaitidError("architecture.architectures must hold at least one network");
  s.architecture.architectures.forEach((a, i) => {
    checkArch(a.arch ?? "mlp", `architecture.architectures[${i}].arch`);
    validateTrainingConfig({ ...config.training, layers: a.layers, units: a.units, activation: a.activation, epochs: a.epochs ?? config.training.epochs });
  });
  for (const [name, targets] of [["dataVolume", dv.targets], ["noise", s.noise.targets], ["architecture", s.architecture.targets]] as const) {
    if (targets.length === 0 || targets.some((t) => t !== "mkl0" && t !== "rhol0")) {
      throw new GaitidError(`${name}.targets must list mkl0 and/or rhol0; got ${JSON.stringify(targets)}`);
    }
  }
  requireInteger("multimodal.records", s.multimodal.records, 10);
  validateTrainingConfig({ ...config.training, ...s.multimodal.training });
  requireInteger("identifiability.records", s.identifiability.records, 1);
  requireInteger("noise.crbRecords (test records of the Cramér-Rao comparison)", s.noise.crbRecords, 0);
  requireInteger("design.records", s.design.records, 10);
  const ej = s.design.energyJoules;
  if (ej !== null && !(Array.isArray(ej) && ej.length === 2 && ej[0] > 0 && ej[0] < ej[1] && Number.isFinite(ej[1]))) {
    throw new GaitidError(`design.energyJoules must be null or a range [lo, hi] of initial energies with 0 < lo < hi (J); got ${JSON.stringify(ej)}`);
  }
  if (typeof s.design.redrawSubject !== "boolean") throw new GaitidError(`design.redrawSubject must be true or false; got ${JSON.stringify(s.design.redrawSubject)}`);
  requireInteger("posterior.samples (draws of (m, k) per shown record)", s.posterior.samples, 1, 10_000);
  requireInteger("posterior.grid (points of the density of m)", s.posterior.grid, 10, 10_000);
  requireInteger("jobs (training processes at once)", s.jobs, 1, 64);
  return s;
}

/** Whether `name` is a preset with experiment settings. */
export function hasExperimentSettings(name: string): name is PresetName {
  return Object.prototype.hasOwnProperty.call(PRESETS, name);
}

/**
 * Epochs of a data-volume subset of `subset` records out of `nTrain` (see
 * {@link DataVolumeSettings.maxEpochFactor}): round(epochs * nTrain / subset), at least `epochs`,
 * at most maxEpochFactor * epochs.
 */
export function subsetEpochs(epochs: number, subset: number, nTrain: number, maxEpochFactor: number): number {
  const scaled = Math.round((epochs * nTrain) / subset);
  return Math.max(epochs, Math.min(Math.floor(maxEpochFactor * epochs), scaled));
}
