/**
 * Training throughput of the estimator's networks (151 samples x 2 channels -> 3 outputs; the
 * paper's 7 x 50 ELU network by default, or --arch cnn|gru) with batch size 1000, for each
 * TensorFlow.js backend that loads here: samples per second of the real training step
 * (trainEpoch: forward, gradients, Adam). Random inputs; the numbers do not depend on the data.
 * Each backend runs in its own process (one core each, as training does).
 *
 *   npm run bench:train [-- --records 20000 --epochs 3 --batch-size 1000 --backend wasm --activation elu --arch mlp]
 *
 * With --products (the paper network only), it times instead just the matrix products of one
 * training step, back to back, with the operands already transposed as the step needs them: the
 * forward products x W0, h Wi, and per layer the backward dy Wi^T and h^T dy (x^T dy for the input
 * layer). No step can be faster than that, so it is the ceiling of the samples/s above on this
 * backend, whatever is done about the rest of the step.
 */
import { execFileSync } from "node:child_process";
import * as tf from "@tensorflow/tfjs";
import { parseArgs } from "node:util";
import { preset, type TrainingConfig } from "../lib/src/config";
import { Adam } from "../lib/src/estimator/adam";
import { AUTO_ORDER, selectBackend, type BackendName } from "../lib/src/estimator/backend";
import { MSE, trainEpoch } from "../lib/src/estimator/loop";
import { buildNet, checkArch } from "../lib/src/estimator/net";
import { shuffleForEpoch } from "../lib/src/estimator/rng";

const { values } = parseArgs({
  options: {
    records: { type: "string", default: "20000" },
    epochs: { type: "string", default: "3" },
    "batch-size": { type: "string", default: "1000" },
    backend: { type: "string" },
    activation: { type: "string", default: "elu" },
    arch: { type: "string", default: "mlp" },
    child: { type: "boolean", default: false },
    products: { type: "boolean", default: false },
  },
});
const records = Number(values.records), epochs = Number(values.epochs), batchSize = Number(values["batch-size"]);

async function measure(backend: BackendName): Promise<{ samplesPerSecond: number[]; info: string }> {
  const info = await selectBackend(backend);
  const training = { ...preset("paper").training, batchSize, activation: values.activation as TrainingConfig["activation"] };
  const F = 151 * 2, T = 3;
  const net = buildNet(checkArch(values.arch), F, 2, T, { ...training, seed: 1 });
  const adam = new Adam(net.vars, { learningRate: training.learningRate });
  const features = new Float32Array(records * F), targets = new Float32Array(records * T);
  for (let i = 0; i < features.length; i++) features[i] = Math.sin(i * 0.37) + Math.cos(i * 0.011);
  for (let i = 0; i < targets.length; i++) targets[i] = Math.sin(i * 1.3);
  const data = { features, targets, featureCount: F, targetCount: T };
  const order = new Int32Array(records);
  const run = (e: number): number => {
    for (let i = 0; i < records; i++) order[i] = i;
    shuffleForEpoch(order, 1, e);
    const t0 = performance.now();
    trainEpoch(net, MSE, adam, data, order, batchSize);
    return records / ((performance.now() - t0) / 1000);
  };
  run(-1); // warm-up: JIT, XNNPACK operators, memory
  const sps: number[] = [];
  for (let e = 0; e < epochs; e++) sps.push(run(e));
  const extra = info.name === "wasm" ? ` (simd ${info.simd}, threads ${info.threads})` : "";
  return { samplesPerSecond: sps, info: `${info.name}${extra}, tfjs ${info.tfjsVersion}, ${net.info.parameters} weights` };
}

/** samples/s if a step were only its matrix products (see the module comment). */
async function productsCeiling(backend: BackendName): Promise<{ samplesPerSecond: number[]; info: string }> {
  const info = await selectBackend(backend);
  const n = batchSize, z = [302, 50, 50, 50, 50, 50, 50, 50, 3];
  const rnd = (r: number, c: number): tf.Tensor2D => tf.randomUniform([r, c], -1, 1, "float32", 1) as tf.Tensor2D;
  const W = z.slice(0, -1).map((a, i) => rnd(a, z[i + 1])), WT = W.map((w) => tf.transpose(w) as tf.Tensor2D);
  const H = z.slice(0, -1).map((a) => rnd(n, a)), HT = H.map((h) => tf.transpose(h) as tf.Tensor2D);
  const DY = z.slice(1).map((b) => rnd(n, b));
  const step = (): void => {
    const out = tf.tidy(() => {
      const r: tf.Tensor[] = [];
      for (let i = 0; i < W.length; i++) {
        r.push(tf.matMul(H[i], W[i]), tf.matMul(HT[i], DY[i]));
        if (i > 0) r.push(tf.matMul(DY[i], WT[i]));
      }
      return r;
    });
    for (const t of out) t.dataSync();
    tf.dispose(out);
  };
  const batches = Math.max(1, Math.round(records / n));
  const run = (): number => {
    const t0 = performance.now();
    for (let b = 0; b < batches; b++) step();
    return (batches * n) / ((performance.now() - t0) / 1000);
  };
  run();
  const sps = Array.from({ length: epochs }, run);
  return { samplesPerSecond: sps, info: `${info.name}, matrix products of a step only (the ceiling)` };
}

async function main(): Promise<void> {
  if (values.child && values.products) {
    process.stdout.write(JSON.stringify(await productsCeiling(values.backend as BackendName)));
    return;
  }
  if (values.child) {
    const r = await measure(values.backend as BackendName);
    process.stdout.write(JSON.stringify(r));
    return;
  }
  const backends = values.backend ? [values.backend as BackendName] : AUTO_ORDER;
  const what = values.arch === "mlp" ? `paper network (302 -> 7 x 50 ${values.activation} -> 3)` : `${values.arch} (151 x 2 -> 3, ${values.activation})`;
  console.log(`training throughput: ${what}, batch ${batchSize}, ${records} records, ${epochs} timed epochs after one warm-up`);
  for (const b of backends) {
    try {
      const out = execFileSync(process.execPath, [...process.execArgv, __filename, "--child", "--backend", b, "--records", String(records), "--epochs", String(epochs), "--batch-size", String(batchSize), "--activation", String(values.activation), "--arch", String(values.arch), ...(values.products ? ["--products"] : [])], {
        stdio: ["ignore", "pipe", "pipe"],
      }).toString();
      const r = JSON.parse(out) as { samplesPerSecond: number[]; info: string };
      const s = [...r.samplesPerSecond].sort((a, b2) => a - b2);
      const median = s[Math.floor(s.length / 2)];
      console.log(`${b.padEnd(5)} ${Math.round(median).toLocaleString("en-US").padStart(8)} samples/s (median; best ${Math.round(s[s.length - 1]).toLocaleString("en-US")})  ${r.info}`);
    } catch (err) {
      const e = err as { stderr?: Buffer; message: string };
      const why = (e.stderr?.toString() ?? e.message).split("\n").find((l) => /^\w*Error: /.test(l)) ?? e.message.split("\n")[0];
      console.log(`${b.padEnd(5)} not available: ${why.trim()}`);
    }
  }
}

void main();
