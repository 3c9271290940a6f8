// npm run bench:simulate — records per second on one core: (a) a 15 s walk from a known gait,
// (b) the generator's gait search (with its stability check and redraws) plus the 15 s walk,
// both at the dataset generator's tolerance. Prints the figures; the README quotes them.
import * as os from "node:os";
import { PRESETS } from "../lib/src/config";
import { makeRecord } from "../lib/src/dataset/record";
import { findGaits } from "../lib/src/walker/gait";
import { G } from "../lib/src/walker/physics";
import { WalkerSimulator } from "../lib/src/walker/simulate";

const config = PRESETS.paper.dataset;
const sim = new WalkerSimulator();
const rho = 9000 / 67.5, l0 = 0.7, alpha0 = (61 * Math.PI) / 180;
const gait = findGaits({ rho, l0, g: G }, alpha0, 1.03 * G * l0).at(-1)!;

function timeIt(label: string, n: number, f: (i: number) => void): number {
  for (let i = 0; i < Math.min(50, n); i++) f(i); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < n; i++) f(i);
  const s = (performance.now() - t0) / 1000;
  console.log(`${label}: ${(n / s).toFixed(0)} records/s (${((1000 * s) / n).toFixed(3)} ms/record, ${n} records)`);
  return n / s;
}

console.log(`machine: ${os.cpus()[0]?.model ?? "?"} x ${os.cpus().length}, node ${process.version}; tolerance rtol ${config.rtol}, atol ${config.atol}`);
const walk = timeIt("(a) 15 s walk from a known gait", 2000, () => {
  sim.run({ mechanics: { rho, l0, g: G }, alpha0, start: [0, gait.y0, gait.vx0, 0], duration: config.duration, dt: config.dt, rtol: config.rtol, atol: config.atol });
});
const out = new Float32Array(151 * 2);
let attempts = 0;
const full = timeIt("(b) gait search + 15 s walk (a dataset record)", 1000, (i) => {
  const r = makeRecord(sim, config, 10_000_000 + i, "train", out, 0);
  attempts += 1 + Object.values(r.failures).reduce((a, b) => a + b, 0);
});
console.log(`    gait conditions drawn per record: ${(attempts / 1050).toFixed(3)}`);
console.log(`one core: paper preset (1,000,000 records) would take ${(1e6 / full / 60).toFixed(1)} min; the walk alone is ${((100 * full) / walk).toFixed(0)}% of (a)'s rate`);
