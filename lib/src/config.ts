/**
 * The one typed configuration of a study, shared by the command line, the notebooks and the
 * report. Presets (tiny, quick, paper) are values of it, not code paths. Every value that comes
 * from outside (flags, JSON files, notebook cells) goes through {@link validateConfig}.
 */
import { GaitidError, inRange, rangeText, requireInRange, show, type NumericRange } from "./errors";

/** A closed interval [lo, hi]. */
export type Range = readonly [number, number];

/** Which observations a record holds: CoM position, or CoM position plus ground reaction force. */
export type Channels = "xy" | "xy+grf";

/** How synthetic records are made (gaitid generate; the dataset stage). */
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
  /** Specific energy e as a multiple of g*l0, uniform (nuisance, per unit mass; the per-unit-mass design). */
  energy: Range;
  /**
   * How the initial energy is drawn (absent: "per-unit-mass", the study's design, so that existing
   * configurations and manifests stay as they are): "per-unit-mass" draws the specific energy
   * e = eps g l0 with eps from `energy`; "joules" draws the initial energy E in joules from
   * `energyJoules`, independently of the subject, and e = E / m (J/kg). Under "joules" a record
   * carries information about m that has nothing to do with the mechanics (docs/model.md).
   */
  design?: DatasetDesign;
  /** Initial energy E, J, uniform: the "joules" design only. */
  energyJoules?: Range;
  /**
   * The "joules" design only (absent: false). false: a gait condition that does not walk is
   * redrawn, the subject (m, k, l0) kept. true: the subject is drawn again too, as a lab that gives
   * every subject the same energy budget in joules and replaces those who cannot walk with it.
   * Walking needs e within a few per cent of g l0, so with a window of E narrower than the subjects'
   * range of m g l0 the accepted subjects are selected by m l0: the record's e and l0 then say
   * something about m through the selection alone (docs/model.md, section on the design).
   */
  redrawSubject?: boolean;
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

/** How a dataset draws the initial energy (see {@link DatasetConfig.design}). */
export type DatasetDesign = "per-unit-mass" | "joules";
export const DATASET_DESIGNS: readonly DatasetDesign[] = ["per-unit-mass", "joules"];

/** Target variants of the estimator. */
export type TargetVariant = "mkl0" | "rhol0";

/** How an estimator is trained (gaitid train; the estimator stage). */
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

/**
 * Epochs of the posterior variant (gaitid train --target posterior) where they differ from the
 * preset's training.epochs; the other variants keep the preset's. quick: 150, not 60. Its mixture
 * density network, with its learning rate halved on plateaus (estimator/posterior/schedule.ts),
 * still gained 0.8 nats of validation NLL from epoch 60 to 150 (seed 1) and met the posterior's
 * calibration targets (KS of m, coverage of the credible intervals, SBC) only then; with seeds 2
 * and 3 only those of m and k (estimator/posterior/mdn.ts has the targets and the numbers).
 */
export const POSTERIOR_EPOCHS: Readonly<Partial<Record<PresetName, number>>> = { quick: 150 };

/** The preset of that name, as a fresh copy; an unknown name is an error that lists the known ones. */
export function preset(name: string): StudyConfig {
  if (!Object.prototype.hasOwnProperty.call(PRESETS, name)) {
    throw new GaitidError(`unknown preset ${show(name)}; choose one of ${Object.keys(PRESETS).join(", ")}`);
  }
  return structuredClone(PRESETS[name as PresetName]) as StudyConfig;
}

/** Seeds are 32-bit unsigned integers (the random streams are seeded with them). */
export const SEED_RANGE: NumericRange = { min: 0, max: 2 ** 32 - 1, integer: true };

/**
 * The ranges of the walker's inputs, used by the command line, the dataset configuration and the
 * simulator. Physically meaningful for a legged walker (from a small animal to a large robot), and
 * what the integrator honours: outside them DOP853 would stop with "step size underflow" or the
 * walk would leave the model (at e < 0.5 g*l0 the CoM cannot be above the fall height l0/2; above
 * 3 g*l0 or at vx0 > 10 m/s the walker takes off at once).
 */
export const WALKER_RANGES = {
  /** Body mass. */
  m: { min: 1, max: 1000, unit: "kg" },
  /** Leg stiffness. */
  k: { min: 10, max: 1e7, unit: "N/m" },
  /** k/m. */
  rho: { min: 1, max: 1e5, unit: "1/s^2" },
  /** Rest leg length. */
  l0: { min: 0.05, max: 5, unit: "m" },
  /** Angle of attack. */
  alpha0Deg: { min: 0, max: 90, minOpen: true, maxOpen: true, unit: "degrees from the ground" },
  /** Specific energy. */
  energy: { min: 0.5, max: 3, unit: "multiples of g*l0" },
  /** Forward speed at the start. */
  vx0: { min: 0, max: 10, minOpen: true, unit: "m/s" },
  /** Vertical speed at the start. */
  vy0: { min: -10, max: 10, unit: "m/s" },
  /** Length of a record. */
  duration: { min: 0, max: 3600, minOpen: true, unit: "s" },
  /** Sampling interval (also at most the duration and at least duration / (MAX_SAMPLES - 1)). */
  dt: { min: 0, max: 3600, minOpen: true, unit: "s" },
  /**
   * Relative tolerance of DOP853: scipy raises any rtol below 100 machine epsilons (2.2e-14) to
   * that, as rounding dominates below it; looser than 1e-2 lets the walk pass through the ground
   * (measured at rtol = atol = 0.1: a CoM height of -1.2 m).
   */
  rtol: { min: 1e-13, max: 1e-2 },
  /**
   * Absolute tolerance of DOP853: the first step is chosen from the tolerance scale of each state
   * component, which is atol alone for x = 0 at the start; with atol 1e-16 at rtol 1e-2 it falls
   * below the step-size floor and the walk stops with "step size underflow" (measured).
   */
  atol: { min: 1e-14, max: 1e-2, unit: "m, m/s" },
} as const satisfies Record<string, NumericRange>;

/** Most samples one record may hold (duration / dt + 1): bounds the memory and time of a walk. */
export const MAX_SAMPLES = 100_001;

/**
 * Most float32 values a dataset's X.npy may hold (records x samples x channels): 2^30, 4 GiB.
 * Training holds X and its standardized copy in memory (8 GiB), and every index into them stays a
 * 32-bit integer.
 */
export const MAX_DATASET_VALUES = 2 ** 30;

/** The ranges of the dataset configuration's numbers (records: see {@link recordsRange}). */
export const DATASET_RANGES = {
  seed: SEED_RANGE,
  duration: WALKER_RANGES.duration,
  dt: WALKER_RANGES.dt,
  maxModulus: { min: 1, max: 100, unit: "a step-map eigenvalue modulus" },
  rtol: WALKER_RANGES.rtol,
  atol: WALKER_RANGES.atol,
} as const satisfies Record<string, NumericRange>;

/** The ranges of the training configuration's numbers. */
export const TRAINING_RANGES = {
  layers: { min: 1, max: 100, integer: true, unit: "hidden layers" },
  units: { min: 1, max: 10_000, integer: true, unit: "units per layer" },
  epochs: { min: 1, max: 10_000, integer: true, unit: "epochs" },
  batchSize: { min: 1, max: 100_000, integer: true, unit: "records" },
  learningRate: { min: 1e-7, max: 1 },
  seed: SEED_RANGE,
  noise: { min: 0, max: 1, noun: "a fraction", unit: "of each channel's standard deviation" },
  noiseSeed: SEED_RANGE,
  patience: { min: 0, max: 10_000, integer: true, unit: "epochs" },
  checkpointEvery: { min: 1, max: 10_000, integer: true, unit: "epochs" },
} as const satisfies Partial<Record<keyof TrainingConfig, NumericRange>>;

/** Samples per record: duration / dt + 1 (t = 0, dt, ..., duration). */
export function samplesOf(d: Pick<DatasetConfig, "duration" | "dt">): number {
  return Math.round(d.duration / d.dt) + 1;
}

/** The range of the number of records: X.npy must hold at most {@link MAX_DATASET_VALUES} values. */
export function recordsRange(d: Pick<DatasetConfig, "duration" | "dt" | "channels">): NumericRange {
  const samples = samplesOf(d), channels = d.channels === "xy+grf" ? 4 : 2;
  return {
    min: 1,
    max: Math.floor(MAX_DATASET_VALUES / (samples * channels)),
    integer: true,
    unit: `X.npy holds records x ${samples} samples x ${channels} channels as float32, at most 2^30 values = 4 GiB`,
  };
}

/**
 * How a validator names the fields: a map from the configuration path ("dataset.records",
 * "training.learningRate") to what the user wrote ("--records", "--learning-rate"). Fields not in
 * the map are named by their path (a JSON file, a notebook cell).
 */
export type FieldNames = Readonly<Record<string, string>>;

const nameOf = (names: FieldNames | undefined, p: string): string => names?.[p] ?? p;

/**
 * The range of the sampling interval dt for a record of `duration` s: at most the duration (two
 * samples) and at least duration / (MAX_SAMPLES - 1). `durationName` names the duration in the text.
 */
export function dtRange(duration: number, durationName: string): NumericRange {
  return {
    min: duration / (MAX_SAMPLES - 1),
    max: duration,
    unit: `s; at most ${durationName} = ${duration} s and at least ${durationName} / ${MAX_SAMPLES - 1}, so that a record holds 2 to ${MAX_SAMPLES} samples`,
  };
}

/** Checks a sampling: duration and dt each in their range, dt in {@link dtRange}. `names` names the two. */
export function checkSampling(duration: number, dt: number, names: { duration: string; dt: string }): void {
  requireInRange(names.duration, duration, WALKER_RANGES.duration);
  requireInRange(names.dt, dt, WALKER_RANGES.dt);
  requireInRange(names.dt, dt, dtRange(duration, names.duration));
}

function checkPrior(name: string, r: Range, within: NumericRange, positive = true): void {
  const unit = within.unit ?? "";
  if (!Array.isArray(r) || r.length !== 2 || !r.every((v) => Number.isFinite(v)) || !(r[0] <= r[1])) {
    throw new GaitidError(`${name} must be a range [lo, hi] with lo <= hi (${unit}); got ${JSON.stringify(r)}`);
  }
  if (positive && r[0] <= 0) throw new GaitidError(`${name} must be positive (${unit}); got [${r[0]}, ${r[1]}]`);
  if (!r.every((v) => inRange(v, within))) throw new GaitidError(`${name} must lie within ${rangeText(within)}; got [${r[0]}, ${r[1]}]`);
}

/** Checks every field; throws a {@link GaitidError} naming the first bad value. Returns its input. */
export function validateConfig(c: StudyConfig, names?: FieldNames): StudyConfig {
  validateDatasetConfig(c.dataset, names);
  validateTrainingConfig(c.training, names);
  return c;
}

/**
 * Checks a dataset configuration; throws a {@link GaitidError} naming the first bad value (by its
 * path, "dataset.records", or by the flag `names` maps it to).
 */
export function validateDatasetConfig(d: DatasetConfig, names?: FieldNames): DatasetConfig {
  const n = (field: string): string => nameOf(names, `dataset.${field}`);
  if (d.channels !== "xy" && d.channels !== "xy+grf") {
    throw new GaitidError(`${n("channels")} must be "xy" or "xy+grf"; got ${show(d.channels)}`);
  }
  requireInRange(n("seed"), d.seed, DATASET_RANGES.seed);
  checkSampling(d.duration, d.dt, { duration: n("duration"), dt: n("dt") });
  if (Math.abs(d.duration / d.dt - Math.round(d.duration / d.dt)) > 1e-9) {
    throw new GaitidError(`${n("duration")} (${d.duration} s) must be a whole multiple of ${n("dt")} (${d.dt} s)`);
  }
  requireInRange(n("records"), d.records, recordsRange(d));
  checkPrior(n("m"), d.m, WALKER_RANGES.m);
  checkPrior(n("k"), d.k, WALKER_RANGES.k);
  checkPrior(n("l0"), d.l0, WALKER_RANGES.l0);
  if (Array.isArray(d.alpha0Deg) && d.alpha0Deg[1] >= 90) throw new GaitidError(`${n("alpha0Deg")} must lie in (0, 90) degrees; got [${d.alpha0Deg}]`);
  checkPrior(n("alpha0Deg"), d.alpha0Deg, WALKER_RANGES.alpha0Deg);
  checkPrior(n("energy"), d.energy, WALKER_RANGES.energy);
  if (d.design !== undefined && !DATASET_DESIGNS.includes(d.design)) {
    throw new GaitidError(`${n("design")} must be ${DATASET_DESIGNS.map((x) => `"${x}"`).join(" or ")}; got ${show(d.design)}`);
  }
  if (d.design === "joules") {
    if (d.energyJoules === undefined) throw new GaitidError(`${n("energyJoules")} (the range of the initial energy E, J) is needed by the "joules" design`);
    checkPrior(n("energyJoules"), d.energyJoules, { min: 0, max: 1e7, minOpen: true, unit: "J" });
  } else if (d.energyJoules !== undefined) {
    throw new GaitidError(`${n("energyJoules")} is used only by the "joules" design; set ${n("design")} to "joules" or leave it out`);
  }
  if (d.redrawSubject !== undefined) {
    if (typeof d.redrawSubject !== "boolean") throw new GaitidError(`${n("redrawSubject")} must be true or false; got ${show(d.redrawSubject)}`);
    if (d.design !== "joules") throw new GaitidError(`${n("redrawSubject")} is used only by the "joules" design; set ${n("design")} to "joules" or leave it out`);
  }
  const rhoLo = d.k[0] / d.m[1], rhoHi = d.k[1] / d.m[0];
  if (!inRange(rhoLo, WALKER_RANGES.rho) || !inRange(rhoHi, WALKER_RANGES.rho)) {
    throw new GaitidError(`${n("k")} / ${n("m")} (rho) must lie within ${rangeText(WALKER_RANGES.rho)}; the priors give ${rhoLo} to ${rhoHi}`);
  }
  const s = d.split;
  if (!Array.isArray(s) || s.length !== 3 || s.some((v) => !(v >= 0)) || Math.abs(s[0] + s[1] + s[2] - 1) > 1e-9) {
    throw new GaitidError(`${n("split")} must be three fractions >= 0 that add up to 1; got ${JSON.stringify(s)}`);
  }
  requireInRange(n("maxModulus"), d.maxModulus, DATASET_RANGES.maxModulus);
  requireInRange(n("rtol"), d.rtol, DATASET_RANGES.rtol);
  requireInRange(n("atol"), d.atol, DATASET_RANGES.atol);
  return d;
}

/**
 * Checks a training configuration; throws a {@link GaitidError} naming the first bad value (by its
 * path, "training.epochs", or by the flag `names` maps it to).
 */
export function validateTrainingConfig(t: TrainingConfig, names?: FieldNames): TrainingConfig {
  const n = (field: string): string => nameOf(names, `training.${field}`);
  if (!["relu", "elu", "tanh", "selu", "swish"].includes(t.activation)) {
    throw new GaitidError(`${n("activation")} must be one of relu, elu, tanh, selu, swish; got ${show(t.activation)}`);
  }
  for (const [field, range] of Object.entries(TRAINING_RANGES)) {
    requireInRange(n(field), t[field as keyof typeof TRAINING_RANGES], range);
  }
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
