/** `gaitid derive`: the symbolic derivation of the equations, their scaling symmetries and what a record determines. */
import type { Command } from "../cli/args";
import { choiceFlag, parseFlags } from "../cli/args";
import { GaitidError } from "../errors";
import {
  DERIVATION_DESIGNS,
  DERIVE_OBSERVATION_MODELS,
  derivationJson,
  derivationLatex,
  derivationText,
  derive,
  maximaScript,
  sympyScript,
} from "../derive";

const EXPORTS = ["sympy", "maxima"] as const;

const HELP = `usage: gaitid derive [--observe xy | xy+grf] [--design per-unit-mass | joules]
                    [--json | --latex | --export sympy|maxima]

Derives, with mathjs, the walker's equations of motion from its Lagrangian (single and double
support), solves them for x'' and y'', divides by m with k = rho m (m cancels), states what a
record depends on (gait events, initial state, energy), finds the scalings
(m, k, l0) -> (c^a m, c^b k, c^d l0) that leave it unchanged (the integer null space of the
exponent matrix read off the expressions, and the log-sensitivity rank for the converse), proves
that rho and l0 are identifiable by recovering them from simulated records (the constructive
inversion), and states the proposition with its hypotheses. Every symbolic identity is also
checked at seeded random points, and the derived right-hand sides against the simulator's.
Takes 10 to 40 seconds.

  --observe O   xy (positions, default) or xy+grf (positions and the total ground reaction force
                in newtons)
  --design D    how the walks are started: per-unit-mass (the gait condition per unit mass, the
                study's design; default) or joules (the initial energy E in joules: with E fixed
                and known m and k become identifiable, with E from a range only partly)
  --json        everything as JSON: every expression (Lagrangian, accelerations, energy, events,
                forces, initial state, inversion), the steps with their prose and LaTeX, the
                proposition, each check with its method and result, the bibliography
  --latex       the steps, the proposition and the checks as LaTeX (one \\subsection* per step)
  --export sympy  a self-contained Python script that re-checks the derivation with SymPy
                (derives the Euler-Lagrange equations again and asserts simplify(lhs - rhs) == 0
                for each claim): gaitid derive --export sympy > check.py && python3 check.py
  --export maxima  the same claims as a Maxima batch script (ratsimp(radcan(lhs - rhs)) = 0):
                gaitid derive --export maxima > check.mac && maxima --very-quiet -b check.mac

Expected: for xy the symmetry (1, 1, 0), m and k scaled together, and the identifiable k/m and l0;
for xy+grf, or xy with --design joules, no symmetry, and m, k, l0 each identifiable.`;

export const deriveCommand: Command = {
  name: "derive",
  summary: "symbolic derivation (mathjs): equations of motion, scaling symmetries, what a record determines",
  help: HELP,
  async run(argv: string[]): Promise<number> {
    const { values, help } = parseFlags("derive", argv, {
      observe: { type: "string" },
      design: { type: "string" },
      json: { type: "boolean" },
      latex: { type: "boolean" },
      export: { type: "string" },
    });
    if (help) {
      console.log(HELP);
      return 0;
    }
    const observe = choiceFlag(values, "observe", DERIVE_OBSERVATION_MODELS) ?? "xy";
    const design = choiceFlag(values, "design", DERIVATION_DESIGNS) ?? "per-unit-mass";
    const exported = choiceFlag(values, "export", EXPORTS);
    const outputs = [values.json ? "--json" : "", values.latex ? "--latex" : "", exported ? "--export" : ""].filter((x) => x);
    if (outputs.length > 1) throw new GaitidError(`${outputs.join(" and ")} exclude each other; choose one`);
    const d = derive(observe, { design });
    const out = exported === "sympy" ? sympyScript(d) : exported === "maxima" ? maximaScript(d) : values.json ? derivationJson(d) : values.latex ? derivationLatex(d) : derivationText(d);
    process.stdout.write(out);
    return 0;
  },
};
