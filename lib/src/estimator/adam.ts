/**
 * Adam (Kingma & Ba 2015) over plain variables, with a state that can be saved and restored
 * exactly (TensorFlow.js's own optimizer recomputes beta^t on restore, which changes the last
 * bits; a resumed run must equal the uninterrupted one).
 *
 * The update runs in JavaScript on the variables' values, one pass per variable, instead of
 * eleven backend operations per variable (a third of a training step's operations for the
 * paper's network, each with its own dispatch and allocation). Every operation is rounded to
 * float32 with Math.fround in the order the backend would compute it, and +, -, *, / and sqrt
 * rounded once from double are the float32 operations themselves: the result is bit for bit
 * that of the same update written with TensorFlow.js operations (test/estimator-adam.test.ts).
 */
import * as tf from "@tensorflow/tfjs";

export interface AdamOptions {
  learningRate: number;
  beta1?: number;
  beta2?: number;
  /** Added to sqrt(v) (Keras's and TensorFlow.js's default 1e-7). */
  epsilon?: number;
}

/** The saved state: step count and both moments of every variable. */
export interface AdamState {
  step: number;
  m: Float32Array[];
  v: Float32Array[];
}

const f = Math.fround;

export class Adam {
  /** The rate of the next updates (the posterior variant lowers it between epochs: posterior/schedule.ts). */
  learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  step = 0;
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];

  constructor(private readonly vars: readonly tf.Variable[], opts: AdamOptions) {
    this.learningRate = opts.learningRate;
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.epsilon = opts.epsilon ?? 1e-7;
    this.m = vars.map((x) => new Float32Array(x.size));
    this.v = vars.map((x) => new Float32Array(x.size));
  }

  /** One update with `grads` (same order as the variables). */
  apply(grads: readonly tf.Tensor[]): void {
    this.step += 1;
    const t = this.step;
    // Bias corrections in double precision, from the step count alone; then, like every scalar
    // the backend multiplies by, rounded to float32.
    const c1 = 1 - Math.pow(this.beta1, t), c2 = f(1 - Math.pow(this.beta2, t));
    const lrT = f(this.learningRate / c1);
    const b1 = f(this.beta1), a1 = f(1 - this.beta1), b2 = f(this.beta2), a2 = f(1 - this.beta2), eps = f(this.epsilon);
    this.vars.forEach((x, i) => {
      const g = grads[i].dataSync() as Float32Array;
      const w = (x.dataSync() as Float32Array).slice();
      const m = this.m[i], v = this.v[i];
      for (let j = 0; j < w.length; j++) {
        const gj = g[j];
        const mj = f(f(m[j] * b1) + f(gj * a1));
        const vj = f(f(v[j] * b2) + f(f(gj * gj) * a2));
        m[j] = mj;
        v[j] = vj;
        const denom = f(f(Math.sqrt(f(vj / c2))) + eps);
        w[j] = f(w[j] - f(f(mj / denom) * lrT));
      }
      tf.tidy(() => x.assign(tf.tensor(w, x.shape)));
    });
  }

  /** A copy of the state. */
  state(): AdamState {
    return { step: this.step, m: this.m.map((a) => a.slice()), v: this.v.map((a) => a.slice()) };
  }

  /** Restores a state saved by {@link state}. */
  restore(s: AdamState): void {
    if (s.m.length !== this.m.length || s.v.length !== this.v.length) {
      throw new Error(`optimizer state holds ${s.m.length} variables; the network has ${this.m.length}`);
    }
    this.m.forEach((x, i) => {
      if (s.m[i].length !== x.length || s.v[i].length !== x.length) throw new Error(`optimizer state of variable ${i} holds ${s.m[i].length} values; the network's has ${x.length}`);
    });
    this.step = s.step;
    this.m.forEach((x, i) => x.set(s.m[i]));
    this.v.forEach((x, i) => x.set(s.v[i]));
  }

  /** Nothing to release: the moments are plain arrays (kept for callers that dispose). */
  dispose(): void {}
}
