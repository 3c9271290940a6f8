/** `gaitid fit`: the maximum-likelihood fit of the walker to a record, or to many (worker threads, a results folder). */
import type { Command, Values } from "../cli/args";
import { choiceFlag, integerFlag, numberFlag, parseDecimal, parseFlags } from "../cli/args";
import { readDatasetManifest, readDatasetParams } from "../dataset/format";
import { GaitidError, show } from "../errors";
import {
  checkNoise,
  fitRecord,
  noiseSigma,
  noisyObservation,
  parseIds,
  runProfileStudy,
  summariseFit,
  testRecordIds,
  truthOf,
  type FitSummary,
  type NoiseSpec,
  readDatasetRecord,
} from "../fit";
import { OBSERVATION_MODELS, type ObservationModel } from "../identifiability/sensitivity";
import { environment } from "../provenance";
import { WalkerSimulator } from "../walker/simulate";

const HELP = `usage: gaitid fit --dataset DIR (--id N | --ids a..b | --test-records N)
         [--observe xy|xy+grf|both] [--noise F | --sigma SX,SY[,SFX,SFY]] [--seed S] [--starts N]
         [--json] [--out DIR [--force]] [--workers W]

Maximum-likelihood fit of the walker to a record: the record is re-simulated from its row of
params.csv (x from its start, y in m; with xy+grf also the ground reaction force in N), Gaussian
noise is added (seeded), and rho = k/m, l0, the angle of attack alpha0 and the start state at
VLO (y0, vx0), with the mass m when the force is observed, are fitted by Levenberg-Marquardt
least squares from several starts drawn from the dataset's priors (each over growing windows of
the record: 1, 2, 4, 8 s, then all of it). Prints the estimate, the misfit (chi-square), and the
Gauss-Newton (Fisher-information) standard errors. From x, y alone m and k are not estimable.
A fit takes about 1 to 4 s of one core (4 starts, a 15 s record, measured on a loaded machine).

  --dataset DIR      a dataset (gaitid generate)
  --id N             one record (its id in params.csv)
  --ids a..b         many records (also a list a,b,c), fitted on worker threads; needs --out
  --test-records N   the first N records of the test split, like --ids
  --observe O        xy, xy+grf or both (default xy)
  --noise F          noise as a fraction of each channel's standard deviation over the training
                     records, as the noise experiment adds it (default 0: noise-free)
  --sigma SX,SY[,SFX,SFY]  absolute noise standard deviations instead: m, m[, N, N] (one record only)
  --seed S           seed of the noise draw and of the starts (default 1)
  --starts N         starts from the priors (default 4; the first at their middle)
  --json             print the result as JSON
  --out DIR          results folder of a batch (results.json, fits.csv, manifest.json); --force replaces one
  --workers W        worker threads of a batch (default: one per core)`;

/** The observation models of --observe (default xy). */
export function observeFlag(values: Values, fallback: "xy" | "both" = "xy"): ObservationModel[] {
  const o = choiceFlag(values, "observe", ["xy", "xy+grf", "both"] as const) ?? fallback;
  return o === "both" ? [...OBSERVATION_MODELS] : [o];
}

/** A comma-separated list of numbers. */
export function numberList(values: Values, name: string): number[] | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const v = String(raw).split(",").map((s) => parseDecimal(s.trim()));
  if (v.length === 0 || v.some((x) => !Number.isFinite(x))) throw new GaitidError(`--${name} must be a number or a list a,b,c; got ${show(raw)}`);
  return v;
}

/** The records of --id / --ids / --test-records. */
export function recordIds(values: Values, dataset: string): { ids: number[]; batch: boolean } {
  const given = ["id", "ids", "test-records"].filter((f) => values[f] !== undefined);
  if (given.length !== 1) throw new GaitidError(`give exactly one of --id N, --ids a..b, --test-records N${given.length ? ` (got --${given.join(", --")})` : ""}`);
  if (values.id !== undefined) return { ids: [integerFlag(values, "id", 0, Number.MAX_SAFE_INTEGER)!], batch: false };
  if (values.ids !== undefined) return { ids: parseIds(String(values.ids)), batch: true };
  const n = integerFlag(values, "test-records", 1, Number.MAX_SAFE_INTEGER)!;
  return { ids: testRecordIds(readDatasetParams(dataset), n), batch: true };
}

/** The dataset of --dataset. */
export function datasetFlag(values: Values): string {
  if (typeof values.dataset !== "string") throw new GaitidError("--dataset DIR is required (a dataset made by gaitid generate)");
  readDatasetManifest(values.dataset);
  return values.dataset;
}

/** --noise F or --sigma SX,SY[,SFX,SFY]. */
function noiseFlag(values: Values): NoiseSpec {
  if (values.sigma !== undefined) {
    if (values.noise !== undefined) throw new GaitidError("give --noise F or --sigma SX,SY[,SFX,SFY], not both");
    const s = numberList(values, "sigma")!;
    if (s.length !== 2 && s.length !== 4) throw new GaitidError(`--sigma needs 2 (x, y in m) or 4 (and fx, fy in N) standard deviations; got ${s.length}`);
    return checkNoise({ sigma: { x: s[0], y: s[1], fx: s[2], fy: s[3] } }, "--sigma");
  }
  return checkNoise({ fraction: numberFlag(values, "noise") ?? 0 });
}

function fmt(v: number): string {
  return Number.isFinite(v) ? v.toPrecision(7) : "not estimable";
}

/** The lines of one fit. */
export function fitLines(f: FitSummary): string[] {
  const unit: Record<string, string> = { rho: "1/s^2", l0: "m", m: "kg", k: "N/m", alpha0: "rad", y0: "m", vx0: "m/s" };
  const lines = [`record ${f.id}, observe ${f.observe}, noise ${f.noise}: chi2 ${f.chi2.toPrecision(6)} over ${f.residuals} residuals; ${f.agreeing} of ${f.starts} starts agree; ${f.seconds.toFixed(1)} s`];
  for (const c of ["rho", "l0", "m", "k", "alpha0", "y0", "vx0"] as const) {
    const se = f.standardErrors[c];
    const est = f.observe === "xy" && (c === "m" || c === "k") ? "not estimable from x, y" : `${fmt(f.estimate[c])} ± ${fmt(se)}`;
    lines.push(`  ${c.padEnd(6)} ${est}  (true ${f.truth[c].toPrecision(7)} ${unit[c]})`);
  }
  return lines;
}

export const fitCommand: Command = {
  name: "fit",
  summary: "fit the walker to a record by maximum likelihood",
  help: HELP,
  async run(argv) {
    const str = { type: "string" } as const;
    const { values, help } = parseFlags("fit", argv, {
      dataset: str, id: str, ids: str, "test-records": str, observe: str, noise: str, sigma: str, seed: str, starts: str,
      json: { type: "boolean" }, out: str, force: { type: "boolean" }, workers: str,
    });
    if (help) {
      console.log(HELP);
      return 0;
    }
    const dataset = datasetFlag(values);
    const observe = observeFlag(values);
    const noise = noiseFlag(values);
    const seed = integerFlag(values, "seed", 0, 2 ** 32 - 1) ?? 1;
    const starts = integerFlag(values, "starts", 1, 1000) ?? 4;
    const workers = integerFlag(values, "workers", 0, 256);
    const { ids, batch } = recordIds(values, dataset);
    if (batch) {
      if (!("fraction" in noise)) throw new GaitidError("--sigma goes with --id only; a batch takes --noise F (a fraction)");
      if (typeof values.out !== "string") throw new GaitidError("a batch (--ids, --test-records) needs --out DIR for its results");
      const r = await runProfileStudy({ dataset, ids, observe, noise: [noise.fraction], parameters: [], points: 0, starts, seed, workers, out: values.out, force: Boolean(values.force) });
      if (values.json) console.log(JSON.stringify(r.records.map((x) => x.fit), (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2));
      else for (const x of r.records) console.log(fitLines(x.fit).join("\n"));
      for (const f of r.failures) console.error(`record ${f.id} (${f.observe}) left out: ${f.reason}`);
      console.log(`wrote ${values.out} (${r.records.length} fits, ${r.seconds.toFixed(1)} s)`);
      return 0;
    }
    if (values.out !== undefined || values.workers !== undefined) throw new GaitidError("--out and --workers go with a batch (--ids or --test-records)");
    const { row, priors, scales, record: rec } = readDatasetRecord(dataset, ids[0]);
    const sim = new WalkerSimulator();
    const out = observe.map((o) => {
      const obs = noisyObservation(sim, rec, o, noiseSigma(noise, scales, o), scales, seed);
      const fit = fitRecord(sim, obs, { priors, starts, seed });
      return summariseFit(fit, truthOf(rec), "fraction" in noise ? noise.fraction : NaN);
    });
    if (values.json) {
      const payload = { fits: out, noise, scales, seed, environment: environment() };
      console.log(JSON.stringify(payload, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2));
    } else for (const f of out) console.log(fitLines(f).join("\n"));
    return 0;
  },
};
