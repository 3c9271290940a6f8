// The command line of the walker: `gaitid simulate` and `gaitid gait`, their output and their
// refusals of bad input (exit code 2, a message naming the value and the valid range).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";

const BIN = path.join(__dirname, "..", "lib", "bin", "gaitid.js");
function gaitid(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", maxBuffer: 1 << 26 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test("gaitid simulate --json prints 151 samples, contact events, status and energy drift", () => {
  const r = gaitid("simulate", "--m", "67.5", "--k", "9000", "--l0", "0.7", "--alpha0", "61", "--energy", "1.015", "--json");
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.t.length, 151);
  assert.equal(j.t[3], 0.3);
  assert.equal(j.status, "walking");
  assert.ok(j.events.length > 40 && ["touchdown", "liftoff"].includes(j.events[0].type));
  assert.ok(j.energyDrift < 1e-8);
});

test("a long walk's JSON arrives whole through a pipe (more than the pipe's 64 KiB)", () => {
  const r = gaitid("simulate", "--rho", "133.33", "--l0", "0.7", "--alpha0", "61", "--energy", "1.015", "--duration", "3600", "--dt", "0.036", "--json");
  assert.equal(r.code, 0, r.err);
  assert.ok(r.out.length > 4 * 65536, `${r.out.length} characters`);
  const j = JSON.parse(r.out);
  assert.ok(j.t.length > 1000 && j.t.length === j.y.length, `${j.t.length} samples`);
  assert.equal(j.t[1], 0.036);
});

test("gaitid gait --json lists gaits with VLO height, speed and stability", () => {
  const r = gaitid("gait", "--rho", "133.33", "--l0", "0.7", "--alpha0", "61", "--energy", "1.015", "--json");
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.ok(j.gaits.length >= 1);
  assert.ok(j.gaits[0].y0 > 0.7 * Math.sin((61 * Math.PI) / 180) && j.gaits[0].y0 < 0.7);
  assert.equal(typeof j.gaits[0].maxModulus, "number");
});

test("bad input exits 2 with a message naming the flag, the valid range and the value", () => {
  const base = ["--l0", "0.7", "--alpha0", "61", "--y0", "0.66", "--vx0", "0.9"];
  const cases: [string[], RegExp][] = [
    [["simulate", "--m", "-1", "--k", "9000", ...base], /--m must be a number >= 1 and <= 1000 \(kg\); got "-1"/],
    [["simulate", "--m", "67", "--k", "0", ...base], /--k must be a number >= 10 and <= 10000000 \(N\/m\); got "0"/],
    [["simulate", "--m", "1", "--k", "1e7", ...base], /--k \/ --m \(rho\) must be a number >= 1 and <= 100000 \(1\/s\^2\); got 1e7 \/ 1 = 10000000/],
    [["simulate", "--rho", "-5", ...base], /--rho must be a number >= 1 and <= 100000 \(1\/s\^2\); got "-5"/],
    [["simulate", "--rho", "130", "--l0", "0", "--alpha0", "61", "--y0", "0.66", "--vx0", "0.9"], /--l0 must be a number >= 0.05 and <= 5 \(m\); got "0"/],
    [["simulate", "--rho", "130", "--l0", "0.7", "--alpha0", "90", "--y0", "0.66", "--vx0", "0.9"], /--alpha0 must be a number > 0 and < 90 \(degrees from the ground\); got "90"/],
    [["simulate", "--rho", "130", "--l0", "0.7", "--alpha0", "61", "--y0", "0.75", "--vx0", "0.9"], /--y0 must be a number > 0\.6122\d* and <= 0\.7 \(m; .*\); got "0\.75"/],
    [["simulate", "--rho", "130", "--l0", "0.7", "--alpha0", "61", "--y0", "0.55", "--vx0", "0.9"], /--y0 must be a number > 0\.6122\d* and <= 0\.7 .*; got "0\.55"/],
    [["simulate", "--rho", "130", ...base, "--dt", "0"], /--dt must be a number > 0 and <= 3600 \(s\); got "0"/],
    [["simulate", "--rho", "130", ...base, "--duration", "-3"], /--duration must be a number > 0 and <= 3600 \(s\); got "-3"/],
    [["simulate", "--rho", "NaN", ...base], /--rho must be .*; got "NaN"/],
    [["simulate", "--rho", "130", ...base, "--bogus"], /Unknown option '--bogus'/],
    [["simulate", "--rho", "130", "--l0", "0.7", "--alpha0", "61", "--energy", "0.6"], /no walking symmetric gait at energy 0.6/],
    [["gait", "--rho", "130", "--l0", "0.7", "--alpha0", "61"], /--energy is required \(specific energy: a number >= 0.5 and <= 3 \(multiples of g\*l0\)\)/],
    [["nonsense"], /unknown command "nonsense"/],
  ];
  for (const [args, re] of cases) {
    const r = gaitid(...args);
    assert.equal(r.code, 2, `${args.join(" ")}: exit ${r.code}, ${r.err}`);
    assert.match(r.err, re, args.join(" "));
  }
});

test("every command answers --help", () => {
  for (const c of ["simulate", "gait"]) {
    const r = gaitid(c, "--help");
    assert.equal(r.code, 0);
    assert.match(r.out, new RegExp(`usage: gaitid ${c}`));
  }
});
