/**
 * Which TensorFlow.js backend computes: @tensorflow/tfjs-node (native TensorFlow, where it is
 * installed), the WebAssembly backend (XNNPACK with SIMD, one thread under Node) or the plain
 * JavaScript cpu backend. "auto" takes the first that loads, in that order; a backend asked for by
 * name that cannot load is an error, never a silent fallback.
 */
import * as tf from "@tensorflow/tfjs";
import { GaitidError, show } from "../errors";

/** A backend as the command line names it. */
export type BackendName = "node" | "wasm" | "cpu";
/** What may be asked for: a backend, or "auto". */
export type BackendRequest = BackendName | "auto";
export const BACKEND_REQUESTS: readonly BackendRequest[] = ["auto", "node", "wasm", "cpu"];
/** The order in which "auto" tries the backends. */
export const AUTO_ORDER: readonly BackendName[] = ["node", "wasm", "cpu"];

/** TensorFlow.js's own name of each backend. */
const TF_NAME: Record<BackendName, string> = { node: "tensorflow", wasm: "wasm", cpu: "cpu" };

/** The backend in use, as a run's manifest records it. */
export interface BackendInfo {
  /** What was asked for. */
  requested: BackendRequest;
  /** What computes. */
  name: BackendName;
  /** TensorFlow.js's name of it ("tensorflow", "wasm", "cpu"). */
  tfjsBackend: string;
  /** Version of @tensorflow/tfjs-core. */
  tfjsVersion: string;
  /** wasm only: whether SIMD and threads are in use. */
  simd?: boolean;
  threads?: boolean;
  /** Why the backends tried before this one did not load ("auto" only). */
  skipped: string[];
}

/** Loads (registers) a backend's package; throws when it cannot. Replaceable in tests. */
export type BackendLoader = () => Promise<void>;

const DEFAULT_LOADERS: Record<BackendName, BackendLoader> = {
  node: async () => {
    // Optional dependency: its install downloads libtensorflow, which fails on machines without internet.
    require("@tensorflow/tfjs-node");
    if (!tf.findBackendFactory("tensorflow")) {
      throw new Error("@tensorflow/tfjs-node loaded but registered its backend with another copy of @tensorflow/tfjs-core (versions differ?)");
    }
  },
  wasm: async () => {
    require("@tensorflow/tfjs-backend-wasm");
  },
  cpu: async () => {
    /* always registered by @tensorflow/tfjs */
  },
};

function reason(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split("\n")[0];
}

async function activate(name: BackendName, loader: BackendLoader): Promise<void> {
  await loader();
  let ok: boolean;
  try {
    ok = await tf.setBackend(TF_NAME[name]);
  } catch (err) {
    throw new Error(`initialising the ${name} backend failed: ${reason(err)}`);
  }
  if (!ok || tf.getBackend() !== TF_NAME[name]) throw new Error(`the ${name} backend did not initialise`);
  await tf.ready();
  if (name === "cpu") {
    // The cpu backend greets Node users once with advice to install tfjs-node; the manifest says which backend ran.
    (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  }
}

/**
 * Makes `request` the TensorFlow.js backend of this process and says what computes. "auto" tries
 * node, wasm, cpu in turn; a named backend that cannot load throws a {@link GaitidError} with the
 * reason. `loaders` replaces how a backend's package is loaded (tests).
 */
export async function selectBackend(
  request: BackendRequest = "auto",
  loaders: Partial<Record<BackendName, BackendLoader>> = {},
): Promise<BackendInfo> {
  if (!BACKEND_REQUESTS.includes(request)) {
    throw new GaitidError(`backend must be one of ${BACKEND_REQUESTS.join(", ")}; got ${show(request)}`);
  }
  const order = request === "auto" ? AUTO_ORDER : [request];
  const skipped: string[] = [];
  for (const name of order) {
    try {
      await activate(name, loaders[name] ?? DEFAULT_LOADERS[name]);
    } catch (err) {
      if (request !== "auto") {
        const hint =
          name === "node"
            ? " (install @tensorflow/tfjs-node, which needs to download libtensorflow, or use --backend wasm)"
            : name === "wasm"
              ? " (use --backend cpu)"
              : "";
        throw new GaitidError(`the ${name} backend cannot be used: ${reason(err)}${hint}`);
      }
      skipped.push(`${name}: ${reason(err)}`);
      continue;
    }
    const info: BackendInfo = { requested: request, name, tfjsBackend: TF_NAME[name], tfjsVersion: tf.version_core, skipped };
    if (name === "wasm") {
      info.simd = Boolean(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"));
      info.threads = Boolean(await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT"));
    }
    return info;
  }
  throw new GaitidError(`no TensorFlow.js backend could be loaded: ${skipped.join("; ")}`);
}

/** The backends that load on this machine (each tried in turn; the last one tried stays active). */
export async function availableBackends(): Promise<BackendName[]> {
  const out: BackendName[] = [];
  for (const name of AUTO_ORDER) {
    try {
      await selectBackend(name);
      out.push(name);
    } catch {
      /* not available here */
    }
  }
  return out;
}
