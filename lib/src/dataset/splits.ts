/** The train / validation / test split of a dataset's records, fixed by its seed. */
import type { DatasetConfig } from "../config";
import { permutation } from "../random";
import type { Split } from "./format";

/**
 * The split of every record, 80 / 10 / 10 (or config.split) exactly, fixed by the seed: a seeded
 * permutation of the record indices, cut into train, val and test.
 */
export function splitsOf(config: DatasetConfig): Split[] {
  const n = config.records;
  const nTrain = Math.round(config.split[0] * n);
  const nVal = Math.round(config.split[1] * n);
  const perm = permutation(n, config.seed, 2);
  const out: Split[] = new Array(n);
  for (let j = 0; j < n; j++) out[perm[j]] = j < nTrain ? "train" : j < nTrain + nVal ? "val" : "test";
  return out;
}
