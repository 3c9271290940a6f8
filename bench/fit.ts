// npm run bench:fit — the time of one maximum-likelihood fit (4 starts, a 15 s record) and of one
// profile likelihood (the interval search alone, and with a 41-point curve) on one core, for both
// observation models, on a test record of a small dataset made here with the paper's settings.
// Prints the figures; the README quotes them (say whether the machine was otherwise idle).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { preset } from "../lib/src/config";
import { readDatasetManifest, readDatasetParams } from "../lib/src/dataset/format";
import { generateDataset } from "../lib/src/dataset/generate";
import { datasetChannelScales, fitRecord, noiseSigma, noisyObservation, priorsOf, profileParameter } from "../lib/src/fit";
import { recordFromParams } from "../lib/src/identifiability/records";
import { WalkerSimulator } from "../lib/src/walker/simulate";

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gaitid-bench-fit-"));
  try {
    const ds = path.join(dir, "ds");
    await generateDataset({ ...preset("tiny").dataset, records: 40 }, ds, { workers: 0, quiet: true });
    const manifest = readDatasetManifest(ds), params = readDatasetParams(ds);
    const priors = priorsOf(manifest.config as never);
    const scales = datasetChannelScales(ds, manifest, params, 20);
    const sim = new WalkerSimulator();
    console.log(`machine: ${os.cpus()[0]?.model ?? "?"} x ${os.cpus().length}, node ${process.version}, load average ${os.loadavg().map((v) => v.toFixed(2)).join(" ")}`);
    for (const row of params.filter((p) => p.split === "test").slice(0, 2)) {
      const rec = recordFromParams(row, manifest.duration, manifest.dt);
      for (const observe of ["xy", "xy+grf"] as const) {
        const obs = noisyObservation(sim, rec, observe, noiseSigma({ fraction: 0.01 }, scales, observe), scales, 1);
        const fit = fitRecord(sim, obs, { priors, starts: 4 });
        const a = profileParameter(sim, obs, fit, "rho", { priors, points: 0 });
        const b = profileParameter(sim, obs, fit, "rho", { priors, points: 41 });
        console.log(`record ${row.id} ${observe.padEnd(6)}: fit ${fit.seconds.toFixed(2)} s (${fit.simulations} walks); profile of rho ${a.seconds.toFixed(2)} s (interval), ${b.seconds.toFixed(2)} s (41 points)`);
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
void main();
