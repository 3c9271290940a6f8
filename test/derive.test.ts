/**
 * Issue 3: the symbolic derivation. The symmetry search finds (1, 1, 0) for (x, y) and nothing
 * for (x, y) + GRF; the normalized equations contain no m; the numeric cross-checks pass; the
 * derived right-hand sides equal the simulator's at random states (checked here again, from the
 * exported mathjs text, independently of the checks inside derive()).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { deriveCommand } from "../lib/src/commands/derive";
import {
  derivationJson,
  derivationJsonObject,
  derivationLatex,
  derivationText,
  derive,
  parseDeriveObservationModel,
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

let xyCache: Derivation | undefined;
let grfCache: Derivation | undefined;
const xy = () => (xyCache ??= derive("xy"));
const grf = () => (grfCache ??= derive("xy+grf"));

function symbols(expr: string): Set<string> {
  const out = new Set<string>();
  parse(expr).traverse((n, path) => {
    if (n.type === "SymbolNode" && path !== "fn") out.add((n as unknown as { name: string }).name);
  });
  return out;
}

test("the symmetry search finds (1, 1, 0) for (x, y): m and k scaled together", () => {
  const d = xy();
  assert.deepEqual(d.symmetries, [{ m: 1, k: 1, l0: 0 }]);
  const a = d.analyses[0];
  assert.deepEqual(a.nullSpace, [[1, 1, 0]]);
  // brute force over [-2, 2]^3: exactly the multiples of (1, 1, 0)
  assert.equal(a.search.candidates, 124);
  assert.deepEqual(
    a.search.passed.map((v) => v.join(",")).sort(),
    ["-1,-1,0", "-2,-2,0", "1,1,0", "2,2,0"].sort(),
  );
  assert.deepEqual(d.identifiable, ["k/m", "l0"]);
  // the constraint monomials are read off the expressions: l0 and k/m
  assert.deepEqual(
    a.constraints.map((c) => c.monomial),
    ["l0", "k/m"],
  );
  assert.equal(a.sensitivity.rank, 2);
  assert.ok(a.sensitivity.nullDirection);
  const [nm, nk, nl] = a.sensitivity.nullDirection!;
  assert.ok(Math.abs(nm - 1) < 1e-8 && Math.abs(nk - 1) < 1e-8 && Math.abs(nl) < 1e-8, String(a.sensitivity.nullDirection));
});

test("with the ground reaction forces no scaling symmetry remains: m, k, l0 each identifiable", () => {
  const d = grf();
  assert.equal(d.observe, "xy+grf");
  assert.deepEqual(d.symmetries, []);
  assert.deepEqual(d.identifiable, ["m", "k", "l0"]);
  const a = d.analyses[1];
  assert.deepEqual(a.nullSpace, []);
  assert.deepEqual(a.search.passed, []);
  assert.equal(a.sensitivity.rank, 3);
  assert.equal(a.sensitivity.nullDirection, null);
  // the (x, y) part is still reported, with its symmetry
  assert.deepEqual(d.analyses[0].symmetries, [{ m: 1, k: 1, l0: 0 }]);
  // m dF/dm + k dF/dk = F: the (x, y) symmetry moves the force record
  const moved = d.checks.filter((c) => c.name.includes("changes the force record"));
  assert.equal(moved.length, 2);
  assert.ok(moved.every((c) => c.symbolic && c.passed));
});

test("the normalized equations contain no m; the derived ones only the documented symbols", () => {
  for (const d of [xy(), grf()]) {
    for (const phase of ["single", "double"] as const) {
      for (const which of ["xdd", "ydd"] as const) {
        const n = symbols(d.normalized[phase][which]);
        assert.ok(!n.has("m"), `${phase}.${which}: ${d.normalized[phase][which]}`);
        assert.ok(!n.has("k"), `${phase}.${which}: ${d.normalized[phase][which]}`);
        assert.ok(n.has("rho"));
        for (const s of n) assert.ok(["rho", "l0", "g", "x", "y", "x_a", "x_b"].includes(s), s);
        const e = symbols(d.equations[phase][which]);
        for (const s of e) assert.ok(["m", "k", "l0", "g", "x", "y", "x_a", "x_b"].includes(s), s);
        assert.ok(e.has("m") && e.has("k"));
      }
      assert.equal(symbols(d.normalized[phase].xdd).has("x_b"), phase === "double");
    }
  }
});

test("every numeric cross-check passes, and every identity is proved symbolically", () => {
  for (const d of [xy(), grf()]) {
    assert.ok(d.checks.length >= 15);
    for (const c of d.checks) {
      assert.ok(c.passed, `${c.name}: ${c.numericMaxError}`);
      assert.ok(Number.isFinite(c.numericMaxError) && c.numericMaxError <= 1e-10, c.name);
      if (!c.proof.startsWith("numeric only")) assert.ok(c.symbolic, `${c.name}: ${c.proof}`);
    }
    // the simulator comparisons are among them
    assert.equal(d.checks.filter((c) => /rhsSingle|rhsDouble/.test(c.name)).length, 2);
  }
});

test("the derived right-hand sides equal the simulator's at random states (from the exported text)", () => {
  const d = xy();
  const rng = seededRandom(99);
  const u = (lo: number, hi: number) => lo + (hi - lo) * rng();
  const eqs = {
    single: [compile(d.equations.single.xdd), compile(d.equations.single.ydd)],
    double: [compile(d.equations.double.xdd), compile(d.equations.double.ydd)],
  };
  const nrm = {
    single: [compile(d.normalized.single.xdd), compile(d.normalized.single.ydd)],
    double: [compile(d.normalized.double.xdd), compile(d.normalized.double.ydd)],
  };
  let worst = 0;
  for (let i = 0; i < 300; i++) {
    // any state with the legs not degenerate, compressed or not
    const m = u(40, 120), k = u(2000, 30000), l0 = u(0.4, 1.2), g = u(1, 20);
    const x_a = u(-3, 3), x_b = x_a + u(0.05, 1.5), x = x_a + u(-1, 2), y = u(0.1, 1.5);
    const s = [x, y, u(-2, 2), u(-2, 2)];
    const scope = { m, k, l0, g, x, y, x_a, x_b, rho: k / m };
    const p = { rho: k / m, l0, g };
    const out = new Float64Array(4);
    for (const phase of ["single", "double"] as const) {
      if (phase === "single") rhsSingle(p, x_a, s, out);
      else rhsDouble(p, x_a, x_b, s, out);
      for (let j = 0; j < 2; j++) {
        const sim = out[2 + j];
        for (const f of [eqs[phase][j], nrm[phase][j]]) {
          const v = f.evaluate({ ...scope }) as number;
          worst = Math.max(worst, Math.abs(v - sim) / Math.max(1, Math.abs(sim)));
        }
      }
    }
  }
  assert.ok(worst < 1e-10, `worst relative error ${worst}`);
});

test("the exported equations are invariant under (c m, c k) and not under a change of l0", () => {
  const d = xy();
  const rng = seededRandom(5);
  const f = compile(d.equations.double.ydd);
  for (let i = 0; i < 50; i++) {
    const scope = { m: 70, k: 9000, l0: 0.7, g: 9.81, x: 0.1, y: 0.62, x_a: 0, x_b: 0.3 };
    const c = 0.2 + 5 * rng();
    const a = f.evaluate({ ...scope }) as number;
    const b = f.evaluate({ ...scope, m: c * scope.m, k: c * scope.k }) as number;
    assert.ok(Math.abs(a - b) <= 1e-12 * Math.abs(a));
    const e = f.evaluate({ ...scope, l0: (1 + c) * scope.l0 }) as number;
    assert.ok(Math.abs(a - e) > 1e-3);
  }
});

test("integer kernels, canonical bases and monomials", () => {
  assert.deepEqual(integerKernel([[0, 0, 1], [-1, 1, 0]], 3), [[1, 1, 0]]);
  assert.deepEqual(integerKernel([[0, 0, 1], [-1, 1, 0], [0, 1, 0]], 3), []);
  // a lattice basis, not just a rational one: {2a + 4b = 0} is spanned by (2, -1, 0) and (0, 0, 1)
  assert.deepEqual(integerKernel([[2, 4, 0]], 3), [[2, -1, 0], [0, 0, 1]]);
  assert.deepEqual(integerKernel([[2, 3, 0]], 3), [[3, -2, 0], [0, 0, 1]]);
  assert.deepEqual(integerKernel([], 3), [[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
  assert.deepEqual(hermiteFromRight(integerKernel([[1, 1, 0]], 3)), [[-1, 1, 0], [0, 0, 1]]);
  const names = ["m", "k", "l0"];
  assert.equal(monomialText([-1, 1, 0], names), "k/m");
  assert.equal(monomialText([0, -1, 2], names), "l0^2/k");
  assert.equal(monomialText([-1, -1, 0], names), "1/(m*k)");
  assert.equal(monomialText([1, 1, 0], names), "m*k");
});

test("the scaling constraints are read off the parse tree", () => {
  const c = scalingConstraints(parse("k*(l0 - sqrt((x - x_a)^2 + y^2))/m"), ["m", "k", "l0"]);
  assert.deepEqual(
    c.map((x) => x.exponents),
    [[0, 0, 1], [-1, 1, 0]],
  );
  const f = scalingConstraints(parse("k*(l0 - sqrt((x - x_a)^2 + y^2))"), ["m", "k", "l0"]);
  assert.deepEqual(
    f.map((x) => x.exponents),
    [[0, 0, 1], [0, 1, 0]],
  );
  // a function of a parameter: its argument must be invariant
  assert.deepEqual(
    scalingConstraints(parse("sin(k/m*t) + y"), ["m", "k", "l0"]).map((x) => x.exponents),
    [[-1, 1, 0]],
  );
});

test("zero proofs: sound where mathjs simplify stops short, and never for non-zero expressions", () => {
  // mathjs 15 simplify leaves 1/s0 + 1/s1 - 1/s1 - 1/s0 uncollected; the normal form finishes it
  const z = parse("k*y*l0*(1/sqrt(a) + 1/sqrt(b) - 1/sqrt(b) - 1/sqrt(a))/m");
  assert.notEqual(provesZero(z), null);
  assert.ok(rationalZero(z));
  assert.ok(rationalZero(parse("(c*k)/(c*m) - k/m")));
  assert.ok(rationalZero(parse("(x + 1)^2 - x^2 - 2*x - 1")));
  for (const nz of ["sqrt(a) - a", "l0*c - l0", "1/sqrt(a) - 1/sqrt(b)", "(x + 1)^2 - x^2 - 1", "sin(x) - x"]) {
    assert.equal(provesZero(parse(nz)), null, nz);
    assert.equal(rationalZero(parse(nz)), false, nz);
  }
});

test("renderings: text, LaTeX and the JSON fields of the issue", () => {
  const d = xy();
  const j = JSON.parse(derivationJson(d));
  assert.deepEqual(Object.keys(j), ["observe", "parameters", "equations", "normalized", "symmetries", "identifiable", "checks"]);
  assert.equal(j.observe, "xy");
  assert.deepEqual(j.parameters, ["m", "k", "l0"]);
  assert.deepEqual(Object.keys(j.equations.single), ["xdd", "ydd"]);
  assert.deepEqual(Object.keys(j.normalized.double), ["xdd", "ydd"]);
  assert.deepEqual(j.symmetries, [{ m: 1, k: 1, l0: 0 }]);
  for (const c of j.checks) assert.deepEqual(Object.keys(c), ["name", "symbolic", "numericMaxError"]);
  assert.deepEqual(derivationJsonObject(grf()).symmetries, []);

  const text = derivationText(d);
  assert.match(text, /Step 1\. Lagrangian/);
  assert.match(text, /identifiable: k\/m, l0/);
  assert.match(text, /all \d+ checks passed/);
  const tex = derivationLatex(d);
  assert.match(tex, /\\subsection\*\{Step 1\. Lagrangian\}/);
  assert.match(tex, /\\ddot\{x\}/);
  assert.ok(!/\\cdot[a-zA-Z]/.test(tex.replace(/\\cdot\\/g, "")), "a \\cdot runs into a symbol");
  assert.equal(d.steps.length, 5);
  assert.equal(grf().steps.length, 6);
  for (const s of d.steps) {
    assert.ok(s.title && s.text && s.latex);
  }
  assert.equal(d.steps[2].mathjs["normalized.single.xdd"], d.normalized.single.xdd);
});

test("derive is deterministic, and the command prints exactly the library's rendering", async () => {
  const d = xy();
  let out = "";
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    assert.equal(await deriveCommand.run(["--json"]), 0);
  } finally {
    process.stdout.write = write;
  }
  assert.equal(out, derivationJson(d));
});

test("bad input: an unknown observation model is a GaitidError naming the value and the choices", async () => {
  await assert.rejects(deriveCommand.run(["--observe", "grf"]), (err: unknown) => {
    assert.ok(err instanceof GaitidError);
    assert.match(err.message, /"grf"/);
    assert.match(err.message, /xy, xy\+grf/);
    assert.equal(err.exitCode, 2);
    return true;
  });
  assert.throws(() => parseDeriveObservationModel("xyz"), (err: unknown) => err instanceof GaitidError && /"xyz"/.test(err.message) && /xy\+grf/.test(err.message));
  assert.throws(() => derive("positions"), GaitidError);
  await assert.rejects(deriveCommand.run(["--json", "--latex"]), GaitidError);
  await assert.rejects(deriveCommand.run(["--frobnicate"]), GaitidError);
});
