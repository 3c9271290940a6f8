/** `gaitid profile`: profile likelihoods of a record's parameters, or the batch behind the report's table and Cramér-Rao comparison. */
import type { Command } from "../cli/args";
import { integerFlag, parseFlags } from "../cli/args";
import { readDatasetManifest, readDatasetParams } from "../dataset/format";
import { GaitidError, show } from "../errors";
import {
  CHI2_95_1DOF,
  CRB_NOISE,
  fitRecord,
  noiseSigma,
  noisyObservation,
  PROFILE_NOISE,
  PROFILE_PARAMETERS,
  PROFILE_UNITS,
  profileParameter,
  runProfileStudy,
  testRecordIds,
  type Profile,
  type ProfileParameter,
  readDatasetRecord,
} from "../fit";
import { environment } from "../provenance";
import { WalkerSimulator } from "../walker/simulate";
import { datasetFlag, numberList, observeFlag, recordIds } from "./fit";

const HELP = `usage: gaitid profile --dataset DIR --id N [--param m|k|l0|rho|all] [--observe xy|xy+grf|both]
         [--noise F] [--points 41] [--seed S] [--starts N] [--json]
       gaitid profile --dataset DIR (--ids a..b | --test-records N) --out DIR [--force]
         [--param ...] [--observe ...] [--noise F,F,...] [--points 41] [--curve-records 1]
         [--crb-records N] [--crb-noise F,F,...] [--workers W] [--json]

Profile likelihood of a parameter of a record (Raue et al. 2009): the record is fitted by maximum
likelihood (gaitid fit), then the parameter is fixed on values around the estimate, all other
parameters re-optimised at each (from the neighbouring optimum), and delta chi2 = the best misfit
there minus the least misfit is recorded. The 95 % interval is where delta chi2 < ${CHI2_95_1DOF.toFixed(2)}
(chi-square, one degree of freedom): each side is searched out to the prior range widened by its
own width, and the crossing refined. Verdict: identifiable (closed on both sides), practically
non-identifiable (open on a side), structurally non-identifiable (flat: delta chi2 never above 0.05).
From x, y the profiles of m and k are flat; with the ground reaction force they close.
One profile takes about 5 to 15 s of one core with --points 0, 20 to 40 s with 41 points (loaded machine).

  --dataset DIR        a dataset (gaitid generate)
  --id N               one record; prints its profiles
  --param P            m, k, l0, rho or all (default all)
  --observe O          xy, xy+grf or both (default both)
  --noise F            noise as a fraction of each channel's standard deviation over the training
                       records (> 0; default 0.01); a batch takes a list (default ${PROFILE_NOISE.join(",")})
  --points N           values on each profile's curve (default 41; 0: the interval search only)
  --seed S, --starts N seed of noise and starts (default 1); starts of the fit (default 4)
  --ids a..b, --test-records N   a batch over records, on worker threads (--workers W), written to --out
  --curve-records N    a batch keeps curves of --points values for its first N records (default 1)
  --crb-records N      also the Cramér-Rao comparison on the first N test records (default 0): the
                       bound of rho and l0 per record and the maximum-likelihood fit's error at
                       --crb-noise fractions (default ${CRB_NOISE.join(",")}, the noise experiment's)
  --json               print the profiles (or the batch's summary) as JSON`;

function paramFlag(raw: unknown): ProfileParameter[] {
  if (raw === undefined || raw === "all") return [...PROFILE_PARAMETERS];
  if (typeof raw !== "string" || !(PROFILE_PARAMETERS as readonly string[]).includes(raw)) {
    throw new GaitidError(`--param must be one of ${PROFILE_PARAMETERS.join(", ")} or all; got ${show(raw)}`);
  }
  return [raw as ProfileParameter];
}

function jsonOf(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2);
}

/** The lines of one profile. */
export function profileLines(p: Profile, curve: boolean): string[] {
  const u = PROFILE_UNITS[p.parameter];
  const end = (v: number | null): string => (v === null ? "open" : v.toPrecision(7));
  const lines = [
    `record ${p.id}, ${p.observe}, ${p.parameter}: estimate ${p.estimate.toPrecision(7)} ${u}; 95 % interval [${end(p.lower)}, ${end(p.upper)}] ${u}; ${p.verdict} ` +
      `(largest delta chi2 ${p.maxDelta.toPrecision(3)}; ${p.points.length} points, ${p.seconds.toFixed(1)} s)`,
  ];
  if (curve) for (const q of p.points) lines.push(`  ${p.parameter} ${q.value.toPrecision(8)}  delta chi2 ${q.delta.toPrecision(4)}${q.search ? "  (interval search)" : ""}`);
  return lines;
}

export const profileCommand: Command = {
  name: "profile",
  summary: "profile likelihood of one parameter of a record",
  help: HELP,
  async run(argv) {
    const str = { type: "string" } as const;
    const { values, help } = parseFlags("profile", argv, {
      dataset: str, id: str, ids: str, "test-records": str, param: str, observe: str, noise: str, points: str, seed: str, starts: str,
      "curve-records": str, "crb-records": str, "crb-noise": str, workers: str, json: { type: "boolean" }, out: str, force: { type: "boolean" },
    });
    if (help) {
      console.log(HELP);
      return 0;
    }
    const dataset = datasetFlag(values);
    const parameters = paramFlag(values.param);
    const observe = observeFlag(values, "both");
    const points = integerFlag(values, "points", 0, 10_000) ?? 41;
    const seed = integerFlag(values, "seed", 0, 2 ** 32 - 1) ?? 1;
    const starts = integerFlag(values, "starts", 1, 1000) ?? 4;
    const noise = numberList(values, "noise");
    for (const f of noise ?? []) if (!(f > 0)) throw new GaitidError(`--noise must be > 0 for a profile (its threshold is in units of the noise variance); got ${f}`);
    const { ids, batch } = recordIds(values, dataset);
    if (batch) {
      if (typeof values.out !== "string") throw new GaitidError("a batch (--ids, --test-records) needs --out DIR for its results");
      const crbN = integerFlag(values, "crb-records", 0, Number.MAX_SAFE_INTEGER) ?? 0;
      const r = await runProfileStudy({
        dataset, ids, observe, noise, parameters, points, starts, seed, out: values.out, force: Boolean(values.force),
        curveRecords: integerFlag(values, "curve-records", 0, Number.MAX_SAFE_INTEGER) ?? 1, workers: integerFlag(values, "workers", 0, 256),
        crbIds: crbN > 0 ? testRecordIds(readDatasetParams(dataset), crbN) : [], crbNoise: numberList(values, "crb-noise"),
      });
      if (values.json) console.log(jsonOf({ widths: r.widths, crb: r.crb, failures: r.failures, seconds: r.seconds }));
      else {
        for (const w of r.widths) {
          console.log(`${w.observe} noise ${w.noise} ${w.parameter}: ${w.records} records; median 95 % width ${w.medianWidth?.toPrecision(3) ?? "-"} ${PROFILE_UNITS[w.parameter]} ` +
            `(${w.medianRelativeWidth !== null ? (100 * w.medianRelativeWidth).toPrecision(3) + " %" : "-"}); ${Object.entries(w.verdicts).filter(([, n]) => n > 0).map(([v, n]) => `${n} ${v}`).join(", ")}`);
        }
        for (const c of r.crb) {
          console.log(`${c.observe} noise ${c.noise}: ${c.records} records; root mean CRB rho ${c.rootMeanCrb.rho.toPrecision(3)} 1/s^2, l0 ${c.rootMeanCrb.l0.toPrecision(3)} m; ` +
            `ML RMSE rho ${c.mlRmse.rho.toPrecision(3)}, l0 ${c.mlRmse.l0.toPrecision(3)}`);
        }
        for (const f of r.failures) console.error(`record ${f.id} (${f.observe}, noise ${f.noise}) left out: ${f.reason}`);
        console.log(`wrote ${values.out} (${r.seconds.toFixed(1)} s)`);
      }
      return 0;
    }
    for (const f of ["out", "workers", "curve-records", "crb-records", "crb-noise", "force"]) {
      if (values[f] !== undefined) throw new GaitidError(`--${f} goes with a batch (--ids or --test-records)`);
    }
    if (noise && noise.length !== 1) throw new GaitidError(`--noise takes one fraction for one record; got ${noise.length}`);
    const fraction = noise?.[0] ?? 0.01;
    const { row, priors, scales, record: rec } = readDatasetRecord(dataset, ids[0]);
    const sim = new WalkerSimulator();
    const profiles: Profile[] = [];
    for (const o of observe) {
      const obs = noisyObservation(sim, rec, o, noiseSigma({ fraction }, scales, o), scales, seed);
      const fit = fitRecord(sim, obs, { priors, starts, seed });
      for (const p of parameters) {
        const prof = profileParameter(sim, obs, fit, p, { priors, points });
        profiles.push(prof);
        if (!values.json) console.log(profileLines(prof, points > 0).join("\n"));
      }
    }
    if (values.json) console.log(jsonOf({ profiles, noise: fraction, scales, seed, environment: environment() }));
    return 0;
  },
};
