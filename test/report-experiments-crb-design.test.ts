/** The noise section's Cramér-Rao table and the design section, from small results fixtures (nothing trained). */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DesignResults } from "../lib/src/experiments/design";
import type { NoiseCrb } from "../lib/src/experiments/noise-crb";
import type { TrialResult } from "../lib/src/experiments/run";
import { ReportContext } from "../lib/src/report/context";
import { designSection } from "../lib/src/report/sections/experiments/design";
import { crbPart } from "../lib/src/report/sections/experiments/noise";

const row = (noise: number, net: number, crb: number) => ({
  noise,
  records: 3,
  network: { rho: net, l0: net / 1000 },
  rootMeanCrb: { rho: crb, l0: crb / 1000 },
  mlRmse: { rho: 1.1 * crb, l0: (1.1 * crb) / 1000 },
  efficiency: { rho: noise > 0 ? (crb / net) ** 2 : null, l0: noise > 0 ? (crb / net) ** 2 : null },
  mlEfficiency: { rho: noise > 0 ? 1 / 1.21 : null, l0: noise > 0 ? 1 / 1.21 : null },
});

test("noise section: the Cramér-Rao table shows the network, the bound, the fit and the efficiency read from the results", () => {
  const crb: NoiseCrb = { ids: [7, 8, 9], variant: "rhol0", scales: { x: 5.5, y: 0.02 }, rows: [row(0, 0.3, 0), row(0.05, 0.8, 0.4)], failures: [], seconds: 1, workers: 0 };
  const html = crbPart(new ReportContext(), crb).toString();
  assert.match(html, /first 3 test records/);
  assert.match(html, /0\.8\b/); // network RMSE of rho at 5 %
  assert.match(html, /0\.44\b/); // maximum-likelihood RMSE
  assert.match(html, /0\.25/); // efficiency (0.4 / 0.8)^2
  assert.match(html, /5&nbsp;%/);
  assert.doesNotMatch(html, /NaN|undefined/);
});

test("design section: m's RMSE beside both floors, and the share the design identifies", () => {
  const trial = { key: "energy-joules", label: "E in joules", value: "joules", target: "mkl0", channels: "xy", run: "data/experiments/tiny-design/runs/energy-joules-mkl0", backend: "wasm", params: { m: { rmse: 2.5, mae: 2, bias: 0, r2: 0.6, floorRmse: 3.4, r2Ceiling: 0.45, spread: 4.3 } } } as unknown as TrialResult;
  const r = {
    kind: "gaitid-experiment-results",
    experiment: "design",
    preset: "tiny",
    datasets: {},
    trials: [trial],
    design: {
      energyJoules: [356.7, 609.2],
      redrawSubject: true,
      floors: {
        records: 40,
        sample: 360,
        perUnitMass: { rmse: 3.4, r2: 0.45 },
        design: { rmse: 2.4, r2: 0.7, conditioning: ["rho", "l0", "e"], bandwidth: 0.1 },
        regressionPerUnitMass: { rmse: 3.45, r2: 0.44, bandwidth: 0.2 },
      },
    },
  } as unknown as DesignResults;
  const html = designSection(r, "data/experiments/tiny-design").render(new ReportContext()) as string;
  assert.match(html, /2\.5&nbsp;kg/);
  assert.match(html, /0\.74 times\s+the study's floor/);
  assert.match(html, /replaced by a new one/);
  assert.match(html, /29\.4&nbsp;% below/); // 1 - 2.4/3.4
  assert.match(html, /\[357, 609\]&nbsp;J/);
});
