/**
 * The whole study in order: derive, generate, train both variants (concurrently), report.
 * A step whose outputs exist with the same configuration is skipped, so an interrupted run
 * (the paper preset takes hours) resumes where it stopped.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { preset as presetConfig, sameConfig, validateConfig, type StudyConfig } from "../config";
import { derive, derivationJsonObject, type Derivation } from "../derive";
import { ensureDataset } from "../dataset/generate";
import type { BackendRequest } from "../estimator/backend";
import type { TargetName } from "../estimator/data";
import { trainVariants } from "../estimator/parallel";
import { readMetrics, readRunManifest, type Metrics } from "../estimator/run";
import { formatDuration } from "../progress";
import { environment, sha256File, writeJsonAtomic } from "../provenance";
import { buildReport } from "../report/build";
import { experimentSections } from "../experiments/report";
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
}

/** Where a study's files go, relative to the root. */
export function studyPaths(name: string, root = "."): { dataset: string; runs: Record<TargetName, string>; report: string; derivation: string; manifest: string } {
  return {
    dataset: path.join(root, "data", name),
    runs: { mkl0: path.join(root, "data", "runs", `${name}-mkl0`), rhol0: path.join(root, "data", "runs", `${name}-rhol0`) },
    report: path.join(root, "report", "index.html"),
    derivation: path.join(root, "data", "derivation.json"),
    manifest: path.join(root, "data", `reproduce-${name}.json`),
  };
}

/** A summary of what the study found, and how long each step took. */
export interface ReproduceSummary {
  preset: string;
  paths: ReturnType<typeof studyPaths>;
  steps: { name: string; seconds: number; skipped: boolean; note: string }[];
  metrics: Record<TargetName, Metrics>;
  reportPath: string;
}

/** Runs the study; resolves to its summary (also written to data/reproduce-<preset>.json). */
export async function reproduce(opts: ReproduceOptions): Promise<ReproduceSummary> {
  const config = typeof opts.preset === "string" ? presetConfig(opts.preset) : structuredClone(opts.preset);
  validateConfig(config);
  const name = config.preset;
  const root = opts.root ?? ".";
  const paths = studyPaths(name, root);
  const say = (s: string): void => {
    if (!opts.silent) console.error(s);
  };
  const steps: ReproduceSummary["steps"] = [];
  const t0 = performance.now();
  const total = opts.experiments ? 5 : 4;
  const step = async <T>(label: string, f: () => Promise<{ value: T; skipped: boolean; note: string }>): Promise<T> => {
    say(`[${steps.length + 1}/${total}] ${label} ...`);
    const ts = performance.now();
    const r = await f();
    const seconds = (performance.now() - ts) / 1000;
    steps.push({ name: label, seconds, skipped: r.skipped, note: r.note });
    say(`[${steps.length}/${total}] ${label}: ${r.skipped ? "up to date, skipped" : `done in ${formatDuration(seconds)}`}${r.note ? ` (${r.note})` : ""}`);
    return r.value;
  };

  // 1. The derivation (both observation models), kept as JSON for the record.
  const derivation = await step<Derivation>("derive", async () => {
    const d = derive("xy+grf");
    const xy = derive("xy");
    writeJsonAtomic(paths.derivation, { xy: derivationJsonObject(xy), "xy+grf": derivationJsonObject(d) });
    return { value: d, skipped: false, note: `symmetries for (x, y): ${JSON.stringify(xy.symmetries)}; with forces: ${JSON.stringify(d.symmetries)}` };
  });

  // 2. The dataset, unless one with the same configuration is there.
  await step("generate", async () => {
    const d = await ensureDataset(config.dataset, paths.dataset, { workers: opts.workers, quiet: opts.quiet, preset: name, say: (l) => say(`  ${l}`) });
    const rate = (d.manifest.acceptance as { rate: number }).rate;
    return { value: d.manifest, skipped: d.reused, note: `${d.manifest.records} records in ${paths.dataset}${d.reused ? "" : `, acceptance ${(100 * rate).toFixed(1)}%`}` };
  });

  // 3. Both estimators at once, one process each; a finished run with the same settings is kept,
  // an interrupted one continues from its checkpoint.
  const metrics = await step<Record<TargetName, Metrics>>("train both variants", async () => {
    const datasetHash = sha256File(path.join(paths.dataset, "manifest.json"));
    // A finished run counts only if it was trained on this dataset with these settings.
    const upToDate = (t: TargetName): boolean => {
      if (!fs.existsSync(path.join(paths.runs[t], "metrics.json"))) return false;
      const m = readRunManifest(paths.runs[t]);
      return m.dataset.hash === datasetHash && sameConfig(m.training, config.training);
    };
    const todo = (["mkl0", "rhol0"] as TargetName[]).filter((t) => !upToDate(t));
    let backend = "";
    for (const t of todo) {
      // A finished run of other settings is replaced; an interrupted one (a checkpoint, no
      // manifest) continues, and the trainer refuses it if its settings differ.
      if (fs.existsSync(path.join(paths.runs[t], "manifest.json"))) fs.rmSync(paths.runs[t], { recursive: true, force: true });
    }
    if (todo.length > 0) {
      const summaries = await trainVariants(
        { dataset: paths.dataset, training: config.training, backend: opts.backend ?? "auto", resume: true, quiet: opts.quiet },
        todo,
        (t) => paths.runs[t],
      );
      backend = summaries[0].backend.name;
    }
    const value = { mkl0: readMetrics(paths.runs.mkl0), rhol0: readMetrics(paths.runs.rhol0) };
    return { value, skipped: todo.length === 0, note: `backend ${backend || value.mkl0.backend}` };
  });

  // 4 (optional). The experiments beyond the paper, on the named preset.
  if (opts.experiments) {
    await step("experiments", async () => {
      const done = await runExperiments(undefined, { preset: name, root, backend: opts.backend, workers: opts.workers, quiet: opts.quiet, silent: opts.silent });
      return { value: done, skipped: false, note: `${done.length} experiments in ${path.join(root, "data", "experiments")}` };
    });
  }

  // The report (with a section per experiment that has results).
  const built = await step("report", async () => {
    const r = await buildReport({ root, preset: name, datasetDir: paths.dataset, runs: paths.runs, out: paths.report, derivation, quiet: opts.quiet, sections: experimentSections({ root, preset: name }) });
    return { value: r, skipped: false, note: `${r.figures} figures, ${r.equations} equations, ${(r.bytes / 2 ** 20).toFixed(1)} MiB` };
  });

  const summary: ReproduceSummary = { preset: name, paths, steps, metrics, reportPath: built.path };
  writeJsonAtomic(paths.manifest, { kind: "gaitid-reproduce", config, ...summary, totalSeconds: (performance.now() - t0) / 1000, environment: environment() });
  return summary;
}

/** The key numbers of a study, a few lines for the terminal. */
export function formatSummary(s: ReproduceSummary): string {
  const f = (x: number, d = 3): string => (Number.isFinite(x) ? x.toFixed(d) : "n/a");
  const m = s.metrics.mkl0, r = s.metrics.rhol0;
  const lines = [
    `preset ${s.preset}; backend ${m.backend}; ${m.records} test records`,
    `variant (rho, l0):   R^2 rho ${f(r.params.rho.r2, 4)}, R^2 l0 ${f(r.params.l0.r2, 4)}`,
    `variant (m, k, l0):  R^2 l0 ${f(m.params.l0.r2, 4)}`,
    `  m: RMSE ${f(m.params.m.rmse)} kg vs floor ${f(m.params.m.floorRmse)} kg (${f(100 * (m.params.m.rmse / m.params.m.floorRmse - 1), 1)}% above); R^2 ${f(m.params.m.r2)} vs ceiling ${f(m.params.m.r2Ceiling)}`,
    `  k: RMSE ${f(m.params.k.rmse, 1)} N/m vs floor ${f(m.params.k.floorRmse, 1)} N/m (${f(100 * (m.params.k.rmse / m.params.k.floorRmse - 1), 1)}% above); R^2 ${f(m.params.k.r2)} vs ceiling ${f(m.params.k.r2Ceiling)}`,
    m.ratio ? `  k_pred/m_pred against rho: R^2 ${f(m.ratio.r2, 4)}` : "",
    `steps: ${s.steps.map((x) => `${x.name} ${x.skipped ? "skipped" : formatDuration(x.seconds)}`).join(", ")}`,
    `report: ${s.reportPath}`,
  ];
  return lines.filter((l) => l).join("\n");
}
