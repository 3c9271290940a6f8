/**
 * Seeded random numbers of the estimator: weight initialisation, the shuffle of each epoch, the
 * input noise and the posterior draws that score a posterior run. Each stream derives from (seed, stream, index) alone (the project's one
 * generator, {@link Rng} in src/random.ts), so the shuffle of epoch e or the noise of record i is
 * the same whatever came before it (what makes --resume exact).
 */
import { Rng } from "../random";

/** Streams of the estimator (second argument of the {@link Rng} constructor). The dataset
 * generator uses streams 1 (records) and 2 (splits) of the dataset's seed; these belong to the
 * training seeds. */
export const STREAM = { init: 1, shuffle: 2, noise: 3, posterior: 4 } as const;

/** A permutation of `indices` (Fisher-Yates, in place) drawn from (seed, shuffle stream, epoch). */
export function shuffleForEpoch(indices: Int32Array, seed: number, epoch: number): Int32Array {
  const r = new Rng(seed, STREAM.shuffle, epoch);
  for (let i = indices.length - 1; i > 0; i--) {
    const j = r.int(i + 1);
    const t = indices[i];
    indices[i] = indices[j];
    indices[j] = t;
  }
  return indices;
}
