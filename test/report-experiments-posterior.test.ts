/** The posterior experiment's section and figures from a hand-made results object (nothing trained): the numbers appear, the met/not-met wording follows them. */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { PosteriorExperimentResults, PosteriorRecordFigure, PosteriorSeedScores } from "../lib/src/experiments/posterior";
import type { TrialResult } from "../lib/src/experiments/run";
import { posteriorDensityFigure, posteriorPlaneFigure, sbcFigure } from "../lib/src/figures/posterior";
import { axesOf, type Axis, type Figure } from "../lib/src/figures/types";
import { ReportContext } from "../lib/src/report/context";
import { posteriorSection } from "../lib/src/report/sections/experiments/posterior";

type Q = "m" | "k" | "l0" | "rho";
const QS: Q[] = ["m", "k", "l0", "rho"];

type Scores = PosteriorSeedScores["scores"];

function scores(ks: number, cov: Record<Q, [number, number]>, p: Record<Q, number>): Scores {
  const hist = [5, 4, 6, 5, 5, 5, 4, 6];
  return {
    components: 8,
    samples: 999,
    m: { ks, ksMedian: ks * 0.9, ksP90: ks * 1.8, w1: 0.17 },
    width: { rho: { rmse: 1, sd: 1, ratio: 1 }, l0: { rmse: 0.001, sd: 0.001, ratio: 1 } },
    sbc: Object.fromEntries(QS.map((q) => [q, { samples: 999, histogram: hist, chiSquare: 1, dof: 7, pValue: p[q] }])) as Scores["sbc"],
    coverage: Object.fromEntries(QS.map((q) => [q, { c50: cov[q][0], c90: cov[q][1] }])) as Scores["coverage"],
  };
}

/** A seed's run: its raw scores, and recalibrated ones (by default the same). */
function seed(seed: number, ks: number, cov: Record<Q, [number, number]>, p: Record<Q, number>, recalibrated?: Scores): PosteriorSeedScores {
  const raw = scores(ks, cov, p);
  return {
    seed,
    run: `data/experiments/tiny-posterior/runs/posterior${seed === 1 ? "" : `-seed${seed}`}-posterior`,
    testRecords: 40,
    epochs: 150,
    epochsRun: 150,
    bestEpoch: 150,
    bestValLoss: -5.3,
    scores: raw,
    recalibrated: recalibrated ?? raw,
  };
}

function record(which: PosteriorRecordFigure["which"], rho: number): PosteriorRecordFigure {
  const a = Math.max(60, 8000 / rho), b = Math.min(75, 10000 / rho), m = (a + b) / 2, d = b * b - a * a;
  const grid = Array.from({ length: 100 }, (_, i) => a - 0.5 + ((b - a + 1) * i) / 99);
  return {
    which,
    id: 7,
    truth: { m, k: rho * m, l0: 0.7, rho },
    a,
    b,
    ks: 0.031,
    w1: 0.12,
    learned: { m: grid, density: grid.map((x) => (x > a && x < b ? (2 * x) / d : 0)) },
    exact: { m: [a - 0.5, a, a, b, b, b + 0.5], density: [0, 0, (2 * a) / d, (2 * b) / d, 0, 0] },
    samples: { m: Array.from({ length: 200 }, (_, i) => a + ((b - a) * i) / 199), k: Array.from({ length: 200 }, (_, i) => rho * (a + ((b - a) * i) / 199)) },
    segment: { m: [a, b], k: [rho * a, rho * b] },
  };
}

const good = seed(1, 0.035, { m: [0.495, 0.904], k: [0.493, 0.901], l0: [0.509, 0.897], rho: [0.512, 0.892] }, { m: 0.4, k: 0.94, l0: 0.037, rho: 0.18 });
const fixed = scores(0.073, { m: [0.496, 0.902], k: [0.494, 0.912], l0: [0.497, 0.905], rho: [0.488, 0.9025] }, { m: 0.52, k: 0.23, l0: 0.095, rho: 0.47 });
const poor = seed(2, 0.074, { m: [0.495, 0.901], k: [0.493, 0.913], l0: [0.554, 0.91], rho: [0.543, 0.91] }, { m: 0.55, k: 0.24, l0: 1e-13, rho: 8e-4 }, fixed);

function results(seeds: PosteriorSeedScores[]): PosteriorExperimentResults {
  const trial = { key: "posterior", label: "posterior (MDN)", value: "posterior", target: "posterior", channels: "xy", epochs: 150, run: seeds[0].run, backend: "wasm", trainSeconds: 100, params: {} } as unknown as TrialResult;
  return {
    kind: "gaitid-experiment-results",
    experiment: "posterior",
    preset: "tiny",
    datasets: { xy: { dir: "data/tiny", hash: "abc", records: 400, channels: "xy" } },
    trials: [trial],
    posterior: {
      targets: { meanKs: 0.1, coverage: 0.03, sbcLevel: 0.01 },
      seed: seeds[0].seed,
      run: seeds[0].run,
      priors: { m: [60, 75], k: [8000, 10000] },
      records: [record("lowest", 110), record("median", 133), record("highest", 160)],
      seeds,
    },
  };
}

const render = (r: PosteriorExperimentResults): { html: string; ctx: ReportContext } => {
  const ctx = new ReportContext();
  const html = posteriorSection(r, "data/experiments/tiny-posterior").render(ctx) as string;
  return { html, ctx };
};

test("posterior section, one seed: targets stated, the numbers shown, every target met", () => {
  const { html, ctx } = render(results([good]));
  assert.match(html, /≤ 0\.1;/);
  assert.match(html, /within 3 points/);
  assert.match(html, /at\s+the 1&nbsp;% level/);
  assert.match(html, /Seed 1\. As learned: KS 0\.035, <b>met<\/b>; coverage <b>met<\/b>; SBC <b>met<\/b>: every target met\. Recalibrated: KS 0\.035, <b>met<\/b>; coverage <b>met<\/b>; SBC <b>met<\/b>: every target met\./);
  assert.match(html, /validation\s+records, never its test records/);
  assert.doesNotMatch(html, /not met|✗/);
  // The table: KS, W1, coverages 50 / 90 and SBC p-values, each marked.
  assert.ok(html.includes("0.035 ✓"));
  assert.ok(html.includes(">0.17<"));
  assert.ok(html.includes("50.9 / 89.7 ✓"), "l0's coverage");
  assert.ok(html.includes("0.18 ✓"), "rho's p-value");
  assert.deepEqual(ctx.figures.map((f) => f.id), ["plot-fig-exp-posterior-density", "plot-fig-exp-posterior-plane", "plot-fig-exp-posterior-sbc", "plot-fig-exp-posterior-sbc-recalibrated"]);
  assert.equal((html.match(/<tr>/g) ?? []).length, 1 + 2, "two rows per seed: as learned, recalibrated");
  assert.ok(html.includes("<td>as learned</td>") && html.includes("<td>recalibrated</td>"));
  assert.doesNotMatch(html.replace(/<[^>]+>/g, " "), /\bNaN\b|\bundefined\b/);
});

test("posterior section, two seeds: each seed's verdict follows its numbers", () => {
  const { html } = render(results([good, poor]));
  assert.match(html, /every target met as learned for\s+seed 1 of 2; recalibrated, for seeds 1, 2 of 2/);
  const second = html.slice(html.indexOf("<li>Seed 2."));
  // As learned, l0 covers 55.4 %, rho 54.3 %: more than 3 points off; their SBC p-values are below 1 %. Recalibrated, every target is met.
  assert.match(
    second,
    /^<li>Seed 2\. As learned: KS 0\.074, <b>met<\/b>; coverage <b>not met<\/b> for <i>ℓ<\/i><sub>0<\/sub> and <i>ρ<\/i>; SBC <b>not met<\/b> for <i>ℓ<\/i><sub>0<\/sub> and <i>ρ<\/i>\. Recalibrated: KS 0\.073, <b>met<\/b>; coverage <b>met<\/b>; SBC <b>met<\/b>: every target met\.<\/li>/,
  );
  assert.equal((html.match(/<tr>/g) ?? []).length, 1 + 2 * 2, "two rows per seed");
  assert.ok(html.includes("55.4 / 91.0 ✗") && html.includes("54.3 / 91.0 ✗") && html.includes("49.5 / 90.1 ✓"));
  assert.ok(html.includes("49.7 / 90.5 ✓") && html.includes("0.095 ✓") && html.includes("0.47 ✓"), "seed 2 recalibrated");
  assert.ok(html.includes("0.0008 ✗"), "rho's p-value 8e-4");
  assert.ok(html.includes("10<sup>-13</sup> ✗"), "l0's p-value 1e-13");
});

test("posterior section: the SBC histograms of the first seed, as learned and recalibrated, each from its own counts", () => {
  const recalibrated = { ...fixed, sbc: { ...fixed.sbc, l0: { ...fixed.sbc.l0, histogram: [6, 5, 5, 4, 5, 5, 5, 5] } } };
  const { html, ctx } = render(results([seed(2, 0.074, { m: [0.495, 0.901], k: [0.493, 0.913], l0: [0.554, 0.91], rho: [0.543, 0.91] }, { m: 0.55, k: 0.24, l0: 1e-13, rho: 8e-4 }, recalibrated)]));
  const sbc = (id: string) => ctx.figures.find((f) => f.id === id)!.data as { type: string; y?: number[] }[];
  const bars = (id: string) => sbc(id).filter((t) => t.type === "bar").map((t) => t.y);
  // l0 is the third quantity: its bars differ between the two figures, the others' are the same counts.
  assert.deepEqual(bars("plot-fig-exp-posterior-sbc")[2], [5, 4, 6, 5, 5, 5, 4, 6]);
  assert.deepEqual(bars("plot-fig-exp-posterior-sbc-recalibrated")[2], [6, 5, 5, 4, 5, 5, 5, 5]);
  assert.deepEqual(bars("plot-fig-exp-posterior-sbc-recalibrated")[0], [5, 4, 6, 5, 5, 5, 4, 6]);
  assert.match(html, /SBC rank histograms, seed 2 as learned \(40 test records, 8 bins\)/);
  assert.match(html, /SBC rank histograms, seed 2 recalibrated \(40 test records, 8 bins\)/);
});

test("posterior section: the verdicts change with the numbers (KS above its target, coverage 3 points off, p below 1 %)", () => {
  const off = seed(1, 0.12, { m: [0.53, 0.87], k: [0.5, 0.9], l0: [0.5, 0.9], rho: [0.531, 0.9] }, { m: 0.0099, k: 0.5, l0: 0.5, rho: 0.5 });
  const { html } = render(results([off]));
  // m at exactly 3 points (53 %, 87 %) is within the target; rho at 3.1 points is not; m's p = 0.0099 is below 1 %.
  assert.match(html, /Seed 1\. As learned: KS 0\.120, <b>not met<\/b>; coverage <b>not met<\/b> for <i>ρ<\/i>; SBC <b>not met<\/b> for <i>m<\/i>\./);
  assert.ok(html.includes("53.0 / 87.0 ✓") && html.includes("53.1 / 90.0 ✗") && html.includes("0.0099 ✗") && html.includes("0.120 ✗"));
});

/** Every titled axis says its unit. */
function assertUnits(fig: Figure): void {
  for (const [name, ax] of axesOf(fig.layout)) if (ax.title.text !== "") assert.match(ax.title.text, /\([^()]+\)$/, `${name}: ${ax.title.text}`);
}

test("posterior figures: densities, (m, k) draws with the segment, SBC histograms with the expected count", () => {
  const r = results([good]).posterior;
  const dens = posteriorDensityFigure(r.records.map((x) => ({ title: x.which, learned: x.learned, exact: x.exact, trueM: x.truth.m })));
  assert.equal(dens.data.length, 9);
  assert.deepEqual(dens.data.slice(0, 3).map((t) => t.name), ["learned posterior", "exact posterior p(<i>m</i> | <i>ρ</i>)", "true <i>m</i>"]);
  assert.deepEqual(dens.data.map((t) => t.xaxis), ["x", "x", "x", "x2", "x2", "x2", "x3", "x3", "x3"]);
  assert.equal(dens.data.filter((t) => t.showlegend).length, 3, "one legend entry per kind");
  assert.equal(dens.data[0].x!.length, 100);
  assertUnits(dens);
  const plane = posteriorPlaneFigure(r.records.map((x) => ({ title: x.which, samples: x.samples, segment: x.segment, truth: { m: x.truth.m, k: x.truth.k } })));
  assert.equal(plane.data.length, 9);
  assert.equal(plane.data[0].x!.length, 200);
  assert.deepEqual(plane.data[1].x, r.records[0].segment.m);
  assert.deepEqual(plane.data[1].y, r.records[0].segment.k);
  assertUnits(plane);
  const s = good.scores;
  const sbc = sbcFigure(QS.map((q) => ({ quantity: q, histogram: s.sbc[q].histogram, samples: 999, pValue: s.sbc[q].pValue })));
  assert.equal(sbc.data.length, 8);
  assert.deepEqual(sbc.data.map((t) => t.type), ["bar", "scatter", "bar", "scatter", "bar", "scatter", "bar", "scatter"]);
  assert.deepEqual(sbc.data[1].y, [5, 5], "40 records in 8 bins: 5 expected per bin");
  assert.deepEqual(sbc.data[0].x, [62.5, 187.5, 312.5, 437.5, 562.5, 687.5, 812.5, 937.5]);
  assert.match((sbc.layout.xaxis3 as Axis).title.text, /^rank of the true <i>ℓ<\/i><sub>0<\/sub>, χ² <i>p<\/i> = 0\.037 \(among 999 draws\)$/);
  assertUnits(sbc);
  // Plain data: a JSON round trip changes nothing.
  for (const f of [dens, plane, sbc]) assert.deepEqual(JSON.parse(JSON.stringify(f)), f);
});
