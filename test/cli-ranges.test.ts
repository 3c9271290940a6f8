// Values the command line must refuse before any work starts (exit code 2, a message naming the
// flag and the value as written): numbers outside their documented range, text that is not a
// plain decimal, flags given twice, values that contradict another flag, and configuration
// fields named by the flag that set them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { main } from "../lib/src/cli";
import { parseDecimal } from "../lib/src/cli/args";
import { preset, recordsRange, validateDatasetConfig, validateTrainingConfig } from "../lib/src/config";
import { EXIT, GaitidError } from "../lib/src/errors";

/** Runs the command line in this process (what the binary runs); returns the exit code and stderr. */
async function gaitid(args: string[]): Promise<{ code: number; err: string }> {
  const lines: string[] = [];
  const error = console.error, log = console.log;
  console.error = (...a: unknown[]) => void lines.push(a.join(" "));
  console.log = () => undefined;
  try {
    return { code: await main(args), err: lines.join("\n") };
  } finally {
    console.error = error;
    console.log = log;
  }
}

/** args with --flag set to value (replacing the flag's value when args has it already). */
function withFlag(args: readonly string[], flag: string, value: string): string[] {
  const i = args.indexOf(`--${flag}`);
  return i < 0 ? [...args, `--${flag}`, value] : [...args.slice(0, i + 1), value, ...args.slice(i + 2)];
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

async function refused(args: string[], message: RegExp): Promise<void> {
  const r = await gaitid(args);
  assert.equal(r.code, EXIT.USAGE, `${args.join(" ")}: exit ${r.code}; ${r.err}`);
  assert.match(r.err, message, args.join(" "));
  assert.ok(!/\n\s+at /.test(r.err), "no stack trace");
}

const SIM = ["simulate", "--rho", "133", "--l0", "0.7", "--alpha0", "61", "--y0", "0.66", "--vx0", "0.9"];
const GAIT = ["gait", "--rho", "133", "--l0", "0.7", "--alpha0", "61", "--energy", "1.015"];
const IDENT = ["identifiability", "--rho", "133", "--l0", "0.7", "--alpha0", "61", "--energy", "1.015"];
const TRAIN = ["train", "--dataset", "/nonexistent/gaitid-dataset", "--target", "rhol0"];

/** [base command, flag, a value outside its range] for every numeric flag of every command. */
const OUT_OF_RANGE: [readonly string[], string, string][] = [
  [SIM, "m", "0.5"], [SIM, "k", "5"], [SIM, "rho", "1e6"], [SIM, "l0", "1e-300"], [SIM, "alpha0", "90"],
  [SIM, "y0", "0.75"], [SIM, "vx0", "1e300"], [SIM, "vy0", "-11"], [SIM, "energy", "1e300"],
  [SIM, "duration", "1e9"], [SIM, "dt", "1e-9"], [SIM, "rtol", "10"], [SIM, "rtol", "1e-300"], [SIM, "atol", "1e-300"],
  [GAIT, "m", "2000"], [GAIT, "k", "1e8"], [GAIT, "rho", "0"], [GAIT, "l0", "6"], [GAIT, "alpha0", "-1"], [GAIT, "energy", "0.2"],
  [["identifiability", "--data", "/nonexistent/gaitid-dataset"], "records", "1000000"],
  [IDENT, "m", "-67"], [IDENT, "k", "1e9"], [IDENT, "rho", "1e300"], [IDENT, "l0", "0"], [IDENT, "alpha0", "0"],
  [IDENT, "energy", "4"], [IDENT, "duration", "7200"], [IDENT, "dt", "20"], [IDENT, "step", "1"],
  [["generate"], "records", "4294967296"], [["generate"], "records", "1e12"], [["generate"], "seed", "-1"], [["generate"], "workers", "65"],
  [TRAIN, "epochs", "1e12"], [TRAIN, "batch-size", "0"], [TRAIN, "learning-rate", "5"], [TRAIN, "patience", "-1"],
  [TRAIN, "noise", "1e300"], [TRAIN, "noise-seed", "4294967296"], [TRAIN, "seed", "1.5"], [TRAIN, "subset", "0"],
  [["experiment", "noise"], "jobs", "0"], [["experiment", "noise"], "workers", "300"], [["experiment", "noise"], "epochs", "1e12"],
  [["reproduce"], "workers", "1000"],
  [["report"], "max-points", "5"],
];

test("every numeric flag of every command is refused outside its range, naming the flag, the range and the value", async () => {
  for (const [base, flag, value] of OUT_OF_RANGE) {
    await refused(withFlag(base, flag, value), new RegExp(`--${escape(flag)} must be (a number|an integer|a fraction) .+; got ${escape(JSON.stringify(value))}`));
  }
});

test("only plain decimals are numbers: hexadecimal, binary, octal, digit separators, spaces, Infinity and empty text are refused", async () => {
  for (const text of ["15", "-0.5", "+2", ".5", "5.", "1e-9", "1E+3"]) assert.equal(parseDecimal(text), Number(text), text);
  for (const text of ["0x10", "0b111", "0o7", "1_000", " 5", "5 ", "Infinity", "-Infinity", "NaN", "", "1e", "e5", "1.2.3", "٣"]) {
    assert.ok(Number.isNaN(parseDecimal(text)), JSON.stringify(text));
  }
  const cases: [readonly string[], string, string][] = [
    [SIM, "energy", "0x1"], [SIM, "duration", "1_5"], [SIM, "vx0", " 0.9"], [GAIT, "energy", "Infinity"],
    [["generate"], "records", "0b111"], [["generate"], "records", "0x10"], [TRAIN, "epochs", "1_000"], [TRAIN, "learning-rate", ""],
    [IDENT, "step", "0o1"], [["experiment", "noise"], "jobs", "2 "],
  ];
  for (const [base, flag, value] of cases) {
    await refused(withFlag(base, flag, value), new RegExp(`--${escape(flag)} must be .+; got ${escape(JSON.stringify(value))}`));
  }
});

test("a flag given twice is refused, whatever its kind", async () => {
  const cases: [string[], string][] = [
    [[...SIM, "--rho", "133"], "rho"],
    [[...SIM, "--json", "--json"], "json"],
    [["gait", "--energy=1", ...GAIT.slice(1)], "energy"],
    [["generate", "--records", "10", "--records", "20"], "records"],
    [[...TRAIN, "--epochs=1", "--epochs", "2"], "epochs"],
    [["merge", "--out", "/nonexistent/a", "--out", "/nonexistent/b", "/nonexistent/p0"], "out"],
    [["experiment", "noise", "--quiet", "--quiet"], "quiet"],
    [["identifiability", "-h", "--help"], "help"],
  ];
  for (const [args, flag] of cases) await refused(args, new RegExp(`--${flag} given twice; give each flag once`));
});

test("values that contradict another flag are refused: dt against duration, records against memory, epochs against data-volume's scaling, k/m against rho's range", async () => {
  await refused([...SIM, "--duration", "3", "--dt", "5"], /--dt must be a number >= 0\.00003 and <= 3 \(s; at most --duration = 3 s.*\); got "5"/);
  await refused([...SIM, "--duration", "3600", "--dt", "0.01"], /--dt must be a number >= 0\.036 and <= 3600 .*100001 samples\); got "0\.01"/);
  await refused([...IDENT, "--dt", "20"], /--dt must be a number >= 0\.00015 and <= 15 .*; got "20"/);
  const grf = recordsRange({ ...preset("paper").dataset, channels: "xy+grf" }).max;
  const xy = recordsRange(preset("paper").dataset).max;
  assert.equal(grf, Math.floor(2 ** 30 / (151 * 4)));
  assert.equal(xy, Math.floor(2 ** 30 / (151 * 2)));
  await refused(["generate", "--channels", "xy+grf", "--records", String(grf + 1)], new RegExp(`--records must be an integer from 1 to ${grf} \\(X\\.npy holds records x 151 samples x 4 channels.*\\); got "${grf + 1}"`));
  for (const name of ["data-volume", "all"]) {
    await refused(["experiment", name, "--epochs", "2000"], /--epochs must be an integer from 1 to 1250 \(epochs; data-volume trains subsets for up to 8 times as many, at most 10000\); got "2000"/);
  }
  await refused(["simulate", "--m", "1", "--k", "1e7", ...SIM.slice(3)], /--k \/ --m \(rho\) must be a number >= 1 and <= 100000 \(1\/s\^2\); got 1e7 \/ 1 = 10000000/);
  await refused(["identifiability", "--m", "1000", "--k", "100", ...IDENT.slice(3)], /--k \/ --m \(rho\) must be a number >= 1 .*; got 100 \/ 1000 = 0\.1/);
});

test("the configuration's validators name a field by its flag when given the map, by its path otherwise", () => {
  const training = preset("tiny").training;
  const names = { "training.epochs": "--epochs", "training.learningRate": "--learning-rate" };
  const bad = (f: () => unknown, re: RegExp): void => {
    assert.throws(f, (e: unknown) => e instanceof GaitidError && e.exitCode === EXIT.USAGE && re.test(e.message));
  };
  bad(() => validateTrainingConfig({ ...training, learningRate: 1e300 }, names), /^--learning-rate must be a number >= 1e-7 and <= 1; got 1e\+300$/);
  bad(() => validateTrainingConfig({ ...training, epochs: 1e12 }, names), /^--epochs must be an integer from 1 to 10000 \(epochs\); got 1000000000000$/);
  bad(() => validateTrainingConfig({ ...training, noise: 1e300 }), /^training\.noise must be a fraction >= 0 and <= 1 \(of each channel's standard deviation\); got 1e\+300$/);
  const dataset = preset("tiny").dataset;
  bad(() => validateDatasetConfig({ ...dataset, dt: 20 }), /^dataset\.dt must be a number >= 0\.00015 and <= 15 \(s; at most dataset\.duration = 15 s/);
  bad(() => validateDatasetConfig({ ...dataset, records: 2 ** 32 }, { "dataset.records": "--records" }), /^--records must be an integer from 1 to 3555436 .*; got 4294967296$/);
  bad(() => validateDatasetConfig({ ...dataset, rtol: 10 }), /^dataset\.rtol must be a number >= 1e-13 and <= 0\.01; got 10$/);
  bad(() => validateDatasetConfig({ ...dataset, m: [0.001, 75] }), /^dataset\.m must lie within a number >= 1 and <= 1000 \(kg\); got \[0\.001, 75\]$/);
  // The presets themselves are inside every range.
  for (const name of ["tiny", "quick", "paper"]) {
    validateDatasetConfig(preset(name).dataset);
    validateTrainingConfig(preset(name).training);
  }
});
