/**
 * The target variants of the estimator, THE names of the study for what a network is trained to
 * give (one name per concept: the command line's --target, run folders, the report):
 * - "mkl0": (m, k, l0), the paper's first network;
 * - "rhol0": (rho = k/m, l0), the paper's second network;
 * - "posterior": a conditional density of (log rho, l0, m) given the record (mixture density
 *   network, posterior/mdn.ts), reported by its posterior means of m, k, l0 and rho.
 * Units: m kg, k N/m, l0 m, rho 1/s^2.
 */
import { GaitidError, show } from "../errors";

/** The study's quantities that a variant reports. */
export type Quantity = "m" | "k" | "l0" | "rho";

/** Quantities each variant reports, in the column order of its predictions.csv. */
export const VARIANT_TARGETS = {
  mkl0: ["m", "k", "l0"],
  rhol0: ["rho", "l0"],
  posterior: ["m", "k", "l0", "rho"],
} as const satisfies Record<string, readonly Quantity[]>;

/** A target variant. */
export type Variant = keyof typeof VARIANT_TARGETS;

/** Every variant the trainer accepts. */
export const VARIANTS = Object.keys(VARIANT_TARGETS) as Variant[];

/** The paper's two networks: what `gaitid train --target both` and `gaitid reproduce` train. */
export const PAPER_VARIANTS = ["mkl0", "rhol0"] as const satisfies readonly Variant[];
export type PaperVariant = (typeof PAPER_VARIANTS)[number];

/**
 * The network's outputs of each variant before standardization: the point-estimate variants
 * give their quantities; the posterior's density is over (log rho, l0, mProbit), rho in 1/s^2 and
 * mProbit the probit of m's conditional prior CDF given rho (posterior/coords.ts).
 */
export const NETWORK_COORDINATES: Record<Variant, readonly ("m" | "k" | "l0" | "rho" | "logRho" | "mProbit")[]> = {
  mkl0: VARIANT_TARGETS.mkl0,
  rhol0: VARIANT_TARGETS.rhol0,
  posterior: ["logRho", "l0", "mProbit"],
};

/** `v` as a variant, or a {@link GaitidError} naming `flag` and the choices. */
export function checkVariant(v: unknown, flag = "--target"): Variant {
  if (typeof v !== "string" || !(VARIANTS as string[]).includes(v)) throw new GaitidError(`${flag} must be one of ${VARIANTS.join(", ")}; got ${show(v)}`);
  return v as Variant;
}
