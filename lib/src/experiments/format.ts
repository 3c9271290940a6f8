/** The summary tables that `gaitid experiment` prints at the end (plain text, one per experiment). */
import type { ExperimentOutcome } from "./experiments";
import type { IdentifiabilityExperiment } from "./identifiability";
import type { ParamResult, TrialResult } from "./run";

/** A number for a table cell: 3 significant digits, no exponent for the magnitudes of this study. */
function num(v: number | undefined, digits = 3): string {
  if (v === undefined || !Number.isFinite(v)) return "n/a";
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(digits - 1);
  return Number(v.toPrecision(digits)).toString();
}

function table(head: string[], rows: string[][]): string {
  const w = head.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (r: string[]): string => r.map((c, j) => (j === 0 ? c.padEnd(w[j]) : c.padStart(w[j]))).join("  ");
  return [line(head), ...rows.map(line)].join("\n");
}

function rmseWithFloor(p: ParamResult | undefined): string {
  if (!p) return "-";
  return p.floorRmse > 0 ? `${num(p.rmse)} (${(p.rmse / p.floorRmse).toFixed(2)}x)` : num(p.rmse);
}

function trialRow(t: TrialResult): string[] {
  const p = t.params;
  const rho = p.rho ? num(p.rho.rmse) : t.ratio ? `${num(t.ratio.rmse)}*` : "-";
  const r2rho = p.rho ? num(p.rho.r2 ?? Number.NaN) : t.ratio ? `${num(t.ratio.r2 ?? Number.NaN)}*` : "-";
  const r2 = (q: string): string => (p[q] ? num(p[q].r2 ?? Number.NaN) : "-");
  return [t.label, t.target, String(t.trainRecords), String(t.epochs), t.status, rmseWithFloor(p.m), rmseWithFloor(p.k), p.l0 ? num(p.l0.rmse) : "-", rho, r2("m"), r2("k"), r2("l0"), r2rho];
}

function identifiabilityTable(o: IdentifiabilityExperiment): string {
  const r = o.results;
  const rows: string[][] = [];
  for (const obs of r.observe) {
    const rs = r.rows[obs];
    for (const re of [false, true]) {
      const s = re ? r.summaries[obs].reparametrised : r.summaries[obs];
      const verdict = (v: string): string => String(rs.filter((x) => (re ? x.reparametrised.verdict : x.verdict) === v).length);
      rows.push([obs, re ? "(rho, l0)" : "(m, k, l0)", String(rs.length), num(s.ratio.median, 2), `${num(s.ratio.q05, 2)} .. ${num(s.ratio.q95, 2)}`, verdict("null"), verdict("identifiable"), verdict("unresolved")]);
    }
  }
  return [
    `identifiability (preset ${r.preset}): ${o.dir}; ${r.rows.xy.length} records of ${r.dataset.dir}${r.failures.length ? `, ${r.failures.length} failed` : ""}, ${r.seconds.toFixed(1)} s`,
    table(["observed", "parameters", "records", "median smin/smax", "5..95 %", "null", "identifiable", "unresolved"], rows),
  ].join("\n");
}

/** The summary table of one experiment: one row per run (RMSE in SI units; "(1.05x)": times the floor; "*": k_pred/m_pred of the mkl0 network). */
export function formatExperiment(o: ExperimentOutcome): string {
  if (o.name === "identifiability") return identifiabilityTable(o);
  const r = o.results;
  const reused = r.trials.filter((t) => t.status === "reused").length;
  return [
    `${o.name} (preset ${r.preset}): ${o.dir}; ${r.trials.length} runs (${reused} reused), ${o.manifest.timings.totalSeconds.toFixed(1)} s`,
    table(
      ["setting", "variant", "train", "epochs", "run", "RMSE m kg (x floor)", "RMSE k N/m (x floor)", "RMSE l0 m", "RMSE rho 1/s^2", "R2 m", "R2 k", "R2 l0", "R2 rho"],
      r.trials.map(trialRow),
    ),
    r.trials.some((t) => t.ratio && !t.params.rho) ? "* rho of the mkl0 network: k_pred / m_pred against the true rho" : "",
  ]
    .filter((l) => l)
    .join("\n");
}
