/**
 * The spread over seeds as the results model holds it: the study's own run of each variant and
 * the runs of the other seeds beside it (data/runs/<preset>-<variant>-seed<s>/, gaitid reproduce
 * --seeds N; layout.ts), which differ only in the training seed (initial weights, shuffling). A
 * folder there counts only if it is a finished run of the same variant, architecture and dataset
 * with the study run's training settings but its seed; anything else is left out and named.
 * Per quantity: mean, sample standard deviation and the smallest meaningful difference between
 * two settings (estimator/seeds.ts).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { sameConfig } from "../config";
import { readMetrics, readRunManifest, type Metrics } from "../estimator/run";
import { seedSpread, type SeedsResult } from "../estimator/seeds";
import { STUDY_VARIANTS, type StudyVariant } from "../layout";
import type { RunFiles } from "./runs";

/** One seed's run of a variant. */
export interface SeedRunResult {
  seed: number;
  /** Run folder. */
  dir: string;
  /** Training time, s. */
  trainSeconds: number;
  metrics: Metrics;
}

/** Both variants' runs over seeds and their spread. */
export interface StudySeeds {
  /** Per variant, the runs in seed order (the study's own run among them). */
  runs: Record<StudyVariant, SeedRunResult[]>;
  /** Per variant and quantity: R^2, RMSE and (m, k) RMSE / floor over the runs. */
  spread: Record<StudyVariant, SeedsResult["spread"]>;
  /** Folders named like seed runs that were left out, with the reason. */
  skipped: { dir: string; reason: string }[];
}

/** Why the finished run in `dir` is not a seed run of `main` (undefined: it is one). */
function mismatch(dir: string, main: RunFiles): string | undefined {
  if (!fs.existsSync(path.join(dir, "metrics.json"))) return "not a finished run";
  const m = readRunManifest(dir);
  if (m.target !== main.variant) return `variant ${m.target}`;
  if (m.dataset?.hash !== main.manifest.dataset?.hash) return "trained on another dataset";
  if ((m.network?.arch ?? "mlp") !== (main.manifest.network?.arch ?? "mlp")) return `architecture ${m.network?.arch}`;
  if (!sameConfig({ ...m.training, seed: main.manifest.training.seed }, main.manifest.training)) return "other training settings";
  return undefined;
}

/**
 * The seed runs of both variants found in `runsRoot` beside the study's runs `main` (folders
 * `<prefix>-<variant>-seed<s>`, `prefix` the preset), or undefined when there are none.
 */
export function readStudySeeds(runsRoot: string, prefix: string, main: Record<StudyVariant, RunFiles>): StudySeeds | undefined {
  if (!fs.existsSync(runsRoot)) return undefined;
  const entries = fs.readdirSync(runsRoot).sort();
  const out: StudySeeds = { runs: { mkl0: [], rhol0: [] }, spread: { mkl0: {}, rhol0: {} }, skipped: [] };
  let extra = 0;
  for (const v of STUDY_VARIANTS) {
    const own = main[v];
    const runs: SeedRunResult[] = [{ seed: own.manifest.training.seed, dir: own.dir, trainSeconds: own.manifest.timings.trainSeconds, metrics: own.metrics }];
    const pattern = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-${v}-seed(\\d+)$`);
    for (const e of entries) {
      const hit = pattern.exec(e);
      if (!hit) continue;
      const dir = path.join(runsRoot, e);
      const why = mismatch(dir, own);
      if (why) {
        out.skipped.push({ dir, reason: why });
        continue;
      }
      runs.push({ seed: Number(hit[1]), dir, trainSeconds: readRunManifest(dir).timings.trainSeconds, metrics: readMetrics(dir) });
      extra++;
    }
    runs.sort((a, b) => a.seed - b.seed);
    out.runs[v] = runs;
    out.spread[v] = seedSpread(runs.map((r) => r.metrics));
  }
  return extra > 0 ? out : undefined;
}
