/**
 * The three renderings of a {@link Derivation}: readable text, LaTeX, and JSON. `gaitid derive`,
 * the report and the notebooks all print through these, so they show the same thing.
 */
import type { Derivation, DerivationCheck, ScalingAction } from "./derivation";
import { inlineLatex } from "./render";

/** The JSON form (`gaitid derive --json`). */
export interface DerivationJson {
  observe: Derivation["observe"];
  parameters: Derivation["parameters"];
  equations: Derivation["equations"];
  normalized: Derivation["normalized"];
  symmetries: ScalingAction[];
  identifiable: string[];
  checks: { name: string; symbolic: boolean; numericMaxError: number }[];
}

export function derivationJsonObject(d: Derivation): DerivationJson {
  return {
    observe: d.observe,
    parameters: d.parameters,
    equations: d.equations,
    normalized: d.normalized,
    symmetries: d.symmetries,
    identifiable: d.identifiable,
    checks: d.checks.map((c) => ({ name: c.name, symbolic: c.symbolic, numericMaxError: c.numericMaxError })),
  };
}

/** JSON text, two-space indented, with a final newline. */
export function derivationJson(d: Derivation): string {
  return `${JSON.stringify(derivationJsonObject(d), null, 2)}\n`;
}

function modelName(d: Derivation): string {
  return d.observe === "xy" ? "(x, y)" : "(x, y) and the leg forces F_a, F_b in newtons";
}

function scalingText(s: ScalingAction): string {
  const f = (e: number, p: string) => (e === 0 ? p : e === 1 ? `c ${p}` : `c^${e} ${p}`);
  return `(m, k, l0) -> (${f(s.m, "m")}, ${f(s.k, "k")}, ${f(s.l0, "l0")})  [exponents (${s.m}, ${s.k}, ${s.l0})]`;
}

/** How a check was established: "simplify", "normal form" (rational.ts), both, or "numeric". */
export function checkMethod(c: DerivationCheck): string {
  if (!c.symbolic) return "numeric";
  const nf = c.proof.includes("rational normal form");
  const simp = c.proof.includes("mathjs simplify (");
  return nf && simp ? "simplify+nf" : nf ? "normal form" : "simplify";
}

function checkLine(c: DerivationCheck): string {
  const status = c.passed ? "ok  " : "FAIL";
  return `  ${status} ${checkMethod(c).padEnd(11)} ${c.numericMaxError.toExponential(1).padStart(8)}  ${c.name}`;
}

/** Readable text (the default output of `gaitid derive`), with a final newline. */
export function derivationText(d: Derivation): string {
  const lines: string[] = [
    `gaitid derive: symbolic derivation (mathjs) for the observation model ${modelName(d)}`,
    `parameters ${d.parameters.join(", ")}; every identity also checked at ${d.numeric.points} random points ` +
      `(seed ${d.numeric.seed}, relative tolerance ${d.numeric.tolerance})`,
    "",
  ];
  d.steps.forEach((s, i) => {
    lines.push(`Step ${i + 1}. ${s.title}`, s.text, "");
  });
  lines.push("Result");
  lines.push(
    d.symmetries.length === 0
      ? "  scaling symmetries: none"
      : `  scaling symmetries: ${d.symmetries.map(scalingText).join("; ")}`,
  );
  lines.push(`  identifiable: ${d.identifiable.join(", ")}`, "");
  lines.push(
    "Checks (proved by: simplify = mathjs simplify with sqrt frozen, normal form = exact rational normal form where " +
      "simplify stops short, numeric = not a symbolic identity; then the largest relative error at the random points)",
  );
  for (const c of d.checks) lines.push(checkLine(c));
  const failed = d.checks.filter((c) => !c.passed).length;
  lines.push(failed === 0 ? `  all ${d.checks.length} checks passed` : `  ${failed} of ${d.checks.length} checks FAILED`);
  return `${lines.join("\n")}\n`;
}

function escapeLatex(s: string): string {
  return s.replace(/\\/g, "\\textbackslash{}").replace(/([_%&#{}$])/g, "\\$1").replace(/\^/g, "\\^{}").replace(/~/g, "\\~{}");
}

/** LaTeX fragment (`gaitid derive --latex`): one \subsection* per step, then result and checks. */
export function derivationLatex(d: Derivation): string {
  const out: string[] = [
    `% gaitid derive --latex --observe ${d.observe}: generated, do not edit`,
    `% every identity is checked at ${d.numeric.points} random points (seed ${d.numeric.seed}, tolerance ${d.numeric.tolerance})`,
    "",
  ];
  d.steps.forEach((s, i) => {
    out.push(`\\subsection*{Step ${i + 1}. ${escapeLatex(s.title)}}`, s.latex, "");
  });
  out.push("\\subsection*{Result}");
  const sym =
    d.symmetries.length === 0
      ? "none"
      : d.symmetries
          .map(
            (s) =>
              `$(m, k, l_0) \\mapsto (c^{${s.m}} m,\\ c^{${s.k}} k,\\ c^{${s.l0}} l_0)$`,
          )
          .join(", ");
  out.push(`Scaling symmetries: ${sym}.`, "");
  out.push(`Identifiable: ${d.identifiable.map((e) => `$${inlineLatex(e)}$`).join(", ")}.`, "");
  out.push("\\subsection*{Checks}", "\\begin{itemize}");
  for (const c of d.checks) {
    out.push(
      `  \\item ${escapeLatex(c.name)} (${c.symbolic ? `proved symbolically: ${escapeLatex(checkMethod(c))}` : "numeric only"}; ` +
        `max.\\ relative error ${c.numericMaxError.toExponential(1)})`,
    );
  }
  out.push("\\end{itemize}");
  return `${out.join("\n")}\n`;
}
