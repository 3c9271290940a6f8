/**
 * The JSON form of a derivation: what `gaitid derive --json` prints and what `gaitid reproduce`
 * writes to data/derivation.json as { "xy": ..., "xy+grf": ... }. It carries everything the report
 * shows of the derivation (steps with prose and LaTeX, the proposition, the checks with their
 * method and result, the bibliography) and every expression of the data model, so that the report
 * reads it and derives nothing. {@link readDerivationJson} validates a file once; readers
 * downstream use the types.
 */
import * as fs from "node:fs";
import { GaitidError } from "../errors";
import type { Derivation } from "./types";
import { DERIVATION_DESIGNS, DERIVE_OBSERVATION_MODELS, type DeriveObservationModel } from "./types";

/** Marks the JSON of a derivation and its version (the version changes when the shape does). */
export const DERIVATION_FORMAT = "gaitid-derivation";
export const DERIVATION_VERSION = 2;

/** The JSON form of one derivation. */
export type DerivationJson = { format: typeof DERIVATION_FORMAT; version: typeof DERIVATION_VERSION } & Derivation;

/** data/derivation.json: one derivation per observation model. */
export type DerivationFile = Record<DeriveObservationModel, DerivationJson>;

export function derivationJsonObject(d: Derivation): DerivationJson {
  return { format: DERIVATION_FORMAT, version: DERIVATION_VERSION, ...d };
}

/** JSON text, two-space indented, with a final newline. */
export function derivationJson(d: Derivation): string {
  return `${JSON.stringify(derivationJsonObject(d), null, 2)}\n`;
}

type Json = Record<string, unknown>;

function fail(where: string, path: string, what: string): never {
  throw new GaitidError(`${where}: ${path} ${what}`);
}

function obj(v: unknown, where: string, path: string): Json {
  if (typeof v !== "object" || v === null || Array.isArray(v)) fail(where, path, "must be an object");
  return v as Json;
}

function arr(v: unknown, where: string, path: string): unknown[] {
  if (!Array.isArray(v)) fail(where, path, "must be an array");
  return v;
}

function str(v: unknown, where: string, path: string): string {
  if (typeof v !== "string") fail(where, path, "must be a string");
  return v;
}

function num(v: unknown, where: string, path: string): number {
  if (typeof v !== "number" || !Number.isFinite(v)) fail(where, path, "must be a finite number");
  return v;
}

/** Rich text: an array of {text} | {tex, plain} | {cite}. */
function rich(v: unknown, where: string, path: string): void {
  arr(v, where, path).forEach((x, i) => {
    const o = obj(x, where, `${path}[${i}]`);
    const ok = typeof o.text === "string" || (typeof o.tex === "string" && typeof o.plain === "string") || typeof o.code === "string" || typeof o.cite === "string";
    if (!ok) fail(where, `${path}[${i}]`, "must be {text}, {tex, plain}, {code} or {cite}");
  });
}

function validateStep(v: unknown, where: string, path: string): void {
  const s = obj(v, where, path);
  for (const k of ["id", "title", "text", "latex"]) str(s[k], where, `${path}.${k}`);
  rich(s.titleRich, where, `${path}.titleRich`);
  arr(s.blocks, where, `${path}.blocks`).forEach((b, i) => {
    const o = obj(b, where, `${path}.blocks[${i}]`);
    if (o.kind === "prose") arr(o.paragraphs, where, `${path}.blocks[${i}].paragraphs`).forEach((p, j) => rich(p, where, `${path}.blocks[${i}].paragraphs[${j}]`));
    else if (o.kind === "equations") {
      str(o.latex, where, `${path}.blocks[${i}].latex`);
      if (o.headingRich !== undefined) rich(o.headingRich, where, `${path}.blocks[${i}].headingRich`);
      arr(o.items, where, `${path}.blocks[${i}].items`).forEach((e, j) => {
        const q = obj(e, where, `${path}.blocks[${i}].items[${j}]`);
        for (const k of ["lhs", "lhsTex", "rhs", "display", "displayTex"]) str(q[k], where, `${path}.blocks[${i}].items[${j}].${k}`);
      });
    } else fail(where, `${path}.blocks[${i}].kind`, `must be "prose" or "equations"`);
  });
}

function validateCheck(v: unknown, where: string, path: string): void {
  const c = obj(v, where, path);
  for (const k of ["id", "step", "name", "proof", "measure"]) str(c[k], where, `${path}.${k}`);
  rich(c.claim, where, `${path}.claim`);
  if (c.method !== "symbolic" && c.method !== "numeric") fail(where, `${path}.method`, `must be "symbolic" or "numeric"`);
  num(c.numericMaxError, where, `${path}.numericMaxError`);
  num(c.tolerance, where, `${path}.tolerance`);
  if (typeof c.passed !== "boolean" || typeof c.symbolic !== "boolean") fail(where, path, "needs boolean passed and symbolic");
}

function validateProposition(v: unknown, where: string, path: string): void {
  const p = obj(v, where, path);
  rich(p.statement, where, `${path}.statement`);
  arr(p.hypotheses, where, `${path}.hypotheses`).forEach((h, i) => {
    str(obj(h, where, `${path}.hypotheses[${i}]`).id, where, `${path}.hypotheses[${i}].id`);
    rich((h as Json).text, where, `${path}.hypotheses[${i}].text`);
  });
  arr(p.claims, where, `${path}.claims`).forEach((c, i) => {
    const o = obj(c, where, `${path}.claims[${i}]`);
    str(o.id, where, `${path}.claims[${i}].id`);
    rich(o.text, where, `${path}.claims[${i}].text`);
    rich(o.proof, where, `${path}.claims[${i}].proof`);
    arr(o.steps, where, `${path}.claims[${i}].steps`).forEach((s, j) => str(s, where, `${path}.claims[${i}].steps[${j}]`));
    arr(o.checks, where, `${path}.claims[${i}].checks`).forEach((s, j) => str(s, where, `${path}.claims[${i}].checks[${j}]`));
  });
}

/**
 * Checks that `value` is the JSON of a derivation of this version (`where` names the file for the
 * message) and returns it typed. Throws a GaitidError naming the first field that is wrong.
 */
export function validateDerivationJson(value: unknown, where: string): DerivationJson {
  const d = obj(value, where, "the derivation");
  if (d.format !== DERIVATION_FORMAT || d.version !== DERIVATION_VERSION) {
    fail(where, "the derivation", `is not a ${DERIVATION_FORMAT} version ${DERIVATION_VERSION} (format ${JSON.stringify(d.format)}, version ${JSON.stringify(d.version)}): written by another gaitid; run \`gaitid derive --json\` or \`gaitid reproduce\` again`);
  }
  if (!(DERIVE_OBSERVATION_MODELS as readonly unknown[]).includes(d.observe)) fail(where, "observe", `must be one of ${DERIVE_OBSERVATION_MODELS.join(", ")}`);
  if (!(DERIVATION_DESIGNS as readonly unknown[]).includes(d.design)) fail(where, "design", `must be one of ${DERIVATION_DESIGNS.join(", ")}`);
  arr(d.steps, where, "steps").forEach((s, i) => validateStep(s, where, `steps[${i}]`));
  arr(d.checks, where, "checks").forEach((c, i) => validateCheck(c, where, `checks[${i}]`));
  validateProposition(d.proposition, where, "proposition");
  arr(d.bibliography, where, "bibliography").forEach((b, i) => {
    const o = obj(b, where, `bibliography[${i}]`);
    for (const k of ["key", "short", "authors", "title", "venue"]) str(o[k], where, `bibliography[${i}].${k}`);
    num(o.year, where, `bibliography[${i}].year`);
  });
  for (const k of ["symmetries", "identifiable", "partial", "analyses", "designs"]) arr(d[k], where, k);
  obj(d.expressions, where, "expressions");
  const n = obj(d.numeric, where, "numeric");
  for (const k of ["seed", "points", "tolerance"]) num(n[k], where, `numeric.${k}`);
  return value as DerivationJson;
}

/**
 * Reads data/derivation.json as `gaitid reproduce` writes it: { "xy": derivation, "xy+grf":
 * derivation }, each validated. Throws a GaitidError naming the file when it is missing, not JSON,
 * or not of this shape.
 */
export function readDerivationJson(file: string): DerivationFile {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new GaitidError(`cannot read the derivation ${file}: ${(err as Error).message}; \`gaitid reproduce\` writes it`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new GaitidError(`${file} is not JSON: ${(err as Error).message}`);
  }
  const top = obj(value, file, "the file");
  const out = {} as DerivationFile;
  for (const model of DERIVE_OBSERVATION_MODELS) {
    const d = validateDerivationJson(top[model], `${file} ["${model}"]`);
    if (d.observe !== model) fail(file, `["${model}"].observe`, `is ${JSON.stringify(d.observe)}`);
    out[model] = d;
  }
  return out;
}
