/**
 * A derivation restated for another computer algebra system, so that a reviewer can re-check it
 * without trusting mathjs: `gaitid derive --export sympy` writes a self-contained Python script
 * that derives the Euler-Lagrange equations from the Lagrangian again with SymPy and asserts, with
 * simplify(lhs - rhs) == 0, that gaitid's accelerations solve them, the normalization, its readable
 * form, the energy, the scaling symmetry (finite and infinitesimal) of every quantity the record
 * depends on, the constructive inversion, and (with the force) the force identities. It prints one
 * line per claim and exits 1 if any fails.
 *
 * The expressions are embedded as text in mathjs syntax, which SymPy reads with sympify (^ is a
 * power there too); every name is passed as an explicit Symbol so that E, e, I or S are never read
 * as SymPy's constants.
 */
import { parse } from "./mathjs";
import { symbolsOf } from "./symbolic";
import type { Derivation } from "./types";

/** Names that are positive reals in the model (helps SymPy with square roots). */
const POSITIVE = ["m", "k", "l0", "g", "rho", "c", "y", "E", "e", "eps", "u_1", "u_2", "q_1", "q_2", "y_0"];

function py(s: string): string {
  return JSON.stringify(s);
}

/** Every symbol name in the expressions, and the extra names the script uses. */
function names(exprs: readonly string[]): string[] {
  const out = new Set<string>(["c", "t", "x", "y", "x_dot", "y_dot", "x_dd", "y_dd", "m", "k", "l0", "rho", "g", "x_a", "x_b", "l_a", "l_b", "u_1", "u_2", "q_1", "q_2"]);
  for (const e of exprs) for (const s of symbolsOf(parse(e))) out.add(s);
  return [...out].sort();
}

/** The claims, as Python lines (after the helpers). */
function claims(d: Derivation): string[] {
  const e = d.expressions;
  const v = d.analyses[0].nullSpace[0] ?? [1, 1, 0];
  const lines: string[] = [];
  for (const phase of ["single", "double"] as const) {
    const feet = phase === "single" ? ["x_a"] : ["x_a", "x_b"];
    const legs = `{${feet.map((f) => `S[${py(`l_${f.slice(2)}`)}]: leg(S[${py(f)}])`).join(", ")}}`;
    lines.push(
      `# ${phase} support`,
      `L = X(${py(e.lagrangian[phase])})`,
      `ax, ay = X(${py(e.accelerations[phase].xdd)}), X(${py(e.accelerations[phase].ydd)})`,
      `sx, sy = euler_lagrange(L)`,
      `check(${py(`${phase}: gaitid's x'' solves the Euler-Lagrange equations derived by SymPy`)}, ax, sx)`,
      `check(${py(`${phase}: gaitid's y'' solves the Euler-Lagrange equations derived by SymPy`)}, ay, sy)`,
      `nx, ny = X(${py(e.normalized[phase].xdd)}), X(${py(e.normalized[phase].ydd)})`,
      `check(${py(`${phase}: normalization, x'' with k = rho m`)}, nx, ax.subs(S["k"], S["rho"] * S["m"]))`,
      `check(${py(`${phase}: normalization, y'' with k = rho m`)}, ny, ay.subs(S["k"], S["rho"] * S["m"]))`,
      `assert_free_of_m(${py(phase)}, nx, ny)`,
      `check(${py(`${phase}: readable form of x''`)}, X(${py(e.readable[phase].xdd)}).subs(${legs}), nx)`,
      `check(${py(`${phase}: readable form of y''`)}, X(${py(e.readable[phase].ydd)}).subs(${legs}), ny)`,
      `check(${py(`${phase}: energy per unit mass e = E/m with k = rho m`)}, energy(L).subs(S["k"], S["rho"] * S["m"]) / S["m"], X(${py(e.energy.specific[phase])}))`,
      `for name, f in (("x''", ax), ("y''", ay)):`,
      `    check(f"${phase}: the scaling ${JSON.stringify(v).slice(1, -1)} leaves {name} unchanged", scaled(f), f)`,
      `    check(f"${phase}: the generator of the scaling annihilates {name}", generator(f), 0)`,
    );
    if (d.observe === "xy+grf") {
      lines.push(
        `fx, fy = X(${py(e.forces.fx[phase])}), X(${py(e.forces.fy[phase])})`,
        `check(${py(`${phase}: fx = m x''`)}, fx, S["m"] * ax)`,
        `check(${py(`${phase}: fy = m (y'' + g)`)}, fy, S["m"] * (ay + S["g"]))`,
        `check(${py(`${phase}: the scaling multiplies fy by c (generator = fy)`)}, generator(fy), fy)`,
      );
    }
  }
  lines.push(
    "# the gait events",
    ...Object.entries(e.events).map(([name, expr]) => `check(${py(`the scaling leaves the ${name} event unchanged`)}, scaled(X(${py(expr)})), X(${py(expr)}))`),
    "# the constructive inversion (single support)",
    `nx, ny = X(${py(e.normalized.single.xdd)}), X(${py(e.normalized.single.ydd)})`,
    `sub = {S["x_dd"]: nx, S["y_dd"]: ny}`,
    `check("the stance foot: x - y x''/(y'' + g) = x_a", X(${py(e.inversion.foot)}).subs(sub), S["x_a"])`,
    `check("(y'' + g)/y is affine in 1/l_a", ((ny + S["g"]) / S["y"]), X(${py(e.inversion.affine)}).subs(S["l_a"], leg(S["x_a"])))`,
    `q = {S["q_1"]: S["rho"] * S["l0"] * S["u_1"] - S["rho"], S["q_2"]: S["rho"] * S["l0"] * S["u_2"] - S["rho"]}`,
    `check("rho from two instants", X(${py(e.inversion.rho)}).subs(q), S["rho"])`,
    `check("l0 from two instants", X(${py(e.inversion.l0)}).subs(q), S["l0"])`,
    `check("one instant: det d(x'', y'')/d(rho, l0) = 0", sp.Matrix([[nx.diff(S["rho"]), nx.diff(S["l0"])], [ny.diff(S["rho"]), ny.diff(S["l0"])]]).det(), 0)`,
  );
  return lines;
}

/** The script's helpers: reading mathjs text, checks, the Euler-Lagrange equations by SymPy, the energy. */
const HELPERS = [
  "def X(text):",
  "    \"\"\"An expression in mathjs syntax (^ is a power; every name is one of S).\"\"\"",
  "    return sp.sympify(text, locals=S)",
  "",
  "def leg(foot):",
  '    return sp.sqrt((S["x"] - foot) ** 2 + S["y"] ** 2)',
  "",
  "failures = []",
  "count = 0",
  "",
  "def check(name, lhs, rhs):",
  "    global count",
  "    count += 1",
  "    ok = sp.simplify(sp.sympify(lhs) - sp.sympify(rhs)) == 0",
  '    print(("ok    " if ok else "FAIL  ") + name, flush=True)',
  "    if not ok:",
  "        failures.append(name)",
  "",
  "def assert_free_of_m(phase, *exprs):",
  "    global count",
  "    count += 1",
  '    ok = all(S["m"] not in f.free_symbols for f in exprs)',
  '    print(("ok    " if ok else "FAIL  ") + phase + ": the normalized accelerations do not contain m", flush=True)',
  "    if not ok:",
  '        failures.append(phase + ": m in the normalized accelerations")',
  "",
  "t = sp.Symbol(\"t\")",
  'xt, yt = sp.Function("x")(t), sp.Function("y")(t)',
  "",
  "def euler_lagrange(L):",
  "    \"\"\"The accelerations solving d/dt dL/dq' - dL/dq = 0 for q = x, y, derived by SymPy.\"\"\"",
  '    Lt = L.subs({S["x_dot"]: xt.diff(t), S["y_dot"]: yt.diff(t), S["x"]: xt, S["y"]: yt}, simultaneous=True)',
  "    eqs = [sp.diff(sp.diff(Lt, q.diff(t)), t) - sp.diff(Lt, q) for q in (xt, yt)]",
  "    sol = sp.solve(eqs, [xt.diff(t, 2), yt.diff(t, 2)], dict=True)[0]",
  '    back = {xt.diff(t): S["x_dot"], yt.diff(t): S["y_dot"]}',
  '    plain = lambda f: f.subs(back).subs({xt: S["x"], yt: S["y"]})',
  "    return plain(sol[xt.diff(t, 2)]), plain(sol[yt.diff(t, 2)])",
  "",
  "def energy(L):",
  "    \"\"\"E = x' dL/dx' + y' dL/dy' - L.\"\"\"",
  '    return S["x_dot"] * sp.diff(L, S["x_dot"]) + S["y_dot"] * sp.diff(L, S["y_dot"]) - L',
  "",
].join("\n");

/** The SymPy script (Python 3; needs sympy). */
export function sympyScript(d: Derivation): string {
  const e = d.expressions;
  const all = [
    ...Object.values(e.lagrangian),
    ...Object.values(e.accelerations).flatMap((a) => [a.xdd, a.ydd]),
    ...Object.values(e.normalized).flatMap((a) => [a.xdd, a.ydd]),
    ...Object.values(e.readable).flatMap((a) => [a.xdd, a.ydd]),
    ...Object.values(e.energy.specific),
    ...Object.values(e.events),
    ...Object.values(e.forces.fx),
    ...Object.values(e.forces.fy),
    ...Object.values(e.inversion),
  ];
  const v = d.analyses[0].nullSpace[0] ?? [1, 1, 0];
  return [
    "#!/usr/bin/env python3",
    `"""gaitid derive --export sympy (observe ${d.observe}, design ${d.design}): generated, do not edit.`,
    "",
    "Restates gaitid's symbolic derivation (mathjs) and re-checks it with SymPy: the Euler-Lagrange",
    "equations are derived again from the Lagrangian, and each claim is asserted as",
    "simplify(lhs - rhs) == 0. Run with a python3 that has sympy; exit status 0 when every claim holds.",
    '"""',
    "import sys",
    "import sympy as sp",
    "",
    `NAMES = ${JSON.stringify(names(all))}`,
    `POSITIVE = ${JSON.stringify(POSITIVE)}`,
    "S = {n: sp.Symbol(n, positive=True) if n in POSITIVE else sp.Symbol(n, real=True) for n in NAMES}",
    "",
    HELPERS,
    `SCALING = ${JSON.stringify(v)}  # exponents of (m, k, l0)`,
    "",
    "def scaled(f):",
    '    c = S["c"]',
    '    return f.subs({S["m"]: c ** SCALING[0] * S["m"], S["k"]: c ** SCALING[1] * S["k"], S["l0"]: c ** SCALING[2] * S["l0"]}, simultaneous=True)',
    "",
    "def generator(f):",
    '    return sum(v * p * sp.diff(f, p) for v, p in zip(SCALING, (S["m"], S["k"], S["l0"])))',
    "",
    ...claims(d),
    "",
    'print(f"{count - len(failures)} of {count} claims hold (SymPy {sp.__version__})")',
    "sys.exit(1 if failures else 0)",
    "",
  ].join("\n");
}
