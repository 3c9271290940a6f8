// gaitid fit and gaitid profile: bad input refused before any work (unknown record, parameter,
// observation model, negative noise); a batch on worker threads writes its results folder (manifest
// last, CSV files, the Cramér-Rao comparison) and refuses to overwrite it without --force; the
// report section and the figure are drawn from the results.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fitCommand } from "../lib/src/commands/fit";
import { profileCommand } from "../lib/src/commands/profile";
import { preset } from "../lib/src/config";
import { generateDataset } from "../lib/src/dataset/generate";
import { GaitidError } from "../lib/src/errors";
import { profilesFigure } from "../lib/src/figures/profiles";
import { FIT_FILES, parseIds, readFitResults, runProfileStudy } from "../lib/src/fit";
import { ReportContext } from "../lib/src/report/context";
import { profilesHtml } from "../lib/src/report/sections/profiles";

let dir = "", ds = "";
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "gaitid-fit-cli-"));
  ds = path.join(dir, "ds");
  await generateDataset({ ...preset("tiny").dataset, records: 10, duration: 2 }, ds, { workers: 0, quiet: true });
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const refused = async (cmd: typeof fitCommand, argv: string[], pattern: RegExp): Promise<void> => {
  await assert.rejects(cmd.run(argv), (e: unknown) => e instanceof GaitidError && e.exitCode === 2 && pattern.test(e.message), `${cmd.name} ${argv.join(" ")}`);
};

test("bad input is refused with a message naming it", async () => {
  await refused(fitCommand, ["--dataset", ds, "--id", "99"], /--id 99 is not a record of .* \(ids 0 to 9\)/);
  await refused(fitCommand, ["--dataset", ds, "--id", "1", "--observe", "xyz"], /--observe must be one of xy, xy\+grf, both; got "xyz"/);
  await refused(fitCommand, ["--dataset", ds, "--id", "1", "--noise", "-0.1"], /--noise must be a fraction >= 0 .* got -0.1/);
  await refused(fitCommand, ["--dataset", path.join(dir, "nothing"), "--id", "1"], /no dataset at/);
  await refused(fitCommand, ["--dataset", ds, "--ids", "0..3"], /needs --out DIR/);
  await refused(fitCommand, ["--dataset", ds, "--id", "1", "--sigma", "0.001"], /--sigma needs 2 .* or 4/);
  await refused(profileCommand, ["--dataset", ds, "--id", "1", "--param", "mass"], /--param must be one of m, k, rho, l0 or all; got "mass"/);
  await refused(profileCommand, ["--dataset", ds, "--id", "1", "--noise", "0"], /--noise must be > 0 for a profile/);
  await refused(profileCommand, ["--dataset", ds, "--id", "1", "--observe", "grf"], /--observe must be one of/);
  await refused(profileCommand, ["--dataset", ds, "--ids", "3..1", "--out", path.join(dir, "x")], /a\.\.b needs a <= b/);
  assert.deepEqual(parseIds("2..4"), [2, 3, 4]);
  assert.deepEqual(parseIds("5,1"), [5, 1]);
  await assert.rejects(runProfileStudy({ dataset: ds, ids: [0], noise: [-1], out: path.join(dir, "never") }), /--noise must hold fractions >= 0/);
  assert.ok(!fs.existsSync(path.join(dir, "never")), "nothing written for refused options");
});

test("a batch on two worker threads: results folder, CSV files, Cramér-Rao rows; --force to replace it; the report section", async () => {
  const out = path.join(dir, "batch");
  const opts = { dataset: ds, ids: [0, 1], observe: ["xy" as const], noise: [0.01], parameters: ["m" as const, "rho" as const], points: 5, curveRecords: 1, starts: 2, crbIds: [2, 3], crbNoise: [0, 0.01], workers: 2, out, quiet: true, forceRecords: 2 };
  const r = await runProfileStudy(opts);
  assert.deepEqual(fs.readdirSync(out).sort(), Object.values(FIT_FILES).sort());
  const back = readFitResults(out);
  assert.equal(back.records.length, 2);
  assert.equal(back.records[0].fit.standardErrors.m, Infinity, "Infinity survives the JSON round trip");
  const manifest = JSON.parse(fs.readFileSync(path.join(out, FIT_FILES.manifest), "utf8"));
  assert.equal(manifest.kind, "gaitid-fit");
  assert.ok(manifest.environment.versions.node && manifest.timings.seconds > 0 && manifest.seeds.noise === 1);
  const rhoRow = r.widths.find((w) => w.parameter === "rho")!;
  assert.equal(rhoRow.verdicts.identifiable, 2);
  assert.equal(r.widths.find((w) => w.parameter === "m")!.verdicts["structurally non-identifiable"], 2);
  assert.equal(r.crb.length, 2);
  const zero = r.crb.find((c) => c.noise === 0)!, one = r.crb.find((c) => c.noise === 0.01)!;
  assert.equal(zero.rootMeanCrb.rho, 0);
  assert.ok(zero.mlRmse.rho < 1e-8, "noise-free fits from the truth stay there");
  assert.ok(one.rootMeanCrb.rho > 0 && one.mlRmse.rho > 0.2 * one.rootMeanCrb.rho && one.mlRmse.rho < 5 * one.rootMeanCrb.rho, `CRB ${one.rootMeanCrb.rho}, RMSE ${one.mlRmse.rho}`);
  const csv = fs.readFileSync(path.join(out, FIT_FILES.crb), "utf8").trim().split("\n");
  assert.equal(csv.length, 3);
  assert.equal(fs.readFileSync(path.join(out, FIT_FILES.intervals), "utf8").trim().split("\n").length, 1 + 2 * 2);
  await assert.rejects(runProfileStudy(opts), /already holds a gaitid batch of fits; pass --force/);
  // The figure and the report section from the results.
  const first = r.records[0];
  const fig = profilesFigure(first.profiles.map((p) => ({ parameter: p.parameter, points: p.points, lower: p.lower, upper: p.upper, estimate: p.estimate, truth: first.fit.truth[p.parameter], threshold: p.threshold, verdict: p.verdict })));
  assert.equal(fig.data.length, 2);
  assert.ok(fig.layout.xaxis2 && fig.layout.yaxis2, "a panel per parameter");
  const html = profilesHtml(new ReportContext({} as never), back);
  assert.match(html, /id="fig-profiles-xy"/);
  assert.match(html, /structurally non-identifiable/);
  assert.match(html, /<caption id="tab-crb">/);
  assert.match(html, /<caption id="tab-profile-widths">/);
});
