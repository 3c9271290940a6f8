/**
 * The constructive inversion on simulated records: rho and l0 (and the stance feet) come back from
 * a noise-free record to 1e-8 relative, both from the simulator's own accelerations at the samples
 * (its force channel per unit mass, (fx, fy) = (x'', y'' + g)) and from the positions alone (five-
 * point central differences at 2 ms); one instant, or samples at one leg length, are not enough.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { invertStance, type StanceSample } from "../lib/src/derive/inversion";
import { randomPoint, seededRandom } from "../lib/src/derive/numeric";
import { simulatedRecords, singleSupportIntervals, stanceSamples } from "../lib/src/derive/records";
import { GaitidError } from "../lib/src/errors";

const rng = seededRandom(7);
const points = Array.from({ length: 12 }, () => randomPoint(rng));
const records = simulatedRecords(points, { count: 3, dt: 0.002, duration: 3 });

test("the stance phases of a walk: start on the foot at 0, then each front foot after its lift-off", () => {
  for (const rec of records) {
    const iv = singleSupportIntervals(rec.walk);
    const touchdowns = rec.walk.events.filter((e) => e.type === "touchdown");
    assert.ok(iv.length >= 2, `${iv.length} stance phases`);
    assert.equal(iv[0].start, 0);
    assert.equal(iv[0].foot, 0);
    assert.equal(iv[0].end, touchdowns[0].t);
    // the second stance phase stands on the foot placed at the first touchdown
    assert.equal(iv[1].foot, touchdowns[0].foot);
    for (const x of iv) assert.ok(x.end > x.start);
  }
});

test("rho and l0 come back to 1e-8 relative from the simulator's accelerations at the samples", () => {
  for (const rec of records) {
    const s = stanceSamples(rec, "state");
    const inv = invertStance(s, rec.g);
    assert.ok(Math.abs(inv.rho / rec.rho - 1) < 1e-8, `rho ${inv.rho} vs ${rec.rho}`);
    assert.ok(Math.abs(inv.l0 / rec.l0 - 1) < 1e-8, `l0 ${inv.l0} vs ${rec.l0}`);
    s.forEach((x, i) => assert.ok(Math.abs(inv.feet[i] - x.foot) < 1e-8 * rec.l0, `foot ${inv.feet[i]} vs ${x.foot}`));
  }
});

test("rho and l0 come back to 1e-8 relative from the positions alone (five-point differences at 2 ms)", () => {
  for (const rec of records) {
    const s = stanceSamples(rec, "differences");
    assert.ok(s.length > 200, `${s.length} samples`);
    const inv = invertStance(s, rec.g);
    assert.ok(Math.abs(inv.rho / rec.rho - 1) < 1e-8, `rho ${inv.rho} vs ${rec.rho}`);
    assert.ok(Math.abs(inv.l0 / rec.l0 - 1) < 1e-8, `l0 ${inv.l0} vs ${rec.l0}`);
  }
  // at 10 ms the differences are coarser and the recovery degrades as h^4 (to about 1e-7): the
  // accuracy is the data's, not a property of the formulas
  const coarse = simulatedRecords(points, { count: 1, dt: 0.01, duration: 3 })[0];
  const inv = invertStance(stanceSamples(coarse, "differences"), coarse.g);
  const err = Math.abs(inv.rho / coarse.rho - 1);
  assert.ok(err > 1e-9 && err < 1e-5, `rho error at 10 ms: ${err}`);
});

test("two samples at different leg lengths suffice; one, or many at one leg length, do not", () => {
  const rec = records[0];
  const s = stanceSamples(rec, "state");
  const inv = invertStance([s[3], s[40]], rec.g);
  assert.ok(Math.abs(inv.rho / rec.rho - 1) < 1e-8 && Math.abs(inv.l0 / rec.l0 - 1) < 1e-8);
  assert.throws(() => invertStance([s[3]], rec.g), GaitidError);
  // the same sample twice: the same leg length, so the affine relation has one point
  assert.throws(() => invertStance([s[3], { ...s[3] }], rec.g), /different leg lengths/);
  // a leg that is not compressed (y'' + g <= 0) is not a stance sample
  const bad: StanceSample = { x: 0, y: 0.7, xdd: 0, ydd: -rec.g, stance: 0 };
  assert.throws(() => invertStance([bad, s[3]], rec.g), /compressed stance leg/);
});
