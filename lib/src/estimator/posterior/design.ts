/**
 * What, besides the training configuration, decides the numbers of a posterior run: the density's
 * coordinates (coords.ts), the learning-rate schedule (schedule.ts) and the recalibration fitted
 * after training (recalibration.ts). Part of a run's checkpoint fingerprint and manifest, so that
 * a run of another design is neither resumed nor taken as finished.
 */
import { POSTERIOR_COORDINATES } from "./coords";
import { RECALIBRATED_COORDINATES, RECALIBRATION_METHOD } from "./recalibration";
import { POSTERIOR_SCHEDULE } from "./schedule";

export const POSTERIOR_DESIGN = {
  coordinates: [...POSTERIOR_COORDINATES],
  learningRate: { ...POSTERIOR_SCHEDULE },
  recalibration: { method: RECALIBRATION_METHOD, coordinates: [...RECALIBRATED_COORDINATES], fittedOn: "validation" },
};

/** The design as a finished run's manifest records it (absent parts of older runs undefined), for comparison with {@link POSTERIOR_DESIGN}. */
export function designOfManifest(p: { coordinates: string[]; learningRate?: unknown; recalibration?: unknown } | undefined): { coordinates: string[]; learningRate?: unknown; recalibration?: unknown } | undefined {
  return p && { coordinates: p.coordinates, learningRate: p.learningRate, recalibration: p.recalibration };
}
