/**
 * The recalibration of a posterior run (calibration-map.ts): one monotone map per recalibrated
 * coordinate, fitted on the run's VALIDATION records (never the test records that score it), and
 * its file recalibration.json in the run folder.
 *
 * Which coordinates: log rho and l0, whose learned widths come from the network's approximation
 * error alone (the records are noise-free, so their exact posteriors are points) and are too wide
 * or off-centre for some training seeds. mProbit is left as learned: m's posterior is calibrated
 * for every seed measured, and a map fitted on 2,000 records adds its own sampling noise.
 * Recalibrating log rho moves m's draws too (m = m(mProbit, rho), coords.ts) and k = rho m.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { GaitidError } from "../../errors";
import { writeJsonAtomic } from "../../provenance";
import { JsonFields } from "../json-fields";
import { type CalibrationMap, checkCalibrationMap, fitCalibrationMap } from "./calibration-map";
import { type PosteriorCoordinate, POSTERIOR_COORDINATES } from "./coords";
import { marginalProbit } from "./marginal";
import type { Mixture } from "./mdn";

/** The coordinates that are recalibrated. */
export const RECALIBRATED_COORDINATES = ["logRho", "l0"] as const satisfies readonly PosteriorCoordinate[];
export type RecalibratedCoordinate = (typeof RECALIBRATED_COORDINATES)[number];

/** The file's name in a run folder. */
export const RECALIBRATION_FILE = "recalibration.json";
/** What the method is called in the file and in the run's design. */
export const RECALIBRATION_METHOD = "kuleshov2018-kernel-probit";

/** A run's recalibration: a map per recalibrated coordinate. */
export interface PosteriorRecalibration {
  method: string;
  /** The split the maps were fitted on (always validation). */
  fittedOn: "validation";
  maps: Record<RecalibratedCoordinate, CalibrationMap>;
}

/** The index of a coordinate among the mixture's dimensions. */
export function coordinateIndex(c: PosteriorCoordinate): number {
  return POSTERIOR_COORDINATES.indexOf(c);
}

/**
 * Fits the maps from held-out records: their mixtures and true coordinates (`truth.logRho` = ln of
 * rho in 1/s^2, `truth.l0` in m), one entry per mixture.
 */
export function fitRecalibration(mixtures: readonly Mixture[], truth: Record<RecalibratedCoordinate, readonly number[]>): PosteriorRecalibration {
  const maps = {} as Record<RecalibratedCoordinate, CalibrationMap>;
  for (const c of RECALIBRATED_COORDINATES) {
    if (truth[c].length !== mixtures.length) throw new GaitidError(`recalibration: ${mixtures.length} mixtures but ${truth[c].length} true values of ${c}`);
    const d = coordinateIndex(c);
    maps[c] = fitCalibrationMap(mixtures.map((mix, i) => marginalProbit(mix, d, truth[c][i])));
  }
  return { method: RECALIBRATION_METHOD, fittedOn: "validation", maps };
}

/** Writes `dir`/recalibration.json (atomically). */
export function writeRecalibration(dir: string, r: PosteriorRecalibration): void {
  writeJsonAtomic(path.join(dir, RECALIBRATION_FILE), { kind: "gaitid-posterior-recalibration", ...r });
}

/** Reads `dir`/recalibration.json, validated (method, split, and each map's knots). */
export function readRecalibration(dir: string): PosteriorRecalibration {
  const file = path.join(dir, RECALIBRATION_FILE);
  if (!fs.existsSync(file)) throw new GaitidError(`${dir} has no ${RECALIBRATION_FILE} (the posterior's recalibration, fitted when the run is trained): train the run again`);
  const o = JsonFields.parse(fs.readFileSync(file, "utf8"), file);
  if (o.string("kind") !== "gaitid-posterior-recalibration") o.fail("kind", '"gaitid-posterior-recalibration"');
  if (o.string("method") !== RECALIBRATION_METHOD) o.fail("method", `"${RECALIBRATION_METHOD}" (this one is of another method: train the run again)`);
  if (o.string("fittedOn") !== "validation") o.fail("fittedOn", '"validation"');
  const maps = o.object("maps");
  const out = {} as Record<RecalibratedCoordinate, CalibrationMap>;
  for (const c of RECALIBRATED_COORDINATES) {
    const m = maps.object(c);
    out[c] = checkCalibrationMap({ records: m.integer("records", 1), bandwidth: m.number("bandwidth", 0), x: m.numbers("x"), y: m.numbers("y") }, `${file}: maps.${c}`);
  }
  return { method: RECALIBRATION_METHOD, fittedOn: "validation", maps: out };
}
