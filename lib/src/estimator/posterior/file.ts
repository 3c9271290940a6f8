/**
 * posterior.csv of a posterior run: one row per test record (the rows of predictions.csv, in the
 * same order), the record id and, for each mixture component j = 1..K, its weight w<j> and the
 * mean and standard deviation of each coordinate: logRho_mean<j>, logRho_sd<j> (log of rho in
 * 1/s^2), l0_mean<j>, l0_sd<j> (m), mProbit_mean<j>, mProbit_sd<j> (the probit of m's conditional
 * prior CDF given rho, coords.ts). Numbers in JavaScript's shortest
 * round-trip form. (A posterior.csv with m_mean<j>, m_sd<j> in kg is of an older density, over m
 * itself: it is refused, and the run must be trained again.)
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { GaitidError } from "../../errors";
import { POSTERIOR_COORDINATES } from "./coords";
import { COMPONENTS, DIMS, type Mixture } from "./mdn";


export const POSTERIOR_HEADER = [
  "id",
  ...Array.from({ length: COMPONENTS }, (_, j) => [`w${j + 1}`, ...POSTERIOR_COORDINATES.flatMap((c) => [`${c}_mean${j + 1}`, `${c}_sd${j + 1}`])]).flat(),
].join(",");

export function formatPosterior(ids: readonly number[], mixtures: readonly Mixture[]): string {
  const lines = [POSTERIOR_HEADER];
  mixtures.forEach((m, i) => {
    const f: number[] = [ids[i]];
    for (let k = 0; k < COMPONENTS; k++) {
      f.push(m.weights[k]);
      for (let d = 0; d < DIMS; d++) f.push(m.mean[k * DIMS + d], m.sd[k * DIMS + d]);
    }
    lines.push(f.join(","));
  });
  return lines.join("\n") + "\n";
}

/** The posterior of a run: record ids and their mixtures (SI coordinates), validated. */
export interface PosteriorFile {
  id: number[];
  mixtures: Mixture[];
}

/** Reads `dir`/posterior.csv (weights >= 0 summing to 1, standard deviations > 0, all finite). */
export function readPosterior(dir: string): PosteriorFile {
  const file = path.join(dir, "posterior.csv");
  if (!fs.existsSync(file)) throw new GaitidError(`${dir} has no posterior.csv (the mixtures of a posterior run)`);
  const lines = fs.readFileSync(file, "utf8").split("\n").filter((l) => l.length > 0);
  if (lines[0] !== POSTERIOR_HEADER) {
    const older = (lines[0] ?? "").includes(",m_mean1,") ? " (this one is of the older density over m in kg: train the run again)" : "";
    throw new GaitidError(`${file}: the header must be that of ${COMPONENTS} components (id,w1,logRho_mean1,...,mProbit_sd${COMPONENTS})${older}; got "${(lines[0] ?? "").slice(0, 60)}..."`);
  }
  const width = 1 + COMPONENTS * (1 + 2 * DIMS);
  const out: PosteriorFile = { id: [], mixtures: [] };
  for (let i = 1; i < lines.length; i++) {
    const v = lines[i].split(",").map(Number);
    const where = `${file} line ${i + 1}`;
    if (v.length !== width || v.some((x) => !Number.isFinite(x))) throw new GaitidError(`${where} must hold ${width} finite numbers`);
    const m: Mixture = { weights: new Float64Array(COMPONENTS), mean: new Float64Array(COMPONENTS * DIMS), sd: new Float64Array(COMPONENTS * DIMS) };
    let p = 1;
    for (let k = 0; k < COMPONENTS; k++) {
      m.weights[k] = v[p++];
      for (let d = 0; d < DIMS; d++) {
        m.mean[k * DIMS + d] = v[p++];
        m.sd[k * DIMS + d] = v[p++];
      }
    }
    const sum = m.weights.reduce((a, b) => a + b, 0);
    if (m.weights.some((w) => w < 0) || Math.abs(sum - 1) > 1e-6 || m.sd.some((s) => !(s > 0))) throw new GaitidError(`${where}: weights must be >= 0 and sum to 1, standard deviations > 0`);
    out.id.push(v[0]);
    out.mixtures.push(m);
  }
  return out;
}
