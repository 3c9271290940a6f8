// The posterior's recalibration (Kuleshov et al. 2018, smoothed in probit space): on synthetic
// records with a known answer, a predictive too wide (a two-component mixture) and one too narrow
// become calibrated (coverage within 3 points, SBC not rejected) while a calibrated one is left
// nearly unchanged; the map is monotone and inverts; the marginal of a mixture coordinate and its
// table agree with the exact probits and quantiles; bad input and bad files are refused; the file
// round-trips. (The tiny-preset run that writes and reads the file: estimator-posterior.test.ts.)
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { GaitidError } from "../lib/src/errors";
import { calibratedCdf, calibratedProbit, fitCalibrationMap, rawProbit, type CalibrationMap } from "../lib/src/estimator/posterior/calibration-map";
import { coverage, rankOf, sbc } from "../lib/src/estimator/posterior/calibration";
import { marginalProbit, marginalQuantile, marginalTable, recalibrator, tableProbit, tableQuantile } from "../lib/src/estimator/posterior/marginal";
import { COMPONENTS, DIMS, type Mixture } from "../lib/src/estimator/posterior/mdn";
import { fitRecalibration, readRecalibration, RECALIBRATION_FILE, writeRecalibration } from "../lib/src/estimator/posterior/recalibration";
import { normalCdf } from "../lib/src/estimator/posterior/stats";
import { Rng } from "../lib/src/random";
import { tempDir } from "./helpers/estimator-data";

/** A mixture whose components (weight, mean, sd) are given for coordinate `d`; the other coordinates N(0, 1). */
function mixture(d: number, comps: readonly [number, number, number][]): Mixture {
  const m: Mixture = { weights: new Float64Array(COMPONENTS), mean: new Float64Array(COMPONENTS * DIMS), sd: new Float64Array(COMPONENTS * DIMS).fill(1) };
  comps.forEach(([w, mu, sd], k) => {
    m.weights[k] = w;
    m.mean[k * DIMS + d] = mu;
    m.sd[k * DIMS + d] = sd;
  });
  return m;
}

/** A draw of coordinate `d` of `mix`. */
function draw(mix: Mixture, d: number, r: Rng): number {
  let u = r.next(), k = 0;
  while (k < COMPONENTS - 1 && u >= mix.weights[k]) u -= mix.weights[k++];
  return mix.mean[k * DIMS + d] + mix.sd[k * DIMS + d] * r.normal();
}

/**
 * Synthetic records: a centre mu ~ N(0, 9), the truth y = mu + N(0, 1), and a predictive for log rho
 * (coordinate 0) and l0 (coordinate 1) built from mu by `predict`.
 */
function records(n: number, r: Rng, predict: (mu: number) => { logRho: [number, number, number][]; l0: [number, number, number][] }) {
  const mixtures: Mixture[] = [], truth = { logRho: [] as number[], l0: [] as number[] };
  for (let i = 0; i < n; i++) {
    const mu = 3 * r.normal(), p = predict(mu);
    const mix = mixture(0, p.logRho);
    const l0 = mixture(1, p.l0);
    for (let k = 0; k < COMPONENTS; k++) {
      if (l0.weights[k] !== mix.weights[k]) throw new Error("the test's two coordinates share their component weights");
      mix.mean[k * DIMS + 1] = l0.mean[k * DIMS + 1];
      mix.sd[k * DIMS + 1] = l0.sd[k * DIMS + 1];
    }
    mixtures.push(mix);
    truth.logRho.push(mu + r.normal());
    truth.l0.push(mu + r.normal());
  }
  return { mixtures, truth };
}

/** Coverage 50/90 and SBC p of coordinate `d` from 999 draws per record, raw or through `map`. */
function calibrationOf(set: ReturnType<typeof records>, c: "logRho" | "l0", r: Rng, map?: CalibrationMap) {
  const d = c === "logRho" ? 0 : 1, L = 999;
  const ranks = set.mixtures.map((mix, i) => {
    const f = map ? recalibrator(mix, d, map) : (x: number) => x;
    const draws = Array.from({ length: L }, () => f(draw(mix, d, r)));
    return rankOf(set.truth[c][i], draws, r);
  });
  return { c50: coverage(ranks, L, 0.5), c90: coverage(ranks, L, 0.9), p: sbc(ranks, L).pValue };
}

test("recalibration: a predictive too wide (two components) and one too narrow become calibrated on new records; a calibrated one stays", () => {
  const r = new Rng(11, 3);
  // Too wide: l0 from 0.5 N(mu - 1, 1.5^2) + 0.5 N(mu + 1, 1.5^2) (variance 3.25 against 1); too narrow: log rho N(mu, 0.5^2).
  const miscalibrated = (mu: number) => ({ logRho: [[0.5, mu, 0.5], [0.5, mu, 0.5]] as [number, number, number][], l0: [[0.5, mu - 1, 1.5], [0.5, mu + 1, 1.5]] as [number, number, number][] });
  const val = records(4000, r, miscalibrated), testSet = records(2000, r, miscalibrated);
  const rec = fitRecalibration(val.mixtures, val.truth);
  assert.equal(rec.maps.l0.records, 4000);
  const rawL0 = calibrationOf(testSet, "l0", r), rawRho = calibrationOf(testSet, "logRho", r);
  assert.ok(rawL0.c50 > 0.7 && rawL0.c90 > 0.97 && rawL0.p < 1e-10, `too wide, raw: ${JSON.stringify(rawL0)}`);
  assert.ok(rawRho.c50 < 0.3 && rawRho.c90 < 0.7 && rawRho.p < 1e-10, `too narrow, raw: ${JSON.stringify(rawRho)}`);
  for (const c of ["l0", "logRho"] as const) {
    const s = calibrationOf(testSet, c, r, rec.maps[c]);
    assert.ok(Math.abs(s.c50 - 0.5) <= 0.03 && Math.abs(s.c90 - 0.9) <= 0.03, `${c} recalibrated: coverage ${s.c50}, ${s.c90}`);
    assert.ok(s.p >= 0.01, `${c} recalibrated: SBC p ${s.p}`);
  }
  // The too-narrow map widens by about 2 (a probit of 1 under N(mu, 0.5^2) is half a true standard deviation).
  assert.ok(Math.abs(calibratedProbit(rec.maps.logRho, 1) - 0.5) < 0.05, `${calibratedProbit(rec.maps.logRho, 1)}`);
  // A calibrated predictive N(mu, 1): the map follows the empirical CDF of the PITs (within 0.01), which is the identity up to
  // its sampling noise (4 standard deviations), and the coverage stays.
  const right = (mu: number) => ({ logRho: [[1, mu, 1]] as [number, number, number][], l0: [[1, mu, 1]] as [number, number, number][] });
  const calVal = records(2000, r, right), calTest = records(2000, r, right);
  const id = fitRecalibration(calVal.mixtures, calVal.truth).maps.l0;
  const pits = calVal.truth.l0.map((y, i) => normalCdf(y - calVal.mixtures[i].mean[1]));
  for (let p = 0.05; p < 1; p += 0.05) {
    const ecdf = pits.filter((u) => u <= p).length / pits.length;
    assert.ok(Math.abs(calibratedCdf(id, p) - ecdf) < 0.01, `R(${p}) = ${calibratedCdf(id, p)}, empirical ${ecdf}`);
    assert.ok(Math.abs(calibratedCdf(id, p) - p) < 4 * Math.sqrt((p * (1 - p)) / 2000), `R(${p}) = ${calibratedCdf(id, p)}`);
  }
  for (let x = -2; x <= 2; x += 0.25) assert.ok(Math.abs(calibratedProbit(id, x) - x) < 0.15, `identity at ${x}: ${calibratedProbit(id, x)}`);
  const before = calibrationOf(calTest, "l0", new Rng(5)), after = calibrationOf(calTest, "l0", new Rng(5), id);
  assert.ok(Math.abs(after.c50 - before.c50) < 0.02 && Math.abs(after.c90 - before.c90) < 0.02, `calibrated: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
});

test("the calibration map is monotone, inverts, and sends 0 and 1 to themselves", () => {
  const r = new Rng(2);
  // PITs of a biased, too-wide predictive: probits (z + 0.7) / 2.
  const map = fitCalibrationMap(Array.from({ length: 1500 }, () => (r.normal() + 0.7) / 2));
  for (let i = 1; i < map.x.length; i++) assert.ok(map.x[i] > map.x[i - 1] && map.y[i] > map.y[i - 1], `knot ${i}`);
  let prev = -Infinity;
  for (let i = 0; i <= 10_000; i++) {
    const v = calibratedCdf(map, i / 10_000);
    assert.ok(v >= prev, `R not monotone at ${i / 10_000}`);
    prev = v;
  }
  assert.equal(calibratedCdf(map, 0), 0);
  assert.equal(calibratedCdf(map, 1), 1);
  for (const x of [-40, -7, -3.3, -1, 0, 0.2, 1.7, 5, 9, 40]) assert.ok(Math.abs(rawProbit(map, calibratedProbit(map, x)) - x) < 1e-9, `inverse at ${x}`);
  // Undoing the bias and the width: raw probit x maps to about 2x - 0.7.
  for (const x of [-0.5, 0, 0.5, 1]) assert.ok(Math.abs(calibratedProbit(map, x) - (2 * x - 0.7)) < 0.15, `at ${x}: ${calibratedProbit(map, x)}`);
});

test("a mixture coordinate's marginal: quantiles invert probits, the table agrees with the exact values", () => {
  const mix = mixture(1, [[0.6, 0.70, 0.002], [0.3, 0.705, 0.004], [0.1, 0.69, 0.01]]);
  for (const x of [0.66, 0.69, 0.7, 0.701, 0.71, 0.75]) assert.ok(Math.abs(marginalQuantile(mix, 1, marginalProbit(mix, 1, x)) - x) < 1e-9, `x ${x}`);
  // Against the CDF written out: F(0.7) = 0.6 / 2 + 0.3 Phi(-1.25) + 0.1 Phi(1).
  assert.ok(Math.abs(normalCdf(marginalProbit(mix, 1, 0.7)) - (0.3 + 0.3 * normalCdf(-1.25) + 0.1 * normalCdf(1))) < 1e-7);
  const tab = marginalTable(mix, 1);
  let worst = 0;
  for (let t = -5; t <= 5; t += 0.01) worst = Math.max(worst, Math.abs(tableQuantile(tab, t) - marginalQuantile(mix, 1, t)) / 0.004);
  assert.ok(worst < 1e-3, `table against exact: ${worst} standard deviations`);
  for (let x = 0.68; x <= 0.72; x += 0.001) assert.ok(Math.abs(tableProbit(tab, x) - marginalProbit(mix, 1, x)) < 1e-3, `probit at ${x}`);
  // One component: the table is exact (probit linear in x), also beyond its ends.
  const one = marginalTable(mixture(0, [[1, 4.9, 0.01]]), 0);
  for (const x of [4.7, 4.85, 4.9, 4.93, 5.2]) assert.ok(Math.abs(tableProbit(one, x) - (x - 4.9) / 0.01) < 1e-7, `one component at ${x}`);
});

test("recalibration refuses bad input with clear errors", () => {
  assert.throws(() => fitCalibrationMap([0.1, 0.2, 0.3]), (e: Error) => e instanceof GaitidError && /at least 10/.test(e.message));
  assert.throws(() => fitCalibrationMap(Array(50).fill(0.3)), (e: Error) => e instanceof GaitidError && /all equal/.test(e.message));
  assert.throws(() => fitCalibrationMap([...Array(20).fill(0.1), Number.NaN]), (e: Error) => e instanceof GaitidError && /not a number/.test(e.message));
  assert.throws(() => fitRecalibration([mixture(0, [[1, 0, 1]])], { logRho: [0, 1], l0: [0] }), GaitidError);
  assert.throws(() => marginalQuantile(mixture(0, [[1, 0, 1]]), 0, Number.NaN), GaitidError);
});

test("recalibration.json: written atomically, read back the same, refused when damaged or of another method", () => {
  const r = new Rng(4);
  const set = records(300, r, (mu) => ({ logRho: [[1, mu, 2]], l0: [[1, mu, 0.5]] }));
  const rec = fitRecalibration(set.mixtures, set.truth);
  const dir = tempDir();
  writeRecalibration(dir, rec);
  assert.deepEqual(fs.readdirSync(dir), [RECALIBRATION_FILE], "no temporary file left");
  assert.deepEqual(readRecalibration(dir), rec);
  const file = path.join(dir, RECALIBRATION_FILE);
  const json = JSON.parse(fs.readFileSync(file, "utf8"));
  assert.equal(json.kind, "gaitid-posterior-recalibration");
  assert.equal(json.fittedOn, "validation");
  const damaged = structuredClone(json);
  damaged.maps.l0.y[3] = damaged.maps.l0.y[2];
  fs.writeFileSync(file, JSON.stringify(damaged));
  assert.throws(() => readRecalibration(dir), (e: Error) => e instanceof GaitidError && /maps\.l0.*strictly increasing/.test(e.message));
  fs.writeFileSync(file, JSON.stringify({ ...json, method: "isotonic" }));
  assert.throws(() => readRecalibration(dir), (e: Error) => e instanceof GaitidError && /method/.test(e.message));
  fs.rmSync(file);
  assert.throws(() => readRecalibration(dir), (e: Error) => e instanceof GaitidError && /no recalibration\.json/.test(e.message));
});
