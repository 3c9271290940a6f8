/**
 * The results of a batch of fits and profiles, and their files. A results folder holds
 * results.json (everything, {@link FitStudyResults}), fits.csv (one row per record, noise level and
 * observation model: truth, estimate and standard error of each parameter), intervals.csv (one row per record, noise
 * level, observation model and parameter), crb.csv (one row per observation model and noise level)
 * and manifest.json (kind "gaitid-fit": configuration, seeds, versions, timings; written last).
 *
 * The comparison with the network is {@link CrbComparison}: per noise fraction, the root mean
 * Cramér-Rao bound and the maximum-likelihood fit's RMSE of rho and l0 over the same records, to be
 * joined with the noise experiment's network RMSE at the same fraction.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { GaitidError } from "../errors";
import type { ObservationModel } from "../identifiability/sensitivity";
import { writeFileAtomic, writeJsonAtomic } from "../provenance";
import type { ChannelScales } from "./noise";
import type { Profile, ProfileParameter } from "./profile";
import type { CrbTaskResult, FitSummary } from "./tasks";
import type { Verdict } from "./verdict";

/** Files of a results folder. */
export const FIT_FILES = { manifest: "manifest.json", results: "results.json", fits: "fits.csv", intervals: "intervals.csv", crb: "crb.csv" } as const;
/** The manifest kind of a results folder (what outputs.ts knows as a "fit" folder). */
export const FIT_MANIFEST_KIND = "gaitid-fit";

/** The settings of a batch, as recorded. */
export interface FitStudySettings {
  dataset: string;
  /** Records profiled (dataset ids). */
  ids: number[];
  observe: ObservationModel[];
  /** Noise fractions of the profiles. */
  noise: number[];
  parameters: ProfileParameter[];
  /** Curve points per profile (0: intervals only) for the first `curveRecords` records; the others have the interval search's points only. */
  points: number;
  curveRecords: number;
  starts: number;
  seed: number;
  /** Records of the Cramér-Rao comparison (dataset ids) and its noise fractions. */
  crbIds: number[];
  crbNoise: number[];
  workers: number;
}

/** One record at one noise level and observation model. */
export interface ProfileRecordResult {
  fit: FitSummary;
  profiles: Profile[];
}

/** Interval widths of one parameter over records, at one noise level and observation model. */
export interface WidthSummary {
  observe: ObservationModel;
  noise: number;
  parameter: ProfileParameter;
  records: number;
  /** Median width of the closed intervals, SI units (null when none closed). */
  medianWidth: number | null;
  /** Median width relative to the true value. */
  medianRelativeWidth: number | null;
  /** Records per verdict. */
  verdicts: Record<Verdict, number>;
  /** Records whose interval holds the true value (closed or open on a side). */
  covering: number;
}

/** The Cramér-Rao comparison at one noise fraction (joinable with the network's RMSE at that fraction). */
export interface CrbComparison {
  observe: ObservationModel;
  /** Noise, fraction of each channel's standard deviation over the training records. */
  noise: number;
  records: number;
  /** sqrt(mean over records of the Cramér-Rao variance), 1/s^2 and m. */
  rootMeanCrb: { rho: number; l0: number };
  /** Root mean square error of the maximum-likelihood fits over the same records, 1/s^2 and m. */
  mlRmse: { rho: number; l0: number };
}

/** Everything a batch found. */
export interface FitStudyResults {
  kind: "gaitid-fit-results";
  settings: FitStudySettings;
  /** Channel scales (standard deviations over the training records) the noise fractions refer to. */
  scales: ChannelScales;
  records: ProfileRecordResult[];
  widths: WidthSummary[];
  crbRecords: CrbTaskResult[];
  crb: CrbComparison[];
  /** Records left out, and why (a record that does not re-simulate). */
  failures: { id: number; observe: ObservationModel; noise: number | null; reason: string }[];
  seconds: number;
}

function median(v: number[]): number | null {
  if (v.length === 0) return null;
  const s = [...v].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/** The width table over records (one row per observation model, noise level and parameter). */
export function summariseWidths(records: readonly ProfileRecordResult[]): WidthSummary[] {
  const groups = new Map<string, { fit: FitSummary; p: Profile }[]>();
  for (const r of records) {
    for (const p of r.profiles) {
      const key = `${r.fit.observe}|${r.fit.noise}|${p.parameter}`;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key)!.push({ fit: r.fit, p });
    }
  }
  return [...groups.values()].map((g) => {
    const { fit, p } = g[0];
    const closed = g.filter((x) => x.p.lower !== null && x.p.upper !== null);
    const truth = (x: { fit: FitSummary; p: Profile }): number => x.fit.truth[x.p.parameter];
    const verdicts: Record<Verdict, number> = { identifiable: 0, "practically non-identifiable": 0, "structurally non-identifiable": 0 };
    for (const x of g) verdicts[x.p.verdict]++;
    return {
      observe: fit.observe,
      noise: fit.noise,
      parameter: p.parameter,
      records: g.length,
      medianWidth: median(closed.map((x) => x.p.upper! - x.p.lower!)),
      medianRelativeWidth: median(closed.map((x) => (x.p.upper! - x.p.lower!) / truth(x))),
      verdicts,
      covering: g.filter((x) => (x.p.lower ?? -Infinity) <= truth(x) && truth(x) <= (x.p.upper ?? Infinity)).length,
    };
  });
}

/** The Cramér-Rao comparison per observation model and noise fraction. */
export function summariseCrb(records: readonly CrbTaskResult[]): CrbComparison[] {
  const out: CrbComparison[] = [];
  for (const observe of [...new Set(records.map((r) => r.observe))]) {
    const rs = records.filter((r) => r.observe === observe);
    for (const noise of [...new Set(rs.flatMap((r) => r.fits.map((f) => f.noise)))]) {
      const n = rs.length;
      const mean = (f: (r: CrbTaskResult) => number): number => rs.reduce((s, r) => s + f(r), 0) / n;
      const fitOf = (r: CrbTaskResult): CrbTaskResult["fits"][number] => r.fits.find((f) => f.noise === noise)!;
      out.push({
        observe,
        noise,
        records: n,
        rootMeanCrb: { rho: noise * Math.sqrt(mean((r) => r.crbUnit.rho)), l0: noise * Math.sqrt(mean((r) => r.crbUnit.l0)) },
        mlRmse: { rho: Math.sqrt(mean((r) => (fitOf(r).rho - r.truth.rho) ** 2)), l0: Math.sqrt(mean((r) => (fitOf(r).l0 - r.truth.l0) ** 2)) },
      });
    }
  }
  return out;
}

/** intervals.csv: one row per record, observation model, noise level and parameter. */
export function intervalsCsv(records: readonly ProfileRecordResult[]): string {
  const head = "id,observe,noise,parameter,truth,estimate,lower,upper,width,verdict,max_delta,chi2_min,standard_error,seconds";
  const rows = records.flatMap((r) =>
    r.profiles.map((p) => {
      const w = p.lower !== null && p.upper !== null ? p.upper - p.lower : "";
      return [r.fit.id, r.fit.observe, r.fit.noise, p.parameter, r.fit.truth[p.parameter], p.estimate, p.lower ?? "", p.upper ?? "", w, p.verdict, p.maxDelta, p.chi2Min, r.fit.standardErrors[p.parameter] ?? "", p.seconds].join(",");
    }),
  );
  return [head, ...rows].join("\n") + "\n";
}

const FIT_COLUMNS = ["rho", "l0", "m", "k", "alpha0", "y0", "vx0"] as const;

/** fits.csv: one row per record, observation model and noise level (SI units, alpha0 in rad; empty standard error: not estimable). */
export function fitsCsv(records: readonly ProfileRecordResult[]): string {
  const head = ["id", "observe", "noise", "chi2", "residuals", "starts", "agreeing", "seconds", ...FIT_COLUMNS.flatMap((c) => [`${c}_true`, `${c}_fit`, `${c}_se`])].join(",");
  const rows = records.map(({ fit: f }) => {
    const se = (c: string): string => (Number.isFinite(f.standardErrors[c]) ? String(f.standardErrors[c]) : "");
    const est = (c: (typeof FIT_COLUMNS)[number]): string => (f.observe === "xy" && (c === "m" || c === "k") ? "" : String(f.estimate[c]));
    return [f.id, f.observe, f.noise, f.chi2, f.residuals, f.starts, f.agreeing, f.seconds, ...FIT_COLUMNS.flatMap((c) => [f.truth[c], est(c), se(c)])].join(",");
  });
  return [head, ...rows].join("\n") + "\n";
}

/** crb.csv: one row per observation model and noise fraction. */
export function crbCsv(rows: readonly CrbComparison[]): string {
  const head = "observe,noise,records,root_mean_crb_rho,root_mean_crb_l0,ml_rmse_rho,ml_rmse_l0";
  return [head, ...rows.map((c) => [c.observe, c.noise, c.records, c.rootMeanCrb.rho, c.rootMeanCrb.l0, c.mlRmse.rho, c.mlRmse.l0].join(","))].join("\n") + "\n";
}

/** Replaces non-finite numbers by null (JSON has no Infinity); readFitResults turns them back where they mean "unbounded". */
function finite(_key: string, v: unknown): unknown {
  return typeof v === "number" && !Number.isFinite(v) ? null : v;
}

/** Writes results.json and the CSV files into `dir` (an existing folder; the manifest is the caller's, written last). */
export function writeFitResults(dir: string, results: FitStudyResults): void {
  writeFileAtomic(path.join(dir, FIT_FILES.results), JSON.stringify(results, finite, 1) + "\n");
  writeFileAtomic(path.join(dir, FIT_FILES.fits), fitsCsv(results.records));
  writeFileAtomic(path.join(dir, FIT_FILES.intervals), intervalsCsv(results.records));
  writeFileAtomic(path.join(dir, FIT_FILES.crb), crbCsv(results.crb));
}

/** Writes the manifest (last). */
export function writeFitManifest(dir: string, manifest: Record<string, unknown>): void {
  writeJsonAtomic(path.join(dir, FIT_FILES.manifest), JSON.parse(JSON.stringify({ kind: FIT_MANIFEST_KIND, ...manifest }, finite)));
}

/** Reads the results of a finished batch (a folder with the manifest); standard errors stored as null read back as Infinity. */
export function readFitResults(dir: string): FitStudyResults {
  const manifest = path.join(dir, FIT_FILES.manifest);
  if (!fs.existsSync(manifest)) throw new GaitidError(`${dir} holds no finished batch of fits (no ${FIT_FILES.manifest}); run gaitid profile --out ${dir}`);
  const kind = (JSON.parse(fs.readFileSync(manifest, "utf8")) as { kind?: string }).kind;
  if (kind !== FIT_MANIFEST_KIND) throw new GaitidError(`${manifest} is not a gaitid batch of fits (kind ${JSON.stringify(kind)})`);
  const r = JSON.parse(fs.readFileSync(path.join(dir, FIT_FILES.results), "utf8")) as FitStudyResults;
  for (const rec of r.records) {
    for (const k of Object.keys(rec.fit.standardErrors)) if (rec.fit.standardErrors[k] === null) rec.fit.standardErrors[k] = Infinity;
  }
  return r;
}
