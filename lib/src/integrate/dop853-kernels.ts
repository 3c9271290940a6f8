/**
 * The DOP853 tableau compiled into straight-line kernels for one state dimension n: the stages of a
 * step with their right-hand side calls, the extra stages of the dense output, the solution, one for the error norms, one for the dense-output coefficients and one that
 * evaluates the interpolant. The coefficients become literals and, for small n, the loop over the
 * components is unrolled (the walker has n = 4, where the loop's own overhead cost about as much
 * as its arithmetic). Each kernel evaluates the same expressions in the same order as a loop over
 * the tableau would, so results are bit-identical to it; the method stays data (dop853-tableau.ts).
 *
 * Why generated code (new Function) and not loops over the sparse tableau: generic loops with
 * indirect indexing cost about three times as much per step, and the walker is integrated millions
 * of times.
 */
import * as tableau from "./dop853-tableau";

const { A_SPARSE, B, C, D, E3, E5, N_STAGES_EXTENDED } = tableau;

/**
 * out = y + h * sum_j b_j K_j for the nonzero weights b_j (the 8th-order solution). K holds the stages one after another
 * (stage j at offset j n): one array, so the unrolled code indexes it with constants.
 */
export type Combine = (y: Float64Array, h: number, K: Float64Array, out: Float64Array) => void;
/** The error norm without the factor |h| (scipy's DOP853._estimate_error_norm). */
export type ErrorNorm = (y: Float64Array, yNew: Float64Array, K: Float64Array, atol: number, rtol: number) => number;
/** Fills the 7 x n dense coefficients F from yOld, y, f, the 16 stages K and the step h. */
export type DenseCoefficients = (yOld: Float64Array, y: Float64Array, f: Float64Array, K: Float64Array, h: number, F: Float64Array) => void;
/** out = the interpolant at the normalised time x in [0, 1] of the step. */
export type DenseEvaluate = (F: Float64Array, yOld: Float64Array, x: number, out: Float64Array) => void;

/**
 * Stages first..last-1 of a step of size h from (t, y): each stage's combination into `tmp`, then
 * rhs(t + c_s h, tmp, Ks[s]). One function for all of them, so that every call is a call site of
 * its own (a loop calling eleven different stage kernels from one site is megamorphic and slow).
 */
export type Stages = (y: Float64Array, h: number, K: Float64Array, Ks: Float64Array[], tmp: Float64Array, t: number, rhs: (t: number, y: Float64Array, dydt: Float64Array) => void) => void;

/** The kernels of one state dimension. */
export interface Kernels {
  /** Stages 1..11 of the step (stage 0 is f at the start). */
  stepStages: Stages;
  /** Stages 13..15, the dense output's extra ones. */
  denseStages: Stages;
  solution: Combine;
  errorNorm: ErrorNorm;
  denseCoefficients: DenseCoefficients;
  denseEvaluate: DenseEvaluate;
}

/** Largest n whose kernels are unrolled; larger systems loop over the components. */
const UNROLL_MAX = 16;

const cache = new Map<number, Kernels>();

/** The kernels for state dimension n (compiled once per n). */
export function kernelsFor(n: number): Kernels {
  let k = cache.get(n);
  if (!k) {
    k = compile(n);
    cache.set(n, k);
  }
  return k;
}

function literal(a: number): string {
  return a.toPrecision(17);
}

/** The statements `body(i)` for every component i, unrolled or as a loop. */
function forEach(n: number, body: (i: string) => string): string {
  if (n <= UNROLL_MAX) return Array.from({ length: n }, (_, i) => body(String(i))).join("\n");
  return `for (let i = 0; i < ${n}; i++) {\n${body("i")}\n}`;
}

/** The index of component i (a literal or the loop variable) of stage j in the flat K. */
function at(n: number, j: number, i: string): string {
  return /^\d+$/.test(i) ? String(j * n + Number(i)) : `${j * n} + ${i}`;
}

/** The nonzero terms [j, a] of a row, in order. */
function nonzero(row: readonly (readonly [number, number])[]): [number, number][] {
  return row.filter(([, a]) => a !== 0).map(([j, a]) => [j, a]);
}

function make<T>(args: string[], body: string): T {
  return new Function(...args, body) as T;
}

/** `out[i] = y[i] + h * (sum of the terms' a_j K_j[i])` for every component i. */
function combination(n: number, out: string, terms: [number, number][]): string {
  return forEach(n, (i) => `${out}[${i}] = y[${i}] + h * (${terms.map(([j, a]) => `${literal(a)} * K[${at(n, j, i)}]`).join(" + ") || "0"});`);
}

function combineKernel(n: number, terms: [number, number][]): Combine {
  return make<Combine>(["y", "h", "K", "out"], combination(n, "out", terms));
}

function stagesKernel(n: number, first: number, last: number): Stages {
  const body: string[] = [];
  for (let st = first; st < last; st++) {
    body.push(combination(n, "tmp", nonzero(A_SPARSE[st])));
    body.push(`rhs(t + ${literal(C[st])} * h, tmp, Ks[${st}]);`);
  }
  return make<Stages>(["y", "h", "K", "Ks", "tmp", "t", "rhs"], body.join("\n"));
}

function errorNormKernel(n: number): ErrorNorm {
  const t5 = nonzero(E5.map((e, j) => [j, e] as const));
  const t3 = nonzero(E3.map((e, j) => [j, e] as const));
  const sum = (t: [number, number][], i: string): string => t.map(([j, e]) => `${literal(e)} * K[${at(n, j, i)}]`).join(" + ");
  const body = [
    "let err5 = 0, err3 = 0, sc = 0, e5 = 0, e3 = 0;",
    forEach(n, (i) =>
      [
        `sc = atol + Math.max(Math.abs(y[${i}]), Math.abs(yNew[${i}])) * rtol;`,
        `e5 = (${sum(t5, i)}) / sc;`,
        `e3 = (${sum(t3, i)}) / sc;`,
        "err5 += e5 * e5;",
        "err3 += e3 * e3;",
      ].join("\n"),
    ),
    // err5^2 / sqrt((err5^2 + 0.01 err3^2) n), the factor |h| applied by the caller.
    "if (err5 === 0 && err3 === 0) return 0;",
    `return err5 / Math.sqrt((err5 + 0.01 * err3) * ${n});`,
  ].join("\n");
  return make<ErrorNorm>(["y", "yNew", "K", "atol", "rtol"], body);
}

/**
 * F[0] = dy, F[1] = h f0 - dy, F[2] = 2 dy - h (f + f0), F[3 + r] = h sum_s D[r][s] K[s] (the
 * nonzero D only: the zero terms add +0 to a sum that never holds -0, so dropping them changes no bit).
 */
function denseCoefficientsKernel(n: number): DenseCoefficients {
  const rows = D.map((row) => nonzero(row.map((d, s) => [s, d] as const)));
  const body = [
    "let dy = 0, f0 = 0, acc = 0;",
    forEach(n, (i) =>
      [
        `dy = y[${i}] - yOld[${i}];`,
        `f0 = K[${at(n, 0, i)}];`,
        `F[${i}] = dy;`,
        `F[${n} + ${i}] = h * f0 - dy;`,
        `F[${2 * n} + ${i}] = 2 * dy - h * (f[${i}] + f0);`,
        ...rows.map((terms, r) => [`acc = 0;`, ...terms.map(([s, d]) => `acc += ${literal(d)} * K[${at(n, s, i)}];`), `F[${(3 + r) * n} + ${i}] = h * acc;`].join("\n")),
      ].join("\n"),
    ),
  ].join("\n");
  return make<DenseCoefficients>(["yOld", "y", "f", "K", "h", "F"], body);
}

/** scipy's Dop853DenseOutput: Horner's scheme with factors alternating between x and 1 - x. */
function denseEvaluateKernel(n: number, power: number): DenseEvaluate {
  const body = [
    "const omx = 1 - x;",
    "let v = 0;",
    forEach(n, (i) =>
      [
        "v = 0;",
        ...Array.from({ length: power }, (_, j) => `v += F[${(power - 1 - j) * n} + ${i}];\nv *= ${j % 2 === 0 ? "x" : "omx"};`),
        `out[${i}] = v + yOld[${i}];`,
      ].join("\n"),
    ),
  ].join("\n");
  return make<DenseEvaluate>(["F", "yOld", "x", "out"], body);
}

function compile(n: number): Kernels {
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`state dimension must be a positive integer; got ${n}`);
  return {
    stepStages: stagesKernel(n, 1, tableau.N_STAGES),
    denseStages: stagesKernel(n, tableau.N_STAGES + 1, N_STAGES_EXTENDED),
    solution: combineKernel(n, nonzero(B.map((b, j) => [j, b] as const))),
    errorNorm: errorNormKernel(n),
    denseCoefficients: denseCoefficientsKernel(n),
    denseEvaluate: denseEvaluateKernel(n, tableau.INTERPOLATOR_POWER),
  };
}
