/**
 * The whole study in order: derive, generate, train both variants (concurrently), with --seeds N
 * the runs of N - 1 further seeds of each, report.
 * A step whose outputs exist with the same configuration is skipped, so an interrupted run
 * (the paper preset takes hours) resumes where it stopped.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { preset as presetConfig, validateConfig, type StudyConfig } from "../config";
import { ensureDataset } from "../dataset/generate";
import { studyLayout, type StudyLayout } from "../layout";
import { estimateStudy } from "./estimate";
import { buildStudyReport, writeDerivation } from "./prepare";
import type { BackendRequest } from "../estimator/backend";
import { PAPER_VARIANTS, type PaperVariant } from "../estimator/variant";
import { requireInteger } from "../errors";
import type { SeedsResult } from "../estimator/seeds";
import { clearStaleRun, runUpToDate, trainStudySeeds } from "./seeds";
import { trainVariants } from "../estimator/parallel";
import { readMetrics, type Metrics } from "../estimator/run";
import { formatDuration } from "../progress";
import { environment, sha256File, writeJsonAtomic } from "../provenance";
import { runExperiments } from "../experiments/experiments";

export interface ReproduceOptions {
  /** Preset name (tiny, quick, paper) or a full configuration. */
  preset: string | StudyConfig;
  /** Folder under which data/ and report/ are written (default: the current directory). */
  root?: string;
  /** Worker threads for the dataset (default: one per core). */
  workers?: number;
  /** TensorFlow.js backend for training (default auto). */
  backend?: BackendRequest;
  /** No progress lines (the step headers are still printed unless `silent`). */
  quiet?: boolean;
  silent?: boolean;
  /** Also run every experiment beyond the paper (gaitid experiment all) after training, before the report. */
  experiments?: boolean;
  /** Replace finished runs of other settings (never anything gaitid did not write). */
  force?: boolean;
  /**
   * Training runs per variant that differ in the seed of their initial weights and shuffling
   * (1 to 100, default 1: the study's own runs only); see study/seeds.ts.
   */
  seeds?: number;
}

/** A summary of what the study found, and how long each step took. */
export interface ReproduceSummary {
  preset: string;
  paths: StudyLayout;
  steps: { name: string; seconds: number; skipped: boolean; note: string }[];
  metrics: Record<PaperVariant, Metrics>;
  /** With --seeds N > 1: per variant, the runs of every seed and the spread of their scores. */
  seeds?: Record<PaperVariant, SeedsResult>;
  reportPath: string;
}

/** What a step of the study gives back: its value, whether it was up to date, a note for the log. */
interface StepOutcome<T> {
  value: T;
  skipped: boolean;
  note: string;
}

/** Runs one step of the study under a label, timed and logged. */
type RunStep = <T>(label: string, f: () => Promise<StepOutcome<T>>) => Promise<T>;

/**
 * The study's time on this machine per step, in seconds, from the benchmark figures; announced
 * before the long steps.
 */
function expectedSeconds(config: StudyConfig, workers: number | undefined, seeds: number, say: (s: string) => void): Record<string, number> {
  const est = estimateStudy(config, workers);
  const expected: Record<string, number> = { derive: est.derive, generate: est.generate, "train both variants": est.train, experiments: 0, report: est.report };
  if (seeds > 1) expected["train the other seeds"] = est.train * Math.ceil(((seeds - 1) * 2) / Math.max(2, os.cpus().length));
  say(`estimate for the ${config.preset} preset on this machine: derive ${formatDuration(est.derive)}, generate ${formatDuration(est.generate)}, train ${formatDuration(est.train)}, report ${formatDuration(est.report)}; about ${formatDuration(est.total)} in all (finished steps are skipped)`);
  return expected;
}

/** A step runner that numbers the steps out of `total`, records each in `steps` and says how long the study has left. */
function stepRunner(steps: ReproduceSummary["steps"], total: number, expected: Record<string, number>, say: (s: string) => void): RunStep {
  return async (label, f) => {
    say(`[${steps.length + 1}/${total}] ${label} ...`);
    const ts = performance.now();
    const r = await f();
    const seconds = (performance.now() - ts) / 1000;
    steps.push({ name: label, seconds, skipped: r.skipped, note: r.note });
    const left = Object.entries(expected).filter(([n]) => !steps.some((s) => s.name === n)).reduce((a, [, s]) => a + s, 0);
    say(`[${steps.length}/${total}] ${label}: ${r.skipped ? "up to date, skipped" : `done in ${formatDuration(seconds)}`}${r.note ? ` (${r.note})` : ""}; study: about ${formatDuration(left)} left`);
    return r.value;
  };
}

/** The derivation (both observation models), kept as JSON for the record and the report. */
async function deriveStep(paths: StudyLayout): Promise<StepOutcome<undefined>> {
  writeDerivation(paths.derivation);
  const d = JSON.parse(fs.readFileSync(paths.derivation, "utf8")) as Record<string, { symmetries: unknown }>;
  return { value: undefined, skipped: false, note: `symmetries for (x, y): ${JSON.stringify(d.xy.symmetries)}; with forces: ${JSON.stringify(d["xy+grf"].symmetries)}` };
}

/** The dataset, unless one with the same configuration is there. */
async function generateStep(config: StudyConfig, paths: StudyLayout, opts: ReproduceOptions, say: (s: string) => void): Promise<StepOutcome<unknown>> {
  const d = await ensureDataset(config.dataset, paths.dataset, { workers: opts.workers, quiet: opts.quiet, preset: config.preset, say: (l) => say(`  ${l}`) });
  const rate = d.manifest.acceptance?.rate ?? Number.NaN;
  return { value: d.manifest, skipped: d.reused, note: `${d.manifest.records} records in ${paths.dataset}${d.reused ? "" : `, acceptance ${(100 * rate).toFixed(1)}%`}` };
}

/**
 * Both estimators at once, one process each; a finished run with the same settings is kept, an
 * interrupted one continues from its checkpoint.
 */
async function trainStep(config: StudyConfig, paths: StudyLayout, opts: ReproduceOptions): Promise<StepOutcome<Record<PaperVariant, Metrics>>> {
  const datasetHash = sha256File(path.join(paths.dataset, "manifest.json"));
  // A finished run counts only if it was trained on this dataset with these settings.
  const todo = PAPER_VARIANTS.filter((t) => !runUpToDate(paths.runs[t], datasetHash, config.training));
  let backend = "";
  // A finished run of other settings is replaced only with --force; an interrupted one (a
  // checkpoint, no manifest) continues, and the trainer refuses it if its settings differ.
  for (const t of todo) clearStaleRun(paths.runs[t], datasetHash, config.training, Boolean(opts.force));
  if (todo.length > 0) {
    const summaries = await trainVariants(
      { dataset: paths.dataset, training: config.training, backend: opts.backend ?? "auto", resume: true, quiet: opts.quiet },
      todo,
      (t) => paths.runs[t as PaperVariant],
    );
    backend = summaries[0].backend.name;
  }
  const value = { mkl0: readMetrics(paths.runs.mkl0), rhol0: readMetrics(paths.runs.rhol0) };
  return { value, skipped: todo.length === 0, note: `backend ${backend || value.mkl0.backend}` };
}

/** Runs the study; resolves to its summary (also written to data/reproduce-<preset>.json). */
export async function reproduce(opts: ReproduceOptions): Promise<ReproduceSummary> {
  const config = typeof opts.preset === "string" ? presetConfig(opts.preset) : structuredClone(opts.preset);
  validateConfig(config);
  const seeds = requireInteger("--seeds (training runs per variant)", opts.seeds ?? 1, 1, 100);
  const name = config.preset;
  const root = opts.root ?? ".";
  const paths = studyLayout(name, root);
  const say = (s: string): void => {
    if (!opts.silent) console.error(s);
  };
  const steps: ReproduceSummary["steps"] = [];
  const t0 = performance.now();
  const total = 4 + (opts.experiments ? 1 : 0) + (seeds > 1 ? 1 : 0);
  const step = stepRunner(steps, total, expectedSeconds(config, opts.workers, seeds, say), say);

  await step("derive", () => deriveStep(paths));
  await step("generate", () => generateStep(config, paths, opts, say));
  const metrics = await step("train both variants", () => trainStep(config, paths, opts));

  // (with --seeds N > 1) The runs of the other seeds, concurrently up to the core count.
  let spread: Record<PaperVariant, SeedsResult> | undefined;
  if (seeds > 1) {
    spread = await step("train the other seeds", async () => {
      const value = await trainStudySeeds(config, paths, { count: seeds, backend: opts.backend, quiet: opts.quiet, force: opts.force });
      return { value, skipped: false, note: `seeds ${value.mkl0.seeds.join(", ")} of each variant in ${paths.runsRoot}` };
    });
  }

  // (optional) The experiments beyond the paper, on the named preset.
  if (opts.experiments) {
    await step("experiments", async () => {
      const done = await runExperiments(undefined, { preset: name, root, backend: opts.backend, workers: opts.workers, quiet: opts.quiet, silent: opts.silent });
      return { value: done, skipped: false, note: `${done.length} experiments in ${paths.experimentsRoot}` };
    });
  }

  // The report (with a section per experiment that has results): the figures' walks are
  // simulated here, in the study, and the report only reads the results.
  const built = await step("report", async () => {
    const r = await buildStudyReport(paths, { quiet: opts.quiet });
    return { value: r, skipped: false, note: `${r.figures} figures, ${r.equations} equations, ${(r.bytes / 2 ** 20).toFixed(1)} MiB` };
  });

  const summary: ReproduceSummary = { preset: name, paths, steps, metrics, ...(spread ? { seeds: spread } : {}), reportPath: built.path };
  writeJsonAtomic(paths.reproduce, { kind: "gaitid-reproduce", config, ...summary, totalSeconds: (performance.now() - t0) / 1000, environment: environment() });
  return summary;
}

/** The key numbers of a study, a few lines for the terminal. */
export function formatSummary(s: ReproduceSummary): string {
  const f = (x: number | null, d = 3): string => (x !== null && Number.isFinite(x) ? x.toFixed(d) : "n/a");
  const m = s.metrics.mkl0, r = s.metrics.rhol0;
  const lines = [
    `preset ${s.preset}; backend ${m.backend}; ${m.records} test records`,
    `variant (rho, l0):   R^2 rho ${f(r.params.rho.r2, 4)}, R^2 l0 ${f(r.params.l0.r2, 4)}`,
    `variant (m, k, l0):  R^2 l0 ${f(m.params.l0.r2, 4)}`,
    `  m: RMSE ${f(m.params.m.rmse)} kg vs floor ${f(m.params.m.floorRmse)} kg (${f(100 * (m.params.m.rmse / m.params.m.floorRmse - 1), 1)}% above); R^2 ${f(m.params.m.r2)} vs ceiling ${f(m.params.m.r2Ceiling)}`,
    `  k: RMSE ${f(m.params.k.rmse, 1)} N/m vs floor ${f(m.params.k.floorRmse, 1)} N/m (${f(100 * (m.params.k.rmse / m.params.k.floorRmse - 1), 1)}% above); R^2 ${f(m.params.k.r2)} vs ceiling ${f(m.params.k.r2Ceiling)}`,
    m.ratio ? `  k_pred/m_pred against rho: R^2 ${f(m.ratio.r2, 4)}` : "",
    ...seedLines(s),
    `steps: ${s.steps.map((x) => `${x.name} ${x.skipped ? "skipped" : formatDuration(x.seconds)}`).join(", ")}`,
    `report: ${s.reportPath}`,
  ];
  return lines.filter((l) => l).join("\n");
}

/** The spread over seeds of the key scores, when the study trained several (mean ± sample sd). */
function seedLines(s: ReproduceSummary): string[] {
  if (!s.seeds) return [];
  const f = (x: number | null, d: number): string => (x !== null && Number.isFinite(x) ? x.toFixed(d) : "n/a");
  const ms = (v: { mean: number | null; sd: number | null } | undefined, d: number): string => (v ? `${f(v.mean, d)} ± ${f(v.sd, d)}` : "n/a");
  const a = s.seeds.mkl0.spread, b = s.seeds.rhol0.spread;
  return [
    `over ${s.seeds.mkl0.seeds.length} seeds (mean ± sd): R^2 rho ${ms(b.rho?.r2, 4)}, R^2 l0 ${ms(b.l0?.r2, 4)}; RMSE/floor m ${ms(a.m?.rmseOverFloor, 3)}, k ${ms(a.k?.rmseOverFloor, 3)}`,
    `  a difference between the means of two settings must exceed: R^2 rho ${f(b.rho?.r2.minDifference ?? null, 4)}, R^2 l0 ${f(b.l0?.r2.minDifference ?? null, 4)}, RMSE/floor m ${f(a.m?.rmseOverFloor?.minDifference ?? null, 4)}, k ${f(a.k?.rmseOverFloor?.minDifference ?? null, 4)}`,
  ];
}
