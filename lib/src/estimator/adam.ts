/**
 * Adam (Kingma & Ba 2015) over plain variables, with a state that can be saved and restored
 * exactly (TensorFlow.js's own optimizer recomputes beta^t on restore, which changes the last
 * bits; a resumed run must equal the uninterrupted one).
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

export class Adam {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  step = 0;
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];

  constructor(private readonly vars: readonly tf.Variable[], opts: AdamOptions) {
    this.learningRate = opts.learningRate;
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.epsilon = opts.epsilon ?? 1e-7;
    this.m = vars.map((x) => tf.variable(tf.zerosLike(x), false));
    this.v = vars.map((x) => tf.variable(tf.zerosLike(x), false));
  }

  /** One update with `grads` (same order as the variables). */
  apply(grads: readonly tf.Tensor[]): void {
    this.step += 1;
    const t = this.step;
    // Bias corrections in double precision, from the step count alone.
    const c1 = 1 - Math.pow(this.beta1, t), c2 = 1 - Math.pow(this.beta2, t);
    const lrT = this.learningRate / c1;
    tf.tidy(() => {
      this.vars.forEach((x, i) => {
        const g = grads[i];
        const m = tf.add(tf.mul(this.m[i], this.beta1), tf.mul(g, 1 - this.beta1));
        const v = tf.add(tf.mul(this.v[i], this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
        this.m[i].assign(m);
        this.v[i].assign(v);
        const denom = tf.add(tf.sqrt(tf.div(v, c2)), this.epsilon);
        x.assign(tf.sub(x, tf.mul(tf.div(m, denom), lrT)));
      });
    });
  }

  /** A copy of the state (reads the moments back from the backend). */
  state(): AdamState {
    return { step: this.step, m: this.m.map((x) => x.dataSync() as Float32Array).map((a) => a.slice()), v: this.v.map((x) => x.dataSync() as Float32Array).map((a) => a.slice()) };
  }

  /** Restores a state saved by {@link state}. */
  restore(s: AdamState): void {
    if (s.m.length !== this.m.length || s.v.length !== this.v.length) {
      throw new Error(`optimizer state holds ${s.m.length} variables; the network has ${this.m.length}`);
    }
    this.step = s.step;
    tf.tidy(() => {
      this.m.forEach((x, i) => x.assign(tf.tensor(s.m[i], x.shape)));
      this.v.forEach((x, i) => x.assign(tf.tensor(s.v[i], x.shape)));
    });
  }

  dispose(): void {
    tf.dispose([...this.m, ...this.v]);
  }
}
