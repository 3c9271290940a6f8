/**
 * The parameter summary of a dataset (count, mean, std, min, median, max per column), made with
 * danfojs-node's describe(), saved as summary.csv and summary.txt beside the data.
 */
import { writeFileAtomic } from "../provenance";

/**
 * Numeric columns of params.csv that the summary describes. Not `steps`: it takes only a dozen
 * distinct values, and danfojs's median (a quickselect that degrades on many equal values) took
 * 188 s on the 1,000,000 steps of the paper preset, against 1 s for each real-valued column.
 */
export const SUMMARY_COLUMNS = ["m", "k", "l0", "rho", "alpha0", "e", "y0", "vx0", "speed"] as const;

type Danfo = typeof import("danfojs-node");
let danfo: Danfo | undefined;

/**
 * danfojs-node, loaded on first use. It bundles TensorFlow.js 3 whose kernels announce themselves
 * as "already registered" next to our TensorFlow.js 4 (hundreds of console warnings, harmless):
 * those warnings are silenced while it loads, and only those.
 */
export function loadDanfo(): Danfo {
  if (danfo) return danfo;
  const warn = console.warn;
  const log = console.log;
  const quietRegistration = (orig: (...a: unknown[]) => void) => (...args: unknown[]) => {
    const first = String(args[0] ?? "");
    if (/already registered|Platform node has already been set/.test(first)) return;
    orig(...args);
  };
  console.warn = quietRegistration(warn);
  console.log = quietRegistration(log);
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    danfo = require("danfojs-node") as Danfo;
  } finally {
    console.warn = warn;
    console.log = log;
  }
  return danfo;
}

/** The summary table: rows are statistics, columns the parameters. */
export interface ParameterSummary {
  columns: string[];
  index: string[];
  /** values[row][column]. */
  values: number[][];
  /** The table as danfojs prints it. */
  text: string;
}

/**
 * Describes the columns (equal-length arrays) with danfojs-node: each column's Series.describe()
 * (count, mean, std, min, median, max, variance), gathered into one DataFrame. Column by column,
 * because danfojs holds several copies of whatever it is given: describing a 1,000,000-record
 * DataFrame of 10 columns at once peaked at 2.3 GB here, one column at a time at 0.7 GB.
 */
export function describeColumns(columns: Record<string, ArrayLike<number>>): ParameterSummary {
  const dfd = loadDanfo();
  const names = Object.keys(columns);
  let index: string[] = [];
  const byColumn: number[][] = [];
  for (const name of names) {
    const d = new dfd.Series(Array.from(columns[name])).describe();
    index = d.index.map(String);
    byColumn.push((d.values as number[]).map(Number));
  }
  const values = index.map((_, i) => byColumn.map((col) => col[i]));
  const table = new dfd.DataFrame(values, { columns: names, index });
  return { columns: names, index, values, text: table.toString() };
}

/** Writes summary.csv (statistic,<columns>) and summary.txt into `dir`. */
export function writeSummary(dir: string, s: ParameterSummary): void {
  const lines = [["statistic", ...s.columns].join(",")];
  s.index.forEach((stat, i) => lines.push([stat, ...s.values[i].map((v) => String(v))].join(",")));
  writeFileAtomic(`${dir}/summary.csv`, lines.join("\n") + "\n");
  writeFileAtomic(`${dir}/summary.txt`, s.text + "\n");
}

/** Reads summary.csv back. */
export function parseSummaryCsv(text: string): Omit<ParameterSummary, "text"> {
  const [head, ...rows] = text.trim().split("\n");
  const columns = head.split(",").slice(1);
  const index: string[] = [];
  const values: number[][] = [];
  for (const r of rows) {
    const f = r.split(",");
    index.push(f[0]);
    values.push(f.slice(1).map(Number));
  }
  return { columns, index, values };
}
