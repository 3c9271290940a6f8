/** Scores of an estimator's predictions: RMSE, MAE, bias and R^2 (in the units of the target). */
import { GaitidError } from "../errors";

/** A number that may be undefined (an R^2 over records whose true values are all equal): null. */
export type MaybeNumber = number | null;

/** `x` if finite, else null: how every non-finite number is kept in memory and in JSON. */
export function finiteOrNull(x: number): MaybeNumber {
  return Number.isFinite(x) ? x : null;
}

/** Regression scores of predictions against the truth. */
export interface Scores {
  /** Root mean squared error, units of the target. */
  rmse: number;
  /** Mean absolute error, units of the target. */
  mae: number;
  /** Mean of (prediction - truth), units of the target. */
  bias: number;
  /** Coefficient of determination 1 - SSE / SST (SST about the mean of the truth); null when SST = 0. */
  r2: MaybeNumber;
}

/** Scores of `pred` against `truth` (same length, at least one value). */
export function scores(truth: ArrayLike<number>, pred: ArrayLike<number>): Scores {
  const n = truth.length;
  if (n === 0 || pred.length !== n) {
    throw new GaitidError(`scores need equally long non-empty arrays; got ${n} true and ${pred.length} predicted values`);
  }
  let mean = 0;
  for (let i = 0; i < n; i++) mean += truth[i];
  mean /= n;
  let sse = 0, sae = 0, sb = 0, sst = 0;
  for (let i = 0; i < n; i++) {
    const e = pred[i] - truth[i];
    sse += e * e;
    sae += Math.abs(e);
    sb += e;
    sst += (truth[i] - mean) ** 2;
  }
  return { rmse: Math.sqrt(sse / n), mae: sae / n, bias: sb / n, r2: sst > 0 ? 1 - sse / sst : null };
}
