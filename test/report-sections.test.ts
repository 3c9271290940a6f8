/**
 * The report's default sections rendered from a committed results bundle (test/fixtures/results,
 * a tiny-preset study; regenerate with `npx tsx test/fixtures/make-results.ts`): no study is
 * generated or trained. Each section shows the fixture's own numbers, every reference resolves,
 * no "undefined" or "NaN" reaches the text, and strings from the files are escaped.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { ReportContext } from "../lib/src/report/context";
import { fixed, fmt, int } from "../lib/src/report/format";
import { defaultSections, DEFAULT_FIGURES } from "../lib/src/report/sections";
import { readBundleResults } from "../lib/src/results/read";
import { metricOf, type StudyResults } from "../lib/src/results/study";

const FIXTURE = path.join(__dirname, "fixtures", "results");

/** Every default section rendered in one context, as the builder does; references resolved at the end. */
async function renderAll(results: StudyResults): Promise<{ ctx: ReportContext; html: Map<string, string>; page: string }> {
  const ctx = new ReportContext(results);
  const html = new Map<string, string>();
  let n = 0;
  for (const s of defaultSections()) {
    ctx.beginSection(s.id, s.unnumbered ? "" : String(++n));
    html.set(s.id, await s.render(ctx));
  }
  const page = ctx.resolve([...html.values()].join("\n"));
  return { ctx, html, page };
}

/** The text a reader sees: formulas (SVG) and tags removed. */
function visible(html: string): string {
  return html.replace(/<svg[\s\S]*?<\/svg>/g, " ").replace(/<[^>]+>/g, " ");
}

const results = readBundleResults(FIXTURE);
const rendered = renderAll(results);

test("the fixture is a small tiny-preset bundle", () => {
  assert.equal(results.preset, "tiny");
  assert.equal(results.source.kind, "bundle");
  assert.ok(results.numbers.testRecords > 0);
});

test("every default section renders, every reference resolves, no undefined or NaN in the text", async () => {
  const { ctx, html, page } = await rendered;
  assert.deepEqual([...html.keys()], defaultSections().map((s) => s.id));
  for (const [id, body] of html) {
    assert.ok(body.length > 100, `${id} has content`);
    const text = visible(body);
    assert.doesNotMatch(text, /\bundefined\b|\bNaN\b|\[object Object\]/, `${id}: ${text.match(/.{0,60}(undefined|NaN|\[object Object\]).{0,60}/)?.[0]}`);
  }
  assert.doesNotMatch(page, /@@ref:/, "no unresolved reference");
  assert.deepEqual(ctx.figures.map((f) => f.id.replace(/^plot-/, "")), [...DEFAULT_FIGURES]);
  // Every link into the page has its target (the sections' own ids are on the headings the builder writes).
  const sections = new Set(defaultSections().map((s) => s.id));
  for (const [, id] of page.matchAll(/href="#([^"]+)"/g)) if (!sections.has(id)) assert.match(page, new RegExp(`id="${id}"`), `#${id} exists`);
});

test("summary, floor and limits show the fixture's numbers", async () => {
  const { html } = await rendered;
  const d = results.dataset.manifest.config;
  const mm = metricOf(results.runs.mkl0, "m"), rr = metricOf(results.runs.rhol0, "rho");
  const summary = html.get("summary")!;
  assert.ok(summary.includes(`for ${int(d.records)} subjects`));
  assert.ok(summary.includes(`<i>R</i><sup>2</sup> = ${fixed(rr.r2, 3)}`));
  assert.ok(summary.includes(`The network's RMSE of <i>m</i> is ${fmt(mm.rmse)} kg`));
  assert.match(summary, /built with the <b>tiny<\/b> preset/);
  const floor = html.get("floor")!;
  assert.ok(floor.includes(`on the test records it is ${fmt(mm.floorRmse)} kg`));
  assert.match(floor, /<div class="eq" id="eq-floor">/);
  assert.ok(html.get("limits")!.includes(`${int(d.records)} records instead of the paper's`));
});

test("model and data: figures, the derivation's subsections, the tables of priors and acceptance", async () => {
  const { html } = await rendered;
  const model = html.get("model")!;
  for (const id of ["fig-model", "fig-walk", "derive-proposition", "derive-checks", "tab-checks"]) assert.match(model, new RegExp(`id="${id}"`));
  assert.ok(model.includes(`(<i>m</i> = ${fmt(results.walks.subjects[Math.floor(results.walks.subjects.length / 2)].m)} kg`));
  const data = html.get("data")!;
  const acc = results.dataset.manifest.acceptance!;
  assert.match(data, /<caption id="tab-priors">/);
  assert.ok(data.includes(`Of ${int(acc.attempts)} gait conditions tried, ${int(acc.accepted)} gave a walking record`));
  assert.match(data, /<caption id="tab-acceptance">/);
  assert.ok(data.includes(`<td><b>accepted: walked the whole record</b></td><td class="num"><b>${int(acc.accepted)}</b></td>`));
});

test("reproducibility and references: provenance, manifests in full, the bibliography", async () => {
  const { html } = await rendered;
  const rep = html.get("reproducibility")!;
  assert.ok(rep.includes(`<code>npx gaitid report --from ${FIXTURE}`));
  assert.match(rep, /<caption id="tab-provenance">/);
  assert.match(rep, /✓ this dataset/);
  for (const id of ["manifest-dataset", "manifest-mkl0", "manifest-rhol0"]) assert.match(rep, new RegExp(`<details id="${id}">`));
  assert.match(rep, /<td class="key"><span class="key">config\.records<\/span><\/td><td class="val"><span class="val">\d+<\/span><\/td>/);
  const refs = html.get("references")!;
  assert.match(refs, /^<ol class="references"><li id="ref-[a-z0-9]+">/);
});

test("strings from the files are escaped", async () => {
  const hostile = `data/<b>x</b> & "y"`;
  const changed: StudyResults = { ...results, preset: `tiny<i>`, paths: { ...results.paths, dataset: hostile } };
  const { html } = await renderAll(changed);
  const rep = html.get("reproducibility")!;
  assert.ok(rep.includes("<code>data/&lt;b&gt;x&lt;/b&gt; &amp; &quot;y&quot;</code>"));
  assert.ok(!rep.includes("<b>x</b>"));
  assert.match(html.get("summary")!, /the <b>tiny&lt;i&gt;<\/b> preset/);
});
