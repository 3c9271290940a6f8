/** The data model: the walker drawn and animated, then the derivation (sections/derivation.ts). */
import { modelFigure, walkAnimationFigure } from "../../figures/model";
import type { ReportSection } from "../context";
import { fixed, fmt, int } from "../format";
import { html } from "../template";
import { derivationSubsections } from "./derivation";
import { sym } from "./common";

export const model: ReportSection = {
  id: "model",
  title: "The data model and the derivation",
  render(ctx) {
    const { walks } = ctx.results;
    const { ref, figure } = ctx.safe;
    const s = walks.sketch;
    const mid = walks.subjects[Math.floor(walks.subjects.length / 2)];
    const anim = walks.animation;
    return html`<p>Geyer's walker is a point mass ${sym.m} at the centre of mass (CoM) (<i>x</i>, <i>y</i>) on two massless legs, each a
      linear spring of stiffness ${sym.k} and rest length ${sym.l0} (${ref("fig-model")}). A leg on the ground has its foot
      fixed and pushes along itself while it is compressed. In single support the swing leg is held at the angle of attack
      <i>α</i><sub>0</sub> to the ground; it touches down when the CoM, moving down, reaches <i>y</i> = ${sym.l0} sin <i>α</i><sub>0</sub>,
      its spring at rest. In double support the rear leg lifts off when it has extended back to ${sym.l0}. The model loses no
      energy, so a walk is a sequence of touchdowns and lift-offs that repeats (${ref("fig-walk")}).</p>
${figure(
  "fig-model",
  modelFigure(s),
  html`The model, drawn at the touchdown of the front leg for the test subject with the median <i>ρ</i>
        (${sym.m} = ${fmt(mid.m)} kg, ${sym.k} = ${int(mid.k)} N/m, ${sym.l0} = ${fixed(mid.l0, 3)} m, <i>α</i><sub>0</sub> = ${fixed(mid.alpha0, 1)}°):
        the point mass at the CoM, the rear leg compressed, the front leg touching down at rest length ${sym.l0} at the angle
        of attack <i>α</i><sub>0</sub>, feet at <i>x</i><sub>a</sub> and <i>x</i><sub>b</sub>. The state is the simulator's at the
        located touchdown event. Axes in metres, equal scale.`,
)}
${figure(
  "fig-walk",
  walkAnimationFigure(anim),
  html`A walk of the same subject over its first ${fmt(anim.t[anim.t.length - 1])} s, animated (press ▶ Play or drag the
        slider; one frame every ${fmt(anim.t[1] - anim.t[0])} s): stance legs as springs, the swing leg held at <i>α</i><sub>0</sub>
        (dotted), the CoM path so far. Simulated from the record's parameters in <code>params.csv</code>.`,
)}
${derivationSubsections(ctx, ctx.results.derivation["xy+grf"])}`.toString();
  },
};
