/**
 * The renderings of a {@link Derivation} for people: readable text (`gaitid derive`) and LaTeX
 * (`gaitid derive --latex`). The JSON form is in json.ts. The report renders the same steps,
 * proposition and checks from the JSON (report/sections/derivation.ts).
 */
import type { Derivation, DerivationCheck, DerivationStep, ScalingAction } from "./types";
import { reference, referenceText } from "./bibliography";
import { latexText, mathjsLatex, plainText, type Rich } from "./rich";

function modelName(d: Derivation): string {
  return d.observe === "xy" ? "(x, y)" : "(x, y) and the total ground reaction force (fx, fy) in newtons";
}

function scalingText(s: ScalingAction): string {
  const f = (e: number, p: string) => (e === 0 ? p : e === 1 ? `c ${p}` : `c^${e} ${p}`);
  return `(m, k, l0) -> (${f(s.m, "m")}, ${f(s.k, "k")}, ${f(s.l0, "l0")})  [exponents (${s.m}, ${s.k}, ${s.l0})]`;
}

/** How a check was established, for a table cell: "symbolic: simplify", "symbolic: normal form", "numeric". */
export function checkMethod(c: DerivationCheck): string {
  if (c.method === "numeric") return "numeric";
  const nf = c.proof.includes("rational normal form");
  const simp = c.proof.includes("mathjs simplify");
  return `symbolic: ${nf && simp ? "normal form + simplify" : nf ? "normal form" : "simplify"}`;
}

/** The steps in order with the checks that support each (steps without checks included, empty). */
export function checksByStep(d: Pick<Derivation, "steps" | "checks">): { step: DerivationStep; number: number; checks: DerivationCheck[] }[] {
  return d.steps.map((step, i) => ({ step, number: i + 1, checks: d.checks.filter((c) => c.step === step.id) }));
}

/** Plain text of rich text, citations as "Author year". */
function plain(rich: Rich): string {
  return plainText(rich, (k) => reference(k).short);
}

function checkLine(c: DerivationCheck): string {
  const status = c.passed ? "ok  " : "FAIL";
  return `    ${status} ${checkMethod(c).padEnd(22)} ${c.numericMaxError.toExponential(1).padStart(8)}  ${c.name}`;
}

/** Readable text (the default output of `gaitid derive`), with a final newline. */
export function derivationText(d: Derivation): string {
  const lines: string[] = [
    `gaitid derive: symbolic derivation (mathjs) for the observation model ${modelName(d)}, design ${d.design}`,
    `parameters ${d.parameters.join(", ")}; every identity also checked at ${d.numeric.points} random points ` +
      `(seed ${d.numeric.seed}, relative tolerance ${d.numeric.tolerance}), the inversion on simulated records`,
    "",
  ];
  d.steps.forEach((s, i) => lines.push(`Step ${i + 1}. ${s.title}`, s.text, ""));
  lines.push(`Proposition. ${plain(d.proposition.statement)}`, "  Hypotheses:");
  for (const h of d.proposition.hypotheses) lines.push(`  ${h.id} ${plain(h.text)}`);
  const number = (id: string): number => d.steps.findIndex((s) => s.id === id) + 1;
  for (const c of d.proposition.claims) {
    const steps = c.steps.map(number).join(", ");
    lines.push(`  (${c.id}) ${plain(c.text)}`, `      Proof (step${c.steps.length > 1 ? "s" : ""} ${steps}): ${plain(c.proof)} Checks: ${c.checks.join(", ")}.`);
  }
  lines.push("", "Result");
  lines.push(d.symmetries.length === 0 ? "  scaling symmetries: none" : `  scaling symmetries: ${d.symmetries.map(scalingText).join("; ")}`);
  lines.push(`  identifiable: ${d.identifiable.join(", ")}`);
  for (const p of d.partial) lines.push(`  only partly identifiable when ${p.when}: ${p.quantity}, ${p.bounds}`);
  for (const g of d.designs) lines.push(`  design ${g.design} (${g.initial}): identifiable ${g.identifiable.join(", ")}`);
  lines.push(
    "",
    "Checks by step (method: symbolic = proved by the exact rational normal form (sqrt as atoms) or by mathjs simplify " +
      "(sqrt frozen), and evaluated; numeric = a numeric comparison; then the numeric result, an error, see each check's measure)",
  );
  for (const g of checksByStep(d)) {
    if (g.checks.length === 0) continue;
    lines.push(`  Step ${g.number}. ${g.step.title}`);
    for (const c of g.checks) lines.push(checkLine(c));
  }
  const failed = d.checks.filter((c) => !c.passed).length;
  lines.push(failed === 0 ? `  all ${d.checks.length} checks passed` : `  ${failed} of ${d.checks.length} checks FAILED`);
  lines.push("", "References");
  for (const b of d.bibliography) lines.push(`  ${referenceText(b)}`);
  return `${lines.join("\n")}\n`;
}

function escapeLatex(s: string): string {
  return s.replace(/\\/g, "\\textbackslash{}").replace(/([_%&#{}$])/g, "\\$1").replace(/\^/g, "\\^{}").replace(/~/g, "\\~{}");
}

/** LaTeX fragment (`gaitid derive --latex`): one \subsection* per step, the proposition, checks, references. */
export function derivationLatex(d: Derivation): string {
  const out: string[] = [
    `% gaitid derive --latex --observe ${d.observe} --design ${d.design}: generated, do not edit`,
    `% every identity is checked at ${d.numeric.points} random points (seed ${d.numeric.seed}, tolerance ${d.numeric.tolerance})`,
    "",
  ];
  d.steps.forEach((s, i) => out.push(`\\subsection*{Step ${i + 1}. ${latexText(s.titleRich)}}`, s.latex, ""));
  out.push("\\subsection*{Proposition}", latexText(d.proposition.statement), "\\begin{itemize}");
  for (const h of d.proposition.hypotheses) out.push(`  \\item[(${h.id})] ${latexText(h.text)}`);
  out.push("\\end{itemize}", "\\begin{enumerate}");
  for (const c of d.proposition.claims) out.push(`  \\item[(${c.id})] ${latexText(c.text)} \\emph{Proof:} ${latexText(c.proof)}`);
  out.push("\\end{enumerate}", "");
  out.push(`Identifiable: ${d.identifiable.map((e) => `$${mathjsLatex(e)}$`).join(", ")}.`, "");
  out.push("\\subsection*{Checks}");
  for (const g of checksByStep(d)) {
    if (g.checks.length === 0) continue;
    out.push(`\\paragraph{Step ${g.number}.} ${latexText(g.step.titleRich)}`, "\\begin{itemize}");
    for (const c of g.checks) {
      out.push(`  \\item ${latexText(c.claim)} (${escapeLatex(checkMethod(c))}; ${escapeLatex(c.measure)}: ${c.numericMaxError.toExponential(1)}${c.passed ? "" : "; FAILED"})`);
    }
    out.push("\\end{itemize}");
  }
  out.push("", "\\begin{thebibliography}{9}");
  for (const b of d.bibliography) out.push(`  \\bibitem{${b.key}} ${escapeLatex(referenceText(b))}`);
  out.push("\\end{thebibliography}");
  return `${out.join("\n")}\n`;
}
