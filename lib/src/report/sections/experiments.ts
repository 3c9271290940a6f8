/**
 * The report's "Beyond the paper" part: one section per experiment in the results model (each
 * read from data/experiments/<preset>-<name>/results.json), placed before the report's limits,
 * and an opening section that lists every experiment with the command that runs a missing one.
 * Every number in the text is read from the result files. Nothing is placed when none has run.
 */
import * as path from "node:path";
import type { ReportContext, ReportSection, ReportSectionInsert } from "../context";
import { esc, fixed, fmt, int } from "../html";
import { COLORS, type Quantity } from "../../figures/style";
import {
  categoryErrorFigure,
  errorCurvesFigure,
  multimodalFigure,
  OBSERVATION_COLORS,
  ratioHistogramFigure,
  type CategoryErrorPanel,
  type ErrorCurvePanel,
  type ErrorSeries,
} from "../../figures/experiments";
import type { IdentifiabilityResultsFile, IdentifiabilityRow } from "../../experiments/identifiability";
import type { ExperimentResults, ParamResult, TrialResult } from "../../experiments/run";
import { EXPERIMENT_NAMES, type ExperimentName } from "../../experiments/settings";
import type { ExperimentResultSet } from "../../results/experiments";

const SYM: Record<Quantity, string> = { m: "<i>m</i>", k: "<i>k</i>", l0: "<i>ℓ</i><sub>0</sub>", rho: "<i>ρ</i>" };
const UNIT: Record<Quantity, string> = { m: "kg", k: "N/m", l0: "m", rho: "1/s<sup>2</sup>" };
const NET = { mkl0: "(<i>m</i>, <i>k</i>, <i>ℓ</i><sub>0</sub>) network", rhol0: "(<i>ρ</i>, <i>ℓ</i><sub>0</sub>) network" } as const;
const NET_PLOT = { mkl0: "network (<i>m</i>, <i>k</i>, <i>ℓ</i><sub>0</sub>)", rhol0: "network (<i>ρ</i>, <i>ℓ</i><sub>0</sub>)" } as const;
const FLOOR_NAME = "floor: E[· | <i>ρ</i>]";
const SPREAD_NAME = "spread of the true values";

/** What each experiment asks, for the opening list. */
const PURPOSE: Record<ExperimentName, string> = {
  "data-volume": "Does more data help? Both networks on growing training subsets.",
  noise: "How do the errors grow with sensor noise, and does the gap between identifiable and unidentifiable parameters persist?",
  architecture: "Is the failure on <i>m</i> and <i>k</i> a matter of the network? Other depths, widths and activations.",
  multimodal: "Do ground reaction forces in newtons make <i>m</i> and <i>k</i> estimable, as the derivation says?",
  identifiability: "The identifiability measure: singular values of the sensitivity matrix, over records, for both observation models.",
};

const TITLE: Record<ExperimentName, string> = {
  "data-volume": "More data: the size of the training set",
  noise: "Input noise",
  architecture: "Other networks",
  multimodal: "Ground reaction forces make <i>m</i> and <i>k</i> estimable",
  identifiability: "Identifiability measured, record by record",
};

/** Section id of an experiment. */
export function experimentSectionId(name: ExperimentName): string {
  return `exp-${name}`;
}

// ---------------------------------------------------------------------------------------------
// Helpers

function trialsOf(r: ExperimentResults, target: "mkl0" | "rhol0"): TrialResult[] {
  return r.trials.filter((t) => t.target === target);
}

function param(t: TrialResult, q: string): ParamResult | undefined {
  return t.params[q];
}

/** "fell from a to b", "rose from a to b" or "stayed at about a" (changes within 3 % count as none). */
function trend(a: number, b: number, unit: string, digits = 3): string {
  if (b < 0.97 * a) return `fell from ${fmt(a, digits)} to ${fmt(b, digits)} ${unit}`;
  if (b > 1.03 * a) return `rose from ${fmt(a, digits)} to ${fmt(b, digits)} ${unit}`;
  return `stayed at about ${fmt(a, digits)} ${unit} (${fmt(b, digits)} at the end)`;
}

/** min and max of rmse / floor over trials. */
function floorRatios(ts: readonly TrialResult[], q: "m" | "k"): { lo: number; hi: number } {
  const r = ts.map((t) => param(t, q)).filter((p): p is ParamResult => p !== undefined && p.floorRmse > 0).map((p) => p.rmse / p.floorRmse);
  return { lo: Math.min(...r), hi: Math.max(...r) };
}

function ratioRange(x: { lo: number; hi: number }): string {
  return Math.abs(x.hi - x.lo) < 0.005 ? `${fixed(x.lo, 2)} times` : `${fixed(x.lo, 2)} to ${fixed(x.hi, 2)} times`;
}

function rmseCell(p: ParamResult | undefined, withFloor = false): string {
  if (!p) return "–";
  return withFloor && p.floorRmse > 0 ? `${fmt(p.rmse)} <span style="color:var(--muted)">(${fixed(p.rmse / p.floorRmse, 2)}×)</span>` : fmt(p.rmse);
}

function r2Cell(v: number | null | undefined): string {
  return v === undefined ? "–" : fixed(v, 3);
}

/** Series of one parameter's RMSE over trials. */
function series(ts: readonly TrialResult[], x: (t: TrialResult) => number, y: (t: TrialResult) => number | undefined, name: string, color: string, dash?: string): ErrorSeries | undefined {
  const pts = ts.map((t) => [x(t), y(t)] as const).filter((p): p is readonly [number, number] => p[1] !== undefined && Number.isFinite(p[1]));
  if (pts.length === 0) return undefined;
  return { name, color, dash, x: pts.map((p) => p[0]), y: pts.map((p) => p[1]) };
}

/** The panels m, k, l0, rho of an error-against-setting figure. */
function curvePanels(A: readonly TrialResult[], B: readonly TrialResult[], x: (t: TrialResult) => number): ErrorCurvePanel[] {
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

function commandLine(preset: string, name: ExperimentName): string {
  return `<code>npx gaitid experiment ${esc(name)} --preset ${esc(preset)}</code>`;
}

function provenance(r: ExperimentResults, dir: string): string {
  const own = (t: TrialResult): boolean => t.run.split(path.sep).join("/").startsWith(`${dir}/`);
  const shared = r.trials.filter((t) => !own(t)).length;
  const backends = [...new Set(r.trials.map((t) => t.backend))].join(", ");
  const seconds = r.trials.reduce((s, t) => s + t.trainSeconds, 0);
  return `<p style="color:var(--muted);font-size:.9rem">Files: <code>${esc(dir)}/</code> (<code>results.json</code>, <code>results.csv</code>, <code>manifest.json</code>; each
  run a folder as <code>gaitid train</code> writes it). ${int(r.trials.length)} runs${
    shared > 0 ? ` (${int(shared)} of them the same run as in the study or another experiment, with identical settings)` : ""
  }, backend ${esc(backends)}, ${fmt(seconds)} s of training in all.</p>`;
}

/** What the lowest rmse / floor over runs says (the floor bounds the expected error; a finite test set can fall a little below it). */
function belowFloor(lo: number, testRecords: number): string {
  return lo >= 0.95
    ? "None gets below the floor, which no estimator from (<i>x</i>, <i>y</i>) can beat on average."
    : `The lowest is ${fixed(lo, 2)} times the floor: the floor bounds the expected error, and on ${int(testRecords)} test records a run can fall below it by chance.`;
}

// ---------------------------------------------------------------------------------------------
// The sections

function dataVolumeSection(r: ExperimentResults, dir: string): ReportSection {
  return {
    id: experimentSectionId("data-volume"),
    title: TITLE["data-volume"],
    render(ctx: ReportContext) {
      const A = trialsOf(r, "mkl0"), B = trialsOf(r, "rhol0");
      const all = A.length > 0 ? A : B;
      const sizes = all.map((t) => t.trainRecords);
      const epochs = all.map((t) => t.epochs);
      const out: string[] = [];
      out.push(
        `<p>Is the failure on ${SYM.m} and ${SYM.k} a lack of data? Both networks were trained on the first <i>N</i> training records,
        <i>N</i> = ${sizes.map(int).join(", ")}, and scored on the same ${int(all[0].testRecords)} test records. A smaller set was
        trained for more epochs (${epochs.map(int).join(", ")}), so that every run saw about as many training samples (epochs times
        records)${typeof r.settings?.maxEpochFactor === "number" ? `, with at most ${fmt(r.settings.maxEpochFactor)} times the epochs of the whole set` : ""};
        otherwise the smaller sets would also have had fewer gradient steps.</p>`,
      );
      const first = (ts: TrialResult[]): TrialResult => ts[0], last = (ts: TrialResult[]): TrialResult => ts[ts.length - 1];
      const parts: string[] = [];
      if (B.length > 1) {
        parts.push(
          `the RMSE of ${SYM.rho} ${trend(param(first(B), "rho")!.rmse, param(last(B), "rho")!.rmse, UNIT.rho)} and that of ${SYM.l0}
          ${trend(param(first(B), "l0")!.rmse, param(last(B), "l0")!.rmse, UNIT.l0)} (${NET.rhol0})`,
        );
      }
      if (A.length > 1) {
        parts.push(`with the ${NET.mkl0}, the RMSE of ${SYM.l0} ${trend(param(first(A), "l0")!.rmse, param(last(A), "l0")!.rmse, UNIT.l0)}`);
      }
      if (A.length > 0) {
        const pm0 = param(first(A), "m")!, pk0 = param(first(A), "k")!;
        const pm = param(last(A), "m")!, pk = param(last(A), "k")!;
        const lo = Math.min(floorRatios(A, "m").lo, floorRatios(A, "k").lo);
        out.push(
          `<p>From ${int(sizes[0])} to ${int(sizes[sizes.length - 1])} records, ${parts.join("; ")}. The RMSE of ${SYM.m} was
          ${fixed(pm0.rmse / pm0.floorRmse, 2)} times its floor of ${fmt(pm.floorRmse)} kg with the fewest records and
          ${fixed(pm.rmse / pm.floorRmse, 2)} times with the most, that of ${SYM.k} ${fixed(pk0.rmse / pk0.floorRmse, 2)} and
          ${fixed(pk.rmse / pk.floorRmse, 2)} times its floor of ${fmt(pk.floorRmse)} N/m (${ctx.ref("fig-exp-data-volume")}).
          ${belowFloor(lo, first(A).testRecords)} The floor is the error of the Bayes estimator that knows ${SYM.rho} exactly
          (${ctx.ref("floor")}); it does not depend on <i>N</i>, so more data can bring an estimator of ${SYM.m} or ${SYM.k} down to it,
          never below. What more data buys beyond that is the identifiable part: ${SYM.rho} and ${SYM.l0}, and the ratio
          <i>k̂</i>/<i>m̂</i> of the ${NET.mkl0} (RMSE ${trend(first(A).ratio?.rmse ?? Number.NaN, last(A).ratio?.rmse ?? Number.NaN, UNIT.rho)}).</p>`,
        );
      } else if (parts.length > 0) out.push(`<p>From ${int(sizes[0])} to ${int(sizes[sizes.length - 1])} records, ${parts.join("; ")}.</p>`);
      out.push(
        ctx.figure(
          "fig-exp-data-volume",
          errorCurvesFigure(curvePanels(A, B, (t) => t.trainRecords), { label: "training records <i>N</i>", unit: "log scale", log: true, tickvals: sizes, ticktext: sizes.map((n) => String(n)) }),
          `Test RMSE against the number of training records (log scale): (a) ${SYM.m} and (b) ${SYM.k} of the ${NET.mkl0} (blue)
          beside their identifiability floor (black, dashed) and the spread of the true values (grey, dotted); (c) ${SYM.l0} and
          (d) ${SYM.rho} of both networks (for the ${NET.mkl0}, ${SYM.rho} as <i>k̂</i>/<i>m̂</i>, dotted). The floor of ${SYM.l0} and ${SYM.rho} is zero.`,
        ),
      );
      const rows = sizes.map((n, i) => {
        const a = A[i], b = B[i];
        return [
          int(n), int(epochs[i]),
          rmseCell(a && param(a, "m"), true), rmseCell(a && param(a, "k"), true), rmseCell(a && param(a, "l0")), a?.ratio ? fmt(a.ratio.rmse) : "–",
          rmseCell(b && param(b, "rho")), rmseCell(b && param(b, "l0")),
          r2Cell(a && param(a, "m")?.r2), r2Cell(b && param(b, "rho")?.r2),
        ];
      });
      out.push(
        ctx.table(
          "tab-exp-data-volume",
          {
            head: ["<i>N</i>", "epochs", `${SYM.m} (kg)`, `${SYM.k} (N/m)`, `${SYM.l0} (m)`, `<i>k̂</i>/<i>m̂</i> (1/s<sup>2</sup>)`, `${SYM.rho} (1/s<sup>2</sup>)`, `${SYM.l0} (m)`, `<i>R</i><sup>2</sup> ${SYM.m}`, `<i>R</i><sup>2</sup> ${SYM.rho}`],
            rows,
          },
          `Test RMSE per training-set size: columns 3 to 6 from the ${NET.mkl0} (in brackets: times the floor), 7 and 8 from the
          ${NET.rhol0}; <i>R</i><sup>2</sup> of ${SYM.m} (${NET.mkl0}; ceiling ${fixed(A[0] ? param(A[0], "m")?.r2Ceiling : undefined, 3)}) and of ${SYM.rho} (${NET.rhol0}).`,
        ),
        provenance(r, dir),
      );
      return out.join("\n");
    },
  };
}

function noiseSection(r: ExperimentResults, dir: string): ReportSection {
  return {
    id: experimentSectionId("noise"),
    title: TITLE.noise,
    render(ctx: ReportContext) {
      const A = trialsOf(r, "mkl0"), B = trialsOf(r, "rhol0");
      const all = A.length > 0 ? A : B;
      const levels = all.map((t) => Number(t.value));
      const pct = (v: number): string => `${Number((100 * v).toPrecision(6))}&nbsp;%`;
      const out: string[] = [
        `<p>Real sensors are noisy. Each record's inputs got Gaussian noise of ${levels.map(pct).join(", ")} of each channel's standard
        deviation over the training set (${SYM.m} and ${SYM.k} are not in it), fixed per record by a seed, in training, validation and
        test alike; both networks were trained anew at each level.</p>`,
      ];
      const lo = 0, hi = all.length - 1;
      const growth = (ts: TrialResult[], q: string): string => {
        const a = q === "ratio" ? ts[lo].ratio?.rmse : param(ts[lo], q)?.rmse;
        const b = q === "ratio" ? ts[hi].ratio?.rmse : param(ts[hi], q)?.rmse;
        return a !== undefined && b !== undefined ? `${fmt(a)} to ${fmt(b)} ${UNIT[(q === "ratio" ? "rho" : q) as Quantity]} (×${fixed(b / a, 2)})` : "n/a";
      };
      const sentences: string[] = [];
      if (B.length > 1) sentences.push(`the RMSE of ${SYM.rho} grew from ${growth(B, "rho")} and that of ${SYM.l0} from ${growth(B, "l0")} (${NET.rhol0})`);
      if (A.length > 1) {
        const fm = floorRatios(A, "m"), fk = floorRatios(A, "k");
        sentences.push(
          `the ${NET.mkl0}'s ${SYM.l0} from ${growth(A, "l0")}, while the RMSE of ${SYM.m} stayed at ${ratioRange(fm)} its floor and
          that of ${SYM.k} at ${ratioRange(fk)} its floor`,
        );
      }
      if (sentences.length > 0) out.push(`<p>From ${pct(levels[lo])} to ${pct(levels[hi])} noise, ${sentences.join("; ")} (${ctx.ref("fig-exp-noise")}).</p>`);
      if (A.length > 0 && B.length > 0) {
        const ident = B.map((b) => Math.min(param(b, "rho")?.r2 ?? Number.NaN, param(b, "l0")?.r2 ?? Number.NaN));
        const unid = A.map((a) => Math.max(param(a, "m")?.r2 ?? Number.NaN, param(a, "k")?.r2 ?? Number.NaN));
        const ceiling = Math.max(param(A[0], "m")?.r2Ceiling ?? Number.NaN, param(A[0], "k")?.r2Ceiling ?? Number.NaN);
        const persists = ident.every((v, i) => v > unid[i]);
        const firstClosed = ident.findIndex((v, i) => !(v > unid[i]));
        out.push(
          `<p>The gap between the identifiable and the unidentifiable parameters ${
            persists
              ? `persists at every level: the smaller <i>R</i><sup>2</sup> of ${SYM.rho} and ${SYM.l0} is ${ident.map((v) => fixed(v, 3)).join(", ")}, the larger of
                ${SYM.m} and ${SYM.k} ${unid.map((v) => fixed(v, 3)).join(", ")}`
              : `closes at ${pct(levels[firstClosed])}: there the smaller <i>R</i><sup>2</sup> of ${SYM.rho} and ${SYM.l0} (${fixed(ident[firstClosed], 3)}) is no
                longer above the larger of ${SYM.m} and ${SYM.k} (${fixed(unid[firstClosed], 3)})`
          }. From (<i>x</i>, <i>y</i>) no estimator of ${SYM.m} or ${SYM.k} can exceed <i>R</i><sup>2</sup> = ${fixed(ceiling, 3)} on these records, with or without noise.</p>`,
        );
      }
      out.push(
        ctx.figure(
          "fig-exp-noise",
          errorCurvesFigure(curvePanels(A, B, (t) => 100 * Number(t.value)), { label: "input noise", unit: "% of each channel's standard deviation" }),
          `Test RMSE against the input noise: (a) ${SYM.m} and (b) ${SYM.k} of the ${NET.mkl0} beside their floor (black, dashed)
          and the spread of the true values (grey, dotted); (c) ${SYM.l0} and (d) ${SYM.rho} of both networks (${SYM.rho} of the
          ${NET.mkl0} as <i>k̂</i>/<i>m̂</i>, dotted).`,
        ),
      );
      const rows = levels.map((v, i) => {
        const a = A[i], b = B[i];
        return [
          pct(v),
          rmseCell(a && param(a, "m"), true), rmseCell(a && param(a, "k"), true), rmseCell(a && param(a, "l0")),
          rmseCell(b && param(b, "rho")), rmseCell(b && param(b, "l0")),
          r2Cell(a && param(a, "m")?.r2), r2Cell(a && param(a, "k")?.r2), r2Cell(b && param(b, "rho")?.r2), r2Cell(b && param(b, "l0")?.r2),
        ];
      });
      out.push(
        ctx.table(
          "tab-exp-noise",
          {
            head: ["noise", `${SYM.m} (kg)`, `${SYM.k} (N/m)`, `${SYM.l0} (m)`, `${SYM.rho} (1/s<sup>2</sup>)`, `${SYM.l0} (m)`, `<i>R</i><sup>2</sup> ${SYM.m}`, `<i>R</i><sup>2</sup> ${SYM.k}`, `<i>R</i><sup>2</sup> ${SYM.rho}`, `<i>R</i><sup>2</sup> ${SYM.l0}`],
            rows,
          },
          `Test RMSE and <i>R</i><sup>2</sup> per noise level: ${SYM.m}, ${SYM.k} and the first ${SYM.l0} from the ${NET.mkl0} (in brackets:
          times the floor), ${SYM.rho} and the second ${SYM.l0} from the ${NET.rhol0}.`,
        ),
        provenance(r, dir),
      );
      return out.join("\n");
    },
  };
}

function architectureSection(r: ExperimentResults, dir: string): ReportSection {
  return {
    id: experimentSectionId("architecture"),
    title: TITLE.architecture,
    render(ctx: ReportContext) {
      const A = trialsOf(r, "mkl0");
      const names = A.map((t) => String(t.value));
      const out: string[] = [];
      out.push(
        `<p>The paper uses one network, 7 hidden layers of 50 units. ${int(A.length)} networks were trained for
        ${VARIANT_TARGET_TEXT} with the study's other settings: ${A.map((t) => `${esc(String(t.value))} (${int(t.parameters)} weights)`).join(", ")}
        (layers × units, activation).</p>`,
      );
      if (A.length > 0) {
        const fm = floorRatios(A, "m"), fk = floorRatios(A, "k");
        const l0 = A.map((t) => param(t, "l0")!.r2 ?? Number.NaN), ratio = A.map((t) => t.ratio?.r2 ?? Number.NaN);
        out.push(
          `<p>For every one, the RMSE of ${SYM.m} is ${ratioRange(fm)} its floor and that of ${SYM.k} ${ratioRange(fk)} (${ctx.ref("fig-exp-architecture")}),
          while ${SYM.l0} is estimated with <i>R</i><sup>2</sup> from ${fixed(Math.min(...l0), 3)} to ${fixed(Math.max(...l0), 3)} and ${SYM.rho}, as
          <i>k̂</i>/<i>m̂</i>, from ${fixed(Math.min(...ratio), 3)} to ${fixed(Math.max(...ratio), 3)}. The networks differ in how well they learn
          the identifiable part. ${belowFloor(Math.min(fm.lo, fk.lo), A[0].testRecords)}</p>`,
        );
      }
      const panels: CategoryErrorPanel[] = [
        { quantity: "m", categories: names, rmse: A.map((t) => param(t, "m")!.rmse), floor: A.map((t) => param(t, "m")!.floorRmse), spread: A.map((t) => param(t, "m")!.spread), name: NET_PLOT.mkl0 },
        { quantity: "k", categories: names, rmse: A.map((t) => param(t, "k")!.rmse), floor: A.map((t) => param(t, "k")!.floorRmse), spread: A.map((t) => param(t, "k")!.spread), name: NET_PLOT.mkl0 },
        { quantity: "l0", categories: names, rmse: A.map((t) => param(t, "l0")!.rmse), spread: A.map((t) => param(t, "l0")!.spread), name: NET_PLOT.mkl0 },
        { quantity: "rho", categories: names, rmse: A.map((t) => t.ratio?.rmse ?? Number.NaN), spread: A.map((t) => t.ratio?.spread ?? Number.NaN), name: NET_PLOT.mkl0 },
      ];
      out.push(
        ctx.figure(
          "fig-exp-architecture",
          categoryErrorFigure(panels, "network (layers × units, activation)"),
          `Test RMSE of the ${NET.mkl0} per architecture: (a) ${SYM.m} and (b) ${SYM.k} beside their floor (black, dashed), (c) ${SYM.l0},
          (d) ${SYM.rho} as <i>k̂</i>/<i>m̂</i>; the spread of the true values as a grey dotted line.`,
        ),
        ctx.table(
          "tab-exp-architecture",
          {
            head: ["network", "weights", "best epoch", `${SYM.m} (kg)`, `${SYM.k} (N/m)`, `${SYM.l0} (m)`, `<i>k̂</i>/<i>m̂</i> (1/s<sup>2</sup>)`, `<i>R</i><sup>2</sup> ${SYM.m}`, `<i>R</i><sup>2</sup> ${SYM.k}`, `<i>R</i><sup>2</sup> ${SYM.l0}`],
            rows: A.map((t) => [
              esc(String(t.value)), int(t.parameters), `${int(t.bestEpoch)} of ${int(t.epochsRun)}`,
              rmseCell(param(t, "m"), true), rmseCell(param(t, "k"), true), rmseCell(param(t, "l0")), t.ratio ? fmt(t.ratio.rmse) : "–",
              r2Cell(param(t, "m")?.r2), r2Cell(param(t, "k")?.r2), r2Cell(param(t, "l0")?.r2),
            ]),
          },
          `Test RMSE (in brackets: times the floor) and <i>R</i><sup>2</sup> of the ${NET.mkl0} per architecture; the <i>R</i><sup>2</sup>
          ceilings of ${SYM.m} and ${SYM.k} are ${fixed(A[0] ? param(A[0], "m")?.r2Ceiling : undefined, 3)} and ${fixed(A[0] ? param(A[0], "k")?.r2Ceiling : undefined, 3)}.`,
        ),
        provenance(r, dir),
      );
      return out.join("\n");
    },
  };
}
const VARIANT_TARGET_TEXT = "(<i>m</i>, <i>k</i>, <i>ℓ</i><sub>0</sub>)";

function multimodalSection(r: ExperimentResults, dir: string): ReportSection {
  return {
    id: experimentSectionId("multimodal"),
    title: TITLE.multimodal,
    render(ctx: ReportContext) {
      const xy = r.trials.find((t) => t.channels === "xy");
      const grf = r.trials.find((t) => t.channels === "xy+grf");
      const ds = r.datasets.grf;
      const out: string[] = [];
      out.push(
        `<p>The derivation says what breaks the symmetry: the ground reaction force is measured in newtons, the total force is
        ${SYM.m}(<i>ẍ</i>, <i>ÿ</i> + <i>g</i>), so a record with forces tells ${SYM.m}, and ${SYM.k} follows from ${SYM.rho}
        (${ctx.ref("derive-grf")}). The paper proposes such multimodal data without testing it. A dataset with the total force
        (<i>F</i><sub>x</sub>, <i>F</i><sub>y</sub>) at every sample${ds ? ` (<code>${esc(ds.dir)}</code>, ${int(ds.records)} records, the priors and gait conditions of the study)` : ""}
        was made, and the ${NET.mkl0} trained twice on the same records, once from (<i>x</i>, <i>y</i>) alone and once from
        (<i>x</i>, <i>y</i>, <i>F</i><sub>x</sub>, <i>F</i><sub>y</sub>), with the same settings (${grf ? `${int(grf.epochs)} epochs` : ""}).</p>`,
      );
      if (xy && grf) {
        const g = (q: string): ParamResult => param(grf, q)!, x = (q: string): ParamResult => param(xy, q)!;
        const r2m = g("m").r2 ?? -Infinity, r2k = g("k").r2 ?? -Infinity;
        const both = r2m >= 0.95 && r2k >= 0.95;
        out.push(
          `<p>With the forces, the network estimates ${SYM.m} with <i>R</i><sup>2</sup> = ${fixed(g("m").r2, 3)} (RMSE ${fmt(g("m").rmse)} kg) and ${SYM.k}
          with ${fixed(g("k").r2, 3)} (RMSE ${fmt(g("k").rmse)} N/m), against ${fixed(x("m").r2, 3)} and ${fixed(x("k").r2, 3)} from (<i>x</i>, <i>y</i>)
          alone on the same ${int(grf.testRecords)} test records (${ctx.ref("fig-exp-multimodal")}). From (<i>x</i>, <i>y</i>) no estimator can exceed
          ${fixed(g("m").r2Ceiling, 3)} for ${SYM.m} and ${fixed(g("k").r2Ceiling, 3)} for ${SYM.k}, the <i>R</i><sup>2</sup> of E[· | ${SYM.rho}]; with the
          forces the RMSE of ${SYM.m} is ${fixed(g("m").rmse / g("m").floorRmse, 2)} times the floor from (<i>x</i>, <i>y</i>), that of ${SYM.k} ${fixed(g("k").rmse / g("k").floorRmse, 2)} times.
          ${both ? `Both reach <i>R</i><sup>2</sup> ≥ 0.95.` : `(<i>R</i><sup>2</sup> ≥ 0.95 for both is ${r2m >= 0.95 ? "" : `not reached for ${SYM.m}`}${r2m < 0.95 && r2k < 0.95 ? " and " : ""}${r2k >= 0.95 ? "" : `not reached for ${SYM.k}`} at this scale.)`}
          ${SYM.l0} is estimated either way (<i>R</i><sup>2</sup> ${fixed(x("l0").r2, 3)} and ${fixed(g("l0").r2, 3)}).</p>`,
          ctx.figure(
            "fig-exp-multimodal",
            multimodalFigure((["m", "k", "l0"] as const).map((q) => ({ quantity: q, xy: x(q).r2 ?? Number.NaN, grf: g(q).r2 ?? Number.NaN, ceiling: x(q).r2Ceiling ?? Number.NaN }))),
            `<i>R</i><sup>2</sup> of the ${NET.mkl0} on the same test records with inputs (<i>x</i>, <i>y</i>) (yellow) and with the ground reaction
            force added (green); black ticks: the best <i>R</i><sup>2</sup> any estimator can reach from (<i>x</i>, <i>y</i>), that of E[· | ${SYM.rho}].`,
          ),
          ctx.table(
            "tab-exp-multimodal",
            {
              head: ["parameter", "unit", "RMSE (<i>x</i>, <i>y</i>)", "RMSE with forces", "floor from (<i>x</i>, <i>y</i>)", "<i>R</i><sup>2</sup> (<i>x</i>, <i>y</i>)", "<i>R</i><sup>2</sup> with forces", "ceiling from (<i>x</i>, <i>y</i>)"],
              rows: (["m", "k", "l0"] as const).map((q) => [SYM[q], UNIT[q], fmt(x(q).rmse), fmt(g(q).rmse), fmt(x(q).floorRmse), fixed(x(q).r2, 3), fixed(g(q).r2, 3), fixed(x(q).r2Ceiling, 3)]),
            },
            `The ${NET.mkl0} with and without the ground reaction force as input. The run folders hold the same
            <code>metrics.json</code> as <code>gaitid train</code> writes: <code>${esc(xy.run)}</code> and <code>${esc(grf.run)}</code>.`,
          ),
        );
      }
      out.push(provenance(r, dir));
      return out.join("\n");
    },
  };
}

/** Degrees of a rad angle. */
const deg = (rad: number): number => (rad * 180) / Math.PI;

function identifiabilitySection(r: IdentifiabilityResultsFile, dir: string): ReportSection {
  return {
    id: experimentSectionId("identifiability"),
    title: TITLE.identifiability,
    render(ctx: ReportContext) {
      const xy = r.rows.xy ?? [], grf = r.rows["xy+grf"] ?? [];
      const count = (rows: IdentifiabilityRow[], v: string, re = false): number => rows.filter((x) => (re ? x.reparametrised.verdict : x.verdict) === v).length;
      const sx = r.summaries.xy, sg = r.summaries["xy+grf"];
      const out: string[] = [];
      out.push(
        `<p>The paper asks for metrics that measure identifiability. Here is one, computed for each record rather than argued from the
        equations: the sensitivity matrix of the observed samples with respect to the logarithms of the parameters,</p>`,
        ctx.equation("J_{ij} = \\frac{\\partial\\, \\mathrm{obs}_i}{\\partial \\log \\theta_j}, \\qquad \\theta = (m, k, \\ell_0) \\ \\text{or}\\ (\\rho, \\ell_0),", "eq-exp-sensitivity"),
        `<p>by central differences through the simulator, with the record's gait condition (angle of attack, start state) held fixed.
        The rows are <i>x</i> and <i>y</i> in metres, and with the second observation model also the total ground reaction force in body
        weights. A singular value <i>σ</i> of <i>J</i> says how much the observation moves per unit relative change of the parameters
        along its singular vector; <i>σ</i><sub>min</sub> = 0 means a direction the data cannot see. <i>σ</i><sub>min</sub> is compared with the
        integration noise of the simulator as the central difference sees it: at most ${fmt(r.thresholds.nullNoiseFactor)} times that level is
        zero as far as the simulator can tell ("null"), more is "identifiable". ${int(r.requested)} records of <code>${esc(r.dataset.dir)}</code>
        were analysed with both observation models${r.failures.length > 0 ? `; ${int(r.failures.length)} could not be (a perturbed walk failed at every step)` : ""}.</p>`,
      );
      const angle = sx.nullAngle;
      out.push(
        `<p>With (<i>x</i>, <i>y</i>) alone, ${SYM.m}, ${SYM.k}, ${SYM.l0} have a null direction on ${int(count(xy, "null"))} of ${int(xy.length)} records
        (${int(count(xy, "unresolved"))} unresolved): the median of <i>σ</i><sub>min</sub>/<i>σ</i><sub>max</sub> is ${fmt(sx.ratio.median, 2)}, and the
        direction of <i>σ</i><sub>min</sub> lies within ${fmt(deg(angle.max), 2)}° of (1, 1, 0)/√2 on every record (median ${fmt(deg(angle.median), 2)}°): scaling ${SYM.m} and ${SYM.k}
        together, ${SYM.rho} fixed. With the ground reaction force, ${int(count(grf, "identifiable"))} of ${int(grf.length)} records are identifiable,
        with <i>σ</i><sub>min</sub>/<i>σ</i><sub>max</sub> from ${fmt(sg.ratio.min, 2)} to ${fmt(sg.ratio.max, 2)} (median ${fmt(sg.ratio.median, 2)}).
        In (${SYM.rho}, ${SYM.l0}) ${
          count(xy, "identifiable", true) === xy.length && count(grf, "identifiable", true) === grf.length
            ? "the matrix has full rank with either observation on every record"
            : `the verdict is "identifiable" on ${int(count(xy, "identifiable", true))} of ${int(xy.length)} records with (<i>x</i>, <i>y</i>) and on ${int(count(grf, "identifiable", true))} of ${int(grf.length)} with the force`
        } (${ctx.ref("fig-exp-identifiability")}, ${ctx.ref("tab-exp-identifiability")}).</p>`,
        ctx.figure(
          "fig-exp-identifiability",
          ratioHistogramFigure([
            {
              title: "(log <i>m</i>, log <i>k</i>, log <i>ℓ</i><sub>0</sub>)",
              series: [
                { name: "observed (<i>x</i>, <i>y</i>)", color: OBSERVATION_COLORS.xy, ratios: xy.map((x) => x.ratio) },
                { name: "observed (<i>x</i>, <i>y</i>) + ground reaction force", color: OBSERVATION_COLORS["xy+grf"], ratios: grf.map((x) => x.ratio) },
              ],
            },
            {
              title: "(log <i>ρ</i>, log <i>ℓ</i><sub>0</sub>)",
              series: [
                { name: "observed (<i>x</i>, <i>y</i>)", color: OBSERVATION_COLORS.xy, ratios: xy.map((x) => x.reparametrised.ratio) },
                { name: "observed (<i>x</i>, <i>y</i>) + ground reaction force", color: OBSERVATION_COLORS["xy+grf"], ratios: grf.map((x) => x.reparametrised.ratio) },
              ],
            },
          ]),
          `Distribution over ${int(xy.length)} records of the ratio of the smallest to the largest singular value of <i>J</i>: (a) in
          (log ${SYM.m}, log ${SYM.k}, log ${SYM.l0}), (b) in (log ${SYM.rho}, log ${SYM.l0}); yellow: observing (<i>x</i>, <i>y</i>), green: with the ground
          reaction force. Ratios below 10<sup>−16</sup>, among them exact zeros, are counted in the leftmost bin.`,
        ),
      );
      const q = (s: { q05: number; median: number; q95: number }): string => `${fmt(s.median, 2)} <span style="color:var(--muted)">[${fmt(s.q05, 2)}, ${fmt(s.q95, 2)}]</span>`;
      const row = (label: string, s: typeof sx, rows: IdentifiabilityRow[], re: boolean): string[] => {
        const ratio = re ? s.reparametrised.ratio : s.ratio;
        const sigma = re ? s.reparametrised.smallestSingularValue : s.smallestSingularValue;
        return [label, re ? `(${SYM.rho}, ${SYM.l0})` : `(${SYM.m}, ${SYM.k}, ${SYM.l0})`, int(rows.length), q(ratio), q(sigma), int(count(rows, "null", re)), int(count(rows, "identifiable", re)), int(count(rows, "unresolved", re))];
      };
      out.push(
        ctx.table(
          "tab-exp-identifiability",
          {
            head: ["observed", "parameters", "records", "<i>σ</i><sub>min</sub>/<i>σ</i><sub>max</sub>", "<i>σ</i><sub>min</sub>", "null", "identifiable", "unresolved"],
            align: ["l", "l", "r", "r", "r", "r", "r", "r"],
            rows: [
              row("(<i>x</i>, <i>y</i>)", sx, xy, false),
              row("(<i>x</i>, <i>y</i>) + force", sg, grf, false),
              row("(<i>x</i>, <i>y</i>)", sx, xy, true),
              row("(<i>x</i>, <i>y</i>) + force", sg, grf, true),
            ],
          },
          `The identifiability measure over records: median and [5 %, 95 %] quantiles of <i>σ</i><sub>min</sub>/<i>σ</i><sub>max</sub> and of
          <i>σ</i><sub>min</sub> (metres, and body weights for the force, per unit log-parameter), and the verdict per record. Also on the command
          line: <code>gaitid identifiability --data ${esc(r.dataset.dir)} --records ${int(r.requested)}</code>.`,
        ),
        `<p style="color:var(--muted);font-size:.9rem">Files: <code>${esc(dir)}/</code> (<code>results.json</code> with every record's singular values, <code>manifest.json</code>);
        analysis time ${fmt(r.seconds)} s.</p>`,
      );
      return out.join("\n");
    },
  };
}

function beyondSection(preset: string, found: ExperimentResultSet): ReportSection {
  return {
    id: "beyond",
    title: "Beyond the paper",
    render(ctx: ReportContext) {
      const items = EXPERIMENT_NAMES.map((n) =>
        found[n]
          ? `<li><b>${esc(n)}</b>: ${PURPOSE[n]} See ${ctx.ref(experimentSectionId(n))}.</li>`
          : `<li><b>${esc(n)}</b>: ${PURPOSE[n]} <span style="color:var(--muted)">Not run for this preset; run it with ${commandLine(preset, n)} and rebuild the report.</span></li>`,
      );
      return [
        `<p>The paper lists checks it did not run and questions it leaves open. Each is an experiment here, a command that writes a
        folder under <code>data/experiments/</code> with a manifest (configuration, seeds, versions, backend, timings, commit); the sections
        that follow read those folders. <code>npx gaitid experiment all --preset ${esc(preset)}</code> runs every one.</p>`,
        `<ul>${items.join("\n")}</ul>`,
      ].join("\n");
    },
  };
}

/** Where the experiments' sections go (before this default section). */
export const EXPERIMENTS_BEFORE = "limits";

/**
 * The report sections of the experiments in the results: "Beyond the paper" with the list of
 * experiments, then one section per experiment that has results, all placed before the report's
 * limits. Empty when no experiment has run, so a report without experiments is unchanged.
 */
export function experimentSections(found: ExperimentResultSet, preset: string): ReportSectionInsert[] {
  if (Object.keys(found.dirs).length === 0) return [];
  const dir = (n: ExperimentName): string => (found.dirs[n] ?? "").split(path.sep).join("/");
  const sections: ReportSection[] = [beyondSection(preset, found)];
  if (found["data-volume"]) sections.push(dataVolumeSection(found["data-volume"], dir("data-volume")));
  if (found.noise) sections.push(noiseSection(found.noise, dir("noise")));
  if (found.architecture) sections.push(architectureSection(found.architecture, dir("architecture")));
  if (found.multimodal) sections.push(multimodalSection(found.multimodal, dir("multimodal")));
  if (found.identifiability) sections.push(identifiabilitySection(found.identifiability, dir("identifiability")));
  return sections.map((section) => ({ section, before: EXPERIMENTS_BEFORE }));
}
