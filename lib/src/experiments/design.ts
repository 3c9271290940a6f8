/**
 * The design experiment: the floor of m belongs to the experimental design. The study draws the
 * gait condition per unit mass (e = eps g l0), so a record says nothing about m beyond rho and the
 * floor is E[m | rho]. Here the initial energy E is drawn in joules from a fixed range, independently
 * of the subject (same subject priors, same redraw of the gait condition), and e = E/m. A record
 * determines rho, l0 and e (derive/design.ts), so the best estimate of m becomes E[m | rho, l0, e]
 * under this design, and a network may beat E[m | rho] for a reason that has nothing to do with the
 * mechanics: the energy budget was given in joules.
 *
 * Walking needs e within a few per cent above g l0, so a window of E that every subject can walk in
 * is as wide as the subjects' m g l0, and then the acceptance keeps e near g l0 whatever m is: e says
 * next to nothing about m. The presets therefore use a narrower window and replace the subjects who
 * cannot walk in it (settings.ts SELECTING_WINDOW, DatasetConfig redrawSubject): the accepted subjects
 * are selected by m l0, and the record's (l0, e) carry m through that selection.
 *
 * The design's floor is computed on the design's own dataset: E[m | rho, l0, e] by local linear
 * kernel regression (conditional-mean.ts) fitted on the training and validation records' true
 * (rho, l0, e, m), its RMSE on the test records. No closed form exists because which energies are
 * accepted depends on the subject through the simulator (see conditional-mean.ts); l0 is among the
 * coordinates because acceptance couples e with g l0. The same regression conditioned on rho alone
 * is reported beside the closed-form E[m | rho]: their difference is the regression's own error.
 */
import type { DatasetConfig, Range } from "../config";
import { readDatasetParams, type RecordParams } from "../dataset/format";
import { bayesFloor } from "../estimator/floor";
import { G } from "../walker/physics";
import { kernelConditionalMean } from "./conditional-mean";
import type { ExperimentResults } from "./run";
import type { DesignSettings } from "./settings";

/**
 * The range of initial energies, J: the settings' range, or by default the one the per-unit-mass
 * design gives, [m1 g l01 eps1, m2 g l02 eps2], which holds every subject's walking energies.
 */
export function joulesRange(d: Pick<DatasetConfig, "m" | "l0" | "energy">, s: DesignSettings): Range {
  return s.energyJoules ?? [d.m[0] * G * d.l0[0] * d.energy[0], d.m[1] * G * d.l0[1] * d.energy[1]];
}

/** A floor of m on the test records. */
export interface MassFloor {
  /** RMSE against the true m, kg. */
  rmse: number;
  /** R^2 of that estimator on the test records. */
  r2: number;
}

/** The floors of m of the design experiment (on the test records of the joules dataset). */
export interface DesignFloors {
  /** Test records scored. */
  records: number;
  /** Sample the regression was fitted on (training and validation records). */
  sample: number;
  /** E[m | rho] in closed form under the uniform priors: the per-unit-mass design's floor. */
  perUnitMass: MassFloor;
  /** E[m | rho, l0, e] by kernel regression: the joules design's floor. */
  design: MassFloor & { conditioning: string[]; bandwidth: number };
  /** E[m | rho] by the same regression: its difference from perUnitMass is the regression's error. */
  regressionPerUnitMass: MassFloor & { bandwidth: number };
}

/** results.json of the design experiment: a training experiment with its floors. */
export interface DesignResults extends ExperimentResults {
  design: {
    /** The initial energy's range, J. */
    energyJoules: Range;
    /** Whether subjects who could not walk at the drawn energy were replaced (a selection by m l0). */
    redrawSubject: boolean;
    floors: DesignFloors;
  };
}

function score(pred: readonly number[], truth: readonly number[]): MassFloor {
  const n = truth.length;
  const mean = truth.reduce((s, v) => s + v, 0) / n;
  let sse = 0, sst = 0;
  truth.forEach((t, i) => {
    sse += (pred[i] - t) ** 2;
    sst += (t - mean) ** 2;
  });
  return { rmse: Math.sqrt(sse / n), r2: sst > 0 ? 1 - sse / sst : Number.NaN };
}

/** The floors of m on a dataset's records (see the module comment). */
export function designFloors(params: readonly RecordParams[], priors: Pick<DatasetConfig, "m" | "k">, cvPoints = 1000): DesignFloors {
  const fitOn = params.filter((p) => p.split !== "test");
  const test = params.filter((p) => p.split === "test");
  const truth = test.map((p) => p.m);
  const coords = (ps: readonly RecordParams[]): number[][] => [ps.map((p) => p.rho), ps.map((p) => p.l0), ps.map((p) => p.e)];
  const full = kernelConditionalMean(coords(fitOn), fitOn.map((p) => p.m), { cvPoints });
  const rhoOnly = kernelConditionalMean([fitOn.map((p) => p.rho)], fitOn.map((p) => p.m), { cvPoints });
  const closed = bayesFloor(test, { m: priors.m, k: priors.k });
  return {
    records: test.length,
    sample: fitOn.length,
    perUnitMass: { rmse: closed.m.rmse, r2: closed.m.r2Ceiling },
    design: { ...score(test.map((p) => full.predict([p.rho, p.l0, p.e])), truth), conditioning: ["rho", "l0", "e"], bandwidth: full.bandwidth },
    regressionPerUnitMass: { ...score(test.map((p) => rhoOnly.predict([p.rho])), truth), bandwidth: rhoOnly.bandwidth },
  };
}

/** The floors of the dataset in `dir`. */
export function datasetDesignFloors(dir: string, priors: Pick<DatasetConfig, "m" | "k">, cvPoints?: number): DesignFloors {
  return designFloors(readDatasetParams(dir), priors, cvPoints);
}
