/**
 * The derivation restated for Maxima, beside the SymPy export (cas.ts): `gaitid derive --export
 * maxima` writes a self-contained Maxima batch script that derives the Euler-Lagrange equations
 * from the Lagrangian again and asserts, with ratsimp(radcan(lhs - rhs)) = 0, the same claims as
 * the SymPy script: gaitid's accelerations solve them, the normalization k = rho m (m cancels), its
 * readable form, the energy, the scaling symmetry (finite and infinitesimal) of every quantity the
 * record depends on, the constructive inversion and (with the force) the force identities.
 *
 * The expressions are embedded in mathjs syntax, which Maxima reads as it is (^ is a power, sqrt,
 * sin, cos; every other name is a plain symbol: e and pi are not Maxima's %e and %pi). Maxima's
 * batch mode exits with status 0 even when a claim fails, so the script ends with the line
 * "N of M claims hold", followed by a line "FAILED: <claim>" for each claim that does not hold.
 */
import type { Derivation } from "./types";

/** Names that are positive reals in the model (assumed positive, as in the SymPy export). */
const POSITIVE = ["m", "k", "l0", "g", "rho", "c", "y", "E", "e", "eps", "u_1", "u_2", "q_1", "q_2", "y_0"];

/** A Maxima string literal; the claims' names hold no quote or backslash. */
function str(s: string): string {
  if (/["\\]/.test(s)) throw new Error(`a Maxima string cannot hold ${JSON.stringify(s)}`);
  return `"${s}"`;
}

/** A mathjs expression as Maxima input, in parentheses. */
function mx(expr: string): string {
  if (/[;$"%]/.test(expr)) throw new Error(`the expression ${JSON.stringify(expr)} is not plain mathjs arithmetic`);
  return `(${expr})`;
}

/** The claims of one phase of support (single, double), as Maxima statements. */
function phaseClaims(d: Derivation, phase: "single" | "double"): string[] {
  const e = d.expressions;
  const legs = (phase === "single" ? ["a"] : ["a", "b"]).map((f) => `l_${f} = leg(x_${f})`).join(", ");
  const lines = [
    `/* ${phase} support */`,
    `L: ${mx(e.lagrangian[phase])}$`,
    `ax: ${mx(e.accelerations[phase].xdd)}$`,
    `ay: ${mx(e.accelerations[phase].ydd)}$`,
    `el: euler_lagrange(L)$`,
    `check(${str(`${phase}: gaitid's x'' solves the Euler-Lagrange equations derived by Maxima`)}, ax, el[1])$`,
    `check(${str(`${phase}: gaitid's y'' solves the Euler-Lagrange equations derived by Maxima`)}, ay, el[2])$`,
    `nx: ${mx(e.normalized[phase].xdd)}$`,
    `ny: ${mx(e.normalized[phase].ydd)}$`,
    `check(${str(`${phase}: normalization, x'' with k = rho m`)}, nx, subst(k = rho * m, ax))$`,
    `check(${str(`${phase}: normalization, y'' with k = rho m`)}, ny, subst(k = rho * m, ay))$`,
    `check_free_of_m(${str(phase)}, nx, ny)$`,
    `check(${str(`${phase}: readable form of x''`)}, subst([${legs}], ${mx(e.readable[phase].xdd)}), nx)$`,
    `check(${str(`${phase}: readable form of y''`)}, subst([${legs}], ${mx(e.readable[phase].ydd)}), ny)$`,
    `check(${str(`${phase}: energy per unit mass e = E/m with k = rho m`)}, subst(k = rho * m, energy(L)) / m, ${mx(e.energy.specific[phase])})$`,
    `check(${str(`${phase}: the scaling leaves x'' unchanged`)}, scaled(ax), ax)$`,
    `check(${str(`${phase}: the scaling leaves y'' unchanged`)}, scaled(ay), ay)$`,
    `check(${str(`${phase}: the generator of the scaling annihilates x''`)}, generator(ax), 0)$`,
    `check(${str(`${phase}: the generator of the scaling annihilates y''`)}, generator(ay), 0)$`,
  ];
  if (d.observe === "xy+grf") {
    lines.push(
      `fx: ${mx(e.forces.fx[phase])}$`,
      `fy: ${mx(e.forces.fy[phase])}$`,
      `check(${str(`${phase}: fx = m x''`)}, fx, m * ax)$`,
      `check(${str(`${phase}: fy = m (y'' + g)`)}, fy, m * (ay + g))$`,
      `check(${str(`${phase}: the scaling multiplies fy by c (generator = fy)`)}, generator(fy), fy)$`,
    );
  }
  return lines;
}

/** The claims on the gait events and the constructive inversion (single support). */
function inversionClaims(d: Derivation): string[] {
  const e = d.expressions;
  return [
    "/* the gait events */",
    ...Object.entries(e.events).map(([name, expr]) => `check(${str(`the scaling leaves the ${name} event unchanged`)}, scaled(${mx(expr)}), ${mx(expr)})$`),
    "/* the constructive inversion (single support) */",
    `nx: ${mx(e.normalized.single.xdd)}$`,
    `ny: ${mx(e.normalized.single.ydd)}$`,
    `check("the stance foot: x - y x''/(y'' + g) = x_a", subst([x_dd = nx, y_dd = ny], ${mx(e.inversion.foot)}), x_a)$`,
    `check("(y'' + g)/y is affine in 1/l_a", (ny + g) / y, subst(l_a = leg(x_a), ${mx(e.inversion.affine)}))$`,
    "q: [q_1 = rho * l0 * u_1 - rho, q_2 = rho * l0 * u_2 - rho]$",
    `check("rho from two instants", subst(q, ${mx(e.inversion.rho)}), rho)$`,
    `check("l0 from two instants", subst(q, ${mx(e.inversion.l0)}), l0)$`,
    `check("one instant: det d(x'', y'')/d(rho, l0) = 0", determinant(matrix([diff(nx, rho), diff(nx, l0)], [diff(ny, rho), diff(ny, l0)])), 0)$`,
  ];
}

/** The script's helpers: the check, the Euler-Lagrange equations derived by Maxima, the energy, the scaling. */
function helpers(scaling: readonly number[]): string[] {
  return [
    "nclaims: 0$",
    "failed: []$",
    "/* A claim holds when lhs - rhs simplifies to 0. */",
    "check(name, lhs, rhs) := block([ok],",
    "  nclaims: nclaims + 1,",
    "  ok: is(ratsimp(radcan(lhs - rhs)) = 0),",
    '  print(sconcat(if ok then "ok    " else "FAIL  ", name)),',
    "  if not ok then failed: endcons(name, failed),",
    "  ok)$",
    "check_free_of_m(phase, fx, fy) := block([ok],",
    "  nclaims: nclaims + 1,",
    "  ok: freeof(m, fx) and freeof(m, fy),",
    '  print(sconcat(if ok then "ok    " else "FAIL  ", phase, ": the normalized accelerations do not contain m")),',
    '  if not ok then failed: endcons(sconcat(phase, ": m in the normalized accelerations"), failed),',
    "  ok)$",
    "leg(foot) := sqrt((x - foot)^2 + y^2)$",
    "/* The accelerations solving d/dt dL/dq' - dL/dq = 0 for q = x, y: x(t), y(t) put in, the equations solved for x'', y''. */",
    "euler_lagrange(L) := block([tf, eqs, sol],",
    "  tf: [x_dot = diff(xf(t), t), y_dot = diff(yf(t), t), x = xf(t), y = yf(t)],",
    "  eqs: [diff(subst(tf, diff(L, x_dot)), t) - subst(tf, diff(L, x)), diff(subst(tf, diff(L, y_dot)), t) - subst(tf, diff(L, y))],",
    "  eqs: subst([diff(xf(t), t, 2) = x_dd, diff(yf(t), t, 2) = y_dd], eqs),",
    "  eqs: subst([diff(xf(t), t) = x_dot, diff(yf(t), t) = y_dot], eqs),",
    "  eqs: subst([xf(t) = x, yf(t) = y], eqs),",
    "  sol: solve(eqs, [x_dd, y_dd]),",
    "  [subst(sol[1], x_dd), subst(sol[1], y_dd)])$",
    "/* E = x' dL/dx' + y' dL/dy' - L. */",
    "energy(L) := x_dot * diff(L, x_dot) + y_dot * diff(L, y_dot) - L$",
    `scaling: [${scaling.join(", ")}]$  /* exponents of (m, k, l0) */`,
    "scaled(f) := psubst([m = c^scaling[1] * m, k = c^scaling[2] * k, l0 = c^scaling[3] * l0], f)$",
    "generator(f) := scaling[1] * m * diff(f, m) + scaling[2] * k * diff(f, k) + scaling[3] * l0 * diff(f, l0)$",
  ];
}

/** The Maxima batch script (maxima --very-quiet -b check.mac). */
export function maximaScript(d: Derivation): string {
  const scaling = d.analyses[0].nullSpace[0] ?? [1, 1, 0];
  return [
    `/* gaitid derive --export maxima (observe ${d.observe}, design ${d.design}): generated, do not edit.`,
    "",
    "   Restates gaitid's symbolic derivation (mathjs) and re-checks it with Maxima: the Euler-Lagrange",
    "   equations are derived again from the Lagrangian, and each claim is asserted as",
    "   ratsimp(radcan(lhs - rhs)) = 0. Run: maxima --very-quiet -b check.mac",
    '   Every claim holds when the last line reads "M of M claims hold"; a failed claim prints',
    '   "FAIL  <claim>" and the script ends with one "FAILED: <claim>" line for each (the exit status is 0 either way). */',
    "display2d: false$",
    "linel: 400$",
    `assume(${POSITIVE.map((n) => `${n} > 0`).join(", ")})$`,
    ...helpers(scaling),
    ...phaseClaims(d, "single"),
    ...phaseClaims(d, "double"),
    ...inversionClaims(d),
    'print(sconcat(nclaims - length(failed), " of ", nclaims, " claims hold (Maxima ", build_info()@version, ")"))$',
    'for name in failed do print(sconcat("FAILED: ", name))$',
    "",
  ].join("\n");
}
