/**
 * One record of a dataset, ready to be fitted: its params row, the priors of its dataset, the
 * channel scales that define the noise fractions, and the record for the simulator. What
 * `gaitid fit --id` and `gaitid profile --id` both start from.
 */
import type { DatasetConfig } from "../config";
import { readDatasetManifest, readDatasetParams, type RecordParams } from "../dataset/format";
import { GaitidError } from "../errors";
import { recordFromParams } from "../identifiability/records";
import type { SensitivityRecord } from "../identifiability/sensitivity";
import { datasetChannelScales, type ChannelScales } from "./noise";
import type { Priors } from "./fit";
import { priorsOf } from "./study";

/** A dataset's record with what fitting it needs. */
export interface DatasetRecord {
  row: RecordParams;
  priors: Priors;
  scales: ChannelScales;
  record: SensitivityRecord;
}

/** Record `id` of the dataset in `dir`; an id that is not in the dataset is refused, naming the range. */
export function readDatasetRecord(dir: string, id: number): DatasetRecord {
  const manifest = readDatasetManifest(dir);
  const params = readDatasetParams(dir);
  const row = params.find((p) => p.id === id);
  if (!row) throw new GaitidError(`--id ${id} is not a record of ${dir} (ids 0 to ${params.length - 1})`);
  return {
    row,
    priors: priorsOf(manifest.config as DatasetConfig),
    scales: datasetChannelScales(dir, manifest, params),
    record: recordFromParams(row, manifest.duration, manifest.dt),
  };
}
