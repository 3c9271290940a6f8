/** The summary: what was done and found, in three paragraphs, with the preset named. */
import { metricOf } from "../../results/study";
import type { ReportSection } from "../context";
import { esc, fixed, fmt, int } from "../html";
import { range, SYM, VARIANT_NAME } from "./common";

export const summary: ReportSection = {
  id: "summary",
  title: "Summary",
  unnumbered: true,
  render(ctx) {
    const { runs, training, preset } = ctx.results;
    const d = ctx.results.dataset.manifest.config;
    const a = runs.mkl0, b = runs.rhol0;
    const mm = metricOf(a, "m"), mk = metricOf(a, "k"), ml = metricOf(a, "l0");
    const rr = metricOf(b, "rho"), rl = metricOf(b, "l0");
    const t = training.mkl0;
    const ratioM = mm.rmse / mm.floorRmse;
    const paras = [
      `<p>We simulate Geyer's bipedal spring-mass walker for ${int(d.records)} subjects drawn from the priors of the paper
      (${SYM.m} ~ U${range(d.m)} kg, ${SYM.k} ~ U${range(d.k)} N/m, ${SYM.l0} ~ U${range(d.l0)} m), record the
      centre of mass (<i>x</i>, <i>y</i>) for ${fmt(d.duration)} s every ${fmt(d.dt)} s, and train a fully connected network
      (${t.layers} hidden layers of ${t.units} units, ${int(Math.max(...a.history.epoch))} epochs) to estimate either
      ${VARIANT_NAME.mkl0} or ${VARIANT_NAME.rhol0}, where ${SYM.rho} = ${SYM.k}/${SYM.m}.</p>`,
      `<p>On the ${int(ctx.results.numbers.testRecords)} test records the ${VARIANT_NAME.rhol0} network reaches <i>R</i><sup>2</sup> = ${fixed(rr.r2, 3)}
      for ${SYM.rho} and ${fixed(rl.r2, 3)} for ${SYM.l0}. The ${VARIANT_NAME.mkl0} network reaches ${fixed(ml.r2, 3)} for ${SYM.l0},
      but only ${fixed(mm.r2, 3)} for ${SYM.m} and ${fixed(mk.r2, 3)} for ${SYM.k}. No estimator can do better on average than
      the Bayes estimator E[${SYM.m} | ${SYM.rho}] that knows ${SYM.rho} exactly: on the same records its <i>R</i><sup>2</sup> is
      ${fixed(mm.r2Ceiling, 3)} for ${SYM.m} and ${fixed(mk.r2Ceiling, 3)} for ${SYM.k} (RMSE ${fmt(mm.floorRmse)} kg and
      ${fmt(mk.floorRmse)} N/m). The network's RMSE of ${SYM.m} is ${fmt(mm.rmse)} kg, ${fmt(ratioM)} times that floor.</p>`,
      `<p>The derivation (${ctx.ref("model")}) shows why: once the equations of motion are divided by ${SYM.m}, only
      ${SYM.rho} and ${SYM.l0} remain, so a record cannot tell (${SYM.m}, ${SYM.k}) from (<i>c</i>&thinsp;${SYM.m}, <i>c</i>&thinsp;${SYM.k}).
      ${SYM.m} and ${SYM.k} are not identifiable from (<i>x</i>, <i>y</i>); ${SYM.rho} and ${SYM.l0} are. Ground reaction forces
      in newtons would break the symmetry (${ctx.ref("derive-grf")}).</p>`,
    ];
    if (preset !== "paper") {
      paras.push(
        `<div class="note">This report was built with the <b>${esc(preset)}</b> preset (${int(d.records)} records,
        ${int(Math.max(...a.history.epoch))} epochs): a check of the whole pipeline, not the paper's scale of 1&#8201;000&#8201;000
        records and 500 epochs. Its numbers are those of a small, briefly trained network; build the report of the
        <code>paper</code> preset for the reproduction.</div>`,
      );
    }
    return paras.join("\n");
  },
};

