// The quantitative identifiability measure (issue 8): the one-sided Jacobi SVD against matrices
// with known singular values, and the sensitivity analysis of real walks: with xy alone the
// smallest singular direction is (1, 1, 0)/sqrt(2) at the accuracy of J; with the ground reaction
// force there is no null direction.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  adaptiveSensitivity,
  analyseRecord,
  analyseRecords,
  checkSensitivityRecord,
  hasNullDirection,
  identifiabilityStudy,
  nullDirectionVerdict,
  jacobiSvd,
  lineAngle,
  loadDatasetRecords,
  MK_SCALING,
  nominalObservation,
  quantileSummary,
  recordFromGait,
  sensitivity,
  sensitivityMatrix,
  stackChannels,
  summariseIdentifiability,
  type SensitivityRecord,
} from "../lib/src/identifiability";
import { formatParamsRow, PARAMS_HEADER } from "../lib/src/dataset/format";
import { generateDataset } from "../lib/src/dataset/generate";
import { preset } from "../lib/src/config";
import { GaitidError } from "../lib/src/errors";
import { identifiabilityCommand } from "../lib/src/commands/identifiability";

// A deterministic pseudo-random stream for the test matrices.
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

/** Orthonormal columns (n x p) by modified Gram-Schmidt of random vectors, done twice. */
function orthonormal(n: number, p: number, rand: () => number): Float64Array[] {
  const Q: Float64Array[] = [];
  for (let j = 0; j < p; j++) {
    const v = Float64Array.from({ length: n }, rand);
    for (let pass = 0; pass < 2; pass++) {
      for (const q of Q) {
        let d = 0;
        for (let i = 0; i < n; i++) d += q[i] * v[i];
        for (let i = 0; i < n; i++) v[i] -= d * q[i];
      }
    }
    const nv = Math.hypot(...v);
    Q.push(v.map((x) => x / nv));
  }
  return Q;
}

test("jacobiSvd recovers singular values 10, 1, 1e-12 and their vectors; the tiny one to eps * sigma_max", () => {
  const rand = lcg(7);
  const n = 302, sigma = [10, 1, 1e-12];
  const U = orthonormal(n, 3, rand);
  const V = orthonormal(3, 3, rand); // V[k] is the k-th right singular vector
  // J = sum_k sigma_k U_k V_k^T, stored by columns.
  const J = [0, 1, 2].map((j) => Float64Array.from({ length: n }, (_, i) => sigma.reduce((s, sk, k) => s + sk * U[k][i] * V[k][j], 0)));
  const svd = jacobiSvd(J);
  assert.ok(Math.abs(svd.singularValues[0] - 10) < 1e-13, `sigma1 ${svd.singularValues[0]}`);
  assert.ok(Math.abs(svd.singularValues[1] - 1) < 1e-13, `sigma2 ${svd.singularValues[1]}`);
  // Forming J costs about eps * sigma_max per entry; the Gram matrix route would be off by ~1e-7.
  const err3 = Math.abs(svd.singularValues[2] - 1e-12);
  assert.ok(err3 < 1e-14, `sigma3 ${svd.singularValues[2]} (error ${err3})`);
  for (let k = 0; k < 3; k++) {
    const angle = lineAngle(svd.vectors[k], Array.from(V[k]));
    assert.ok(angle < 1e-12, `vector ${k} off by ${angle} rad`);
    assert.ok(Math.abs(Math.hypot(...svd.vectors[k]) - 1) < 1e-14);
  }
  assert.ok(svd.sweeps <= 10, `sweeps ${svd.sweeps}`);
});

test("jacobiSvd: exactly dependent columns give a zero singular value with the right null vector", () => {
  const rand = lcg(11);
  const a = Float64Array.from({ length: 50 }, rand), b = Float64Array.from({ length: 50 }, rand);
  const svd = jacobiSvd([a, a.map((x) => -2 * x), b]);
  // Null vector of [a, -2a, b]: (2, 1, 0)/sqrt(5).
  assert.ok(svd.singularValues[2] < 1e-14 * svd.singularValues[0], `sigma_min ${svd.singularValues[2]}`);
  assert.ok(lineAngle(svd.vectors[2], [2, 1, 0]) < 1e-13);
  assert.ok(svd.vectors[2][0] > 0, "sign convention: largest component positive");
  assert.throws(() => jacobiSvd([a, Float64Array.of(1, 2)]), GaitidError);
  assert.throws(() => jacobiSvd([Float64Array.of(1, Number.NaN)]), /not finite/);
});

test("lineAngle is accurate for tiny angles and ignores sign", () => {
  // (1, 1, eps) leaves the line of (1, 1, 0) at atan(eps / sqrt(2)).
  const a = lineAngle([1, 1, 0], [-1, -1, -1e-9]);
  assert.ok(Math.abs(a - 1e-9 / Math.SQRT2) < 1e-6 * a, `angle ${a}`);
  assert.ok(Math.abs(lineAngle([1, 0], [0, 3]) - Math.PI / 2) < 1e-15);
});

// Three records on gaits the search finds, across the paper's box.
const CASES = [
  { m: 67.5, rho: 9000 / 67.5, l0: 0.7, alpha0Deg: 61, energy: 1.015 },
  { m: 62, rho: 9800 / 62, l0: 0.62, alpha0Deg: 59, energy: 1.01 },
  { m: 73, rho: 8200 / 73, l0: 0.78, alpha0Deg: 63, energy: 1.02 },
];
const RECORDS: SensitivityRecord[] = CASES.map((c, i) => ({ ...recordFromGait(c).record, id: i }));
const RESULTS = analyseRecords(RECORDS);

test("xy: the smallest singular direction is (1, 1, 0)/sqrt(2) on every record, at the accuracy of J", () => {
  assert.deepEqual(RESULTS.failures, []);
  assert.equal(RESULTS.results.xy.length, RECORDS.length);
  for (const r of RESULTS.results.xy) {
    const [s1, s2, s3] = r.singularValues;
    assert.ok(s1 >= s2 && s2 >= s3 && s3 >= 0);
    assert.ok(r.nullAngle < 1e-3, `record ${r.id}: null direction ${r.nullDirection} is ${r.nullAngle} rad from (1,1,0)`);
    // sigma_min is at the level of the integration noise of nearby runs, and below J's accuracy.
    assert.ok(r.noiseLevel > 0, `record ${r.id}: noise level ${r.noiseLevel}`);
    assert.ok(s3 <= 10 * r.noiseLevel, `record ${r.id}: sigma_min ${s3} vs noise ${r.noiseLevel}`);
    assert.ok(s3 <= r.jacobianError, `record ${r.id}: sigma_min ${s3} vs |dJ| ${r.jacobianError}`);
    assert.ok(hasNullDirection(r));
    assert.ok(r.ratio < 1e-6, `record ${r.id}: sigma_min/sigma_max ${r.ratio}`);
    // J itself is accurate: steps h and 2h agree to 1e-5 of sigma_max.
    assert.ok(r.jacobianError < 1e-5 * s1, `record ${r.id}: |dJ| ${r.jacobianError} vs sigma_max ${s1}`);
    // The other two directions are well resolved.
    assert.ok(s2 > 1e4 * r.jacobianError && s2 > 1, `record ${r.id}: sigma_2 ${s2}`);
  }
});

test("xy: (rho, l0) has no null direction", () => {
  for (const r of RESULTS.results.xy) {
    const re = r.reparametrised;
    assert.deepEqual(re.parameters, ["log rho", "log l0"]);
    assert.equal(nullDirectionVerdict(re), "identifiable");
    assert.ok(re.singularValues[1] > 1e4 * re.jacobianError, `record ${r.id}: ${re.singularValues} |dJ| ${re.jacobianError}`);
    assert.ok(re.singularValues[1] > 1e5 * re.noiseLevel, `record ${r.id}: ${re.singularValues} noise ${re.noiseLevel}`);
    assert.ok(re.condition < 1e3, `record ${r.id}: condition ${re.condition}`);
  }
});

test("xy+grf: no null direction; along (1, 1, 0) the observation changes by the force itself", () => {
  for (const r of RESULTS.results["xy+grf"]) {
    const s3 = r.singularValues[2];
    assert.equal(nullDirectionVerdict(r), "identifiable");
    assert.ok(s3 > 1e3 * r.jacobianError, `record ${r.id}: sigma_min ${s3} vs |dJ| ${r.jacobianError}`);
    assert.ok(s3 > 1e4 * r.noiseLevel, `record ${r.id}: sigma_min ${s3} vs noise ${r.noiseLevel}`);
    assert.ok(r.singularValueErrors[2] < 1e-5 * s3, `record ${r.id}: sigma_min ${s3} changes by ${r.singularValueErrors[2]} between steps`);
    assert.ok(r.ratio > 1e-4, `record ${r.id}: ratio ${r.ratio}`);
    assert.ok(r.nullAngle > 1e-3, `record ${r.id}: null direction ${r.nullDirection} too close to (1,1,0)`);
    // Scaling m and k together keeps rho, hence x, y and the force per unit mass; the force in
    // newtons m f grows like m: d obs / d s along (1,1,0)/sqrt(2) is F / sqrt(2) (F in body weights).
    const obs = nominalObservation(RECORDS[r.id]);
    const F = Math.hypot(...obs.fx, ...obs.fy);
    assert.ok(Math.abs(r.scalingResponse - F / Math.SQRT2) < 1e-6 * F, `record ${r.id}: ${r.scalingResponse} vs ${F / Math.SQRT2}`);
    assert.equal(nullDirectionVerdict(r.reparametrised), "identifiable");
  }
  // The same simulations serve both models: xy is a block of the xy+grf rows, so sigma_max grows.
  RESULTS.results.xy.forEach((r, i) => assert.ok(RESULTS.results["xy+grf"][i].singularValues[0] >= r.singularValues[0]));
});

test("the xy null direction does not depend on the scaling of the rows; the columns agree across parametrisations", () => {
  const r = RECORDS[0];
  const s = sensitivity(r, "mkl0");
  const J = sensitivityMatrix(s, "xy");
  const n = s.samples;
  const scaled = J.map((c) => c.map((v, i) => (i < n ? 1000 * v : 0.01 * v))); // x in mm, y in hm
  const a = jacobiSvd(J), b = jacobiSvd(scaled);
  assert.ok(lineAngle(a.vectors[2], b.vectors[2]) < 1e-6, `${a.vectors[2]} vs ${b.vectors[2]}`);
  assert.ok(lineAngle(b.vectors[2], [...MK_SCALING]) < 1e-3);
  // d/d log rho at fixed m (its own simulations) is d/d log k; d/d log l0 is the same in both.
  const t = sensitivity(r, "rhol0");
  const K = sensitivityMatrix(t, "xy+grf"), L = sensitivityMatrix(s, "xy+grf");
  const rel = (u: Float64Array, v: Float64Array): number => Math.hypot(...u.map((x, i) => x - v[i])) / Math.hypot(...v);
  assert.ok(rel(K[0], L[1]) < 1e-6, `rho vs k column: ${rel(K[0], L[1])}`);
  assert.ok(rel(K[1], L[2]) < 1e-6, `l0 columns: ${rel(K[1], L[2])}`);
  assert.equal(stackChannels(nominalObservation(r), "xy+grf").length, 4 * n);
});

test("the step search halves h past failed walks and stops at the target; no step at all is a failure", () => {
  // Steps of 0.05 and 0.025 push this weakly unstable gait into a fall within 15 s.
  const r = RECORDS[1];
  const tried = adaptiveSensitivity(r, "rhol0", { step: 0.025 });
  assert.ok(tried.tried[0] === 0.05 && tried.sensitivity.step < 0.01, `tried ${tried.tried}`);
  assert.ok(tried.relativeChange < 1e-3, `change ${tried.relativeChange}`);
  const normal = adaptiveSensitivity(r, "rhol0");
  assert.deepEqual(normal.tried, [2e-6, 1e-6]);
  assert.ok(normal.relativeChange <= 1e-6);
  const res = analyseRecords([r], ["xy"], { step: 0.025, minStep: 0.025 });
  assert.equal(res.results.xy.length, 0);
  assert.equal(res.failures.length, 1);
  assert.match(res.failures[0].reason, /record 1: the walk with .* ended in (fallback|flight|fall|backward) at/);
  assert.throws(() => analyseRecord(RECORDS[0], ["xy"], { step: 0.5 }), /step must be at most 0.05/);
});

test("a strongly unstable gait is reported as unresolved, neither null nor identifiable", () => {
  // A record of the tiny preset made before the generator bounded the step-map modulus (record 34,
  // seed 20230721): its gait's modulus is 1.56, a relative change of 1e-9 in rho moves the path by
  // millimetres, and even the smallest step leaves J off by more than 1e-5 of sigma_max.
  const r: SensitivityRecord = {
    id: 34, m: 72.6555638368089, k: 9713.533789550898, l0: 0.6129619406143063, alpha0: (63.29508028074615 * Math.PI) / 180,
    y0: 0.5789129088551972, vx0: 0.7553987558668118, duration: 15, dt: 0.1,
  };
  for (const res of analyseRecord(r)) {
    assert.equal(nullDirectionVerdict(res), "unresolved", `${res.observe}: |dJ| ${res.jacobianError} sigma_max ${res.singularValues[0]}`);
    assert.ok(res.singularValues[0] > 1e6 && res.step < 1e-8, `${res.observe}: sigma_max ${res.singularValues[0]} step ${res.step}`);
    assert.ok(!hasNullDirection(res));
  }
});

test("bad records are refused with the value and the valid range", () => {
  const r = RECORDS[0];
  assert.throws(() => checkSensitivityRecord({ ...r, y0: r.l0 * 1.01 }), (e: Error) => e instanceof GaitidError && /y0 must satisfy l0 sin\(alpha0\) = .* < y0 <= l0/.test(e.message));
  assert.throws(() => checkSensitivityRecord({ ...r, alpha0: 2 }), /alpha0 must lie strictly between 0 and pi\/2/);
  assert.throws(() => checkSensitivityRecord({ ...r, m: -1 }), /m must be a finite number > 0 \(kg\); got -1/);
  assert.throws(() => recordFromGait({ rho: 133, l0: 0.7, alpha0Deg: 45, energy: 1.015 }), /no symmetric gait that walks 15 s .* alpha0 58-64/);
});

test("summaries: quantiles and counts over records", () => {
  const q = quantileSummary([5, 1, 4, 2, 3, Number.NaN]);
  assert.deepEqual([q.count, q.min, q.q25, q.median, q.q75, q.max], [5, 1, 2, 3, 4, 5]);
  assert.ok(Math.abs(q.q05 - 1.2) < 1e-12 && Math.abs(q.q95 - 4.8) < 1e-12);
  const xy = summariseIdentifiability("xy", RESULTS.results.xy);
  const grf = summariseIdentifiability("xy+grf", RESULTS.results["xy+grf"]);
  assert.equal(xy.records, RECORDS.length);
  assert.equal(xy.unidentifiable, RECORDS.length);
  assert.equal(grf.unidentifiable, 0);
  assert.equal(xy.reparametrised.unidentifiable, 0);
  assert.equal(xy.unresolved + grf.unresolved + grf.reparametrised.unresolved, 0);
  assert.ok(xy.nullAngle.max < 1e-3 && grf.ratio.min > 1e-4);
  assert.equal(xy.ratio.max, Math.max(...RESULTS.results.xy.map((r) => r.ratio)));
});

test("records from a dataset directory: params.csv rows re-simulated with the manifest's duration and dt", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gaitid-ident-"));
  try {
    assert.throws(() => loadDatasetRecords(dir, 2), /not a complete dataset \(no manifest.json\)/);
    const config = { ...preset("tiny").dataset, records: 2 };
    fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify({ kind: "gaitid-dataset", name: "t", records: 2, samples: 151, channels: "xy", duration: 15, dt: 0.1, seed: 1, config, files: {} }));
    const rows = RECORDS.slice(0, 2).map((r, id) =>
      formatParamsRow({ id, split: "test", m: r.m, k: r.k, l0: r.l0, rho: r.k / r.m, alpha0: (r.alpha0 * 180) / Math.PI, e: 0, y0: r.y0, vx0: r.vx0, speed: 0, steps: 0 }),
    );
    fs.writeFileSync(path.join(dir, "params.csv"), [PARAMS_HEADER, ...rows].join("\n") + "\n");
    const { records } = loadDatasetRecords(dir, 5);
    assert.equal(records.length, 2);
    assert.equal(records[1].y0, RECORDS[1].y0);
    assert.ok(Math.abs(records[1].alpha0 - RECORDS[1].alpha0) < 1e-15);
    assert.equal(records[0].duration, 15);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a generated dataset: every record has the (1, 1, 0) null direction with xy and none with xy+grf", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gaitid-ident-gen-"));
  try {
    const out = path.join(dir, "ds");
    await generateDataset({ ...preset("tiny").dataset, records: 4 }, out, { workers: 0, quiet: true });
    const { records } = loadDatasetRecords(out, 10);
    assert.equal(records.length, 4);
    const study = identifiabilityStudy(records);
    assert.deepEqual(study.failures, []);
    assert.equal(study.summaries.xy.unidentifiable, 4);
    assert.ok(study.summaries.xy.nullAngle.max < 1e-3, `angles up to ${study.summaries.xy.nullAngle.max}`);
    assert.equal(study.summaries["xy+grf"].unidentifiable, 0);
    assert.equal(study.summaries["xy+grf"].unresolved, 0);
    assert.ok(study.summaries["xy+grf"].ratio.min > 1e-4, `ratio down to ${study.summaries["xy+grf"].ratio.min}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

const BIN = path.join(__dirname, "..", "lib", "bin", "gaitid.js");
function gaitid(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test("gaitid identifiability --json prints observe, parameters and per-record singular values", () => {
  const r = gaitid("identifiability", "--observe", "xy", "--rho", "133.3", "--l0", "0.7", "--alpha0", "61", "--energy", "1.015", "--json");
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.observe, "xy");
  assert.deepEqual(j.parameters, ["log m", "log k", "log l0"]);
  assert.equal(j.records.length, 1);
  const rec = j.records[0];
  assert.equal(rec.singularValues.length, 3);
  assert.ok(rec.singularValues[0] >= rec.singularValues[1] && rec.singularValues[1] >= rec.singularValues[2]);
  assert.ok(lineAngle(rec.nullDirection, [1, 1, 0]) < 1e-3);
  assert.ok(rec.condition === null || rec.condition > 1e6, `condition ${rec.condition}`);
  assert.equal(j.manifest.kind, "gaitid-identifiability");
  assert.ok(typeof j.manifest.environment.versions.node === "string");
});

test("gaitid identifiability refuses bad flags with a GaitidError (exit code 2) naming the flag", async () => {
  // In-process: the CLI's mapping of a GaitidError to its message and exit code is cli.ts's.
  const run = (...args: string[]): Promise<number> => identifiabilityCommand.run(args);
  const subject = ["--rho", "133", "--l0", "0.7", "--alpha0", "61", "--energy", "1.015"];
  const refused = async (args: string[], message: RegExp): Promise<void> => {
    await assert.rejects(run(...args), (e: Error) => e instanceof GaitidError && e.exitCode === 2 && message.test(e.message));
  };
  await refused(["--observe", "grf", ...subject], /--observe must be one of xy, xy\+grf, both; got "grf"/);
  await refused(["--records", "3", ...subject], /--records needs --data/);
  await refused([...subject, "--step", "1"], /--step must be a number > 0 and <= 0\.05 \(log-parameters\); got "1"/);
  await refused(["--data", "/nonexistent/gaitid", "--rho", "133"], /--rho does not go with --data/);
  await refused(["--data", "/nonexistent/gaitid"], /no dataset at \/nonexistent\/gaitid/);
  await refused(["--k", "9000", "--l0", "0.7", "--alpha0", "61", "--energy", "1.015"], /--k needs --m/);
});
