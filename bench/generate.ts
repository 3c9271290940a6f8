// npm run bench:generate — records/s of the dataset generator with 1 worker and with all cores,
// CPU time, peak memory, and the time the paper preset (1,000,000 records) would take at that rate.
// It runs the compiled library (lib/dist, built by `npm run build`), as `gaitid generate` does:
// from the TypeScript sources every worker thread would first compile them, which is not the
// command's cost. Worker start-up is included in the rate.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PRESETS } from "../lib/dist/config";
import { generateDataset } from "../lib/dist/dataset/generate";

(async () => {
  const records = Number(process.env.BENCH_RECORDS ?? 16000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gaitid-bench-"));
  const config = { ...PRESETS.paper.dataset, records };
  console.log(`machine: ${os.cpus()[0]?.model ?? "?"} x ${os.cpus().length}, node ${process.version}; ${records} records per run`);
  const rates: Record<number, number> = {};
  for (const workers of [1, os.cpus().length]) {
    const t0 = performance.now();
    // CPU time of the whole process, worker threads included: on a loaded machine, records per
    // CPU-second say more than records per second.
    const c0 = process.cpuUsage();
    const m = await generateDataset(config, path.join(tmp, `w${workers}`), { workers, quiet: true });
    const s = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    const cpu = (c.user + c.system) / 1e6;
    const t = m.timings as { generateSeconds: number; summarySeconds: number };
    rates[workers] = records / t.generateSeconds;
    console.log(
      `${workers} worker(s): ${rates[workers].toFixed(0)} records/s (generation ${t.generateSeconds.toFixed(1)} s, summary ${t.summarySeconds.toFixed(1)} s, total ${s.toFixed(1)} s); ` +
        `CPU ${cpu.toFixed(1)} s (${(records / cpu).toFixed(0)} records per CPU-second, summary included); acceptance ${(100 * (m.acceptance as { rate: number }).rate).toFixed(1)}%`,
    );
  }
  const best = rates[os.cpus().length];
  console.log(`paper preset at ${best.toFixed(0)} records/s: ${(1e6 / best / 60).toFixed(1)} min of generation (plus the summary)`);
  console.log(`peak resident memory of this process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB (workers are threads of it)`);
  fs.rmSync(tmp, { recursive: true, force: true });
})();
