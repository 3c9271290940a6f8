/**
 * The proposition the derivation proves, with its hypotheses, and for each claim the steps that
 * prove it and the checks that support it (by id; derivation.ts verifies that each exists and
 * passed).
 */
import { m, r, tex } from "./rich";
import type { DerivationCheck, DerivationDesign, DeriveObservationModel, Proposition } from "./types";

type Claim = Proposition["claims"][number];

/** The ids of the checks whose id starts with one of the prefixes. */
function ids(checks: readonly DerivationCheck[], ...prefixes: string[]): string[] {
  return checks.filter((c) => prefixes.some((p) => c.id.startsWith(p))).map((c) => c.id);
}

function hypotheses(observe: DeriveObservationModel, design: DerivationDesign): Proposition["hypotheses"] {
  const record =
    observe === "xy"
      ? r`the CoM position ${tex("(x, y)", "(x, y)")}`
      : r`the CoM position ${tex("(x, y)", "(x, y)")} (for claim (c) also the total ground reaction force ${tex("(f_x, f_y)", "(fx, fy)")} in newtons)`;
  return [
    { id: "H1", text: r`the gravitational acceleration ${m("g")} is known;` },
    { id: "H2", text: r`a record is ${record}, sampled without noise at fixed times, and contains a single-support phase with samples at two different leg lengths (every walk does);` },
    design === "per-unit-mass"
      ? { id: "H3", text: r`the gait condition ${tex("(\\alpha_0, e)", "(alpha0, e)")} is drawn from a distribution that depends on the subject only through ${tex("(\\rho, \\ell_0)", "(rho, l0)")} (the study draws ${m("alpha0")} in degrees and ${m("e")} in multiples of ${m("g*l0")}, independently of ${m("m")} and ${m("k")});` }
      : { id: "H3", text: r`the walks start with ${m("alpha0")} drawn in degrees and the initial energy ${m("E")} in joules, fixed and known (or drawn from a known range ${tex("[E_{\\min}, E_{\\max}]", "[E_min, E_max]")});` },
    { id: "H4", text: r`whether a record is accepted depends only on ${tex("(\\rho, \\ell_0, \\alpha_0, e)", "(rho, l0, alpha0, e)")} (the gait search and the failure tests of the simulator use nothing else).` },
  ];
}

/** The proposition for an observation model and a design, given the checks that were made. */
export function proposition(observe: DeriveObservationModel, design: DerivationDesign, checks: readonly DerivationCheck[]): Proposition {
  const claims: Claim[] = [];
  if (design === "per-unit-mass") {
    claims.push({
      id: "a",
      text: r`The distribution of an ${tex("(x, y)", "(x, y)")} record given ${tex("(m, k, \\ell_0)", "(m, k, l0)")} depends on ${tex("(m, k, \\ell_0)", "(m, k, l0)")} only through ${tex("(\\rho, \\ell_0)", "(rho, l0)")}, ${m("rho = k/m")}. No estimator can tell ${tex("(m, k)", "(m, k)")} from ${tex("(c\\,m, c\\,k)", "(c m, c k)")}; the best estimate of ${m("m")} from a record is ${tex("E[m \\mid \\rho, \\ell_0]", "E[m | rho, l0]")} under the prior (which is ${tex("E[m \\mid \\rho]", "E[m | rho]")} when ${m("l0")} is drawn independently of ${m("m")} and ${m("k")}, as in the study), and its error is a floor that no network can go below.`,
      proof: r`the accelerations (after the normalization), the gait events and the initial-state map depend on ${tex("(m, k, \\ell_0)", "(m, k, l0)")} only through ${m("rho")} and ${m("l0")}, given ${m("g")}, ${m("alpha0")} and ${m("e")}; the scaling ${tex("(c\\,m, c\\,k, \\ell_0)", "(c m, c k, l0)")} leaves them unchanged and no other scaling does; its invariants are ${m("k/m")} and ${m("l0")}. With H3 and H4 the law of ${tex("(\\alpha_0, e)", "(alpha0, e)")} and the acceptance depend on ${tex("(\\rho, \\ell_0)", "(rho, l0)")} alone.`,
      steps: ["normalization", "record", "symmetry-xy", "identifiable-xy"],
      checks: ids(checks, "normalization.", "record.", "xy.per-unit-mass."),
    });
  }
  claims.push({
    id: "b",
    text: r`${m("rho")} and ${m("l0")} are identifiable from a record: they are functions of it.`,
    proof: r`the stance foot, then ${m("rho")} and ${m("l0")} from the affine relation between ${m("(y_dd + g)/y")} and ${m("1/l_a")} at two instants of a stance phase (uses H1 and H2).`,
    steps: ["inversion"],
    checks: ids(checks, "inversion."),
  });
  if (observe === "xy+grf") {
    claims.push({
      id: "c",
      text: r`With the total ground reaction force, ${m("m")}, ${m("k")} and ${m("l0")} are each identifiable, whatever the design: ${m("m = fy/(y_dd + g)")}, ${m("k = rho*m")}. No scaling symmetry remains.`,
      proof: r`the force record is ${m("m")} times a function of the positions, so the scaling ${tex("(c\\,m, c\\,k)", "(c m, c k)")} multiplies it by ${m("c")}; with ${m("rho")} and ${m("l0")} from claim (b), ${m("m")} and ${m("k")} follow.`,
      steps: ["grf"],
      checks: ids(checks, "grf.", "xy+grf."),
    });
  }
  if (design === "joules") {
    claims.push({
      id: "d",
      text: r`With the initial energy ${m("E")} in joules fixed and known, ${m("m = E/e")} and ${m("k = rho*m")} are identifiable from ${tex("(x, y)", "(x, y)")} alone; with ${m("E")} drawn from a known range, only ${m("E_min/e <= m <= E_max/e")}: ${m("m")} is partly identifiable.`,
      proof: r`the record determines its specific energy ${m("e")} once ${m("rho")} and ${m("l0")} are known (claim (b)), and the design ties ${m("e = E/m")} to ${m("m")}.`,
      steps: ["design"],
      checks: ids(checks, "design.", "xy.joules."),
    });
  }
  return {
    statement: r`What a record of the walker determines about the subject ${tex("(m, k, \\ell_0)", "(m, k, l0)")}${design === "joules" ? r`, for walks started in joules` : ""}${observe === "xy+grf" ? r`, and what the force adds` : ""}.`,
    hypotheses: hypotheses(observe, design),
    claims,
  };
}
