// The command line starts at once: the registry lists every command without loading it, and
// `gaitid --help` and `gaitid simulate` load none of the heavy libraries (TensorFlow.js, danfojs,
// mathjs, MathJax, plotly) that other commands need. Timing is measured by bench/cli.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../lib/src/cli";
import { COMMANDS } from "../lib/src/commands";
import { EXIT } from "../lib/src/errors";

const BIN = path.join(__dirname, "..", "lib", "bin", "gaitid.js");
const HEAVY = ["@tensorflow/", "danfojs-node", "mathjs", "mathjax-full", "plotly.js"];

/** The packages from node_modules that `gaitid ...args` loads, through a module-load hook. */
function packagesLoaded(...args: string[]): { code: number | null; packages: string[]; err: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gaitid-startup-"));
  const hook = path.join(dir, "hook.js");
  const list = path.join(dir, "loaded.json");
  fs.writeFileSync(
    hook,
    `const Module = require("node:module"); const fs = require("node:fs"); const seen = new Set();
const load = Module._load;
Module._load = function (request, parent, isMain) {
  try { seen.add(Module._resolveFilename(request, parent, isMain)); } catch {}
  return load.apply(this, arguments);
};
process.on("exit", () => fs.writeFileSync(${JSON.stringify(list)}, JSON.stringify([...seen])));`,
  );
  try {
    const r = spawnSync(process.execPath, ["-r", hook, BIN, ...args], { encoding: "utf8" });
    const files = JSON.parse(fs.readFileSync(list, "utf8")) as string[];
    const packages = [...new Set(files.filter((f) => f.includes("node_modules")).map((f) => f.split("node_modules/").pop()!))];
    return { code: r.status, packages, err: r.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test("gaitid --help and gaitid simulate --json load no heavy library", () => {
  const help = packagesLoaded("--help");
  assert.equal(help.code, EXIT.OK, help.err);
  const sim = packagesLoaded("simulate", "--rho", "133.33", "--l0", "0.7", "--alpha0", "61", "--energy", "1.015", "--duration", "2", "--json");
  assert.equal(sim.code, EXIT.OK, sim.err);
  for (const r of [help, sim]) {
    const heavy = r.packages.filter((p) => HEAVY.some((h) => p.startsWith(h)));
    assert.deepEqual(heavy, [], `loaded: ${heavy.join(", ")}`);
  }
  // The hook sees what a command loads: train's module brings TensorFlow.js (so the check above can fail).
  const train = packagesLoaded("train", "--help");
  assert.equal(train.code, EXIT.OK, train.err);
  assert.ok(train.packages.some((p) => p.startsWith("@tensorflow/tfjs")), "train loads TensorFlow.js");
});

test("the registry's names and summaries are the commands' own, and every command answers --help", async () => {
  const names = COMMANDS.map((c) => c.name);
  assert.equal(new Set(names).size, names.length, "no name twice");
  for (const entry of COMMANDS) {
    const command = await entry.load();
    assert.equal(command.name, entry.name);
    assert.equal(command.summary, entry.summary, entry.name);
    const out: string[] = [];
    const log = console.log;
    console.log = (...a: unknown[]) => void out.push(a.join(" "));
    try {
      assert.equal(await main([entry.name, "--help"]), EXIT.OK, entry.name);
    } finally {
      console.log = log;
    }
    assert.match(out.join("\n"), new RegExp(`usage: gaitid ${entry.name}`), entry.name);
  }
});

test("gaitid without a command prints the overview and exits with the usage code; an unknown command names the known ones", async () => {
  const out: string[] = [], err: string[] = [];
  const log = console.log, error = console.error;
  console.log = (...a: unknown[]) => void out.push(a.join(" "));
  console.error = (...a: unknown[]) => void err.push(a.join(" "));
  try {
    assert.equal(await main([]), EXIT.USAGE);
    assert.equal(await main(["simulat"]), EXIT.USAGE);
  } finally {
    console.log = log;
    console.error = error;
  }
  for (const c of COMMANDS) assert.match(out.join("\n"), new RegExp(`\\n  ${c.name} +${c.summary.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
  assert.match(err.join("\n"), /unknown command "simulat"; choose one of simulate, gait, /);
});
