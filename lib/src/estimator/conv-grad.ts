/**
 * The gradient of a convolution with respect to its filter (TensorFlow.js's Conv2DBackpropFilter
 * kernel) for the WebAssembly backend, which does not have one: without it a tf.layers conv1d or
 * conv2d layer computes on wasm but cannot be trained there. Written here in plain JavaScript over
 * the tensors' values (the wasm backend keeps them in its heap, readable synchronously), the same
 * sum as the cpu backend's kernel:
 *
 *     dW[r, c, i, o] = sum over batch b and outputs (y, x) of X[b, y sy + r - top, x sx + c - left, i] dY[b, y, x, o]
 *
 * (channels last, dilation 1). Its cost is one multiply-add per filter weight and output position
 * in plain JavaScript: for the CNN's three convolutions that was about two thirds of a training step
 * on wasm, so the CNN now trains through conv-net.ts (matrix products) and this kernel serves the
 * GRU's framing convolution and any layers model with a convolution. Tested against the cpu
 * backend's kernel (test/estimator-arch.test.ts).
 */
import * as tf from "@tensorflow/tfjs";

interface WasmLike {
  readSync(dataId: unknown): unknown;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
}

/** dW of a channels-last convolution from its input x [B, H, W, I] and output gradient dy [B, OH, OW, O]. */
export function convFilterGradient(
  x: Float32Array, xShape: readonly number[], dy: Float32Array, dyShape: readonly number[],
  filterShape: readonly number[], strides: readonly [number, number], pad: { top: number; left: number },
  out: Float32Array = new Float32Array(filterShape.reduce((a, b) => a * b, 1)),
): Float32Array {
  const [B, H, W, I] = xShape, [, OH, OW, O] = dyShape, [FH, FW] = filterShape;
  const [sy, sx] = strides;
  out.fill(0);
  for (let b = 0; b < B; b++) {
    for (let y = 0; y < OH; y++) {
      for (let xo = 0; xo < OW; xo++) {
        const dyBase = ((b * OH + y) * OW + xo) * O;
        for (let r = 0; r < FH; r++) {
          const xr = y * sy + r - pad.top;
          if (xr < 0 || xr >= H) continue;
          for (let c = 0; c < FW; c++) {
            const xc = xo * sx + c - pad.left;
            if (xc < 0 || xc >= W) continue;
            const xBase = ((b * H + xr) * W + xc) * I;
            const wBase = (r * FW + c) * I * O;
            for (let i = 0; i < I; i++) {
              const xv = x[xBase + i];
              if (xv === 0) continue;
              const w = wBase + i * O;
              for (let o = 0; o < O; o++) out[w + o] += xv * dy[dyBase + o];
            }
          }
        }
      }
    }
  }
  return out;
}

let registered = false;

/** Registers {@link convFilterGradient} as the wasm backend's Conv2DBackpropFilter (once; no-op if it has one). */
export function registerWasmConvFilterGradient(): void {
  if (registered || tf.getKernel("Conv2DBackpropFilter", "wasm")) {
    registered = true;
    return;
  }
  tf.registerKernel({
    kernelName: "Conv2DBackpropFilter",
    backendName: "wasm",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
      const a = attrs as unknown as { strides: number | [number, number]; pad: "valid" | "same" | number; dataFormat?: string; dimRoundingMode?: "floor" | "round" | "ceil"; filterShape: [number, number, number, number] };
      if (a.dataFormat && a.dataFormat !== "NHWC") throw new Error(`Conv2DBackpropFilter on wasm: only channels-last (NHWC) data; got ${a.dataFormat}`);
      const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], a.filterShape, a.strides, 1, a.pad, a.dimRoundingMode);
      const be = backend as unknown as WasmLike;
      const out = be.makeOutput([...a.filterShape], "float32");
      convFilterGradient(
        be.readSync(x.dataId) as Float32Array, x.shape, be.readSync(dy.dataId) as Float32Array, dy.shape,
        a.filterShape, [info.strideHeight, info.strideWidth], { top: info.padInfo.top, left: info.padInfo.left }, be.typedArrayFromHeap(out),
      );
      return out;
    },
  });
  registered = true;
}
