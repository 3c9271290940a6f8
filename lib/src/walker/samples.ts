/**
 * The samples of a walk as it is integrated: the state (x, y, vx, vy) at the record's fixed times
 * (and the ground reaction force per unit mass where asked), read off the integrator's dense
 * output, with the largest drift of the specific energy seen at a sample or an event.
 */
import * as physics from "./physics";
import type { Mechanics } from "./physics";

// Module-local copies of the physics (see the note in integrate/dop853.ts).
const { grfPerMass, specificEnergy } = physics;

/** Sample times k / (1/dt) when 1/dt is a whole number (0.3, not 0.30000000000000004), else k dt; s. */
export function sampleClock(dt: number): (i: number) => number {
  const rate = Math.abs(1 / dt - Math.round(1 / dt)) < 1e-9 ? Math.round(1 / dt) : 0;
  return (i: number): number => (rate > 0 ? i / rate : i * dt);
}

/** The sampled record of one walk, filled in time order. */
export class WalkSamples {
  /** Sample times, s. */
  readonly t: Float64Array;
  /** CoM position (m) and velocity (m/s). */
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly vx: Float64Array;
  readonly vy: Float64Array;
  /** Ground reaction force per unit mass, N/kg (only when asked for). */
  readonly fx?: Float64Array;
  readonly fy?: Float64Array;
  /** Samples written so far. */
  count = 0;
  /** Largest |e - e0| seen, J/kg. */
  drift = 0;
  private readonly grf = new Float64Array(2);

  /**
   * @param n number of samples
   * @param time the time of sample i, s
   * @param e0 specific energy at the start, J/kg
   */
  constructor(
    private readonly p: Mechanics,
    readonly n: number,
    readonly time: (i: number) => number,
    withGrf: boolean,
    readonly e0: number,
  ) {
    this.t = new Float64Array(n);
    this.x = new Float64Array(n);
    this.y = new Float64Array(n);
    this.vx = new Float64Array(n);
    this.vy = new Float64Array(n);
    if (withGrf) {
      this.fx = new Float64Array(n);
      this.fy = new Float64Array(n);
    }
  }

  /** Records the energy drift of state `s` on the feet `feet` (at a sample or an event). */
  watchEnergy(s: Float64Array, feet: readonly number[]): void {
    const d = Math.abs(specificEnergy(this.p, s, feet) - this.e0);
    if (d > this.drift) this.drift = d;
  }

  /** Writes state `s` as the next sample. */
  write(s: Float64Array, feet: readonly number[]): void {
    const k = this.count;
    this.t[k] = this.time(k);
    this.x[k] = s[0];
    this.y[k] = s[1];
    this.vx[k] = s[2];
    this.vy[k] = s[3];
    if (this.fx && this.fy) {
      grfPerMass(this.p, s, feet, this.grf);
      this.fx[k] = this.grf[0];
      this.fy[k] = this.grf[1];
    }
    this.watchEnergy(s, feet);
    this.count = k + 1;
  }

  /** Writes every sample due up to time `b` (s), read from `dense` into `probe`. */
  fillUntil(b: number, dense: (t: number, out: Float64Array) => void, probe: Float64Array, feet: readonly number[]): void {
    while (this.count < this.n && this.time(this.count) <= b) {
      dense(this.time(this.count), probe);
      this.write(probe, feet);
    }
  }
}
