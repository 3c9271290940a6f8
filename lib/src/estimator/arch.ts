/**
 * The names of the estimator's architectures, apart from the networks themselves (net.ts), so that
 * settings and flags can be checked without loading TensorFlow.js.
 */
import { GaitidError, show } from "../errors";

/** The architectures: the paper's fully connected network, a 1D CNN, a GRU. */
export const ARCHS = ["mlp", "cnn", "gru"] as const;
export type Arch = (typeof ARCHS)[number];

/** `a` as an architecture, or a {@link GaitidError} naming `flag`. */
export function checkArch(a: unknown, flag = "--arch"): Arch {
  if (!(ARCHS as readonly unknown[]).includes(a)) throw new GaitidError(`${flag} must be one of ${ARCHS.join(", ")}; got ${show(a)}`);
  return a as Arch;
}

