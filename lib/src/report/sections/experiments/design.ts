/** The design experiment's section: m's error from records whose initial energy was drawn in joules, against the floor of each design. */
import type { ReportContext, ReportSection } from "../../context";
import { fixed, fmt, int } from "../../html";
import type { DesignResults } from "../../../experiments/design";
import { SYM, NET, TITLE, experimentSectionId, param, provenance } from "./common";

export function designSection(r: DesignResults, dir: string): ReportSection {
  return {
    id: experimentSectionId("design"),
    title: TITLE.design,
    render(ctx: ReportContext) {
      const t = r.trials.find((x) => x.target === "mkl0") ?? r.trials[0];
      const m = t && param(t, "m");
      const f = r.design.floors;
      const [E1, E2] = r.design.energyJoules;
      const vs = (a: number, b: number): string => `${fixed(a / b, 2)} times`;
      const out: string[] = [
        `<p>The study draws the gait condition per unit mass, so a record tells nothing about ${SYM.m} beyond ${SYM.rho} and the floor of
        ${SYM.m} is E[${SYM.m} | ${SYM.rho}]. Here the same subjects (same priors) start with an initial energy <i>E</i> drawn in joules from
        [${fmt(E1)}, ${fmt(E2)}]&nbsp;J, independently of the subject, so their specific energy is <i>e</i> = <i>E</i>/${SYM.m}. A record
        determines ${SYM.rho}, ${SYM.l0} and <i>e</i>, so under this design the best estimate of ${SYM.m} is E[${SYM.m} | ${SYM.rho}, ${SYM.l0}, <i>e</i>]:
        whatever it knows beyond ${SYM.rho} comes from how the energy was chosen, not from the mechanics.</p>`,
      ];
      if (m) {
        out.push(
          `<p>On ${int(f.records)} test records the ${NET.mkl0} reached an RMSE of ${fmt(m.rmse)}&nbsp;kg for ${SYM.m}: ${vs(m.rmse, f.perUnitMass.rmse)} the
          per-unit-mass floor E[${SYM.m} | ${SYM.rho}] (${fmt(f.perUnitMass.rmse)}&nbsp;kg) and ${vs(m.rmse, f.design.rmse)} this design's floor
          (${fmt(f.design.rmse)}&nbsp;kg, <i>R</i><sup>2</sup> ${fixed(f.design.r2, 3)} against ${fixed(f.perUnitMass.r2, 3)}). ${
            f.design.rmse < f.perUnitMass.rmse
              ? `The design's floor lies ${fixed(100 * (1 - f.design.rmse / f.perUnitMass.rmse), 1)}&nbsp;% below E[${SYM.m} | ${SYM.rho}]: that much of ${SYM.m} is
                "identified" by the choice of the energy alone.`
              : `The design's floor is not below E[${SYM.m} | ${SYM.rho}] here: the energies that walk span too narrow a band of <i>e</i>/(<i>g</i>${SYM.l0})
                for a window in joules that every subject can walk in to say much about ${SYM.m}.`
          }</p>`,
        );
      }
      out.push(
        ctx.table(
          "tab-exp-design",
          {
            head: ["estimator of " + SYM.m, "RMSE (kg)", "<i>R</i><sup>2</sup>"],
            rows: [
              [NET.mkl0, fmt(m?.rmse), fixed(m?.r2 ?? null, 3)],
              [`E[${SYM.m} | ${SYM.rho}] (closed form; the per-unit-mass floor)`, fmt(f.perUnitMass.rmse), fixed(f.perUnitMass.r2, 3)],
              [`E[${SYM.m} | ${SYM.rho}, ${SYM.l0}, <i>e</i>] (this design's floor)`, fmt(f.design.rmse), fixed(f.design.r2, 3)],
              [`E[${SYM.m} | ${SYM.rho}] (the same regression)`, fmt(f.regressionPerUnitMass.rmse), fixed(f.regressionPerUnitMass.r2, 3)],
            ],
          },
          `The error of ${SYM.m} on ${int(f.records)} test records of the dataset with the energy in joules. The design's floor is a local linear
          kernel regression on the true (${SYM.rho}, ${SYM.l0}, <i>e</i>, ${SYM.m}) of its ${int(f.sample)} training and validation records (no closed
          form: which energies walk depends on the subject through the simulation); the last row, the same regression on ${SYM.rho} alone,
          measures its own error against the closed form.`,
        ),
        provenance(r, dir),
      );
      return out.join("\n");
    },
  };
}
