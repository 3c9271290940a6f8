/**
 * Progress of long work on stderr: done / total, rate, elapsed and estimated time left. Throttled
 * (at most a few lines a second); on a terminal one line is redrawn, elsewhere lines are appended.
 */
export interface ProgressOptions {
  /** What is being counted (records, epochs, ...). */
  unit: string;
  /** Prefix of each line. */
  label: string;
  /** Minimum time between lines, ms (default 1000 off a terminal, 200 on one). */
  intervalMs?: number;
  /** Silence (tests). */
  quiet?: boolean;
  /** Where to write (default process.stderr). */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
}

/** Formats seconds as h:mm:ss or m:ss. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${String(r).padStart(2, "0")}` : `${m}:${String(r).padStart(2, "0")}`;
}

export class Progress {
  private readonly start = performance.now();
  private last = 0;
  private done = 0;
  private readonly tty: boolean;
  private readonly stream: NodeJS.WritableStream & { isTTY?: boolean };
  constructor(private readonly total: number, private readonly opts: ProgressOptions) {
    this.stream = opts.stream ?? process.stderr;
    this.tty = Boolean(this.stream.isTTY);
  }

  /** Seconds since the start. */
  get elapsed(): number {
    return (performance.now() - this.start) / 1000;
  }

  /** Sets the count done so far; `extra` is appended to the line. */
  update(done: number, extra = ""): void {
    this.done = done;
    const now = performance.now();
    const interval = this.opts.intervalMs ?? (this.tty ? 200 : 1000);
    if (done < this.total && now - this.last < interval) return;
    this.last = now;
    this.print(extra);
  }

  /** The line as it would be printed now. */
  line(extra = ""): string {
    const el = this.elapsed;
    const rate = this.done / Math.max(el, 1e-9);
    const left = rate > 0 ? (this.total - this.done) / rate : Number.NaN;
    const pct = this.total > 0 ? ((100 * this.done) / this.total).toFixed(1) : "100.0";
    const r = rate >= 100 ? rate.toFixed(0) : rate.toPrecision(3);
    return `${this.opts.label} ${this.done}/${this.total} ${this.opts.unit} (${pct}%) ${r} ${this.opts.unit}/s, elapsed ${formatDuration(el)}, left ${formatDuration(left)}${extra ? `  ${extra}` : ""}`;
  }

  private print(extra: string): void {
    if (this.opts.quiet) return;
    const text = this.line(extra);
    if (this.tty) this.stream.write(`\r${text}\x1b[K${this.done >= this.total ? "\n" : ""}`);
    else this.stream.write(text + "\n");
  }

  /** Prints the final line. */
  finish(extra = ""): void {
    this.done = this.total;
    this.print(extra);
  }
}
