/** `gaitid derive`: the symbolic derivation of the equations and their scaling symmetries (issue 3). */
import type { Command } from "../cli/args";
import { choiceFlag, parseFlags } from "../cli/args";
import { GaitidError } from "../errors";
import {
  DERIVE_OBSERVATION_MODELS,
  derivationJson,
  derivationLatex,
  derivationText,
  derive,
} from "../derive";

const HELP = `usage: gaitid derive [--observe xy | xy+grf] [--json | --latex]

Derives, with mathjs, the walker's equations of motion from its Lagrangian (single and double
support), solves them for x'' and y'', divides by m with k = rho m (m cancels), searches the
scaling actions (m, k, l0) -> (c^a m, c^b k, c^d l0) that leave the observed quantities unchanged
(from the exponent matrix read off the expressions, and by brute force over small exponents), and
lists the identifiable combinations (their invariants). Every symbolic identity is also checked
at seeded random points, and the derived right-hand sides against the simulator's. Takes a few
seconds.

  --observe O   xy (positions, default) or xy+grf (positions and the leg forces in newtons)
  --json        the result as JSON: observe, parameters, equations, normalized, symmetries,
                identifiable, checks
  --latex       the steps as LaTeX (one \\subsection* per step)

Expected: for xy the symmetry (1, 1, 0), m and k scaled together, and the identifiable k/m and l0;
for xy+grf no symmetry, and m, k, l0 each identifiable.`;

export const deriveCommand: Command = {
  name: "derive",
  summary: "symbolic derivation (mathjs): equations of motion, scaling symmetries, identifiable combinations",
  help: HELP,
  async run(argv: string[]): Promise<number> {
    const { values, help } = parseFlags("derive", argv, {
      observe: { type: "string" },
      json: { type: "boolean" },
      latex: { type: "boolean" },
    });
    if (help) {
      console.log(HELP);
      return 0;
    }
    const observe = choiceFlag(values, "observe", DERIVE_OBSERVATION_MODELS) ?? "xy";
    if (values.json && values.latex) throw new GaitidError("--json and --latex exclude each other; choose one");
    const d = derive(observe);
    process.stdout.write(values.json ? derivationJson(d) : values.latex ? derivationLatex(d) : derivationText(d));
    return 0;
  },
};
