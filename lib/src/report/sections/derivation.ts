/**
 * The derivation in the report: the proposition, the steps of its proof, the checks grouped by
 * step, and the bibliography, rendered from the derivation's JSON (data/derivation.json, written by
 * `gaitid reproduce`; derive/json.ts). Nothing here derives: prose, formulas (LaTeX, typeset to
 * inline SVG by MathJax at build time through ReportContext.math / .equation), checks and
 * references are read from the JSON.
 *
 * Labels placed: "derive-proposition", "derive-<step id>" for every step (e.g. "derive-grf",
 * "derive-inversion"), "derive-checks", the table "tab-checks", and the anchors "ref-<key>" of the
 * bibliography entries. The proposition refers to the section "floor" (the identifiability floor).
 */
import type { DerivationCheck, DerivationStep } from "../../derive/types";
import type { DerivationJson } from "../../derive/json";
import type { Block } from "../../derive/render";
import type { Rich } from "../../derive/rich";
import type { Reference } from "../../derive/bibliography";
import type { ReportContext } from "../context";
import { checkMethod } from "../../derive/format";
import { esc, fmt } from "../html";

/** The report's section that holds the floor of the estimation error (the proposition links it). */
const FLOOR_SECTION = "floor";

/** Rich text as HTML: text escaped, formulas as inline SVG, code as code, citations as links to the bibliography. */
export function richHtml(ctx: ReportContext, rich: Rich, bibliography: readonly Reference[] = []): string {
  return rich
    .map((x) => {
      if ("text" in x) return esc(x.text);
      if ("tex" in x) return ctx.math(x.tex);
      if ("code" in x) return `<code>${esc(x.code)}</code>`;
      const r = bibliography.find((b) => b.key === x.cite);
      return `<a href="#ref-${esc(x.cite)}">${esc(r ? r.short : x.cite)}</a>`;
    })
    .join("");
}

/** A prose block: paragraphs, or a bulleted list. */
export function proseHtml(ctx: ReportContext, block: Extract<Block, { kind: "prose" }>, bibliography: readonly Reference[] = []): string {
  const parts = block.paragraphs.map((p) => richHtml(ctx, p, bibliography));
  return block.list ? `<ul>${parts.map((p) => `<li>${p}</li>`).join("")}</ul>` : parts.map((p) => `<p>${p}</p>`).join("\n");
}

/** A derivation step: its prose and its displayed equations. */
export function stepHtml(ctx: ReportContext, step: DerivationStep, bibliography: readonly Reference[] = []): string {
  const out: string[] = [];
  for (const b of step.blocks) {
    if (b.kind === "prose") out.push(proseHtml(ctx, b, bibliography));
    else {
      if (b.headingRich) out.push(`<div class="eq-heading">${richHtml(ctx, b.headingRich)}:</div>`);
      out.push(ctx.equation(b.latex));
    }
  }
  return `<div class="step">${out.join("\n")}</div>`;
}

/** The proposition: statement, hypotheses, claims with their proofs, steps and checks. */
export function propositionHtml(ctx: ReportContext, d: DerivationJson): string {
  const p = d.proposition;
  const bib = d.bibliography;
  const hyp = p.hypotheses.map((h) => `<li><b>${esc(h.id)}</b> ${richHtml(ctx, h.text, bib)}</li>`).join("");
  const claims = p.claims
    .map((c) => {
      const steps = c.steps.map((s) => ctx.ref(`derive-${s}`)).join(", ");
      const floor = c.id === "a" ? ` The floor is computed in ${ctx.ref(FLOOR_SECTION)}.` : "";
      const checks = d.checks.filter((x) => c.checks.includes(x.id));
      const passed = checks.filter((x) => x.passed).length;
      return (
        `<li><b>(${esc(c.id)})</b> ${richHtml(ctx, c.text, bib)}${floor}` +
        `<br><i>Proof</i> (${steps}): ${richHtml(ctx, c.proof, bib)} ` +
        `Supported by ${checks.length} checks in ${ctx.ref("tab-checks")}, ${passed} passed.</li>`
      );
    })
    .join("");
  return [
    `<div class="step proposition">`,
    `<p><b>Proposition.</b> ${richHtml(ctx, p.statement, bib)} Under the hypotheses</p>`,
    `<ul>${hyp}</ul>`,
    `<p>the following hold:</p>`,
    `<ul>${claims}</ul>`,
    `</div>`,
  ].join("\n");
}

function methodCell(c: DerivationCheck): string {
  return `<span title="${esc(c.proof)}">${esc(checkMethod(c).replace(/^symbolic: (.*)$/, "symbolic ($1)"))}</span>`;
}

/** The checks, grouped by the step of the argument each supports (Table "tab-checks"). */
export function checksTableHtml(ctx: ReportContext, d: DerivationJson): string {
  const usual = `largest relative error at ${d.numeric.points} random points`;
  const rows: string[][] = [];
  for (const step of d.steps) {
    const checks = d.checks.filter((c) => c.step === step.id);
    if (checks.length === 0) continue;
    rows.push([`<b>${ctx.ref(`derive-${step.id}`)}: ${richHtml(ctx, step.titleRich)}</b>`, "", "", ""]);
    for (const c of checks) {
      const measure = c.measure === usual ? "" : `<br><small>${esc(c.measure)}</small>`;
      rows.push([
        richHtml(ctx, c.claim, d.bibliography),
        methodCell(c),
        `${fmt(c.numericMaxError, 2)}${measure}`,
        c.passed ? '<span class="check-ok">✓</span>' : '<span class="check-bad">✗</span>',
      ]);
    }
  }
  const passed = d.checks.filter((c) => c.passed).length;
  return ctx.table(
    "tab-checks",
    { head: ["claim", "method", "numeric result", "passed"], align: ["l", "l", "r", "c"], rows },
    `The checks of the derivation, by step: ${passed} of ${d.checks.length} passed. Symbolic: proved by the exact
    rational normal form (square roots as atoms) or by mathjs simplify, and also evaluated numerically. Numeric: a
    comparison with the simulator's code, singular values, or simulated records. The numeric result is the ${esc(usual)}
    unless stated under it; it must not exceed ${fmt(d.numeric.tolerance, 1)} for identities, ${fmt(1e-8, 1)} for the
    simulated records and ${fmt(1e-6, 1)} for a singular-value gap.
    Every check can be re-run with <code>gaitid derive --observe ${esc(d.observe)}</code>, and the symbolic ones in
    SymPy with <code>gaitid derive --observe ${esc(d.observe)} --export sympy</code> or in Maxima with
    <code>gaitid derive --observe ${esc(d.observe)} --export maxima</code>.`,
  );
}

/**
 * The subsections of the derivation: the proposition, each step of its proof, and the checks
 * (headings "derive-proposition", "derive-<step id>", "derive-checks").
 */
export function derivationHtml(ctx: ReportContext, d: DerivationJson): string {
  const out: string[] = [ctx.heading("derive-proposition", "What a record determines"), propositionHtml(ctx, d)];
  for (const step of d.steps) out.push(ctx.heading(`derive-${step.id}`, richHtml(ctx, step.titleRich)), stepHtml(ctx, step, d.bibliography));
  out.push(ctx.heading("derive-checks", "The checks"), checksTableHtml(ctx, d));
  return out.join("\n");
}

/** The bibliography: one numbered entry per reference, with anchors "ref-<key>". */
export function bibliographyHtml(_ctx: ReportContext, d: DerivationJson): string {
  const items = d.bibliography.map(
    (b) =>
      `<li id="ref-${esc(b.key)}">${esc(b.authors)} (${b.year}). ${esc(b.title)}. <i>${esc(b.venue)}</i>.` +
      (b.doi ? ` <a href="https://doi.org/${esc(b.doi)}">doi:${esc(b.doi)}</a>` : "") +
      "</li>",
  );
  return `<ol class="references">${items.join("\n")}</ol>`;
}
