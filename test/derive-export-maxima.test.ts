/**
 * `gaitid derive --export maxima`: the batch script re-derives the Euler-Lagrange equations with
 * Maxima and asserts every claim as ratsimp(radcan(lhs - rhs)) = 0. Run with the first maxima
 * found ($GAITID_MAXIMA, maxima on the PATH, /usr/bin/maxima); skipped, with the reason, where there
 * is none (`apt-get install maxima`, as scripts/setup.sh does). Maxima's batch mode always exits
 * with status 0, so the script's last lines say whether every claim holds; a tampered script must
 * say that one does not.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { deriveOutput } from "./helpers/stdout";

function findMaxima(): string | undefined {
  const candidates = [process.env.GAITID_MAXIMA, "maxima", "/usr/bin/maxima"].filter((x): x is string => !!x);
  return candidates.find((p) => spawnSync(p, ["--version"], { stdio: "ignore" }).status === 0);
}

const MAXIMA = findMaxima();
const SKIP = MAXIMA ? false : "no maxima (tried $GAITID_MAXIMA, maxima, /usr/bin/maxima): apt-get install maxima, or bash scripts/setup.sh";

/** Runs a batch script; resolves to its output (Maxima prints its errors there too). */
function runMaxima(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(MAXIMA!, ["--very-quiet", "-b", file], { timeout: 120_000 }, (err, stdout, stderr) => (err ? reject(err) : resolve(stdout + stderr)));
  });
}

/** The lines the script printed for its claims ("ok    ..." or "FAIL  ..."), without Maxima's echo of the input. */
const claimLines = (out: string): string[] => out.split("\n").filter((l) => /^(ok|FAIL) {2,4}\S/.test(l)).map((l) => l.trimEnd());

test("the Maxima export re-checks the derivation with the force: every claim holds; a tampered one fails", { skip: SKIP, timeout: 300_000 }, async () => {
  const script = await deriveOutput(["--observe", "xy+grf", "--export", "maxima"]);
  assert.match(script, /^\/\* gaitid derive --export maxima \(observe xy\+grf, design per-unit-mass\)/);
  const readable = "(rho*(l0/l_a - 1)*(x - x_a))";
  assert.ok(script.includes(readable), "the readable x'' is restated");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gaitid-maxima-"));
  try {
    const good = path.join(dir, "check.mac");
    const bad = path.join(dir, "tampered.mac");
    fs.writeFileSync(good, script);
    fs.writeFileSync(bad, script.replace(readable, "(rho*(l0/l_a + 1)*(x - x_a))"));
    const [ok, tampered] = await Promise.all([runMaxima(good), runMaxima(bad)]);
    assert.doesNotMatch(ok, /-- an error/, ok);
    const summary = /^(\d+) of (\d+) claims hold \(Maxima [\d.]+\)/m.exec(ok);
    assert.ok(summary && summary[1] === summary[2] && Number(summary[2]) >= 35, ok);
    const lines = claimLines(ok);
    assert.equal(lines.length, Number(summary[2]), "one line per claim");
    assert.ok(lines.every((l) => l.startsWith("ok")), lines.filter((l) => !l.startsWith("ok")).join("\n"));
    for (const claim of ["single: gaitid's x'' solves the Euler-Lagrange equations derived by Maxima", "double: energy per unit mass", "fy = m (y'' + g)", "l0 from two instants", "the scaling leaves the touchdown event unchanged"]) {
      assert.ok(lines.some((l) => l.includes(claim)), claim);
    }
    assert.doesNotMatch(ok, /^FAILED:/m);
    const failed = /^(\d+) of (\d+) claims hold/m.exec(tampered);
    assert.ok(failed && Number(failed[1]) === Number(failed[2]) - 1, tampered);
    assert.deepEqual(claimLines(tampered).filter((l) => l.startsWith("FAIL")), ["FAIL  single: readable form of x''"]);
    assert.match(tampered, /^FAILED: single: readable form of x''/m);
    console.log(`Maxima (${MAXIMA}): ${summary[0]}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the Maxima export of the positions alone scales m and k together: (1, 1, 0)", { skip: SKIP, timeout: 300_000 }, async () => {
  const script = await deriveOutput(["--export", "maxima"]);
  assert.match(script, /^scaling: \[1, 1, 0\]\$/m);
  assert.doesNotMatch(script, /fy = m/, "no force claims without the force");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gaitid-maxima-"));
  try {
    const file = path.join(dir, "check.mac");
    fs.writeFileSync(file, script);
    const out = await runMaxima(file);
    const summary = /^(\d+) of (\d+) claims hold/m.exec(out);
    assert.ok(summary && summary[1] === summary[2] && Number(summary[2]) >= 30, out);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
