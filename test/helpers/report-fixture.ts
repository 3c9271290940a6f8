// A real tiny-preset study for the report tests: the tiny dataset (400 records, made by the
// generator) and both estimators trained on it with the tiny training settings (20 epochs).
// About 20 s on two cores.
import * as path from "node:path";
import { preset } from "../../lib/src/config";
import { generateDataset } from "../../lib/src/dataset/generate";
import { trainEstimator } from "../../lib/src/estimator/train";

/** Paths of a study, relative to its root. */
export interface StudyFixture {
  root: string;
  datasetDir: string;
  runs: { mkl0: string; rhol0: string };
  /** Seconds to generate and train. */
  seconds: number;
}

/** Generates the tiny dataset under `root`/data/tiny and trains both variants into data/runs. */
export async function makeTinyStudy(root: string): Promise<StudyFixture> {
  const t0 = performance.now();
  const study = preset("tiny");
  const datasetDir = path.join("data", "tiny");
  await generateDataset(study.dataset, path.join(root, datasetDir), { quiet: true, preset: "tiny" });
  const runs = { mkl0: path.join("data", "runs", "tiny-mkl0"), rhol0: path.join("data", "runs", "tiny-rhol0") };
  for (const target of ["mkl0", "rhol0"] as const) {
    await trainEstimator({ dataset: path.join(root, datasetDir), target, out: path.join(root, runs[target]), training: study.training, quiet: true });
  }
  return { root, datasetDir, runs, seconds: (performance.now() - t0) / 1000 };
}
