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
 *
 * Each reduction also puts back the weights of the best validation epoch so far (Adam's moments
 * are kept), so that a late jump of the loss is not carried on at ever lower rates. Without it
 * (quick preset, seed 3) the validation NLL jumped from -3.72 at epoch 83 to +0.97 at epoch 84 and
 * the rate, halved every 4 epochs while the loss climbed back, was at its floor by epoch 96; the
 * run ended at -2.58 and kept epoch 83's weights: l0's and rho's posteriors 5 and 1.1 times wider
 * than their errors, SBC p 2e-66 and 2e-14. With it the same seed reached -4.46 at epoch 150 (SBC
 * p of l0 0.015, of rho 7e-4). Seed 2, which had no such jump, ended at -3.36 (-3.32 without).
 */

/**
 * The schedule's constants: factor per reduction, epochs without a new best before one, lowest
 * fraction of the initial rate, and whether a reduction restores the best weights.
 */
export const POSTERIOR_SCHEDULE = { kind: "plateau", factor: 0.5, patience: 4, minFraction: 1 / 64, restoreBest: true } as const;

/** The learning rate of the epoch after `valLosses` (the validation losses of the epochs so far, in order), from the initial rate `lr0`. */
export function posteriorLearningRate(lr0: number, valLosses: readonly number[]): number {
  return lr0 * rateFraction(valLosses);
}

/** Whether the epoch that gave the last of `valLosses` ends with a reduction of the rate (then the best weights are put back). */
export function reducesRate(valLosses: readonly number[]): boolean {
  return valLosses.length > 0 && rateFraction(valLosses) < rateFraction(valLosses.slice(0, -1));
}

/** The fraction of the initial rate after `valLosses`. */
function rateFraction(valLosses: readonly number[]): number {
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
  return fraction;
}
