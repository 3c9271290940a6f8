/**
 * params.csv read in blocks of whole rows (about 4 MB each): a file of 1,000,000 rows is 180 MB,
 * too much to hold as one string and a million row objects when only a pass over it is needed.
 */
import * as fs from "node:fs";
import { GaitidError } from "../errors";
import { parseParams, PARAMS_HEADER, type RecordParams } from "./format";

const BLOCK = 1 << 22;

/** Re-throws a parse error of a block with the line numbers of the whole file. */
function inFile(err: unknown, firstLine: number): never {
  if (!(err instanceof GaitidError)) throw err;
  throw new GaitidError(err.message.replace(/: line (\d+)/, (_, l: string) => `: line ${Number(l) + firstLine - 2}`), err.exitCode);
}

/**
 * Calls `visit` with each block of rows of the params.csv at `file` and the block's exact text
 * (whole lines, each ending in a newline), reading the first `end` bytes (default: all). The
 * first line must be the header; a last line without its newline is refused (a cut file).
 */
export function forEachParamsBlock(file: string, visit: (rows: RecordParams[], text: string) => void, end?: number): void {
  const fd = fs.openSync(file, "r");
  try {
    const size = end ?? fs.fstatSync(fd).size;
    const buf = Buffer.allocUnsafe(BLOCK);
    let pos = 0, carry = "", line = 1, header = true;
    while (pos < size) {
      const got = fs.readSync(fd, buf, 0, Math.min(BLOCK, size - pos), pos);
      if (got === 0) break;
      pos += got;
      // Rows are ASCII: a block boundary never splits a character.
      const text = carry + buf.toString("latin1", 0, got);
      const cut = text.lastIndexOf("\n") + 1;
      carry = text.slice(cut);
      let body = text.slice(0, cut);
      if (header && body.length > 0) {
        const first = body.slice(0, body.indexOf("\n"));
        if (first !== PARAMS_HEADER) throw new GaitidError(`${file}: the header must be "${PARAMS_HEADER}"; got "${first}"`);
        body = body.slice(first.length + 1);
        header = false;
        line = 2;
      }
      if (body.length === 0) continue;
      let rows: RecordParams[];
      try {
        rows = parseParams(PARAMS_HEADER + "\n" + body, file);
      } catch (err) {
        inFile(err, line);
      }
      visit(rows, body);
      line += rows.length;
    }
    if (header) throw new GaitidError(`${file} is empty or has no header line`);
    if (carry.length > 0) throw new GaitidError(`${file}: line ${line} is cut short (no newline at the end): the file is truncated`);
  } finally {
    fs.closeSync(fd);
  }
}
