/** The sensitivity analysis of a record (lib/src/identifiability) as a notebook table. */
import { nullDirectionVerdict, type RecordIdentifiability, type SingularSummary } from "../identifiability/analysis";
import { fmt } from "../report/format";
import type { CellMarkup } from "../report/html";
import { escapeHtml } from "../report/template";
import { specTableHtml } from "./display";

const VERDICT: Record<ReturnType<typeof nullDirectionVerdict>, string> = {
  null: "<b>zero</b>: a direction the data cannot see",
  identifiable: "clearly above the noise: identifiable",
  unresolved: "not resolved (J not accurate enough)",
};

function row(observed: string, params: string, s: SingularSummary): CellMarkup[] {
  const sigma = s.singularValues;
  return [
    observed,
    params,
    sigma.map((v) => fmt(v, 3)).join(", "),
    fmt(s.noiseLevel, 2),
    `(${s.nullDirection.map((v) => v.toFixed(3)).join(", ")})`,
    VERDICT[nullDirectionVerdict(s)],
  ];
}

/**
 * The singular values of the sensitivity matrix of one record (analyseRecord's results, one per
 * observation model), in (log m, log k, log l0) and in (log rho, log l0): the smallest beside its
 * integration-noise level, the direction it belongs to and the verdict.
 */
export function identifiabilityHtml(results: readonly RecordIdentifiability[], caption = ""): string {
  const rows: CellMarkup[][] = [];
  for (const r of results) {
    const observed = r.observe === "xy" ? "(<i>x</i>, <i>y</i>)" : "(<i>x</i>, <i>y</i>) + GRF";
    rows.push(row(observed, escapeHtml(r.parameters.join(", ")), r), row(observed, escapeHtml(r.reparametrised.parameters.join(", ")), r.reparametrised));
  }
  return specTableHtml(
    {
      head: ["observed", "parameters", "singular values, largest first", "noise level of the smallest", "direction of the smallest", "smallest singular value"],
      rows,
      align: ["l", "l", "r", "r", "c", "l"],
    },
    caption,
  );
}
