/** What the experiments' report sections share: symbols, titles, the cells and series they all use, the provenance line. */
import * as path from "node:path";
import { fixed, fmt, int } from "../../format";
import { html, rawValues, type SafeHtml } from "../../template";
import { COLORS, type Quantity } from "../../../figures/style";
import { type ErrorCurvePanel, type ErrorSeries } from "../../../figures/experiments";
import type { ExperimentResults, ParamResult, TrialResult } from "../../../experiments/run";
import { type ExperimentName } from "../../../experiments/settings";

export const SYM: Record<Quantity, string> = { m: "<i>m</i>", k: "<i>k</i>", l0: "<i>ℓ</i><sub>0</sub>", rho: "<i>ρ</i>" };
export const UNIT: Record<Quantity, string> = { m: "kg", k: "N/m", l0: "m", rho: "1/s<sup>2</sup>" };
export const NET = { mkl0: "(<i>m</i>, <i>k</i>, <i>ℓ</i><sub>0</sub>) network", rhol0: "(<i>ρ</i>, <i>ℓ</i><sub>0</sub>) network" } as const;
export const NET_PLOT = { mkl0: "network (<i>m</i>, <i>k</i>, <i>ℓ</i><sub>0</sub>)", rhol0: "network (<i>ρ</i>, <i>ℓ</i><sub>0</sub>)" } as const;
/** {@link SYM}, {@link UNIT} and {@link NET} as SafeHtml, for html`` templates. */
export const sym = rawValues(SYM), unit = rawValues(UNIT), net = rawValues(NET);
export const FLOOR_NAME = "floor: E[· | <i>ρ</i>]";
export const SPREAD_NAME = "spread of the true values";

/** What each experiment asks, for the opening list. */
export const PURPOSE: Record<ExperimentName, string> = {
  "data-volume": "Does more data help? Both networks on growing training subsets.",
  noise: "How do the errors grow with sensor noise, and does the gap between identifiable and unidentifiable parameters persist?",
  architecture: "Is the failure on <i>m</i> and <i>k</i> a matter of the network? Other depths, widths and activations.",
  multimodal: "Do ground reaction forces in newtons make <i>m</i> and <i>k</i> estimable, as the derivation says?",
  identifiability: "The identifiability measure: singular values of the sensitivity matrix, over records, for both observation models.",
  design: "Does the floor of <i>m</i> belong to the experimental design? The initial energy drawn in joules instead of per unit mass.",
  posterior: "Can a network learn the whole posterior, not just a point? A mixture density network's posterior of <i>m</i> against the exact one, and its calibration.",
};

export const TITLE: Record<ExperimentName, string> = {
  "data-volume": "More data: the size of the training set",
  noise: "Input noise",
  architecture: "Other networks",
  multimodal: "Ground reaction forces make <i>m</i> and <i>k</i> estimable",
  identifiability: "Identifiability measured, record by record",
  design: "The floor belongs to the design: the initial energy in joules",
  posterior: "The posterior of <i>m</i>, <i>k</i> and <i>ℓ</i><sub>0</sub>: learned against exact",
};

/** Section id of an experiment. */
export function experimentSectionId(name: ExperimentName): string {
  return `exp-${name}`;
}


export function trialsOf(r: ExperimentResults, target: "mkl0" | "rhol0"): TrialResult[] {
  return r.trials.filter((t) => t.target === target);
}

export function param(t: TrialResult, q: string): ParamResult | undefined {
  return t.params[q];
}

/** "fell from a to b", "rose from a to b" or "stayed at about a" (changes within 3 % count as none). */
export function trend(a: number, b: number, unit: SafeHtml, digits = 3): SafeHtml {
  if (b < 0.97 * a) return html`fell from ${fmt(a, digits)} to ${fmt(b, digits)} ${unit}`;
  if (b > 1.03 * a) return html`rose from ${fmt(a, digits)} to ${fmt(b, digits)} ${unit}`;
  return html`stayed at about ${fmt(a, digits)} ${unit} (${fmt(b, digits)} at the end)`;
}

/** min and max of rmse / floor over trials. */
export function floorRatios(ts: readonly TrialResult[], q: "m" | "k"): { lo: number; hi: number } {
  const r = ts.map((t) => param(t, q)).filter((p): p is ParamResult => p !== undefined && p.floorRmse > 0).map((p) => p.rmse / p.floorRmse);
  return { lo: Math.min(...r), hi: Math.max(...r) };
}

/** "a times" or "a to b times" for a range of ratios. */
export function ratioRange(x: { lo: number; hi: number }): SafeHtml {
  return Math.abs(x.hi - x.lo) < 0.005 ? html`${fixed(x.lo, 2)} times` : html`${fixed(x.lo, 2)} to ${fixed(x.hi, 2)} times`;
}

/** A table cell of an RMSE, with its ratio to the floor in muted brackets when `withFloor`; "–" without a result. */
export function rmseCell(p: ParamResult | undefined, withFloor = false): SafeHtml {
  if (!p) return html`–`;
  return withFloor && p.floorRmse > 0 ? html`${fmt(p.rmse)} <span class="muted">(${fixed(p.rmse / p.floorRmse, 2)}×)</span>` : fmt(p.rmse);
}

/** A table cell of an R², three decimals; "–" without a result. */
export function r2Cell(v: number | null | undefined): SafeHtml {
  return v === undefined ? html`–` : fixed(v, 3);
}

/** Series of one parameter's RMSE over trials. */
export function series(ts: readonly TrialResult[], x: (t: TrialResult) => number, y: (t: TrialResult) => number | undefined, name: string, color: string, dash?: string): ErrorSeries | undefined {
  const pts = ts.map((t) => [x(t), y(t)] as const).filter((p): p is readonly [number, number] => p[1] !== undefined && Number.isFinite(p[1]));
  if (pts.length === 0) return undefined;
  return { name, color, dash, x: pts.map((p) => p[0]), y: pts.map((p) => p[1]) };
}

/** The panels m, k, l0, rho of an error-against-setting figure. */
export function curvePanels(A: readonly TrialResult[], B: readonly TrialResult[], x: (t: TrialResult) => number): ErrorCurvePanel[] {
  const keep = (s: (ErrorSeries | undefined)[]): ErrorSeries[] => s.filter((v): v is ErrorSeries => v !== undefined);
  const floorLine = (q: "m" | "k"): ErrorSeries | undefined => {
    const s = series(A, x, (t) => param(t, q)?.floorRmse, FLOOR_NAME, COLORS.bayes, "dash");
    return s && { ...s, markers: false };
  };
  const spreadLine = (ts: readonly TrialResult[], q: string): ErrorSeries | undefined => {
    const s = series(ts, x, (t) => (q === "ratio" ? t.ratio?.spread : param(t, q)?.spread), SPREAD_NAME, COLORS.reference, "dot");
    return s && { ...s, markers: false };
  };
  const panels: ErrorCurvePanel[] = [];
  if (A.length > 0) {
    for (const q of ["m", "k"] as const) {
      panels.push({ quantity: q, series: keep([series(A, x, (t) => param(t, q)?.rmse, NET_PLOT.mkl0, COLORS.mkl0), floorLine(q), spreadLine(A, q)]) });
    }
  }
  panels.push({
    quantity: "l0",
    series: keep([
      series(A, x, (t) => param(t, "l0")?.rmse, NET_PLOT.mkl0, COLORS.mkl0),
      series(B, x, (t) => param(t, "l0")?.rmse, NET_PLOT.rhol0, COLORS.rhol0),
    ]),
  });
  panels.push({
    quantity: "rho",
    series: keep([
      series(B, x, (t) => param(t, "rho")?.rmse, NET_PLOT.rhol0, COLORS.rhol0),
      series(A, x, (t) => t.ratio?.rmse, `${NET_PLOT.mkl0}: <i>k̂</i>/<i>m̂</i>`, COLORS.mkl0, "dot"),
    ]),
  });
  return panels;
}

/** The command that runs an experiment for a preset, as code. */
export function commandLine(preset: string, name: ExperimentName): SafeHtml {
  return html`<code>npx gaitid experiment ${name} --preset ${preset}</code>`;
}

/** The closing line of an experiment's section: its files, how many runs (and how many shared), the backends and the training time in seconds. */
export function provenance(r: ExperimentResults, dir: string): SafeHtml {
  const own = (t: TrialResult): boolean => t.run.split(path.sep).join("/").startsWith(`${dir}/`);
  const shared = r.trials.filter((t) => !own(t)).length;
  const backends = [...new Set(r.trials.map((t) => t.backend))].join(", ");
  const seconds = r.trials.reduce((s, t) => s + t.trainSeconds, 0);
  return html`<p class="files">Files: <code>${dir}/</code> (<code>results.json</code>, <code>results.csv</code>, <code>manifest.json</code>; each
  run a folder as <code>gaitid train</code> writes it). ${int(r.trials.length)} runs${
    shared > 0 && html` (${int(shared)} of them the same run as in the study or another experiment, with identical settings)`
  }, backend ${backends}, ${fmt(seconds)} s of training in all.</p>`;
}

/** What the lowest rmse / floor over runs says (the floor bounds the expected error; a finite test set can fall a little below it). */
export function belowFloor(lo: number, testRecords: number): SafeHtml {
  return lo >= 0.95
    ? html`None gets below the floor, which no estimator from (<i>x</i>, <i>y</i>) can beat on average.`
    : html`The lowest is ${fixed(lo, 2)} times the floor: the floor bounds the expected error, and on ${int(testRecords)} test records a run can fall below it by chance.`;
}

/** The (m, k, l0) network's targets, as text. */
export const VARIANT_TARGET_TEXT = html`(<i>m</i>, <i>k</i>, <i>ℓ</i><sub>0</sub>)`;
