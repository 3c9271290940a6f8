/** The design experiment's section: m's error from records whose initial energy was drawn in joules, against the floor of each design. */
import type { ReportContext, ReportSection } from "../../context";
import { fixed, fmt, int } from "../../format";
import { html, joinHtml, raw, rawValues, type SafeHtml } from "../../template";
import type { DesignFloors, DesignResults } from "../../../experiments/design";
import type { ParamResult } from "../../../experiments/run";
import { SYM, NET, TITLE, experimentSectionId, param, provenance } from "./common";

const sym = rawValues(SYM), net = rawValues(NET);
const e = html`<i>e</i>`, E = html`<i>E</i>`;

/** How the data were drawn, and why the floor can move. */
function setup(r: DesignResults): SafeHtml {
  const [E1, E2] = r.design.energyJoules;
  const selection = r.design.redrawSubject
    ? html`A subject walks only when ${e} lies within a few per cent above <i>g</i>${sym.l0}, so at a budget in joules only subjects with
        ${sym.m}<i>g</i>${sym.l0} just below ${E} can walk; a subject who cannot walk at the drawn ${E} is replaced by a new one, as a lab would
        turn them away. The accepted subjects are thereby selected by ${sym.m}${sym.l0}, and the record's ${sym.l0} and ${e} say something about
        ${sym.m} through that selection.`
    : html`Gait conditions that do not walk are redrawn for the same subject, so every subject of the priors is kept.`;
  return html`<p>The study draws the gait condition per unit mass, so a record tells nothing about ${sym.m} beyond ${sym.rho} and the floor of
        ${sym.m} is E[${sym.m} | ${sym.rho}]. Here the subjects are drawn from the same priors but start with an initial energy ${E} drawn in
        joules from [${fmt(E1)}, ${fmt(E2)}]&nbsp;J, independently of the subject, so their specific energy is ${e} = ${E}/${sym.m}. ${selection}
        A record determines ${sym.rho}, ${sym.l0} and ${e}, so under this design the best estimate of ${sym.m} is E[${sym.m} | ${sym.rho}, ${sym.l0}, ${e}]:
        whatever it knows beyond ${sym.rho} comes from how the energy was chosen, not from the mechanics.</p>`;
}

/** The network's error against both floors, as a sentence. */
function verdict(m: ParamResult, f: DesignFloors): SafeHtml {
  const vs = (a: number, b: number): SafeHtml => html`${fixed(a / b, 2)} times`;
  const below = f.design.rmse < 0.97 * f.perUnitMass.rmse;
  return html`<p>On ${int(f.records)} test records the ${net.mkl0} reached an RMSE of ${fmt(m.rmse)}&nbsp;kg for ${sym.m}: ${vs(m.rmse, f.perUnitMass.rmse)}
        the study's floor E[${sym.m} | ${sym.rho}] under the uniform priors (${fmt(f.perUnitMass.rmse)}&nbsp;kg) and ${vs(m.rmse, f.design.rmse)} this
        design's floor (${fmt(f.design.rmse)}&nbsp;kg, <i>R</i><sup>2</sup> ${fixed(f.design.r2, 3)} against ${fixed(f.perUnitMass.r2, 3)}). ${
          below
            ? html`The design's floor lies ${fixed(100 * (1 - f.design.rmse / f.perUnitMass.rmse), 1)}&nbsp;% below E[${sym.m} | ${sym.rho}]: that much of
                ${sym.m} is "identified" by the choice of the energy and of the subjects alone, and a network that reaches it has learnt the design,
                not the mechanics.`
            : html`The design's floor is not clearly below E[${sym.m} | ${sym.rho}] here: the energies that walk span too narrow a band of
                ${e}/(<i>g</i>${sym.l0}) for this window to say much about ${sym.m}.`
        }</p>`;
}

export function designSection(r: DesignResults, dir: string): ReportSection {
  return {
    id: experimentSectionId("design"),
    title: TITLE.design,
    render(ctx: ReportContext) {
      const t = r.trials.find((x) => x.target === "mkl0") ?? r.trials[0];
      const m = t && param(t, "m");
      const f = r.design.floors;
      const table = ctx.safe.table(
        "tab-exp-design",
        {
          head: [html`estimator of ${sym.m}`, "RMSE (kg)", html`<i>R</i><sup>2</sup>`],
          rows: [
            [net.mkl0, fmt(m?.rmse), fixed(m?.r2 ?? null, 3)],
            [html`E[${sym.m} | ${sym.rho}] (closed form under the uniform priors; the study's floor)`, fmt(f.perUnitMass.rmse), fixed(f.perUnitMass.r2, 3)],
            [html`E[${sym.m} | ${sym.rho}] on this design's records (regression)`, fmt(f.regressionPerUnitMass.rmse), fixed(f.regressionPerUnitMass.r2, 3)],
            [html`E[${sym.m} | ${sym.rho}, ${sym.l0}, ${e}] on this design's records (regression; this design's floor)`, fmt(f.design.rmse), fixed(f.design.r2, 3)],
          ],
        },
        html`The error of ${sym.m} on ${int(f.records)} test records of the dataset with the energy in joules. Both regressions are local linear
          kernel regressions on the true (${sym.rho}, ${sym.l0}, ${e}, ${sym.m}) of its ${int(f.sample)} training and validation records (no closed
          form: which energies walk depends on the subject through the simulation). The row E[${sym.m} | ${sym.rho}] by regression differs from
          the closed form by the regression's own error${r.design.redrawSubject ? html` and by what the selection of subjects changes in ${sym.m} given ${sym.rho}` : ""}.}`,
      );
      const parts = [setup(r), m && verdict(m, f), table, raw(provenance(r, dir))];
      return joinHtml(parts.filter((p) => p !== undefined), "\n").toString();
    },
  };
}
