/** `gaitid generate` and `gaitid merge`: synthetic gait datasets. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Command } from "../cli/args";
import { choiceFlag, integerFlag, parseFlags } from "../cli/args";
import { preset, validateDatasetConfig, type Channels } from "../config";
import { GaitidError } from "../errors";
import { generateDataset, mergeDatasets, parseShard } from "../dataset/generate";

const HELP = `usage: gaitid generate [--preset tiny|quick|paper] [--records N] [--channels xy|xy+grf]
                       [--seed S] [--workers W] [--out data/NAME] [--force] [--shard i/N]

Makes a synthetic gait dataset: subjects m ~ U[60, 75] kg, k ~ U[8000, 10000] N/m,
l0 ~ U[0.6, 0.8] m; a gait condition per unit mass (alpha0, e); 15 s of walking sampled every
0.1 s (151 samples). Writes X.npy (float32 [records, 151, channels]), params.csv, manifest.json
and the parameter summary (summary.csv, summary.txt) into the output folder, atomically.

  --preset P      tiny (400 records), quick (20,000) or paper (1,000,000); default quick
  --records N     number of records (overrides the preset)
  --channels C    xy (x, y in m; default) or xy+grf (adds the ground reaction force fx, fy in N)
  --seed S        master seed (default from the preset); same seed, same bytes
  --workers W     worker threads (default: one per core, ${os.cpus().length} here); 0: main thread
  --out DIR       output folder (default data/<preset>, or data/<preset>-grf with xy+grf)
  --force         replace an existing dataset at --out
  --shard i/N     make only part i of N (0 <= i < N) into --out; join the parts with gaitid merge`;

const MERGE_HELP = `usage: gaitid merge --out data/NAME [--force] PART_DIR...

Joins the parts made with gaitid generate --shard i/N into the dataset a single run would have
made (X.npy and params.csv byte for byte). Every part must be present, made with the same
configuration.`;

export const generateCommand: Command = {
  name: "generate",
  summary: "generate a synthetic gait dataset (parallel, deterministic)",
  help: HELP,
  async run(argv) {
    const str = { type: "string" } as const;
    const { values, help } = parseFlags("generate", argv, {
      preset: str, records: str, channels: str, seed: str, workers: str, out: str, shard: str, force: { type: "boolean" },
    });
    if (help) {
      console.log(HELP);
      return 0;
    }
    const presetName = typeof values.preset === "string" ? values.preset : "quick";
    const study = preset(presetName);
    const config = study.dataset;
    config.records = integerFlag(values, "records", 1) ?? config.records;
    config.channels = choiceFlag<Channels>(values, "channels", ["xy", "xy+grf"]) ?? config.channels;
    config.seed = integerFlag(values, "seed", 0, 2 ** 32 - 1) ?? config.seed;
    validateDatasetConfig(config);
    const workers = integerFlag(values, "workers", 0, 256) ?? os.cpus().length;
    const shard = typeof values.shard === "string" ? parseShard(values.shard) : undefined;
    const out = typeof values.out === "string" ? values.out : path.join("data", presetName + (config.channels === "xy+grf" ? "-grf" : ""));
    if (shard && config.records < shard.count) throw new GaitidError(`--shard ${shard.index}/${shard.count}: more parts than records (${config.records})`);
    console.error(
      `generating ${config.records} records${shard ? ` (part ${shard.index} of ${shard.count})` : ""}, channels ${config.channels}, ` +
        `seed ${config.seed}, ${workers} worker(s), into ${out}`,
    );
    const m = await generateDataset(config, out, { workers, force: Boolean(values.force), shard, preset: presetName });
    const acc = m.acceptance as { rate: number; attempts: number; failures: Record<string, number> };
    const summaryFile = path.join(out, "summary.txt");
    if (fs.existsSync(summaryFile)) console.log(fs.readFileSync(summaryFile, "utf8"));
    console.log(
      `${m.records} records in ${out} (${(m.timings as { generateSeconds: number }).generateSeconds.toFixed(1)} s); ` +
        `acceptance ${(100 * acc.rate).toFixed(2)}% of ${acc.attempts} gait conditions; failures ${JSON.stringify(acc.failures)}`,
    );
    return 0;
  },
};

export const mergeCommand: Command = {
  name: "merge",
  summary: "join dataset parts made with generate --shard",
  help: MERGE_HELP,
  async run(argv) {
    const { parseArgs } = await import("node:util");
    let parsed;
    try {
      parsed = parseArgs({ args: argv, options: { out: { type: "string" }, force: { type: "boolean" }, help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true });
    } catch (err) {
      throw new GaitidError(`${(err as Error).message}; see gaitid merge --help`);
    }
    if (parsed.values.help) {
      console.log(MERGE_HELP);
      return 0;
    }
    if (!parsed.values.out) throw new GaitidError("--out is required (the folder of the merged dataset)");
    const m = await mergeDatasets(parsed.positionals, parsed.values.out, { force: parsed.values.force });
    console.log(`merged ${parsed.positionals.length} parts into ${parsed.values.out}: ${m.records} records`);
    return 0;
  },
};
