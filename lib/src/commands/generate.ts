/** `gaitid generate` and `gaitid merge`: synthetic gait datasets. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Command } from "../cli/args";
import { choiceFlag, numberFlag, parseFlags, printHelp, WORKERS_RANGE } from "../cli/args";
import { preset, recordsRange, SEED_RANGE, validateDatasetConfig, type Channels, type FieldNames } from "../config";
import { EXIT, GaitidError } from "../errors";
import { generateDataset, mergeDatasets, parseShard } from "../dataset/generate";

const HELP = `usage: gaitid generate [--preset tiny|quick|paper] [--records N] [--channels xy|xy+grf]
                       [--seed S] [--workers W] [--out data/NAME] [--force] [--shard i/N]

Makes a synthetic gait dataset: subjects m ~ U[60, 75] kg, k ~ U[8000, 10000] N/m,
l0 ~ U[0.6, 0.8] m; a gait condition per unit mass (alpha0, e); 15 s of walking sampled every
0.1 s (151 samples). Writes X.npy (float32 [records, 151, channels]), params.csv, manifest.json
and the parameter summary (summary.csv, summary.txt) into the output folder, atomically.

  --preset P      tiny (400 records), quick (20,000) or paper (1,000,000); default quick
  --records N     number of records (overrides the preset), from 1 to ${recordsRange(preset("paper").dataset).max} with xy,
                  ${recordsRange({ ...preset("paper").dataset, channels: "xy+grf" }).max} with xy+grf (X.npy at most 2^30 float32 values, 4 GiB)
  --channels C    xy (x, y in m; default) or xy+grf (adds the ground reaction force fx, fy in N)
  --seed S        master seed, from 0 to 2^32 - 1 (default from the preset); same seed, same bytes
  --workers W     worker threads, 0 to ${WORKERS_RANGE.max} (default: one per core, ${os.cpus().length} here); 0: main thread
  --out DIR       output folder (default data/<preset>, or data/<preset>-grf with xy+grf)
  --force         replace an existing dataset at --out
  --shard i/N     make only part i of N (0 <= i < N) into --out; join the parts with gaitid merge`;

/** The flags of generate by the dataset configuration's fields they set. */
const GENERATE_NAMES: FieldNames = { "dataset.records": "--records", "dataset.channels": "--channels", "dataset.seed": "--seed" };

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
    if (help) return printHelp(HELP);
    const presetName = typeof values.preset === "string" ? values.preset : "quick";
    const study = preset(presetName);
    const config = study.dataset;
    config.channels = choiceFlag<Channels>(values, "channels", ["xy", "xy+grf"]) ?? config.channels;
    config.records = numberFlag(values, "records", recordsRange(config)) ?? config.records;
    config.seed = numberFlag(values, "seed", SEED_RANGE) ?? config.seed;
    validateDatasetConfig(config, GENERATE_NAMES);
    const workers = numberFlag(values, "workers", WORKERS_RANGE) ?? os.cpus().length;
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
    return EXIT.OK;
  },
};

export const mergeCommand: Command = {
  name: "merge",
  summary: "join dataset parts made with generate --shard",
  help: MERGE_HELP,
  async run(argv) {
    const { values, help, positionals } = parseFlags("merge", argv, { out: { type: "string" }, force: { type: "boolean" } }, { positionals: true });
    if (help) return printHelp(MERGE_HELP);
    if (typeof values.out !== "string") throw new GaitidError("--out is required (the folder of the merged dataset)");
    const m = await mergeDatasets(positionals, values.out, { force: Boolean(values.force) });
    console.log(`merged ${positionals.length} parts into ${values.out}: ${m.records} records`);
    return EXIT.OK;
  },
};
