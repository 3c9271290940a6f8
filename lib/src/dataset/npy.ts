/**
 * NumPy .npy files (format version 1.0): a header that numpy.load reads, then the raw array in C
 * order. Only what gaitid stores: little-endian float32 and float64 arrays of any shape.
 * Specification: numpy.lib.format (NEP 1).
 */
import * as fs from "node:fs";
import { GaitidError } from "../errors";

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY

export type NpyDtype = "<f4" | "<f8";

/** The header bytes of a version 1.0 .npy file, padded so the data start on a 64-byte boundary. */
export function npyHeader(shape: readonly number[], dtype: NpyDtype = "<f4"): Buffer {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  let dict = `{'descr': '${dtype}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const unpadded = MAGIC.length + 2 + 2 + dict.length + 1;
  const pad = (64 - (unpadded % 64)) % 64;
  dict = dict + " ".repeat(pad) + "\n";
  const header = Buffer.alloc(MAGIC.length + 4 + dict.length);
  MAGIC.copy(header, 0);
  header[6] = 1; // major version
  header[7] = 0; // minor version
  header.writeUInt16LE(dict.length, 8);
  header.write(dict, 10, "latin1");
  return header;
}

/** What a .npy header says. */
export interface NpyInfo {
  dtype: NpyDtype;
  shape: number[];
  /** Byte offset of the data. */
  offset: number;
}

/** Parses the header of a .npy file held in `head` (at least the first 4 KiB, or the whole file). */
export function parseNpyHeader(head: Buffer, what = "file"): NpyInfo {
  if (head.length < 10 || !head.subarray(0, 6).equals(MAGIC)) {
    throw new GaitidError(`${what} is not a NumPy .npy file (bad magic bytes)`);
  }
  const major = head[6];
  let len: number, start: number;
  if (major === 1) {
    len = head.readUInt16LE(8);
    start = 10;
  } else if (major === 2 || major === 3) {
    len = head.readUInt32LE(8);
    start = 12;
  } else {
    throw new GaitidError(`${what}: unsupported .npy version ${major}`);
  }
  if (head.length < start + len) throw new GaitidError(`${what}: truncated .npy header`);
  const dict = head.subarray(start, start + len).toString("latin1");
  const descr = /'descr':\s*'([^']+)'/.exec(dict)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(dict)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(dict)?.[1];
  if (descr !== "<f4" && descr !== "<f8") {
    throw new GaitidError(`${what}: dtype ${descr ?? "?"} is not supported (expected '<f4' or '<f8')`);
  }
  if (fortran !== "False") throw new GaitidError(`${what}: Fortran-ordered arrays are not supported`);
  if (shapeText === undefined) throw new GaitidError(`${what}: the .npy header has no shape`);
  const shape = shapeText
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new GaitidError(`${what}: bad shape (${shapeText})`);
  return { dtype: descr, shape, offset: start + len };
}

/** Reads a whole .npy file of float32 or float64, checking that its size matches its header. */
export function readNpy(file: string): { info: NpyInfo; data: Float32Array | Float64Array } {
  if (!fs.existsSync(file)) throw new GaitidError(`${file} does not exist`);
  if (!fs.statSync(file).isFile()) throw new GaitidError(`${file} is not a file (a folder or a device); the dataset is damaged: generate it again`);
  return npyFromBuffer(fs.readFileSync(file), file);
}

/** Parses a whole .npy file held in memory, checking that its size matches its header. */
export function npyFromBuffer(buf: Buffer, file = "file"): { info: NpyInfo; data: Float32Array | Float64Array } {
  const info = parseNpyHeader(buf, file);
  const count = info.shape.reduce((a, b) => a * b, 1);
  const width = info.dtype === "<f4" ? 4 : 8;
  if (buf.length !== info.offset + count * width) {
    throw new GaitidError(
      `${file} is damaged: its header promises ${count} values (${info.offset + count * width} bytes) but the file has ${buf.length} bytes`,
    );
  }
  // Copy once into an aligned typed array (the Buffer's byte offset need not be aligned).
  const bytes = buf.subarray(info.offset);
  const data = info.dtype === "<f4" ? new Float32Array(count) : new Float64Array(count);
  new Uint8Array(data.buffer).set(bytes);
  return { info, data };
}

/** Writes a whole array as .npy (to a temporary name, then renamed: never a half-written file). */
export function writeNpy(path: string, shape: readonly number[], data: Float32Array | Float64Array): void {
  const dtype: NpyDtype = data instanceof Float32Array ? "<f4" : "<f8";
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, "w");
  try {
    fs.writeSync(fd, npyHeader(shape, dtype));
    fs.writeSync(fd, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, path);
}
