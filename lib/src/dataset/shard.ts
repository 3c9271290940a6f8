/**
 * Shards: part i of N of a dataset, each a contiguous range of record indices, made on its own
 * (another machine, another job) and joined by `gaitid merge` into the bytes one run would make.
 * The part can be named by hand ("i/N") or taken from a cluster scheduler ("auto"): a Slurm job
 * array or a Kubernetes Indexed Job, from the environment variables they set in each task.
 */
import { GaitidError } from "../errors";

/** Part i of n of a dataset (0 <= index < count). */
export interface Shard {
  index: number;
  count: number;
}

/**
 * The environment variable that gives the number of parts where the scheduler does not (a
 * Kubernetes Indexed Job sets only the index): set it to the Job's `completions`.
 */
export const SHARD_COUNT_VARIABLE = "GAITID_SHARD_COUNT";

/** The record range [lo, hi) of a shard of a dataset of n records. */
export function shardRange(n: number, shard?: Shard): [number, number] {
  if (!shard) return [0, n];
  return [Math.floor((shard.index * n) / shard.count), Math.floor(((shard.index + 1) * n) / shard.count)];
}

/** A whole number written in decimal digits only ("0x10", "1e3", " 7" and "" are not). */
function wholeNumber(text: string | undefined): number | undefined {
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
}

type Environment = Record<string, string | undefined>;

const HOW = (
  `a Slurm job array (sbatch --array=0-(N-1): SLURM_ARRAY_TASK_ID with SLURM_ARRAY_TASK_COUNT, or SLURM_ARRAY_TASK_MIN/MAX) ` +
  `or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, with the count in ${SHARD_COUNT_VARIABLE} or as --shard auto/N)`
);

/** Reads an environment variable that must be a whole number; undefined when unset. */
function envNumber(env: Environment, name: string): number | undefined {
  const text = env[name];
  if (text === undefined || text === "") return undefined;
  const v = wholeNumber(text.trim());
  if (v === undefined) throw new GaitidError(`--shard auto: ${name} must be a whole number; got ${JSON.stringify(text)}`);
  return v;
}

/**
 * Part and count of a Slurm job array task. Slurm numbers tasks by the --array values (0-7, 1-8,
 * 0-14:2, ...): the part is the task's position among them, (ID - MIN) / STEP; the count is
 * SLURM_ARRAY_TASK_COUNT, or (MAX - MIN) / STEP + 1. An array given as a list of values that are
 * not evenly spaced (--array=1,4,5) has no such position and is refused.
 */
function slurmShard(env: Environment): { index: number; count: number } {
  const id = envNumber(env, "SLURM_ARRAY_TASK_ID")!;
  const min = envNumber(env, "SLURM_ARRAY_TASK_MIN") ?? 0;
  const max = envNumber(env, "SLURM_ARRAY_TASK_MAX");
  const step = envNumber(env, "SLURM_ARRAY_TASK_STEP") ?? 1;
  const count = envNumber(env, "SLURM_ARRAY_TASK_COUNT") ?? (max !== undefined && step > 0 ? (max - min) / step + 1 : undefined);
  if (count === undefined) {
    throw new GaitidError("--shard auto: SLURM_ARRAY_TASK_ID is set but neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MIN/MAX: is this a job array task?");
  }
  const index = step > 0 ? (id - min) / step : Number.NaN;
  const spaced = max === undefined || (step > 0 && (max - min) / step + 1 === count);
  if (!spaced || !Number.isInteger(index) || !Number.isInteger(count) || index < 0 || index >= count) {
    throw new GaitidError(
      `--shard auto: Slurm task ${id} of an array of ${count} (min ${min}, max ${max ?? "?"}, step ${step}) is not one of ${count} evenly spaced tasks; ` +
        `submit the array as a range, e.g. sbatch --array=0-${Number.isInteger(count) ? count - 1 : "N-1"}`,
    );
  }
  return { index, count };
}

/**
 * The shard of this task as the scheduler gave it: a Slurm job array or a Kubernetes Indexed Job
 * (see {@link HOW}). `count`, when given (--shard auto/N), must agree with the scheduler's count.
 */
export function shardFromScheduler(env: Environment = process.env, count?: number): Shard {
  const slurm = env.SLURM_ARRAY_TASK_ID !== undefined && env.SLURM_ARRAY_TASK_ID !== "";
  const k8s = env.JOB_COMPLETION_INDEX !== undefined && env.JOB_COMPLETION_INDEX !== "";
  if (slurm && k8s) throw new GaitidError("--shard auto: both SLURM_ARRAY_TASK_ID and JOB_COMPLETION_INDEX are set; give the part by hand with --shard i/N");
  if (!slurm && !k8s) throw new GaitidError(`--shard auto: no scheduler task found in the environment; run it as a task of ${HOW}, or give the part by hand with --shard i/N`);
  const fromVariable = envNumber(env, SHARD_COUNT_VARIABLE);
  let shard: Shard;
  if (slurm) shard = slurmShard(env);
  else {
    const total = count ?? fromVariable;
    if (total === undefined) {
      throw new GaitidError(`--shard auto: JOB_COMPLETION_INDEX is set but not the number of parts; set ${SHARD_COUNT_VARIABLE} to the Job's completions, or pass --shard auto/N`);
    }
    shard = { index: envNumber(env, "JOB_COMPLETION_INDEX")!, count: total };
  }
  for (const [what, n] of [["--shard auto/N", count], [SHARD_COUNT_VARIABLE, fromVariable]] as const) {
    if (n !== undefined && n !== shard.count) throw new GaitidError(`--shard auto: ${what} says ${n} parts but the scheduler runs ${shard.count}`);
  }
  if (!(shard.count >= 1) || !(shard.index < shard.count)) {
    throw new GaitidError(`--shard auto: the scheduler's index ${shard.index} is not below the number of parts ${shard.count}`);
  }
  return shard;
}

/**
 * Parses --shard: "i/N" (part i of N, 0 <= i < N), "auto" (part and count from the scheduler, see
 * {@link shardFromScheduler}) or "auto/N" (the part from the scheduler, N parts).
 */
export function parseShard(text: string, env: Environment = process.env): Shard {
  const t = text.trim();
  const auto = /^auto(?:\/(\d+))?$/.exec(t);
  if (auto) {
    const count = wholeNumber(auto[1]);
    if (count === 0) throw new GaitidError(`--shard auto/N needs N >= 1; got "${text}"`);
    return shardFromScheduler(env, count);
  }
  const m = /^(\d+)\/(\d+)$/.exec(t);
  const index = m ? Number(m[1]) : Number.NaN;
  const count = m ? Number(m[2]) : Number.NaN;
  if (!m || !(count >= 1) || !(index >= 0 && index < count)) {
    throw new GaitidError(`--shard must be i/N with whole numbers 0 <= i < N (part i of N, counting from 0), or auto (from a Slurm job array or a Kubernetes Indexed Job); got "${text}"`);
  }
  return { index, count };
}
