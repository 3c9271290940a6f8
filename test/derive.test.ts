/**
 * The symbolic derivation: the symmetry (1, 1, 0) for (x, y) and none with the total force or the
 * joules design; the normalized equations contain no m; every check passes and is grouped by the
 * step it supports; every claim of the proposition has passing checks; the derived right-hand
 * sides equal the simulator's (checked here again from the exported text, independently of the
 * checks inside derive()); the JSON carries every expression and reads back validated.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { deriveCommand } from "../lib/src/commands/derive";
import {
  derivationJson,
  derivationJsonObject,
  derivationLatex,
  derivationText,
  derive,
  parseDeriveObservationModel,
  readDerivationJson,
  validateDerivationJson,
  type Derivation,
} from "../lib/src/derive";
import { hermiteFromRight, integerKernel, monomialText } from "../lib/src/derive/lattice";
import { compile, parse } from "../lib/src/derive/mathjs";
import { provesZero } from "../lib/src/derive/symbolic";
import { rationalZero } from "../lib/src/derive/rational";
import { scalingConstraints } from "../lib/src/derive/scaling";
import { seededRandom } from "../lib/src/derive/numeric";
import { GaitidError } from "../lib/src/errors";
import { rhsDouble, rhsSingle } from "../lib/src/walker/physics";
import { captureStdout } from "./helpers/stdout";

let xyCache: Derivation | undefined;
let grfCache: Derivation | undefined;
let joulesCache: Derivation | undefined;
const xy = () => (xyCache ??= derive("xy"));
const grf = () => (grfCache ??= derive("xy+grf"));
const joules = () => (joulesCache ??= derive("xy", { design: "joules" }));

function symbols(expr: string): Set<string> {
  const out = new Set<string>();
  parse(expr).traverse((n, p) => {
    if (n.type === "SymbolNode" && p !== "fn") out.add((n as unknown as { name: string }).name);
  });
  return out;
}

test("the scaling analysis finds (1, 1, 0) for (x, y), and the log-sensitivity rank rules out every other direction", () => {
  const d = xy();
  assert.deepEqual(d.symmetries, [{ m: 1, k: 1, l0: 0 }]);
  const a = d.analyses[0];
  assert.deepEqual(a.nullSpace, [[1, 1, 0]]);
  assert.deepEqual(d.identifiable, ["k/m", "l0"]);
  assert.deepEqual(a.constraints.map((c) => c.monomial), ["l0", "k/m"]);
  assert.equal(a.sensitivity.rank, 2);
  const [nm, nk, nl] = a.sensitivity.nullDirection!;
  assert.ok(Math.abs(nm - 1) < 1e-8 && Math.abs(nk - 1) < 1e-8 && Math.abs(nl) < 1e-8, String(a.sensitivity.nullDirection));
  // a clear gap: the vanishing singular value is at rounding, the other two far above it
  assert.ok(a.sensitivity.singularValues[2] < 1e-14 && a.sensitivity.singularValues[1] > 1e-3, String(a.sensitivity.singularValues));
  assert.ok(!("search" in a), "the brute-force box is gone");
  const angle = d.checks.find((c) => c.id === "xy.per-unit-mass.null-direction")!;
  assert.equal(angle.measure, "angle between the two directions, rad");
  assert.ok(angle.numericMaxError < 1e-10);
});

test("with the total ground reaction force no scaling symmetry remains: m, k, l0 each identifiable", () => {
  const d = grf();
  assert.equal(d.observe, "xy+grf");
  assert.deepEqual(d.symmetries, []);
  assert.deepEqual(d.identifiable, ["m", "k", "l0"]);
  const a = d.analyses[1];
  assert.deepEqual(a.nullSpace, []);
  assert.equal(a.sensitivity.rank, 3);
  assert.equal(a.sensitivity.nullDirection, null);
  // the observed forces are the total force m (x'', y'' + g), not a force per leg
  assert.deepEqual(a.observables.filter((o) => o.kind === "force").map((o) => o.name.split(" ")[0]), ["fx", "fy", "fx", "fy"]);
  assert.ok(a.constraints.some((c) => c.monomial === "k"), "the force adds a monomial that (c m, c k) scales");
  assert.deepEqual(d.analyses[0].symmetries, [{ m: 1, k: 1, l0: 0 }]);
  const moved = d.checks.find((c) => c.id === "grf.moves.1")!;
  assert.ok(moved.symbolic && moved.passed);
  // fx = m x'' with the derived x'': evaluate both at a state
  const scope = { m: 70, k: 9000, l0: 0.7, g: 9.81, x: 0.1, y: 0.62, x_a: 0, x_b: 0.3 };
  const fx = compile(d.expressions.forces.fx.single).evaluate({ ...scope }) as number;
  const ax = compile(d.equations.single.xdd).evaluate({ ...scope }) as number;
  assert.ok(Math.abs(fx - scope.m * ax) < 1e-9 * Math.abs(fx));
  const mass = d.checks.find((c) => c.id === "grf.mass-from-record")!;
  assert.ok(mass.passed && mass.numericMaxError < 1e-8, `m and k from simulated records: ${mass.numericMaxError}`);
});

test("--design joules: e = E/m makes m identifiable from (x, y) with E known, and only partly with E from a range", () => {
  const u = xy(), j = joules();
  assert.equal(j.design, "joules");
  assert.deepEqual(j.symmetries, []);
  assert.deepEqual(j.identifiable, ["m", "k", "l0"]);
  assert.deepEqual(j.partial.map((p) => p.quantity), ["m", "k"]);
  assert.equal(j.partial[0].bounds, "E_min/e <= m <= E_max/e");
  // the per-unit-mass design keeps the symmetry; both designs are reported either way
  assert.deepEqual(u.identifiable, ["k/m", "l0"]);
  assert.deepEqual(u.partial, []);
  for (const d of [u, j]) {
    assert.deepEqual(d.designs.map((g) => [g.design, g.identifiable]), [["per-unit-mass", ["k/m", "l0"]], ["joules", ["m", "k", "l0"]]]);
  }
  assert.deepEqual(j.proposition.claims.map((c) => c.id), ["b", "d"]);
  const e = j.checks.find((c) => c.id === "design.energy-from-record")!;
  assert.ok(e.passed && e.numericMaxError < 1e-8, String(e.numericMaxError));
});

test("the normalized equations contain no m; the derived ones only the documented symbols; the readable form is shown", () => {
  for (const d of [xy(), grf()]) {
    for (const phase of ["single", "double"] as const) {
      for (const which of ["xdd", "ydd"] as const) {
        const n = symbols(d.normalized[phase][which]);
        assert.ok(!n.has("m") && !n.has("k") && n.has("rho"), `${phase}.${which}: ${d.normalized[phase][which]}`);
        for (const s of n) assert.ok(["rho", "l0", "g", "x", "y", "x_a", "x_b"].includes(s), s);
        const e = symbols(d.equations[phase][which]);
        for (const s of e) assert.ok(["m", "k", "l0", "g", "x", "y", "x_a", "x_b"].includes(s), s);
        assert.ok(e.has("m") && e.has("k"));
      }
      assert.equal(symbols(d.normalized[phase].xdd).has("x_b"), phase === "double");
    }
  }
  const d = xy();
  assert.equal(d.expressions.readable.single.xdd, "rho*(l0/l_a - 1)*(x - x_a)");
  assert.equal(d.expressions.readable.single.ydd, "rho*(l0/l_a - 1)*y - g");
  const norm = d.steps.find((s) => s.id === "normalization")!;
  assert.equal(norm.mathjs["readable.single.xdd"], "rho*(l0/l_a - 1)*(x - x_a)");
  assert.match(norm.latex, /\{\\rho\}\\,\\left\(\\frac\{\{\\ell_0\}\}\{\{\\ell_\{a\}\}\}-1\\right\)\\,\\left\(\{x\}-\{x_\{a\}\}\\right\)/);
});

test("every check passes, belongs to a step, says its method and what its number measures; no trivial rows", () => {
  for (const d of [xy(), grf(), joules()]) {
    const stepIds = d.steps.map((s) => s.id);
    assert.equal(new Set(d.checks.map((c) => c.id)).size, d.checks.length, "check ids are unique");
    for (const c of d.checks) {
      assert.ok(c.passed, `${c.id}: ${c.numericMaxError}`);
      assert.ok(Number.isFinite(c.numericMaxError) && c.numericMaxError <= c.tolerance, c.id);
      assert.ok(stepIds.includes(c.step), `${c.id} supports step ${c.step}`);
      assert.ok(c.method === "numeric" || c.symbolic, `${c.id}: ${c.proof}`);
      assert.ok(c.measure.length > 0 && !/1 - cos/.test(c.measure), c.id);
      assert.doesNotMatch(c.name, /-dV\/dl/, "the per-leg force law evaluated at l = y is gone");
    }
    assert.equal(d.checks.filter((c) => /simulator/.test(c.id)).length, 2 + (d.observe === "xy+grf" ? 2 : 0));
    assert.ok(d.checks.some((c) => c.step === "inversion" && c.method === "numeric"), "the inversion is checked on records");
  }
});

test("the proposition: hypotheses H1-H4, and every claim has checks in the table, all passed", () => {
  for (const [d, claims] of [[xy(), ["a", "b"]], [grf(), ["a", "b", "c"]], [joules(), ["b", "d"]]] as const) {
    const p = d.proposition;
    assert.deepEqual(p.hypotheses.map((h) => h.id), ["H1", "H2", "H3", "H4"]);
    assert.deepEqual(p.claims.map((c) => c.id), claims);
    for (const c of p.claims) {
      assert.ok(c.checks.length >= 1, `claim ${c.id}`);
      for (const id of c.checks) assert.ok(d.checks.find((x) => x.id === id)?.passed, `claim ${c.id}: ${id}`);
      for (const s of c.steps) assert.ok(d.steps.some((x) => x.id === s), `claim ${c.id}: step ${s}`);
    }
  }
  const b = xy().proposition.claims.find((c) => c.id === "b")!;
  assert.ok(b.checks.includes("inversion.records.differences") && b.checks.includes("inversion.two-instants"));
});

test("the steps, in the order of the argument, with stable ids", () => {
  assert.deepEqual(xy().steps.map((s) => s.id), ["lagrangian", "euler-lagrange", "normalization", "record", "symmetry-xy", "identifiable-xy", "inversion", "design"]);
  assert.deepEqual(grf().steps.map((s) => s.id), ["lagrangian", "euler-lagrange", "normalization", "record", "symmetry-xy", "identifiable-xy", "inversion", "grf", "design"]);
  const record = xy().steps.find((s) => s.id === "record")!.text.replace(/\s+/g, " ");
  // the touchdown condition holds alpha0 as well as l0
  assert.match(record, /y = l0\*sin\(alpha0\)/);
  assert.match(record, /x_b = x \+ l0\*cos\(alpha0\)/);
  assert.match(record, /e = \(x_dot\^2 \+ y_dot\^2\)\/2 \+ g\*y \+ rho\/2\*\(l0 - l_a\)\^2/);
});

test("the derived right-hand sides equal the simulator's at random states (from the exported text)", () => {
  const d = xy();
  const rng = seededRandom(99);
  const u = (lo: number, hi: number) => lo + (hi - lo) * rng();
  const eqs = { single: [d.equations.single.xdd, d.equations.single.ydd], double: [d.equations.double.xdd, d.equations.double.ydd] };
  const nrm = { single: [d.normalized.single.xdd, d.normalized.single.ydd], double: [d.normalized.double.xdd, d.normalized.double.ydd] };
  const compiled = (m: Record<string, string[]>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v.map((e) => compile(e))]));
  const E = compiled(eqs), N = compiled(nrm);
  let worst = 0;
  for (let i = 0; i < 300; i++) {
    const m = u(40, 120), k = u(2000, 30000), l0 = u(0.4, 1.2), g = u(1, 20);
    const x_a = u(-3, 3), x_b = x_a + u(0.05, 1.5), x = x_a + u(-1, 2), y = u(0.1, 1.5);
    const s = [x, y, u(-2, 2), u(-2, 2)];
    const scope = { m, k, l0, g, x, y, x_a, x_b, rho: k / m };
    const out = new Float64Array(4);
    for (const phase of ["single", "double"] as const) {
      if (phase === "single") rhsSingle({ rho: k / m, l0, g }, x_a, s, out);
      else rhsDouble({ rho: k / m, l0, g }, x_a, x_b, s, out);
      for (let j = 0; j < 2; j++) {
        for (const f of [E[phase][j], N[phase][j]]) {
          const v = f.evaluate({ ...scope }) as number;
          worst = Math.max(worst, Math.abs(v - out[2 + j]) / Math.max(1, Math.abs(out[2 + j])));
        }
      }
    }
  }
  assert.ok(worst < 1e-10, `worst relative error ${worst}`);
});

test("integer kernels, canonical bases and monomials", () => {
  assert.deepEqual(integerKernel([[0, 0, 1], [-1, 1, 0]], 3), [[1, 1, 0]]);
  assert.deepEqual(integerKernel([[0, 0, 1], [-1, 1, 0], [0, 1, 0]], 3), []);
  assert.deepEqual(integerKernel([[2, 4, 0]], 3), [[2, -1, 0], [0, 0, 1]]);
  assert.deepEqual(integerKernel([[2, 3, 0]], 3), [[3, -2, 0], [0, 0, 1]]);
  assert.deepEqual(integerKernel([], 3), [[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
  assert.deepEqual(hermiteFromRight(integerKernel([[1, 1, 0]], 3)), [[-1, 1, 0], [0, 0, 1]]);
  const names = ["m", "k", "l0"];
  assert.equal(monomialText([-1, 1, 0], names), "k/m");
  assert.equal(monomialText([0, -1, 2], names), "l0^2/k");
  assert.equal(monomialText([-1, -1, 0], names), "1/(m*k)");
});

test("the scaling constraints are read off the parse tree", () => {
  assert.deepEqual(scalingConstraints(parse("k*(l0 - sqrt((x - x_a)^2 + y^2))/m"), ["m", "k", "l0"]).map((x) => x.exponents), [[0, 0, 1], [-1, 1, 0]]);
  assert.deepEqual(scalingConstraints(parse("m*(k*(l0 - y)/m)"), ["m", "k", "l0"]).map((x) => x.exponents), [[0, 0, 1], [0, 1, 0]]);
  assert.deepEqual(scalingConstraints(parse("E/m"), ["m", "k", "l0"]).map((x) => x.exponents), [[1, 0, 0]]);
  assert.deepEqual(scalingConstraints(parse("sin(k/m*t) + y"), ["m", "k", "l0"]).map((x) => x.exponents), [[-1, 1, 0]]);
});

test("zero proofs: the rational normal form first, simplify where it does not apply, never for non-zero expressions", () => {
  const z = parse("k*y*l0*(1/sqrt(a) + 1/sqrt(b) - 1/sqrt(b) - 1/sqrt(a))/m");
  assert.equal(provesZero(z), "exact rational normal form (sqrt as atoms)");
  assert.ok(rationalZero(parse("(c*k)/(c*m) - k/m")));
  // sin(x)^2 + cos(x)^2 - 1 is not rational in its atoms; neither proof reaches 0, which proves nothing
  for (const nz of ["sqrt(a) - a", "l0*c - l0", "1/sqrt(a) - 1/sqrt(b)", "(x + 1)^2 - x^2 - 1", "sin(x) - x"]) {
    assert.equal(provesZero(parse(nz)), null, nz);
    assert.equal(rationalZero(parse(nz)), false, nz);
  }
});

test("the JSON carries every expression, the steps, the proposition and each check's method and result; it reads back validated", () => {
  const d = grf();
  const j = JSON.parse(derivationJson(d));
  assert.equal(j.format, "gaitid-derivation");
  assert.equal(j.version, 2);
  const e = j.expressions;
  for (const phase of ["single", "double"]) {
    for (const s of [e.lagrangian[phase], e.energy.total[phase], e.energy.specific[phase], e.accelerations[phase].xdd, e.normalized[phase].ydd, e.readable[phase].xdd, e.forces.fx[phase], e.forces.fy[phase]]) {
      assert.ok(typeof s === "string" && s.length > 0 && parse(s));
    }
  }
  assert.deepEqual(e.events, { touchdown: "y - l0*sin(alpha0)", footPlacement: "x + l0*cos(alpha0)", liftoff: "sqrt((x - x_a)^2 + y^2) - l0" });
  assert.deepEqual(Object.keys(e.initialState), ["x", "y", "x_dot", "y_dot"]);
  assert.deepEqual(Object.keys(e.inversion), ["foot", "affine", "rho", "l0", "m"]);
  for (const c of j.checks) for (const k of ["id", "step", "claim", "method", "proof", "measure", "numericMaxError", "tolerance", "passed"]) assert.ok(k in c, k);
  assert.ok(j.bibliography.some((b: { key: string }) => b.key === "geyer2006"));
  assert.deepEqual(validateDerivationJson(j, "test"), j);
  assert.deepEqual(derivationJsonObject(xy()).symmetries, [{ m: 1, k: 1, l0: 0 }]);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gaitid-derive-"));
  try {
    const file = path.join(dir, "derivation.json");
    fs.writeFileSync(file, JSON.stringify({ xy: derivationJsonObject(xy()), "xy+grf": j }));
    const back = readDerivationJson(file);
    assert.deepEqual(back["xy+grf"].identifiable, ["m", "k", "l0"]);
    assert.deepEqual(back.xy.identifiable, ["k/m", "l0"]);
    // a file of the earlier shape names itself and what to do
    fs.writeFileSync(file, JSON.stringify({ xy: { observe: "xy", checks: [] }, "xy+grf": j }));
    assert.throws(() => readDerivationJson(file), (err: unknown) => err instanceof GaitidError && err.message.includes(file) && /gaitid reproduce/.test(err.message));
    const broken = { ...j, checks: [{ ...j.checks[0], method: "guess" }] };
    fs.writeFileSync(file, JSON.stringify({ xy: derivationJsonObject(xy()), "xy+grf": broken }));
    assert.throws(() => readDerivationJson(file), /checks\[0\]\.method/);
    assert.throws(() => readDerivationJson(path.join(dir, "missing.json")), GaitidError);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("text and LaTeX renderings: steps, proposition, checks by step, references", () => {
  const d = xy();
  const text = derivationText(d);
  assert.match(text, /Step 1\. The Lagrangian/);
  assert.match(text, /Proposition\. /);
  assert.match(text, /\(b\) rho and l0 are identifiable from a record/);
  assert.match(text, /identifiable: k\/m, l0/);
  assert.match(text, /design joules \(e = E\/m\): identifiable m, k, l0/);
  assert.match(text, /all \d+ checks passed/);
  assert.match(text, /Geyer, Seyfarth and Blickhan 2006|H\. Geyer, A\. Seyfarth, R\. Blickhan \(2006\)/);
  assert.doesNotMatch(text, /\(step 5\)/);
  const tex = derivationLatex(d);
  assert.match(tex, /\\subsection\*\{Step 1\. The Lagrangian\}/);
  assert.match(tex, /\\ddot\{x\}/);
  assert.match(tex, /\\bibitem\{bellman1970\}/);
  assert.match(derivationText(joules()), /only partly identifiable when E drawn from a known range \[E_min, E_max\]: m, E_min\/e <= m <= E_max\/e/);
});

test("the command prints exactly the library's JSON", async () => {
  const { value, out } = await captureStdout(() => deriveCommand.run(["--json"]));
  assert.equal(value, 0);
  assert.equal(out, derivationJson(xy()));
});

test("bad input: an unknown model or design, or two outputs, is a GaitidError naming the value and the choices", async () => {
  await assert.rejects(deriveCommand.run(["--observe", "grf"]), (err: unknown) => {
    assert.ok(err instanceof GaitidError);
    assert.match(err.message, /"grf"/);
    assert.match(err.message, /xy, xy\+grf/);
    assert.equal(err.exitCode, 2);
    return true;
  });
  await assert.rejects(deriveCommand.run(["--design", "kg"]), (err: unknown) => err instanceof GaitidError && /"kg"/.test(err.message) && /per-unit-mass, joules/.test(err.message));
  await assert.rejects(deriveCommand.run(["--export", "mathematica"]), (err: unknown) => err instanceof GaitidError && /sympy/.test(err.message));
  assert.throws(() => parseDeriveObservationModel("xyz"), (err: unknown) => err instanceof GaitidError && /"xyz"/.test(err.message));
  assert.throws(() => derive("positions"), GaitidError);
  assert.throws(() => derive("xy", { design: "newtons" }), GaitidError);
  await assert.rejects(deriveCommand.run(["--json", "--latex"]), GaitidError);
  await assert.rejects(deriveCommand.run(["--json", "--export", "sympy"]), GaitidError);
  await assert.rejects(deriveCommand.run(["--frobnicate"]), GaitidError);
});
