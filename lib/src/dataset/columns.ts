/**
 * What the generator and merge keep of the params rows for the manifest and the summary: the
 * summary's columns as typed arrays and the split counts, not the row objects (at 1,000,000
 * records those would cost hundreds of megabytes).
 */
import type { RecordParams, Split } from "./format";
import { describeColumns, SUMMARY_COLUMNS, type ParameterSummary } from "./summary";

export class ParamColumns {
  readonly columns: Record<string, Float64Array>;
  readonly splits: Record<Split, number> = { train: 0, val: 0, test: 0 };
  private n = 0;
  constructor(capacity: number) {
    this.columns = Object.fromEntries(SUMMARY_COLUMNS.map((c) => [c, new Float64Array(capacity)]));
  }

  /** Rows added so far. */
  get length(): number {
    return this.n;
  }

  add(p: RecordParams): void {
    for (const c of SUMMARY_COLUMNS) this.columns[c][this.n] = p[c];
    this.splits[p.split]++;
    this.n++;
  }

  /** Forgets every row. */
  clear(): void {
    this.n = 0;
    for (const s of Object.keys(this.splits) as Split[]) this.splits[s] = 0;
  }

  /** The danfojs summary of the columns (see {@link describeColumns}). */
  summary(): ParameterSummary {
    return describeColumns(this.columns);
  }
}
