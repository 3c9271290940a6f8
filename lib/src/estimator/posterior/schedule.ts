/**
 * The posterior variant's learning rate: Adam's rate is halved whenever the validation loss has
 * not reached a new best for PATIENCE epochs, down to a floor (Keras's ReduceLROnPlateau, without
 * cooldown). The rate of an epoch is a function of the validation losses of the epochs before it
 * alone, so a run resumed from a checkpoint (which holds the history) repeats the uninterrupted
 * one, and the schedule needs no epoch count (the quick and the paper presets differ 8-fold in it).
 *
 * Why only this variant: its loss is a negative log-likelihood whose widths follow the errors of
 * the means, so the jitter of the means at a constant rate ends as width (at 1e-3 throughout, the
 * quick preset's validation NLL jumps by 1-4 nats from epoch to epoch and the kept posteriors of
 * l0 and rho are 3 and 1.5 times wider than their errors); the point-estimate variants keep the
 * paper's constant rate.
 */

/** The schedule's constants: factor per reduction, epochs without a new best before one, lowest fraction of the initial rate. */
export const POSTERIOR_SCHEDULE = { kind: "plateau", factor: 0.5, patience: 4, minFraction: 1 / 64 } as const;

/** The learning rate of the epoch after `valLosses` (the validation losses of the epochs so far, in order), from the initial rate `lr0`. */
export function posteriorLearningRate(lr0: number, valLosses: readonly number[]): number {
  const { factor, patience, minFraction } = POSTERIOR_SCHEDULE;
  let best = Infinity, wait = 0, fraction = 1;
  for (const v of valLosses) {
    if (v < best) {
      best = v;
      wait = 0;
    } else if (++wait >= patience) {
      fraction = Math.max(minFraction, fraction * factor);
      wait = 0;
    }
  }
  return lr0 * fraction;
}
