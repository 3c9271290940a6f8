/** The summary: what was done and found, in three paragraphs, with the preset named. */
import { metricOf } from "../../results/study";
import type { ReportSection } from "../context";
import { fixed, fmt, int } from "../format";
import { html, joinHtml } from "../template";
import { range, sym, variantText } from "./common";

export const summary: ReportSection = {
  id: "summary",
  title: "Summary",
  unnumbered: true,
  render(ctx) {
    const { runs, training, preset } = ctx.results;
    const { ref } = ctx.safe;
    const d = ctx.results.dataset.manifest.config;
    const a = runs.mkl0, b = runs.rhol0;
    const mm = metricOf(a, "m"), mk = metricOf(a, "k"), ml = metricOf(a, "l0");
    const rr = metricOf(b, "rho"), rl = metricOf(b, "l0");
    const t = training.mkl0;
    const ratioM = mm.rmse / mm.floorRmse;
    const epochs = int(Math.max(...a.history.epoch));
    const paras = [
      html`<p>We simulate Geyer's bipedal spring-mass walker for ${int(d.records)} subjects drawn from the priors of the paper
      (${sym.m} ~ U${range(d.m)} kg, ${sym.k} ~ U${range(d.k)} N/m, ${sym.l0} ~ U${range(d.l0)} m), record the
      centre of mass (<i>x</i>, <i>y</i>) for ${fmt(d.duration)} s every ${fmt(d.dt)} s, and train a fully connected network
      (${t.layers} hidden layers of ${t.units} units, ${epochs} epochs) to estimate either
      ${variantText.mkl0} or ${variantText.rhol0}, where ${sym.rho} = ${sym.k}/${sym.m}.</p>`,
      html`<p>On the ${int(ctx.results.numbers.testRecords)} test records the ${variantText.rhol0} network reaches <i>R</i><sup>2</sup> = ${fixed(rr.r2, 3)}
      for ${sym.rho} and ${fixed(rl.r2, 3)} for ${sym.l0}. The ${variantText.mkl0} network reaches ${fixed(ml.r2, 3)} for ${sym.l0},
      but only ${fixed(mm.r2, 3)} for ${sym.m} and ${fixed(mk.r2, 3)} for ${sym.k}. No estimator can do better on average than
      the Bayes estimator E[${sym.m} | ${sym.rho}] that knows ${sym.rho} exactly: on the same records its <i>R</i><sup>2</sup> is
      ${fixed(mm.r2Ceiling, 3)} for ${sym.m} and ${fixed(mk.r2Ceiling, 3)} for ${sym.k} (RMSE ${fmt(mm.floorRmse)} kg and
      ${fmt(mk.floorRmse)} N/m). The network's RMSE of ${sym.m} is ${fmt(mm.rmse)} kg, ${fmt(ratioM)} times that floor.</p>`,
      html`<p>The derivation (${ref("model")}) shows why: once the equations of motion are divided by ${sym.m}, only
      ${sym.rho} and ${sym.l0} remain, so a record cannot tell (${sym.m}, ${sym.k}) from (<i>c</i>&thinsp;${sym.m}, <i>c</i>&thinsp;${sym.k}).
      ${sym.m} and ${sym.k} are not identifiable from (<i>x</i>, <i>y</i>); ${sym.rho} and ${sym.l0} are. Ground reaction forces
      in newtons would break the symmetry (${ref("derive-grf")}).</p>`,
    ];
    if (preset !== "paper") {
      paras.push(
        html`<div class="note">This report was built with the <b>${preset}</b> preset (${int(d.records)} records,
        ${epochs} epochs): a check of the whole pipeline, not the paper's scale of 1&#8201;000&#8201;000
        records and 500 epochs. Its numbers are those of a small, briefly trained network; build the report of the
        <code>paper</code> preset for the reproduction.</div>`,
      );
    }
    return joinHtml(paras, "\n").toString();
  },
};
