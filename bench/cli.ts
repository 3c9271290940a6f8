// npm run bench:cli [-- RUNS] — start-up of the command line: `gaitid --help` and a short
// `gaitid simulate ... --json` (a 1 s walk from a given start, without the gait search: about a
// millisecond of work), each spawned RUNS times
// (default 15) as `node lib/bin/gaitid.js` (run `npm run build` first). Prints the median and
// the fastest wall time and the median CPU time (user + system) of the child, which depends less
// on the machine's load than the wall time; `node -e ""` is Node's own start-up for comparison.
// Target: under 400 ms of wall time for both.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const RUNS = Number(process.argv[2] ?? 15);
const TARGET_MS = 400;
const ROOT = path.join(__dirname, "..");
const BIN = path.join(ROOT, "lib", "bin", "gaitid.js");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gaitid-bench-cli-"));
// A preload that writes the child's own CPU time (user + system, µs) when it exits.
const hook = path.join(dir, "cpu.js");
fs.writeFileSync(hook, `process.on("exit", () => require("node:fs").writeFileSync(process.env.GAITID_BENCH_CPU, String(process.cpuUsage().user + process.cpuUsage().system)));`);

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function measure(label: string, args: string[]): { wall: number; cpu: number } {
  const wall: number[] = [], cpu: number[] = [];
  const cpuFile = path.join(dir, "cpu.txt");
  for (let i = 0; i <= RUNS; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ["-r", hook, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, GAITID_BENCH_CPU: cpuFile } });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`${label}: exit ${r.status}\n${r.stderr}`);
    if (i === 0) continue; // the first run warms the file cache
    wall.push(ms);
    cpu.push(Number(fs.readFileSync(cpuFile, "utf8")) / 1000);
  }
  const m = { wall: median(wall), cpu: median(cpu) };
  console.log(
    `${label.padEnd(34)} wall median ${m.wall.toFixed(0).padStart(5)} ms (fastest ${Math.min(...wall).toFixed(0)} ms), ` +
      `CPU median ${m.cpu.toFixed(0).padStart(4)} ms`,
  );
  return m;
}

if (!fs.existsSync(path.join(ROOT, "lib", "dist", "cli.js"))) throw new Error("build first: npm run build");
console.log(`machine: ${os.cpus()[0]?.model ?? "?"} x ${os.cpus().length}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}, node ${process.version}, ${RUNS} runs each`);
try {
  const node = measure("node -e \"\" (Node's own start-up)", ["-e", ""]);
  const help = measure("gaitid --help", [BIN, "--help"]);
  const sim = measure("gaitid simulate ... --json (1 s)", [
    BIN, "simulate", "--rho", "133.33", "--l0", "0.7", "--alpha0", "61", "--y0", "0.66", "--vx0", "0.9", "--duration", "1", "--json",
  ]);
  for (const [label, m] of [["--help", help], ["simulate --json", sim]] as const) {
    console.log(`${label}: ${m.wall <= TARGET_MS ? "within" : "over"} the ${TARGET_MS} ms target; ${(m.wall - node.wall).toFixed(0)} ms wall and ${(m.cpu - node.cpu).toFixed(0)} ms CPU above Node's own start-up`);
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
