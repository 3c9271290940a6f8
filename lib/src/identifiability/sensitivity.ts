/**
 * The sensitivity matrix of a record's observed samples with respect to the subject's parameters
 * in logarithms: d obs(t_i) / d log theta_j, by central differences through the simulator.
 *
 * What is held fixed. A record is a walk of one subject (m, k, l0) started in one gait condition.
 * The gait condition is the record's nuisance and is per unit mass (docs/model.md, "a trap in the
 * design of the data"): the angle of attack alpha0 and the initial state at vertical leg
 * orientation (x = 0, y = y0, x' = vx0, y' = 0). Perturbing m, k or l0 keeps all of these and
 * changes only the dynamics, which is the question "would this same walk, started the same way,
 * look different for another subject?". Consequences, all intended:
 * - the specific energy e of the record changes with rho and l0 (the elastic energy at VLO is
 *   rho (l0 - y0)^2 / 2), and the perturbed walk is slightly off the periodic gait the record
 *   started on; over 15 s that drift is part of what makes rho and l0 visible;
 * - the touchdown height l0 sin(alpha0) moves with l0 while y0 stays: the perturbation must keep
 *   l0 sin(alpha0) < y0 <= l0 (checked; with the default step of 1e-6 in log l0 it fails only for
 *   a record that starts within 1e-4 % of either bound);
 * - nothing in this choice involves m or k other than through the simulator, so the (1, 1, 0)
 *   null direction of the xy observation is a property of the mechanics that the numbers show,
 *   not one that was put in. (Re-finding the periodic gait for each perturbed subject, holding e
 *   instead of y0 and vx0, would also depend on (m, k) only through rho and give the same null
 *   direction; it was not chosen because it makes every column a gait search.)
 *
 * Observation rows (see {@link sensitivityMatrix}): x and y in m; the ground reaction force in
 * newtons divided by a fixed reference weight m_ref g, with m_ref the record's own mass (a constant,
 * not perturbed), i.e. in body weights. That weighs a 1 mm position error like a force error of
 * 0.001 body weight. The weighting changes the singular values and the GRF null direction, never
 * the xy null direction: a vector v with J v = 0 also has D J v = 0 for any row scaling D.
 *
 * The step. Central differences have a truncation error of about C h^2 (C: the third derivative
 * of the observation, relative to the first) and a noise error of about eps / h, where eps is the
 * part of the integration error that does not vary smoothly between two nearby runs. Measured on
 * three gaits of the paper's box ({@link stepStudy} in analysis.ts; rtol 1e-11, atol 1e-12,
 * 15 s): eps is about 1e-14 relative to a column (columns at h = 1e-7 and 3e-7 differ by ~5e-7);
 * C is large because the gaits are weakly unstable (step-map eigenvalue moduli 1.04 to 1.16) and
 * a perturbation grows over the ~20 steps of a record: C ~ 4e2 for modulus 1.04, ~1.5e5 for 1.12.
 * The best step (eps / C)^(1/3) is then 5e-6 to 4e-7 (steps of 1e-3 or 1e-4, which a stable
 * system would take, are off by 1e-3 to 1e-1 here, and some perturbed walks at 1e-3 fall).
 * Datasets hold gaits with step-map moduli up to dataset.maxModulus (1.2 in the presets; before
 * that bound existed, up to 1.8: such gaits walk 15 s when started exactly on the orbit, their
 * perturbations grow by up to 1e6 over a record, and some perturbed walks fall even at h = 1e-6),
 * and one step does not fit all of them. So the step is chosen per record by
 * {@link adaptiveSensitivity}: J(h) is compared with J(2 h) starting from h = {@link SENSITIVITY_STEP}
 * = 1e-6, and h is halved until the change |J(h) - J(2 h)| relative to |J| reaches
 * {@link SENSITIVITY_TARGET}, or grows again after falling below 1e-4 (the noise regime, where it
 * doubles per halving; in the truncation regime it falls 4x per halving), or h reaches
 * {@link SENSITIVITY_MIN_STEP}; the pair with the smallest change is kept. A failed perturbed walk
 * also halves h. Measured on the first 150 records of the tiny preset's dataset (maxModulus 1.2):
 * 138 stop at h = 1e-6 (change ~1e-8), 5 at 5e-7, 7 go down to between 2.5e-7 and 7.8e-9; the
 * largest change kept is 1.4e-6. On 40 records with moduli up to 1.8, 10 went down to 2e-9 and 1
 * fell at every step (reported as a failure).
 * The change of the kept pair is reported as the accuracy of J (conservative: in the truncation
 * regime the error of J(h) is a third of it).
 * The force channels have a kink in the parameters where a touchdown or lift-off crosses a sample
 * time (the force is continuous, its time derivative jumps); a central difference straddling it
 * is wrong for that one sample; small steps make this rare and the J(2 h) comparison shows it.
 */
import type { Channels } from "../config";
import { GaitidError, requirePositive, show } from "../errors";
import { G } from "../walker/physics";
import { WalkerSimulator, type Walk } from "../walker/simulate";

/** An observation model: the CoM path alone, or with the total ground reaction force. */
export type ObservationModel = Channels;
/** The observation models, in order. */
export const OBSERVATION_MODELS: readonly ObservationModel[] = ["xy", "xy+grf"];

/**
 * Parametrisations of the subject, all in logarithms (relative changes): "mkl0" is
 * (log m, log k, log l0); "rhol0" is (log rho, log l0) with rho = k / m and m held at the record's
 * value (it enters only the force rows, as the factor m of the newtons).
 */
export type Parametrisation = "mkl0" | "rhol0";

/** Names of the parameters of each parametrisation, in column order. */
export const SENSITIVITY_PARAMETERS: Readonly<Record<Parametrisation, readonly string[]>> = {
  mkl0: ["log m", "log k", "log l0"],
  rhol0: ["log rho", "log l0"],
};

/** Central-difference step in log-parameters (a relative change of 1e-4 %; see the module comment). */
export const SENSITIVITY_STEP = 1e-6;
/** Relative change |J(h) - J(2 h)|_F / |J(h)|_F at which the step search stops. */
export const SENSITIVITY_TARGET = 1e-6;
/** Smallest step the search tries (noise eps / h reaches ~1e-5 relative there). */
export const SENSITIVITY_MIN_STEP = 1e-9;
/** Relative tolerance of the simulations behind a sensitivity matrix. */
export const SENSITIVITY_RTOL = 1e-11;
/** Absolute tolerance of those simulations, m and m/s. */
export const SENSITIVITY_ATOL = 1e-12;

/** A record to analyse: the subject and the record's gait condition (its nuisance). */
export interface SensitivityRecord {
  /** Record id (the dataset's row id, or 0 for a record made on the command line). */
  id: number;
  /** Body mass, kg. */
  m: number;
  /** Leg stiffness, N/m. */
  k: number;
  /** Rest leg length, m. */
  l0: number;
  /** Angle of attack, rad. */
  alpha0: number;
  /** CoM height at the start (VLO), m. */
  y0: number;
  /** Forward speed at the start (VLO), m/s. */
  vx0: number;
  /** Length of the record, s. */
  duration: number;
  /** Sampling interval, s. */
  dt: number;
}

/** Options of {@link sensitivity}. */
export interface SensitivityOptions {
  /** Central-difference step in log-parameters (default {@link SENSITIVITY_STEP}); the first step of {@link adaptiveSensitivity}. */
  step?: number;
  /** Stop the step search at this relative change of J (default {@link SENSITIVITY_TARGET}). */
  target?: number;
  /** Smallest step of the search (default {@link SENSITIVITY_MIN_STEP}). */
  minStep?: number;
  /** Integrator tolerances (defaults {@link SENSITIVITY_RTOL}, {@link SENSITIVITY_ATOL}). */
  rtol?: number;
  atol?: number;
  /** Gravitational acceleration, m/s^2 (default 9.81). */
  g?: number;
}

/** The observed channels of one walk: x, y in m; fx, fy in body weights of the record (N / (m_ref g)). */
export interface ObservedChannels {
  x: Float64Array;
  y: Float64Array;
  fx: Float64Array;
  fy: Float64Array;
}

/** The derivatives of every observed channel with respect to each parameter (central differences). */
export interface Sensitivity {
  parametrisation: Parametrisation;
  parameters: readonly string[];
  /** The step used, in log-parameters. */
  step: number;
  /** Samples per channel. */
  samples: number;
  /** columns[j] holds d channel / d parameter j for every channel (units of the channel). */
  columns: ObservedChannels[];
}

/** The subject at a point of parameter space, as the simulator needs it. */
interface Point {
  /** Mass, kg (scales the force channels). */
  m: number;
  /** k / m, 1/s^2. */
  rho: number;
  /** Rest leg length, m. */
  l0: number;
}

/** The subject with log-parameter offsets `delta` (one per parameter) applied. */
function pointAt(r: SensitivityRecord, parametrisation: Parametrisation, delta: readonly number[]): Point {
  if (parametrisation === "mkl0") {
    const m = r.m * Math.exp(delta[0]);
    const k = r.k * Math.exp(delta[1]);
    // The simulator sees (m, k) only through this ratio, exactly as mechanicsOf computes it.
    return { m, rho: k / m, l0: r.l0 * Math.exp(delta[2]) };
  }
  return { m: r.m, rho: (r.k / r.m) * Math.exp(delta[0]), l0: r.l0 * Math.exp(delta[1]) };
}

/** Checks a record's fields; throws a GaitidError naming the bad one. */
export function checkSensitivityRecord(r: SensitivityRecord): SensitivityRecord {
  const what = `record ${r.id}`;
  requirePositive(`${what}: m`, r.m, "kg");
  requirePositive(`${what}: k`, r.k, "N/m");
  requirePositive(`${what}: l0`, r.l0, "m");
  requirePositive(`${what}: duration`, r.duration, "s");
  requirePositive(`${what}: dt`, r.dt, "s");
  requirePositive(`${what}: vx0`, r.vx0, "m/s");
  if (!(r.alpha0 > 0 && r.alpha0 < Math.PI / 2)) {
    throw new GaitidError(`${what}: alpha0 must lie strictly between 0 and pi/2 rad (0 and 90 degrees); got ${show(r.alpha0)}`);
  }
  const yTd = r.l0 * Math.sin(r.alpha0);
  if (!(r.y0 > yTd && r.y0 <= r.l0)) {
    throw new GaitidError(`${what}: y0 must satisfy l0 sin(alpha0) = ${yTd.toFixed(6)} < y0 <= l0 = ${r.l0} m; got ${show(r.y0)}`);
  }
  return r;
}

/**
 * Simulates the record at a parameter point and returns its observed channels (x, y in m; force
 * in units of the record's weight r.m * g). Throws a GaitidError when the walk does not last the
 * whole record or the start is not a valid VLO state for the perturbed l0.
 */
export function observeRecord(
  r: SensitivityRecord,
  point: Point,
  rtol: number,
  atol: number,
  g = G,
  sim = new WalkerSimulator(),
): ObservedChannels {
  const yTd = point.l0 * Math.sin(r.alpha0);
  if (!(r.y0 > yTd && r.y0 <= point.l0)) {
    throw new GaitidError(
      `record ${r.id}: with l0 = ${point.l0} m the start y0 = ${r.y0} m leaves the range (l0 sin(alpha0), l0] = ` +
        `(${yTd}, ${point.l0}]; use a smaller --step`,
    );
  }
  const walk: Walk = sim.run({ mechanics: { rho: point.rho, l0: point.l0, g }, alpha0: r.alpha0, start: [0, r.y0, r.vx0, 0], duration: r.duration, dt: r.dt, rtol, atol, grf: true });
  const n = Math.round(r.duration / r.dt) + 1;
  if (walk.status !== "walking" || walk.samples !== n || !walk.fx || !walk.fy) {
    throw new GaitidError(
      `record ${r.id}: the walk with m = ${point.m} kg, rho = ${point.rho} 1/s^2, l0 = ${point.l0} m ended in ` +
        `${walk.status} at ${walk.failureTime.toFixed(3)} s; a sensitivity needs walks that last the whole ${r.duration} s`,
    );
  }
  const scale = point.m / (r.m * g);
  const fx = new Float64Array(n), fy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    fx[i] = walk.fx[i] * scale;
    fy[i] = walk.fy[i] * scale;
  }
  return { x: Float64Array.from(walk.x), y: Float64Array.from(walk.y), fx, fy };
}

/** The record observed at its own parameters. */
export function nominalObservation(r: SensitivityRecord, opts: SensitivityOptions = {}, sim = new WalkerSimulator()): ObservedChannels {
  checkSensitivityRecord(r);
  return observeRecord(r, pointAt(r, "mkl0", [0, 0, 0]), opts.rtol ?? SENSITIVITY_RTOL, opts.atol ?? SENSITIVITY_ATOL, opts.g ?? G, sim);
}

/**
 * Central-difference sensitivities of every channel of the record with respect to the parameters
 * of `parametrisation` (2 simulations per parameter, each with the ground reaction force, so one
 * call serves both observation models).
 */
export function sensitivity(
  r: SensitivityRecord,
  parametrisation: Parametrisation,
  opts: SensitivityOptions = {},
  sim = new WalkerSimulator(),
): Sensitivity {
  checkSensitivityRecord(r);
  const h = requirePositive("step", opts.step ?? SENSITIVITY_STEP);
  if (h > 0.1) throw new GaitidError(`step must be at most 0.1 (a 10 % change of a parameter); got ${show(h)}`);
  const rtol = requirePositive("rtol", opts.rtol ?? SENSITIVITY_RTOL);
  const atol = requirePositive("atol", opts.atol ?? SENSITIVITY_ATOL, "m");
  const g = opts.g ?? G;
  const names = SENSITIVITY_PARAMETERS[parametrisation];
  const columns: ObservedChannels[] = [];
  let samples = 0;
  for (let j = 0; j < names.length; j++) {
    const plus = names.map((_, i) => (i === j ? h : 0));
    const minus = names.map((_, i) => (i === j ? -h : 0));
    const a = observeRecord(r, pointAt(r, parametrisation, plus), rtol, atol, g, sim);
    const b = observeRecord(r, pointAt(r, parametrisation, minus), rtol, atol, g, sim);
    samples = a.x.length;
    const d = (u: Float64Array, v: Float64Array): Float64Array => u.map((ui, i) => (ui - v[i]) / (2 * h));
    columns.push({ x: d(a.x, b.x), y: d(a.y, b.y), fx: d(a.fx, b.fx), fy: d(a.fy, b.fy) });
  }
  return { parametrisation, parameters: names, step: h, samples, columns };
}

/** The observed rows of one channel set, stacked: x then y (xy), then fx then fy (xy+grf). */
export function stackChannels(o: ObservedChannels, observe: ObservationModel): Float64Array {
  const parts = observe === "xy" ? [o.x, o.y] : [o.x, o.y, o.fx, o.fy];
  const out = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The sensitivity matrix J of an observation model, as its columns (one per parameter): rows are
 * the samples of x and y in m (then fx, fy in body weights for xy+grf), columns the derivatives
 * with respect to the log-parameters.
 */
export function sensitivityMatrix(s: Sensitivity, observe: ObservationModel): Float64Array[] {
  return s.columns.map((c) => stackChannels(c, observe));
}

/** The result of {@link adaptiveSensitivity}: J at the chosen step h and at 2 h. */
export interface AdaptiveSensitivity {
  /** Sensitivities at the chosen step. */
  sensitivity: Sensitivity;
  /** Sensitivities at twice that step (the comparison). */
  coarse: Sensitivity;
  /** |J(h) - J(2 h)|_F / |J(h)|_F over all channels (x, y, fx, fy). */
  relativeChange: number;
  /** Steps tried, largest first (each a J computation; a failed one is listed too). */
  tried: number[];
}

function relativeChange(a: Sensitivity, b: Sensitivity): number {
  let d = 0, n = 0;
  a.columns.forEach((c, j) => {
    const u = stackChannels(c, "xy+grf"), v = stackChannels(b.columns[j], "xy+grf");
    for (let i = 0; i < u.length; i++) {
      d += (u[i] - v[i]) ** 2;
      n += u[i] * u[i];
    }
  });
  return n > 0 ? Math.sqrt(d / n) : Number.POSITIVE_INFINITY;
}

/**
 * Sensitivities with the step chosen per record (see the module comment): J(h) against J(2 h) for
 * h = step, step/2, ... down to minStep, keeping the pair with the smallest change; stops early at
 * the target or when the change starts to grow. Throws the last GaitidError when no pair could be
 * computed (perturbed walks failed at every step).
 */
export function adaptiveSensitivity(
  r: SensitivityRecord,
  parametrisation: Parametrisation,
  opts: SensitivityOptions = {},
  sim = new WalkerSimulator(),
): AdaptiveSensitivity {
  const first = requirePositive("step", opts.step ?? SENSITIVITY_STEP);
  if (first > 0.05) throw new GaitidError(`step must be at most 0.05 (J(2 step) changes a parameter by 10 %); got ${show(first)}`);
  const target = requirePositive("target", opts.target ?? SENSITIVITY_TARGET);
  const minStep = requirePositive("minStep", opts.minStep ?? SENSITIVITY_MIN_STEP);
  const tried: number[] = [];
  let prev: Sensitivity | undefined;
  let best: AdaptiveSensitivity | undefined;
  let lastError: GaitidError | undefined;
  for (let h = 2 * first; h >= minStep * (1 - 1e-12); h /= 2) {
    tried.push(h);
    let s: Sensitivity;
    try {
      s = sensitivity(r, parametrisation, { ...opts, step: h }, sim);
    } catch (err) {
      if (!(err instanceof GaitidError)) throw err;
      lastError = err;
      prev = undefined;
      continue;
    }
    if (prev) {
      const change = relativeChange(s, prev);
      if (!best || change < best.relativeChange) best = { sensitivity: s, coarse: prev, relativeChange: change, tried };
      // The change grew after J was already good to 1e-4: the noise regime, it only grows from
      // here. (A growth at a worse level is a kink of the force channels straddled by the
      // difference, or the end of the nonlinear regime: keep halving.)
      else if (best.relativeChange <= 1e-4) break;
      if (change <= target) break;
    }
    prev = s;
  }
  if (!best) throw lastError ?? new GaitidError(`record ${r.id}: no step from ${first} down to ${minStep} gave two sensitivity matrices`);
  return { ...best, tried: [...tried] };
}

/** Offsets of rho, in units of 2^-52 (one ulp at 1), of the runs behind {@link integrationNoise}. */
export const NOISE_ULPS: readonly number[] = [1, 3, 5];

/**
 * Samples of the integration noise between nearby runs, the level at which a singular value is
 * indistinguishable from zero: the record simulated with rho and with rho (1 + n 2^-52) for n in
 * {@link NOISE_ULPS} (m, l0 fixed), minus the linear response d obs / d log rho * log(1 + n 2^-52)
 * (from `s`, whose parametrisation has a rho or k column). What is left is the part of the
 * integration error that does not vary smoothly with the parameters: adaptive step sizes, event
 * location and rounding react to a last-bit change. A central difference with step h sees it
 * divided by h. The runs have m fixed, so this estimate is independent of whether the simulator
 * depends on m and k only through k / m. 4 simulations.
 */
export function integrationNoise(
  r: SensitivityRecord,
  s: Sensitivity,
  opts: SensitivityOptions = {},
  sim = new WalkerSimulator(),
): ObservedChannels[] {
  checkSensitivityRecord(r);
  const rtol = opts.rtol ?? SENSITIVITY_RTOL;
  const atol = opts.atol ?? SENSITIVITY_ATOL;
  const g = opts.g ?? G;
  const rho = r.k / r.m;
  const base = observeRecord(r, { m: r.m, rho, l0: r.l0 }, rtol, atol, g, sim);
  const col = s.columns[s.parametrisation === "mkl0" ? 1 : 0];
  return NOISE_ULPS.map((n) => {
    const e = n * 2 ** -52;
    const o = observeRecord(r, { m: r.m, rho: rho * (1 + e), l0: r.l0 }, rtol, atol, g, sim);
    const lin = Math.log1p(e);
    const res = (a: Float64Array, b: Float64Array, d: Float64Array): Float64Array => a.map((v, i) => v - b[i] - d[i] * lin);
    return { x: res(o.x, base.x, col.x), y: res(o.y, base.y, col.y), fx: res(o.fx, base.fx, col.fx), fy: res(o.fy, base.fy, col.fy) };
  });
}
