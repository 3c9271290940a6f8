/**
 * What a profile likelihood says about a parameter (Raue et al., Bioinformatics 2009): the
 * likelihood-ratio confidence interval is where the profile stays below the chi-square threshold,
 * and the shape of the profile classifies the parameter.
 */

/** The 95 % quantile of the chi-square distribution with one degree of freedom: the threshold of a 95 % interval for one parameter. */
export const CHI2_95_1DOF = 3.841458820694124;

/**
 * A profile is flat when it nowhere rises more than this above its minimum (chi-square units):
 * the optimiser's reach on these records is far below it (re-optimised points of a flat profile
 * agree to about 1e-6), and a rise this small moves no interval.
 */
export const FLAT_TOLERANCE = 0.05;

/** The verdicts of a profile. */
export type Verdict = "identifiable" | "practically non-identifiable" | "structurally non-identifiable";
export const VERDICTS: readonly Verdict[] = ["identifiable", "practically non-identifiable", "structurally non-identifiable"];

/**
 * The verdict of a profile: structurally non-identifiable when it is flat (its largest rise over
 * the searched range is at most `flat`), identifiable when the interval is closed on both sides,
 * practically non-identifiable otherwise (it rises but stays below the threshold on one side).
 */
export function profileVerdict(maxDelta: number, lowerClosed: boolean, upperClosed: boolean, flat = FLAT_TOLERANCE): Verdict {
  if (!(maxDelta > flat)) return "structurally non-identifiable";
  return lowerClosed && upperClosed ? "identifiable" : "practically non-identifiable";
}
