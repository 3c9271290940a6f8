/**
 * The one typed configuration of a study, shared by the command line, the notebooks and the
 * report. Presets (tiny, quick, paper) are values of it, not code paths. Every value that comes
 * from outside (flags, JSON files, notebook cells) goes through {@link validateConfig}.
 */
import { GaitidError, requireInteger, requirePositive, show } from "./errors";

/** A closed interval [lo, hi]. */
export type Range = readonly [number, number];

/** Which observations a record holds: CoM position, or CoM position plus ground reaction force. */
export type Channels = "xy" | "xy+grf";

/** How synthetic records are made (issue: datasets). */
export interface DatasetConfig {
  /** Number of walking records to keep. */
  records: number;
  /** Observation channels: "xy" (x, y in m) or "xy+grf" (adds total GRF fx, fy in N). */
  channels: Channels;
  /** Master seed; each record's random stream derives from (seed, record index). */
  seed: number;
  /** Length of each record, s (paper: 15). */
  duration: number;
  /** Sampling interval, s (paper: 0.1); samples at 0, dt, ..., duration inclusive. */
  dt: number;
  /** Prior of the mass m, kg, uniform (paper: [60, 75]). */
  m: Range;
  /** Prior of the leg stiffness k, N/m, uniform (paper: [8000, 10000]). */
  k: Range;
  /** Prior of the rest leg length l0, m, uniform (paper: [0.6, 0.8]). */
  l0: Range;
  /** Angle of attack alpha0, degrees from the ground, uniform (nuisance, per unit mass). */
  alpha0Deg: Range;
  /** Specific energy e as a multiple of g*l0, uniform (nuisance, per unit mass). */
  energy: Range;
  /**
   * Largest eigenvalue modulus of the linearised step map that a record's gait may have. Errors
   * of the integration grow by about this factor per step (about 30 steps in 15 s), so a record
   * on a strongly unstable gait is not reproducible to 1e-6 m from its parameters; such gait
   * conditions are redrawn like the ones that do not walk.
   */
  maxModulus: number;
  /** Fractions of records in train / validation / test (paper: 0.8 / 0.1 / 0.1). */
  split: readonly [number, number, number];
  /** Relative tolerance of the integrator. */
  rtol: number;
  /** Absolute tolerance of the integrator (m, m/s). */
  atol: number;
}

/** Target variants of the estimator. */
export type TargetVariant = "mkl0" | "rhol0";

/** How an estimator is trained (issue: estimators). */
export interface TrainingConfig {
  /** Hidden layers of the fully connected network (paper: 7). */
  layers: number;
  /** Units per hidden layer (paper: 50). */
  units: number;
  /** Activation of the hidden layers. */
  activation: "relu" | "elu" | "tanh" | "selu" | "swish";
  /** Training epochs (paper: 500). */
  epochs: number;
  /** Mini-batch size (paper: 1000). */
  batchSize: number;
  /** Adam learning rate. */
  learningRate: number;
  /** Seed of weight initialisation and shuffling. */
  seed: number;
  /** Additive Gaussian input noise as a fraction of each channel's standard deviation. */
  noise: number;
  /** Seed of the input noise. */
  noiseSeed: number;
  /** Stop after this many epochs without a better validation loss (0: never stop early). */
  patience: number;
  /** Write a checkpoint every this many epochs. */
  checkpointEvery: number;
}

/** A whole study: the dataset and the training of its estimators. */
export interface StudyConfig {
  /** Name of the preset this configuration started from (informational). */
  preset: string;
  dataset: DatasetConfig;
  training: TrainingConfig;
}

const paperDataset: DatasetConfig = {
  records: 1_000_000,
  channels: "xy",
  seed: 20230721,
  duration: 15,
  dt: 0.1,
  m: [60, 75],
  k: [8000, 10000],
  l0: [0.6, 0.8],
  alpha0Deg: [56, 62],
  energy: [1.01, 1.035],
  maxModulus: 1.2,
  split: [0.8, 0.1, 0.1],
  rtol: 1e-9,
  atol: 1e-10,
};

const paperTraining: TrainingConfig = {
  layers: 7,
  units: 50,
  activation: "elu",
  epochs: 500,
  batchSize: 1000,
  learningRate: 1e-3,
  seed: 1,
  noise: 0,
  noiseSeed: 2,
  patience: 0,
  checkpointEvery: 10,
};

/** The named presets. tiny: seconds, for tests and CI; quick: the README's end-to-end run;
 * paper: the scale of arXiv 2307.11332 (1,000,000 records, 500 epochs). */
export const PRESETS: Readonly<Record<"tiny" | "quick" | "paper", StudyConfig>> = {
  tiny: {
    preset: "tiny",
    dataset: { ...paperDataset, records: 400 },
    training: { ...paperTraining, epochs: 20, batchSize: 100, checkpointEvery: 5 },
  },
  quick: {
    preset: "quick",
    dataset: { ...paperDataset, records: 20_000 },
    training: { ...paperTraining, epochs: 60, batchSize: 500, checkpointEvery: 10 },
  },
  paper: { preset: "paper", dataset: paperDataset, training: paperTraining },
};

export type PresetName = keyof typeof PRESETS;

/** The preset of that name, as a fresh copy; an unknown name is an error that lists the known ones. */
export function preset(name: string): StudyConfig {
  if (!Object.prototype.hasOwnProperty.call(PRESETS, name)) {
    throw new GaitidError(`unknown preset ${show(name)}; choose one of ${Object.keys(PRESETS).join(", ")}`);
  }
  return structuredClone(PRESETS[name as PresetName]) as StudyConfig;
}

function checkRange(name: string, r: Range, unit: string, positive = true): void {
  if (!Array.isArray(r) || r.length !== 2 || !r.every((v) => Number.isFinite(v)) || !(r[0] <= r[1])) {
    throw new GaitidError(`${name} must be a range [lo, hi] with lo <= hi (${unit}); got ${JSON.stringify(r)}`);
  }
  if (positive && r[0] <= 0) throw new GaitidError(`${name} must be positive (${unit}); got [${r[0]}, ${r[1]}]`);
}

/** Checks every field; throws a {@link GaitidError} naming the first bad value. Returns its input. */
export function validateConfig(c: StudyConfig): StudyConfig {
  validateDatasetConfig(c.dataset);
  validateTrainingConfig(c.training);
  return c;
}

/** Checks a dataset configuration; throws a {@link GaitidError} naming the first bad value. */
export function validateDatasetConfig(d: DatasetConfig): DatasetConfig {
  requireInteger("dataset.records", d.records, 1);
  if (d.channels !== "xy" && d.channels !== "xy+grf") {
    throw new GaitidError(`dataset.channels must be "xy" or "xy+grf"; got ${show(d.channels)}`);
  }
  requireInteger("dataset.seed", d.seed, 0, 2 ** 32 - 1);
  requirePositive("dataset.duration", d.duration, "s");
  requirePositive("dataset.dt", d.dt, "s");
  if (Math.abs(d.duration / d.dt - Math.round(d.duration / d.dt)) > 1e-9) {
    throw new GaitidError(`dataset.duration (${d.duration} s) must be a whole multiple of dataset.dt (${d.dt} s)`);
  }
  checkRange("dataset.m", d.m, "kg");
  checkRange("dataset.k", d.k, "N/m");
  checkRange("dataset.l0", d.l0, "m");
  checkRange("dataset.alpha0Deg", d.alpha0Deg, "degrees");
  if (d.alpha0Deg[1] >= 90) throw new GaitidError(`dataset.alpha0Deg must lie in (0, 90) degrees; got [${d.alpha0Deg}]`);
  checkRange("dataset.energy", d.energy, "multiples of g*l0");
  const s = d.split;
  if (!Array.isArray(s) || s.length !== 3 || s.some((v) => !(v >= 0)) || Math.abs(s[0] + s[1] + s[2] - 1) > 1e-9) {
    throw new GaitidError(`dataset.split must be three fractions >= 0 that add up to 1; got ${JSON.stringify(s)}`);
  }
  if (!(d.maxModulus >= 1 && Number.isFinite(d.maxModulus))) {
    throw new GaitidError(`dataset.maxModulus must be a finite number >= 1 (a step-map eigenvalue modulus); got ${show(d.maxModulus)}`);
  }
  requirePositive("dataset.rtol", d.rtol);
  requirePositive("dataset.atol", d.atol);
  return d;
}

/** Checks a training configuration; throws a {@link GaitidError} naming the first bad value. */
export function validateTrainingConfig(t: TrainingConfig): TrainingConfig {
  requireInteger("training.layers", t.layers, 1, 100);
  requireInteger("training.units", t.units, 1, 10_000);
  if (!["relu", "elu", "tanh", "selu", "swish"].includes(t.activation)) {
    throw new GaitidError(`training.activation must be one of relu, elu, tanh, selu, swish; got ${show(t.activation)}`);
  }
  requireInteger("training.epochs", t.epochs, 1);
  requireInteger("training.batchSize", t.batchSize, 1);
  requirePositive("training.learningRate", t.learningRate);
  requireInteger("training.seed", t.seed, 0, 2 ** 32 - 1);
  if (!(t.noise >= 0 && Number.isFinite(t.noise))) {
    throw new GaitidError(`training.noise must be a fraction >= 0 of each channel's standard deviation; got ${show(t.noise)}`);
  }
  requireInteger("training.noiseSeed", t.noiseSeed, 0, 2 ** 32 - 1);
  requireInteger("training.patience", t.patience, 0);
  requireInteger("training.checkpointEvery", t.checkpointEvery, 1);
  return t;
}

/**
 * Whether two configurations (or parts of one) are the same: deep equality of JSON-like values,
 * whatever the order of the keys (a key holding undefined counts as absent). Decides whether a dataset or run on disk can be reused.
 */
export function sameConfig(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  // Keys holding undefined count as absent (they do not survive a trip through JSON).
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => sameConfig((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
