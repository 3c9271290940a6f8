/**
 * What, besides the training configuration, decides the numbers of a posterior run: the density's
 * coordinates (coords.ts) and the learning-rate schedule (schedule.ts). Part of a run's checkpoint
 * fingerprint and manifest, so that a run of another design is neither resumed nor taken as
 * finished.
 */
import { POSTERIOR_COORDINATES } from "./coords";
import { POSTERIOR_SCHEDULE } from "./schedule";

export const POSTERIOR_DESIGN = { coordinates: [...POSTERIOR_COORDINATES], learningRate: { ...POSTERIOR_SCHEDULE } };
