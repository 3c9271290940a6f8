/**
 * `gaitid derive --export sympy`: the script re-derives the Euler-Lagrange equations with SymPy
 * and asserts every claim as simplify(lhs - rhs) == 0. Run with the first python3 that imports
 * sympy ($GAITID_PYTHON, python3 on the PATH, Debian's /usr/bin/python3); skipped, with the reason,
 * where there is none (`apt-get install python3-sympy`, as scripts/setup.sh does). A tampered
 * script must fail: the test can tell a wrong derivation from a right one.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { deriveOutput } from "./helpers/stdout";

function findPython(): string | undefined {
  const candidates = [process.env.GAITID_PYTHON, "python3", "/usr/bin/python3"].filter((x): x is string => !!x);
  return candidates.find((p) => spawnSync(p, ["-c", "import sympy"], { stdio: "ignore" }).status === 0);
}

const PYTHON = findPython();
const SKIP = PYTHON ? false : "no python3 with sympy (tried $GAITID_PYTHON, python3, /usr/bin/python3): apt-get install python3-sympy, or bash scripts/setup.sh";

function run(python: string, file: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(python, [file], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    p.stdout.on("data", (b) => (stdout += String(b)));
    p.stderr.on("data", (b) => (stderr += String(b)));
    p.on("error", reject);
    p.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

test("the SymPy export re-checks the derivation with the force: every claim holds; a tampered one fails", { skip: SKIP, timeout: 300_000 }, async () => {
  const script = await deriveOutput(["--observe", "xy+grf", "--export", "sympy"]);
  assert.match(script, /^#!\/usr\/bin\/env python3/);
  assert.match(script, /import sympy as sp/);
  const readable = '"rho*(l0/l_a - 1)*(x - x_a)"';
  assert.ok(script.includes(readable), "the readable x'' is restated");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gaitid-sympy-"));
  try {
    const good = path.join(dir, "check.py");
    const bad = path.join(dir, "tampered.py");
    fs.writeFileSync(good, script);
    fs.writeFileSync(bad, script.replace(readable, '"rho*(l0/l_a + 1)*(x - x_a)"'));
    const [ok, tampered] = await Promise.all([run(PYTHON!, good), run(PYTHON!, bad)]);
    assert.equal(ok.code, 0, `${ok.stdout}\n${ok.stderr}`);
    const summary = /(\d+) of (\d+) claims hold/.exec(ok.stdout);
    assert.ok(summary && summary[1] === summary[2] && Number(summary[2]) >= 35, ok.stdout);
    for (const claim of ["single: gaitid's x'' solves the Euler-Lagrange equations derived by SymPy", "double: energy per unit mass", "fy = m (y'' + g)", "l0 from two instants", "the scaling leaves the touchdown event unchanged"]) {
      assert.ok(ok.stdout.includes(`ok    ${claim}`) || ok.stdout.split("\n").some((l) => l.startsWith("ok") && l.includes(claim)), claim);
    }
    assert.equal(tampered.code, 1, tampered.stdout);
    assert.match(tampered.stdout, /FAIL {2}single: readable form of x''/);
    console.log(`SymPy (${PYTHON}): ${summary![0]}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
