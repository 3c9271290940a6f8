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
import { fmt } from "../format";
import { html, joinHtml, type SafeHtml } from "../template";

/** The report's section that holds the floor of the estimation error (the proposition links it). */
const FLOOR_SECTION = "floor";

/** Rich text: text escaped, formulas as inline SVG, code as code, citations as links to the bibliography. */
export function richText(ctx: ReportContext, text: Rich, bibliography: readonly Reference[] = []): SafeHtml {
  return joinHtml(
    text.map((x) => {
      if ("text" in x) return x.text;
      if ("tex" in x) return ctx.safe.math(x.tex);
      if ("code" in x) return html`<code>${x.code}</code>`;
      const r = bibliography.find((b) => b.key === x.cite);
      return html`<a href="#ref-${x.cite}">${r ? r.short : x.cite}</a>`;
    }),
  );
}

/** A prose block: paragraphs, or a bulleted list. */
function prose(ctx: ReportContext, block: Extract<Block, { kind: "prose" }>, bibliography: readonly Reference[] = []): SafeHtml {
  const parts = block.paragraphs.map((p) => richText(ctx, p, bibliography));
  return block.list ? html`<ul>${parts.map((p) => html`<li>${p}</li>`)}</ul>` : joinHtml(parts.map((p) => html`<p>${p}</p>`), "\n");
}

/** A derivation step: its prose and its displayed equations. */
export function stepBody(ctx: ReportContext, s: DerivationStep, bibliography: readonly Reference[] = []): SafeHtml {
  const out: SafeHtml[] = [];
  for (const b of s.blocks) {
    if (b.kind === "prose") out.push(prose(ctx, b, bibliography));
    else {
      if (b.headingRich) out.push(html`<div class="eq-heading">${richText(ctx, b.headingRich)}:</div>`);
      out.push(ctx.safe.equation(b.latex));
    }
  }
  return html`<div class="step">${joinHtml(out, "\n")}</div>`;
}

/** The proposition: statement, hypotheses, claims with their proofs, steps and checks. */
function proposition(ctx: ReportContext, d: DerivationJson): SafeHtml {
  const p = d.proposition;
  const bib = d.bibliography;
  const { ref } = ctx.safe;
  const hyp = p.hypotheses.map((h) => html`<li><b>${h.id}</b> ${richText(ctx, h.text, bib)}</li>`);
  const claims = p.claims.map((c) => {
    const steps = joinHtml(c.steps.map((s) => ref(`derive-${s}`)), ", ");
    const floor = c.id === "a" && html` The floor is computed in ${ref(FLOOR_SECTION)}.`;
    const checks = d.checks.filter((x) => c.checks.includes(x.id));
    const passed = checks.filter((x) => x.passed).length;
    return html`<li><b>(${c.id})</b> ${richText(ctx, c.text, bib)}${floor}<br><i>Proof</i> (${steps}): ${richText(ctx, c.proof, bib)} Supported by ${
      checks.length
    } checks in ${ref("tab-checks")}, ${passed} passed.</li>`;
  });
  return html`<div class="step proposition">
<p><b>Proposition.</b> ${richText(ctx, p.statement, bib)} Under the hypotheses</p>
<ul>${hyp}</ul>
<p>the following hold:</p>
<ul>${claims}</ul>
</div>`;
}

function methodCell(c: DerivationCheck): SafeHtml {
  return html`<span title="${c.proof}">${checkMethod(c).replace(/^symbolic: (.*)$/, "symbolic ($1)")}</span>`;
}

/** The rows of the checks table: per step a heading row, then its checks. */
function checkRows(ctx: ReportContext, d: DerivationJson, usual: string): SafeHtml[][] {
  const rows: SafeHtml[][] = [];
  const none = html``;
  for (const s of d.steps) {
    const checks = d.checks.filter((c) => c.step === s.id);
    if (checks.length === 0) continue;
    rows.push([html`<b>${ctx.safe.ref(`derive-${s.id}`)}: ${richText(ctx, s.titleRich)}</b>`, none, none, none]);
    for (const c of checks) {
      const measure = c.measure !== usual && html`<br><small>${c.measure}</small>`;
      rows.push([
        richText(ctx, c.claim, d.bibliography),
        methodCell(c),
        html`${fmt(c.numericMaxError, 2)}${measure}`,
        c.passed ? html`<span class="check-ok">✓</span>` : html`<span class="check-bad">✗</span>`,
      ]);
    }
  }
  return rows;
}

/** The checks, grouped by the step of the argument each supports (Table "tab-checks"). */
function checksTable(ctx: ReportContext, d: DerivationJson): SafeHtml {
  const usual = `largest relative error at ${d.numeric.points} random points`;
  const passed = d.checks.filter((c) => c.passed).length;
  return ctx.safe.table(
    "tab-checks",
    { head: ["claim", "method", "numeric result", "passed"], align: ["l", "l", "r", "c"], rows: checkRows(ctx, d, usual) },
    html`The checks of the derivation, by step: ${passed} of ${d.checks.length} passed. Symbolic: proved by the exact
    rational normal form (square roots as atoms) or by mathjs simplify, and also evaluated numerically. Numeric: a
    comparison with the simulator's code, singular values, or simulated records. The numeric result is the ${usual}
    unless stated under it; it must not exceed ${fmt(d.numeric.tolerance, 1)} for identities, ${fmt(1e-8, 1)} for the
    simulated records and ${fmt(1e-6, 1)} for a singular-value gap.
    Every check can be re-run with <code>gaitid derive --observe ${d.observe}</code>, and the symbolic ones in
    SymPy with <code>gaitid derive --observe ${d.observe} --export sympy</code> or in Maxima with
    <code>gaitid derive --observe ${d.observe} --export maxima</code>.`,
  );
}

/**
 * The subsections of the derivation: the proposition, each step of its proof, and the checks
 * (headings "derive-proposition", "derive-<step id>", "derive-checks").
 */
export function derivationSubsections(ctx: ReportContext, d: DerivationJson): SafeHtml {
  const { heading } = ctx.safe;
  const out: SafeHtml[] = [heading("derive-proposition", "What a record determines"), proposition(ctx, d)];
  for (const s of d.steps) out.push(heading(`derive-${s.id}`, richText(ctx, s.titleRich)), stepBody(ctx, s, d.bibliography));
  out.push(heading("derive-checks", "The checks"), checksTable(ctx, d));
  return joinHtml(out, "\n");
}

/** The bibliography: one numbered entry per reference, with anchors "ref-<key>". */
export function bibliographyList(d: DerivationJson): SafeHtml {
  const items = d.bibliography.map(
    (b) => html`<li id="ref-${b.key}">${b.authors} (${b.year}). ${b.title}. <i>${b.venue}</i>.${b.doi && html` <a href="https://doi.org/${b.doi}">doi:${b.doi}</a>`}</li>`,
  );
  return html`<ol class="references">${joinHtml(items, "\n")}</ol>`;
}
