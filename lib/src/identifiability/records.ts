/**
 * Where the records of an identifiability analysis come from: rows of a dataset's params.csv
 * (everything needed to re-simulate a record), or a gait found on the spot for given
 * (rho, l0, alpha0, e).
 */
import { readDatasetManifest, readDatasetParams, type DatasetManifest, type RecordParams } from "../dataset/format";
import { GaitidError, requireInteger, requireOpenRange, requirePositive, show } from "../errors";
import { findGaits, type Gait } from "../walker/gait";
import { G } from "../walker/physics";
import { checkSensitivityRecord, type SensitivityRecord } from "./sensitivity";

/** A dataset row as a record to analyse (alpha0 converted from degrees to rad). */
export function recordFromParams(p: RecordParams, duration: number, dt: number): SensitivityRecord {
  return checkSensitivityRecord({ id: p.id, m: p.m, k: p.k, l0: p.l0, alpha0: (p.alpha0 * Math.PI) / 180, y0: p.y0, vx0: p.vx0, duration, dt });
}

/**
 * The first `count` records of the dataset in `dir` (all when it has fewer), read from
 * manifest.json and params.csv only (X.npy is not needed to re-simulate, and may be large).
 */
export function loadDatasetRecords(dir: string, count: number): { records: SensitivityRecord[]; manifest: DatasetManifest } {
  requireInteger("records", count, 1);
  const manifest = readDatasetManifest(dir);
  const params = readDatasetParams(dir);
  const records = params.slice(0, count).map((p) => recordFromParams(p, manifest.duration, manifest.dt));
  return { records, manifest };
}

/** A record made on the spot: a subject and a gait condition per unit mass. */
export interface GaitRecordOptions {
  /** Body mass, kg (only scales the force; default 67.5, the middle of the paper's prior). */
  m?: number;
  /** Leg stiffness per unit mass k / m, 1/s^2. */
  rho: number;
  /** Rest leg length, m. */
  l0: number;
  /** Angle of attack, degrees. */
  alpha0Deg: number;
  /** Specific energy in units of g l0 (e in J/kg is energy * g * l0). */
  energy: number;
  /** Record length, s (default 15) and sampling interval, s (default 0.1). */
  duration?: number;
  dt?: number;
}

/**
 * The record that starts on the gait the search finds for these conditions: the last gait of
 * {@link findGaits} (highest VLO) that walks for the whole record. Throws a GaitidError when none
 * walks.
 */
export function recordFromGait(o: GaitRecordOptions): { record: SensitivityRecord; gait: Gait } {
  const m = requirePositive("m", o.m ?? 67.5, "kg");
  const rho = requirePositive("rho", o.rho, "1/s^2");
  const l0 = requirePositive("l0", o.l0, "m");
  const alpha0Deg = requireOpenRange("alpha0", o.alpha0Deg, 0, 90, "degrees");
  const energy = requirePositive("energy", o.energy, "g l0");
  const duration = requirePositive("duration", o.duration ?? 15, "s");
  const dt = requirePositive("dt", o.dt ?? 0.1, "s");
  const alpha0 = (alpha0Deg * Math.PI) / 180;
  const gaits = findGaits({ rho, l0, g: G }, alpha0, energy * G * l0, { checkDuration: duration });
  const gait = [...gaits].reverse().find((q) => q.walks);
  if (!gait) {
    throw new GaitidError(
      `no symmetric gait that walks ${duration} s for rho = ${show(rho)} 1/s^2, l0 = ${show(l0)} m, alpha0 = ${show(alpha0Deg)} degrees, ` +
        `energy = ${show(energy)} g l0 (${gaits.length} gait(s) found, none walking); walking gaits exist for about alpha0 58-64 degrees, energy 1.00-1.03`,
    );
  }
  const record = checkSensitivityRecord({ id: 0, m, k: rho * m, l0, alpha0, y0: gait.y0, vx0: gait.vx0, duration, dt });
  return { record, gait };
}
