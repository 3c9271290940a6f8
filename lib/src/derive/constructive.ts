/**
 * The checks of the constructive inversion (step "inversion"; the method is in inversion.ts):
 * symbolically, that the stance foot, the affine relation and the two-instant formulas hold for
 * the derived accelerations, and that one instant is not enough; numerically, that rho, l0 and the
 * feet come back from simulated records.
 */
import { derivative, parse, type MathNode } from "./mathjs";
import { relativeError, type Point } from "./numeric";
import { evaluator, legLengthNode, minus, provesZero, substitute, text } from "./symbolic";
import { CheckList, maxOver } from "./checklist";
import type { PhaseWork } from "./mechanics";
import { invertStance } from "./inversion";
import { stanceSamples, type SimulatedRecord } from "./records";
import { m, r, tex } from "./rich";
import type { DerivationExpressions, InversionSummary } from "./types";

/** The inversion's formulas, mathjs syntax (l_a abbreviates the stance leg length). */
export const INVERSION = {
  foot: "x - y*x_dd/(y_dd + g)",
  affine: "rho*l0*(1/l_a) - rho",
  rho: "(q_1*u_2 - q_2*u_1)/(u_1 - u_2)",
  l0: "(q_1 - q_2)/(q_1*u_2 - q_2*u_1)",
  m: "fy/(y_dd + g)",
} as const satisfies DerivationExpressions["inversion"];

/** The symbolic claims, checked at the random points too (single support: w = the single phase's work). */
export function checkInversionSymbolic(w: PhaseWork, points: readonly Point[], checks: CheckList): void {
  const [ax, ay] = w.normalized.map(text);
  const la = text(legLengthNode("x_a"));
  const foot = parse(`x - y*(${ax})/((${ay}) + g)`);
  const affine = minus(parse(`((${ay}) + g)/y`), parse(`rho*l0/${la} - rho`));
  const fe = evaluator(foot);
  const ae = [evaluator(parse(`((${ay}) + g)/y`)), evaluator(parse(`rho*l0/${la} - rho`))];
  const withRho = (p: Point): Point => ({ ...p, rho: p.k / p.m });
  checks.add({
    id: "inversion.foot",
    step: "inversion",
    claim: r`the stance foot follows from the record: ${m(`x - y*x_dd/(y_dd + g) = x_a`)} in single support`,
    proofs: [provesZero(minus(foot, parse("x_a")))],
    value: maxOver(points, (p) => relativeError(fe(withRho(p)), p.x_a, p.l0)),
  });
  checks.add({
    id: "inversion.affine",
    step: "inversion",
    claim: r`${m("(y_dd + g)/y = rho*l0*(1/l_a) - rho")}: affine in ${m("1/l_a")} with slope ${m("rho*l0")} and intercept ${m("-rho")}`,
    proofs: [provesZero(affine)],
    value: maxOver(points, (p) => relativeError(ae[0](withRho(p)), ae[1](withRho(p)))),
  });
  const q = (i: number): string => `(rho*l0*u_${i} - rho)`;
  const rhoOf = substitute(parse(INVERSION.rho), { q_1: q(1), q_2: q(2) });
  const l0Of = substitute(parse(INVERSION.l0), { q_1: q(1), q_2: q(2) });
  const re = evaluator(rhoOf), le = evaluator(l0Of);
  checks.add({
    id: "inversion.two-instants",
    step: "inversion",
    claim: r`two instants with different leg lengths (${m("u_i = 1/l_i")}, ${m("q_i = (y_dd_i + g)/y_i")}, ${m("u_1 != u_2")}) give ${m(`rho = ${INVERSION.rho}`)} and ${m(`l0 = ${INVERSION.l0}`)}`,
    proofs: [provesZero(minus(rhoOf, parse("rho"))), provesZero(minus(l0Of, parse("l0")))],
    value: maxOver(points, (p) => {
      const s = { ...withRho(p), u_1: 1 / p.l0 / 0.93, u_2: 1 / p.l0 / 0.97 };
      return Math.max(relativeError(re(s), s.rho), relativeError(le(s), p.l0));
    }),
  });
  checkSingleInstant(w, points, checks);
}

/** One instant gives one combination: det d(x'', y'')/d(rho, l0) = 0. */
function checkSingleInstant(w: PhaseWork, points: readonly Point[], checks: CheckList): void {
  const d = (f: MathNode, p: string): string => text(derivative(f, p, { simplify: false }));
  const [ax, ay] = w.normalized;
  const det: MathNode = parse(`(${d(ax, "rho")})*(${d(ay, "l0")}) - (${d(ax, "l0")})*(${d(ay, "rho")})`);
  const terms = [evaluator(parse(`(${d(ax, "rho")})*(${d(ay, "l0")})`)), evaluator(parse(`(${d(ax, "l0")})*(${d(ay, "rho")})`))];
  const de = evaluator(det);
  checks.add({
    id: "inversion.single-instant",
    step: "inversion",
    claim: r`one instant is not enough: ${tex("\\det \\partial(\\ddot{x}, \\ddot{y})/\\partial(\\rho, \\ell_0) = 0", "det d(x_dd, y_dd)/d(rho, l0) = 0")} in single support, since both depend on ${tex("(\\rho, \\ell_0)", "(rho, l0)")} only through ${m("rho*(l0/l_a - 1)")}`,
    proofs: [provesZero(det)],
    value: maxOver(points, (p) => {
      const s = { ...p, rho: p.k / p.m };
      return relativeError(de(s), 0, Math.max(...terms.map((t) => Math.abs(t(s)))));
    }),
  });
}

/** rho, l0 and the feet from the simulated records, with both kinds of accelerations. */
export function checkInversionRecords(records: readonly SimulatedRecord[], checks: CheckList): InversionSummary {
  const rows: InversionSummary["rows"] = [];
  for (const derivatives of ["differences", "state"] as const) {
    let rhoError = 0, l0Error = 0, footError = 0, samples = 0;
    for (const rec of records) {
      const s = stanceSamples(rec, derivatives);
      const inv = invertStance(s, rec.g);
      samples += s.length;
      rhoError = Math.max(rhoError, relativeError(inv.rho, rec.rho));
      l0Error = Math.max(l0Error, relativeError(inv.l0, rec.l0));
      s.forEach((x, i) => (footError = Math.max(footError, Math.abs(inv.feet[i] - x.foot) / rec.l0)));
    }
    rows.push({ derivatives, records: records.length, samples, rhoError, l0Error, footError });
    const how = derivatives === "state" ? "the simulator's own accelerations at the samples (its force channel per unit mass)" : `the positions alone (accelerations by five-point central differences, ${records[0].dt * 1000} ms apart)`;
    checks.add({
      id: `inversion.records.${derivatives}`,
      step: "inversion",
      claim: r`on ${records.length} simulated records (${samples} single-support samples), from ${how}: the inversion recovers ${m("rho")}, ${m("l0")} and the stance feet`,
      proofs: "simulated records (walker/simulate.ts), least squares over the samples (inversion.ts)",
      value: Math.max(rhoError, l0Error, footError),
      measure: "largest relative error of rho and l0, and of the feet relative to l0",
      tolerance: 1e-8,
    });
  }
  return { rows };
}
