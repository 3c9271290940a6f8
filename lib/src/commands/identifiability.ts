/** `gaitid identifiability`: the singular values of the sensitivity matrix, per record. */
import type { Command } from "../cli/args";
import { choiceFlag, interval, numberFlag, parseFlags, printHelp, requiredNumber } from "../cli/args";
import { samplingFromFlags } from "../cli/walker-flags";
import { WALKER_RANGES } from "../config";
import { EXIT, GaitidError, inRange, rangeText, type NumericRange } from "../errors";
import {
  analyseRecords,
  SENSITIVITY_ATOL,
  SENSITIVITY_RTOL,
  SENSITIVITY_MIN_STEP,
  SENSITIVITY_STEP,
  loadDatasetRecords,
  NULL_NOISE_FACTOR,
  OBSERVATION_MODELS,
  SENSITIVITY_PARAMETERS,
  recordFromGait,
  summariseIdentifiability,
  type ObservationModel,
  type RecordIdentifiability,
  type SensitivityRecord,
  type SingularSummary,
} from "../identifiability";
import { Progress } from "../progress";
import { environment, writeJsonAtomic } from "../provenance";

const R = WALKER_RANGES;

/** Records re-simulated from a dataset: each costs a few dozen walks. */
const RECORDS_RANGE: NumericRange = { min: 1, max: 100_000, integer: true, unit: "records" };

/** The first central-difference step, in log-parameters. */
const STEP_RANGE: NumericRange = { min: 0, max: 0.05, minOpen: true, unit: "log-parameters" };

const HELP = `usage: gaitid identifiability [--observe xy|xy+grf|both]
         (--data DIR [--records N]
          | (--rho R [--m M] | --m M --k K) --l0 L --alpha0 DEG --energy E [--duration S] [--dt S])
         [--step H] [--json] [--out FILE]

The quantitative identifiability measure: for each record, the sensitivity matrix J of the
observed samples with respect to (log m, log k, log l0), by central differences through the
simulator (rtol ${SENSITIVITY_RTOL}, atol ${SENSITIVITY_ATOL}; alpha0 and the start state y0, vx0 held fixed),
its singular values, condition number and the direction of the smallest singular value; the
same for (log rho, log l0). Rows: x, y in m; with xy+grf also the ground reaction force in
newtons divided by the record's weight m g. With xy alone the smallest singular value is at the
level of the integration noise ("noise": run-to-run noise of runs a few ulps apart in rho, divided
by the step) and its direction is (1, 1, 0)/sqrt(2): m and k scaled together are invisible.
"|dJ|" is the change of J between steps h and 2h (its accuracy).

  --observe O    xy, xy+grf or both (default both)
  --data DIR     a dataset (gaitid generate): re-simulates its first --records N records
                 (default 20, at most ${RECORDS_RANGE.max})
  --rho R        k/m, 1/s^2, in ${interval(R.rho)}, for one record on the gait the search finds
                 (the highest that walks)
  --m M          body mass, kg, in ${interval(R.m)} (default 67.5 with --rho); with --k K (N/m, in
                 ${interval(R.k)}) instead of --rho
  --l0 L         rest leg length, m, in ${interval(R.l0)}
  --alpha0 DEG   angle of attack, degrees, in ${interval(R.alpha0Deg)}
  --energy E     specific energy in units of g*l0, in ${interval(R.energy)}
  --duration S   record length, s, in ${interval(R.duration)} (default 15); --dt S sampling interval,
                 s (default 0.1), at most the duration
  --step H       first central-difference step in log-parameters, in ${interval(STEP_RANGE)} (default
                 ${SENSITIVITY_STEP}); halved per record while J(h) - J(2h) shrinks, down to ${SENSITIVITY_MIN_STEP}
  --json         print {"observe", "parameters", "records": [{"id", "singularValues" (largest
                 first), "nullDirection", "condition", ...}], "summary", "manifest"}; with
                 --observe both, an array of two such objects. condition is null when the
                 smallest singular value is exactly 0 (ratio is then 0).
  --out FILE     also write the results with their manifest (configuration, versions, timings)`;

/** Replaces non-finite numbers (an infinite condition) by null for JSON. */
function finite(_key: string, v: unknown): unknown {
  return typeof v === "number" && !Number.isFinite(v) ? null : v;
}

function fmt(v: number): string {
  return Number.isFinite(v) ? v.toExponential(3) : String(v);
}

function line(s: SingularSummary): string {
  return `sigma [${s.singularValues.map(fmt).join(", ")}]  null (${s.nullDirection.map((x) => x.toFixed(6)).join(", ")})  ` +
    `cond ${fmt(s.condition)}  min/max ${fmt(s.ratio)}  noise ${fmt(s.noiseLevel)}  ` +
    `|dJ| ${fmt(s.jacobianError)}  h ${s.step.toExponential(1)}`;
}

function recordsFromFlags(values: Record<string, string | boolean | undefined>): { records: SensitivityRecord[]; source: Record<string, unknown> } {
  const data = values.data;
  if (typeof data === "string") {
    for (const f of ["rho", "m", "k", "l0", "alpha0", "energy", "duration", "dt"]) {
      if (values[f] !== undefined) throw new GaitidError(`--${f} does not go with --data (the dataset's params.csv gives each record)`);
    }
    const n = numberFlag(values, "records", RECORDS_RANGE) ?? 20;
    const { records, manifest } = loadDatasetRecords(data, n);
    return { records, source: { data, records: records.length, datasetSeed: manifest.seed, datasetName: manifest.name } };
  }
  if (values.records !== undefined) throw new GaitidError("--records needs --data DIR (a dataset to take the records from)");
  const rhoFlag = numberFlag(values, "rho", R.rho);
  const k = numberFlag(values, "k", R.k);
  const mFlag = numberFlag(values, "m", R.m);
  if (rhoFlag !== undefined && k !== undefined) throw new GaitidError("give either --rho (with an optional --m) or --m and --k, not both");
  if (rhoFlag === undefined && k === undefined) throw new GaitidError("give --data DIR, or a subject: --rho R (1/s^2) or --m M --k K (kg, N/m)");
  if (k !== undefined && mFlag === undefined) throw new GaitidError("--k needs --m (kg): rho = k / m");
  const m = mFlag ?? 67.5;
  const rho = rhoFlag ?? (k as number) / m;
  if (!inRange(rho, R.rho)) throw new GaitidError(`--k / --m (rho) must be ${rangeText(R.rho)}; got ${values.k} / ${values.m} = ${rho}`);
  const opts = {
    m,
    rho,
    l0: requiredNumber(values, "l0", "rest leg length", R.l0),
    alpha0Deg: requiredNumber(values, "alpha0", "angle of attack in degrees", R.alpha0Deg),
    energy: requiredNumber(values, "energy", "specific energy in units of g*l0", R.energy),
    ...samplingFromFlags(values),
  };
  const { record, gait } = recordFromGait(opts);
  return { records: [record], source: { ...opts, gait: { y0: gait.y0, vx0: gait.vx0, maxModulus: gait.maxModulus } } };
}

export const identifiabilityCommand: Command = {
  name: "identifiability",
  summary: "singular values of d(observation)/d(log m, log k, log l0): the identifiability measure",
  help: HELP,
  async run(argv) {
    const num = { type: "string" } as const;
    const { values, help } = parseFlags("identifiability", argv, {
      observe: num, data: num, records: num, rho: num, m: num, k: num, l0: num, alpha0: num, energy: num,
      duration: num, dt: num, step: num, json: { type: "boolean" }, out: num,
    });
    if (help) return printHelp(HELP);
    const choice = choiceFlag(values, "observe", ["xy", "xy+grf", "both"] as const) ?? "both";
    const observe: ObservationModel[] = choice === "both" ? [...OBSERVATION_MODELS] : [choice];
    const step = numberFlag(values, "step", STEP_RANGE) ?? SENSITIVITY_STEP;
    const { records, source } = recordsFromFlags(values);
    const progress = new Progress(records.length, { unit: "records", label: "identifiability", quiet: records.length < 2 });
    const res = analyseRecords(records, observe, { step }, (done) => progress.update(done));
    if (records.length >= 2) progress.finish();
    for (const f of res.failures) console.error(`record ${f.id} left out: ${f.reason}`);
    if (res.failures.length === records.length) {
      throw new GaitidError(`no record could be analysed (${res.failures.length} failed); the records' gaits may be too unstable for a 15 s linearisation`, EXIT.FAILURE);
    }
    const manifest = {
      kind: "gaitid-identifiability",
      options: { observe, step, rtol: SENSITIVITY_RTOL, atol: SENSITIVITY_ATOL, held: "alpha0, y0, vx0 (the record's start at VLO)", forceUnit: "N / (m g) of the record" },
      source,
      failures: res.failures,
      timings: { seconds: res.seconds, perRecord: res.seconds / records.length },
      environment: environment(),
    };
    const outputs = observe.map((o) => ({
      observe: o,
      parameters: SENSITIVITY_PARAMETERS.mkl0,
      records: res.results[o] as RecordIdentifiability[],
      summary: summariseIdentifiability(o, res.results[o]),
      manifest,
    }));
    const payload = outputs.length === 1 ? outputs[0] : outputs;
    if (typeof values.out === "string") writeJsonAtomic(values.out, JSON.parse(JSON.stringify(payload, finite)));
    if (values.json) {
      console.log(JSON.stringify(payload, finite, 2));
      return EXIT.OK;
    }
    for (const o of outputs) {
      console.log(`observe ${o.observe}: ${o.records.length} record(s); columns (${o.parameters.join(", ")}) and (${SENSITIVITY_PARAMETERS.rhol0.join(", ")})`);
      for (const r of o.records) {
        console.log(`  record ${r.id}  (log m, log k, log l0): ${line(r)}  angle to (1,1,0) ${fmt(r.nullAngle)} rad`);
        console.log(`  ${" ".repeat(String(r.id).length + 7)}  (log rho, log l0):     ${line(r.reparametrised)}`);
      }
      const s = o.summary;
      if (o.records.length > 1) {
        console.log(`  over records: min/max median ${fmt(s.ratio.median)} [${fmt(s.ratio.min)}, ${fmt(s.ratio.max)}], ` +
          `angle median ${fmt(s.nullAngle.median)} rad, (rho, l0) condition median ${fmt(s.reparametrised.condition.median)}`);
      }
      console.log(`  null direction (sigma_min <= ${NULL_NOISE_FACTOR} x its integration-noise level): ${s.unidentifiable} of ${s.records} record(s) in (m, k, l0), ` +
        `${s.reparametrised.unidentifiable} in (rho, l0); J not resolved (too unstable to linearise over the record): ${s.unresolved}, ${s.reparametrised.unresolved}`);
    }
    if (typeof values.out === "string") console.log(`wrote ${values.out}`);
    return EXIT.OK;
  },
};
