/**
 * The study's runs over several seeds (gaitid reproduce --seeds N): for each of the two variants,
 * the runs of training seeds s0, s0 + 1, ..., s0 + N - 1 (s0 the configuration's seed), which
 * differ only in their initial weights and the order of the training records. The run of s0 is
 * the study's own run (data/runs/<preset>-<variant>/, trained by the step before); the others go
 * to data/runs/<preset>-<variant>-seed<s>/ (layout.ts). All are trained concurrently, one process
 * each, up to the core count (estimator/seeds.ts); a finished run with the same settings is kept,
 * an interrupted one continues from its checkpoint.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { sameConfig, type StudyConfig, type TrainingConfig } from "../config";
import type { BackendRequest } from "../estimator/backend";
import { readRunManifest } from "../estimator/run";
import { trainSeeds, type SeedsResult } from "../estimator/seeds";
import { GaitidError } from "../errors";
import { seedRunFolder, STUDY_VARIANTS, type StudyLayout, type StudyVariant } from "../layout";
import { prepareOutput } from "../outputs";
import { sha256File } from "../provenance";

/** Whether `dir` holds a finished run trained on the dataset of hash `datasetHash` with exactly `training`. */
export function runUpToDate(dir: string, datasetHash: string, training: TrainingConfig): boolean {
  if (!fs.existsSync(path.join(dir, "metrics.json"))) return false;
  const m = readRunManifest(dir);
  return m.dataset.hash === datasetHash && sameConfig(m.training, training);
}

/**
 * Makes way for a run in `dir`: a finished run of another dataset or other settings is replaced
 * only with `force` (anything else is refused, never deleted); an interrupted one (a checkpoint,
 * no manifest) is left to continue.
 */
export function clearStaleRun(dir: string, datasetHash: string, training: TrainingConfig, force: boolean): void {
  if (runUpToDate(dir, datasetHash, training) || !fs.existsSync(path.join(dir, "manifest.json"))) return;
  if (!force) throw new GaitidError(`${dir} holds a finished run of another dataset or other settings; pass --force to train it again, or move it away`);
  prepareOutput(dir, "run", { force: true });
  fs.rmSync(dir, { recursive: true, force: true });
}

export interface StudySeedsOptions {
  /** Seeds per variant, 1 to 100 (1: only the study's own runs). */
  count: number;
  backend?: BackendRequest;
  quiet?: boolean;
  force?: boolean;
  /** Processes at once over both variants (default: the core count). */
  concurrency?: number;
}

/** Trains (or finds) the runs of every seed of both variants; resolves to each variant's runs and spread. */
export async function trainStudySeeds(config: StudyConfig, paths: StudyLayout, o: StudySeedsOptions): Promise<Record<StudyVariant, SeedsResult>> {
  const first = config.training.seed;
  const datasetHash = sha256File(path.join(paths.dataset, "manifest.json"));
  const outFor = (v: StudyVariant) => (seed: number): string => seedRunFolder(config.preset, v, seed, first, paths.root);
  for (const v of STUDY_VARIANTS) {
    for (let s = first + 1; s < first + o.count; s++) clearStaleRun(outFor(v)(s), datasetHash, { ...config.training, seed: s }, Boolean(o.force));
  }
  const perVariant = Math.max(1, Math.floor((o.concurrency ?? os.cpus().length) / STUDY_VARIANTS.length));
  const results = await Promise.all(
    STUDY_VARIANTS.map((v) =>
      trainSeeds({
        base: { dataset: paths.dataset, target: v, training: config.training, backend: o.backend ?? "auto", quiet: o.quiet },
        count: o.count,
        outFor: outFor(v),
        concurrency: perVariant,
      }),
    ),
  );
  return { mkl0: results[0], rhol0: results[1] };
}
