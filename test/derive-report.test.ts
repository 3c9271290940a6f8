/**
 * The derivation's report section (lib/src/report/sections/derivation.ts) renders from the JSON
 * alone: the proposition, every step under a stable heading ("derive-<step id>"), the checks
 * grouped by step, the bibliography; every formula typeset (MathJax SVG), code names as code,
 * no mathjs syntax left in the visible text. The first tests use a small hand-made derivation
 * (fast); the last renders the full derivation with the force through its JSON.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { derive, derivationJson, validateDerivationJson, type DerivationJson } from "../lib/src/derive";
import { BIBLIOGRAPHY } from "../lib/src/derive/bibliography";
import { equation, list, prose } from "../lib/src/derive/render";
import { cite, code, m, r, tex } from "../lib/src/derive/rich";
import { step } from "../lib/src/derive/prose";
import { ReportContext } from "../lib/src/report/context";
import { TexRenderer } from "../lib/src/report/tex";
import { bibliographyList, derivationSubsections, richText, stepBody } from "../lib/src/report/sections/derivation";

/** A context without study results (the derivation's sections use none), optionally with a global glyph cache. */
function context(fontCache: "local" | "global" = "local"): ReportContext {
  const ctx = new ReportContext({} as ConstructorParameters<typeof ReportContext>[0]);
  if (fontCache === "global") Object.assign(ctx, { tex: new TexRenderer("global") });
  ctx.beginSection("model", "1");
  return ctx;
}

/** Places the section the proposition refers to, then resolves the references. */
function resolved(ctx: ReportContext, html: string): string {
  ctx.beginSection("floor", "4");
  return ctx.resolve(html);
}

/** The visible text: SVG (formulas) and code removed, tags stripped. */
function visible(html: string): string {
  return html
    .replace(/<svg[\s\S]*?<\/svg>/g, " ")
    .replace(/<code>[\s\S]*?<\/code>/g, " ")
    .replace(/<[^>]+>/g, " ");
}

function mini(): DerivationJson {
  const s1 = step("lagrangian", r`The Lagrangian`, [prose(r`A point mass ${m("m")} on legs of rest length ${m("l0")} ${cite("geyer2006")}.`)]);
  const s2 = step("inversion", r`${m("rho")} and ${m("l0")} from the record`, [
    list(r`the foot ${m("x_a = x - y*x_dd/(y_dd + g)")}`, r`computed by ${code("invertStance")}`),
    { kind: "equations", headingRich: r`single support`, heading: "single support", items: [equation("x_dd", "\\ddot{x}", "rho*(l0/l_a - 1)*(x - x_a)", "rho*(l0/l_a - 1)*(x - x_a)")], latex: "\\ddot{x} = \\rho\\,(\\ell_0/\\ell_a - 1)\\,(x - x_a)" },
  ]);
  const check = (id: string, stepId: string, measure: string, method: "symbolic" | "numeric") => ({
    id, step: stepId, name: id, claim: r`claim ${m("k = rho*m")} of ${id}`, method, symbolic: method === "symbolic",
    proof: method === "symbolic" ? "exact rational normal form (sqrt as atoms)" : "numeric only: records", measure, numericMaxError: 1e-12, tolerance: 1e-10, passed: true,
  });
  const base = {
    format: "gaitid-derivation", version: 2, observe: "xy", design: "per-unit-mass", parameters: ["m", "k", "l0"],
    steps: [s1, s2],
    checks: [check("inversion.foot", "inversion", "largest relative error at 24 random points", "symbolic"), check("inversion.records", "inversion", "largest relative error of rho and l0", "numeric")],
    proposition: {
      statement: r`What a record determines.`,
      hypotheses: [{ id: "H1", text: r`${m("g")} is known;` }],
      claims: [{ id: "a", text: r`nothing beyond ${m("rho")}`, proof: r`the symmetry`, steps: ["lagrangian"], checks: ["inversion.foot"] }, { id: "b", text: r`${m("rho")} and ${m("l0")} are identifiable`, proof: r`the inversion`, steps: ["inversion"], checks: ["inversion.foot", "inversion.records"] }],
    },
    bibliography: [...BIBLIOGRAPHY],
    symmetries: [], identifiable: ["k/m", "l0"], partial: [], analyses: [], designs: [], expressions: {},
    numeric: { seed: 1, points: 24, tolerance: 1e-10 },
  };
  return validateDerivationJson(JSON.parse(JSON.stringify(base)), "mini");
}

test("rich text: formulas typeset inline, code as code, citations link the bibliography", () => {
  const ctx = context();
  const html = richText(ctx, r`the mass ${m("m")} cancels in ${code("rhsSingle")} ${cite("geyer2006")} & ${tex("\\rho", "rho")}`, BIBLIOGRAPHY).toString();
  assert.equal((html.match(/<svg /g) ?? []).length, 2);
  assert.match(html, /<code>rhsSingle<\/code>/);
  assert.match(html, /<a href="#ref-geyer2006">Geyer, Seyfarth and Blickhan 2006<\/a>/);
  assert.match(html, /&amp;/);
});

test("a step: prose, a list, a heading and its display equation", () => {
  const d = mini();
  const html = stepBody(context(), d.steps[1], d.bibliography).toString();
  assert.match(html, /^<div class="step">/);
  assert.match(html, /<ul><li>the foot <svg/);
  assert.match(html, /<div class="eq-heading">single support:<\/div>/);
  assert.equal((html.match(/<div class="eq"/g) ?? []).length, 1);
});

test("the derivation section: proposition, one heading per step with a stable id, checks grouped by step", () => {
  const d = mini();
  const ctx = context();
  const html = resolved(ctx, derivationSubsections(ctx, d).toString());
  assert.match(html, /<h3 id="derive-proposition">/);
  assert.match(html, /<h3 id="derive-lagrangian"><span class="num">1\.2<\/span>The Lagrangian<\/h3>/);
  assert.match(html, /<h3 id="derive-inversion"><span class="num">1\.3<\/span><svg/);
  assert.match(html, /<h3 id="derive-checks">/);
  // the proposition: claims with links to the steps that prove them, the floor section, and the table
  assert.match(html, /<b>\(a\)<\/b>/);
  assert.match(html, /<i>Proof<\/i> \(<a href="#derive-lagrangian">Section&nbsp;1\.2<\/a>\)/);
  assert.match(html, /The floor is computed in <a href="#floor">Section&nbsp;4<\/a>/);
  assert.match(html, /Supported by 2 checks in <a href="#tab-checks">Table&nbsp;1<\/a>/);
  // the checks table: a group row for the step, the method, the measure where it is not the usual one
  assert.match(html, /<caption id="tab-checks">/);
  assert.match(html, /<b><a href="#derive-inversion">Section&nbsp;1\.3<\/a>: <svg/);
  assert.match(html, /symbolic \(normal form\)/);
  assert.match(html, /<small>largest relative error of rho and l0<\/small>/);
  assert.doesNotMatch(visible(html), /\$|x_dd|\brho\*|l0\//);
});

test("the bibliography: numbered entries with anchors and DOI links", () => {
  const html = bibliographyList(mini()).toString();
  assert.match(html, /^<ol class="references">/);
  assert.equal((html.match(/<li id="ref-/g) ?? []).length, BIBLIOGRAPHY.length);
  assert.match(html, /<li id="ref-bellman1970">R\. Bellman, K\. J\. Åström \(1970\)\. On structural identifiability\./);
  assert.match(html, /<a href="https:\/\/doi\.org\/10\.1093\/bioinformatics\/btp358">/);
});

test("the full derivation with the force renders from its JSON: every formula typeset, no mathjs left in the text", () => {
  const d = validateDerivationJson(JSON.parse(derivationJson(derive("xy+grf"))), "derive");
  const ctx = context();
  const t0 = performance.now();
  const html = resolved(ctx, `${derivationSubsections(ctx, d)}${bibliographyList(d)}`);
  const seconds = (performance.now() - t0) / 1000;
  for (const s of d.steps) assert.match(html, new RegExp(`<h3 id="derive-${s.id}">`));
  assert.match(html, /<h3 id="derive-grf">/);
  const rows = (html.match(/<tr>/g) ?? []).length;
  const groups = new Set(d.checks.map((c) => c.step)).size;
  assert.equal(rows, 1 + d.checks.length + groups, "a header, one row per check, one per step with checks");
  const text = visible(html);
  assert.doesNotMatch(text, /\$/, "no unconverted inline math");
  assert.doesNotMatch(text, /\b(x_dd|y_dd|x_dot|alpha0|l_a|x_a)\b/, "no mathjs names in the visible text");
  assert.doesNotMatch(text, /\b(rhsSingle|rhsDouble|grfPerMass|specificEnergy)\b/, "code names only as code");
  assert.match(html, /<code>rhsSingle<\/code>/);
  // the same with one shared glyph cache: every glyph a formula uses is defined once in the page
  const g = context("global");
  const t1 = performance.now();
  const shared = resolved(g, `${derivationSubsections(g, d)}${bibliographyList(d)}`);
  const defs = g.tex.defs();
  const sharedSeconds = (performance.now() - t1) / 1000;
  const used = new Set([...shared.matchAll(/href="#(MJX-[^"]+)"/g)].map((x) => x[1]));
  const defined = new Set([...defs.matchAll(/<path id="([^"]+)"/g)].map((x) => x[1]));
  assert.ok(used.size > 20, `${used.size} glyphs`);
  for (const id of used) assert.ok(defined.has(id), `glyph ${id} is defined`);
  assert.ok(shared.length + defs.length < html.length / 2, `global ${shared.length + defs.length} vs local ${html.length}`);
  console.log(
    `derivation section: ${ctx.tex.count} formulas; local glyphs ${(html.length / 1024).toFixed(0)} KiB in ${seconds.toFixed(1)} s, ` +
      `one shared glyph cache ${((shared.length + defs.length) / 1024).toFixed(0)} KiB in ${sharedSeconds.toFixed(1)} s (machine loaded)`,
  );
});
