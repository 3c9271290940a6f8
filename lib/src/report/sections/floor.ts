/** The identifiability floor: E[m | rho] derived, the (m, k) plane, errors against the floor. */
import type { TargetMetrics } from "../../estimator/run";
import { errorFloorFigure, massStiffnessPlaneFigure, type ErrorPanel } from "../../figures/results";
import { COLORS, VARIANT_LABEL } from "../../figures/style";
import { metricOf, type StudyResults } from "../../results/study";
import type { ReportContext, ReportSection } from "../context";
import { fixed, fmt, int } from "../format";
import { html, joinHtml, type SafeHtml } from "../template";
import { sym, variantText } from "./common";

/** The floor derived: the posterior of m given rho, its mean and variance, the floor's values. */
function derivation(ctx: ReportContext, results: StudyResults): SafeHtml {
  const { numbers } = results;
  const { ref, equation } = ctx.safe;
  const [m1, m2] = numbers.priors.m, [k1, k2] = numbers.priors.k;
  const [rlo, rhi] = numbers.rhoRange;
  const ef = numbers.expectedFloor;
  const mm = metricOf(results.runs.mkl0, "m"), mk = metricOf(results.runs.mkl0, "k");
  return html`<p>If a record determines ${sym.rho} and ${sym.l0} and nothing else about (${sym.m}, ${sym.k}), the best estimate of
      ${sym.m} in the mean-square sense is the posterior mean of ${sym.m} given ${sym.rho}. With the uniform priors
      ${sym.m} ~ U[${fmt(m1)}, ${fmt(m2)}] kg and ${sym.k} ~ U[${fmt(k1)}, ${fmt(k2)}] N/m, the change of variables
      (${sym.m}, ${sym.k}) → (${sym.m}, ${sym.rho}) has Jacobian ${sym.m}, so the density of ${sym.m} given ${sym.rho} is
      proportional to ${sym.m} on the interval that both priors allow:</p>
${equation(
  "p(m \\mid \\rho) \\propto m \\quad \\text{on } [a, b], \\qquad a = \\max\\!\\left(m_1, \\frac{k_1}{\\rho}\\right),\\quad b = \\min\\!\\left(m_2, \\frac{k_2}{\\rho}\\right),",
  "eq-posterior",
)}
${equation(
  "\\mathrm{E}[m \\mid \\rho] = \\frac{2}{3}\\,\\frac{b^3 - a^3}{b^2 - a^2}, \\qquad \\mathrm{E}[k \\mid \\rho] = \\rho\\,\\mathrm{E}[m \\mid \\rho], \\qquad \\mathrm{Var}(m \\mid \\rho) = \\frac{a^2 + b^2}{2} - \\mathrm{E}[m \\mid \\rho]^2.",
  "eq-floor",
)}
<p>for ${sym.rho} in [${fmt(rlo, 4)}, ${fmt(rhi, 4)}] 1/s<sup>2</sup>. No estimator from (<i>x</i>, <i>y</i>) has a smaller
      expected squared error than ${ref("eq-floor")}. Averaged over the priors, its RMSE is ${fmt(ef.m.rmse)} kg for
      ${sym.m} and ${fmt(ef.k.rmse)} N/m for ${sym.k} (<i>R</i><sup>2</sup> ceilings ${fixed(ef.m.r2Ceiling, 3)} and
      ${fixed(ef.k.r2Ceiling, 3)}); on the test records it is ${fmt(mm.floorRmse)} kg and ${fmt(mk.floorRmse)} N/m.
      The floor of the identifiable ${sym.rho} and ${sym.l0} is zero.</p>`;
}

/** The (m, k) plane: true pairs, predictions, lines of constant rho and the Bayes locus. */
function plane(ctx: ReportContext, results: StudyResults): SafeHtml {
  const { runs, numbers } = results;
  const a = runs.mkl0;
  const mm = metricOf(a, "m"), mk = metricOf(a, "k");
  const toBayes = numbers.toBayes;
  const T = numbers.shown.mkl0.true, P = numbers.shown.mkl0.pred;
  const subsample = numbers.shown.count < numbers.testRecords && html`${int(numbers.shown.count)} of ${int(numbers.testRecords)} test records.`;
  return html`<p>${ctx.safe.ref("fig-plane")} shows this in the (${sym.m}, ${sym.k}) plane. Along a line of constant ${sym.rho} the
      records are identical, so the best an estimator can do is to move each true pair along the line through it to the
      curve traced by (E[${sym.m} | ${sym.rho}], E[${sym.k} | ${sym.rho}]). A network that has learned everything the records
      hold puts its predictions on that curve. Here the predicted ratio <i>k̂</i>/<i>m̂</i> matches the true ${sym.rho} with
      <i>R</i><sup>2</sup> = ${fixed(a.metrics.ratio?.r2, 3)}, and the predicted pairs lie at an RMS distance of ${fmt(toBayes.m)} kg
      and ${fmt(toBayes.k)} N/m from the curve, against ${fmt(mm.rmse)} kg and ${fmt(mk.rmse)} N/m from the true pairs.</p>
${ctx.safe.figure(
  "fig-plane",
  massStiffnessPlaneFigure({
    mTrue: T.m!, kTrue: T.k!, mPred: P.m!, kPred: P.k!,
    rhoLines: numbers.rhoLines, mRange: numbers.priors.m, kRange: numbers.priors.k, bayesLocus: numbers.locus,
  }),
  html`The (${sym.m}, ${sym.k}) plane: true pairs (open circles) in the prior box (dashed), the ${variantText.mkl0}
        network's predictions (blue), segments from each true pair to its prediction, lines of constant ${sym.rho} (grey) and
        the Bayes locus (black). ${subsample}`,
)}`;
}

/** The panels of the error figure: each estimate's RMSE beside its floor and the spread of the true values. */
function errorPanels(results: StudyResults): ErrorPanel[] {
  const { runs, numbers } = results;
  const a = runs.mkl0, b = runs.rhol0;
  const mm = metricOf(a, "m"), mk = metricOf(a, "k"), ml = metricOf(a, "l0"), rr = metricOf(b, "rho"), rl = metricOf(b, "l0");
  const sp = numbers.spread;
  const RANK: Record<string, number> = { [COLORS.mkl0]: 1, [COLORS.rhol0]: 2, [COLORS.bayes]: 3, [COLORS.isoline]: 4 };
  const bar = (name: string, color: string, rmse: number | undefined) => ({ name, color, rmse: rmse ?? Number.NaN, rank: RANK[color] });
  const FLOOR = "floor: E[· | <i>ρ</i>]", SPREAD = "spread of the true values";
  return [
    { quantity: "m", bars: [bar(VARIANT_LABEL.mkl0, COLORS.mkl0, mm.rmse), bar(FLOOR, COLORS.bayes, mm.floorRmse), bar(SPREAD, COLORS.isoline, sp.m)] },
    { quantity: "k", bars: [bar(VARIANT_LABEL.mkl0, COLORS.mkl0, mk.rmse), bar(FLOOR, COLORS.bayes, mk.floorRmse), bar(SPREAD, COLORS.isoline, sp.k)] },
    {
      quantity: "l0",
      bars: [bar(VARIANT_LABEL.mkl0, COLORS.mkl0, ml.rmse), bar(VARIANT_LABEL.rhol0, COLORS.rhol0, rl.rmse), bar(FLOOR, COLORS.bayes, ml.floorRmse), bar(SPREAD, COLORS.isoline, sp.l0)],
    },
    {
      quantity: "rho",
      bars: [
        bar(VARIANT_LABEL.mkl0, COLORS.mkl0, a.metrics.ratio?.rmse),
        bar(VARIANT_LABEL.rhol0, COLORS.rhol0, rr.rmse),
        bar(FLOOR, COLORS.bayes, rr.floorRmse),
        bar(SPREAD, COLORS.isoline, sp.rho),
      ],
    },
  ];
}

/** Each error beside its floor: what is unidentifiability and what is estimation error. */
function errors(ctx: ReportContext, results: StudyResults): SafeHtml {
  const a = results.runs.mkl0;
  const mm = metricOf(a, "m"), mk = metricOf(a, "k"), ml = metricOf(a, "l0");
  const gap = (x: TargetMetrics): SafeHtml => (x.floorRmse > 0 ? html`${fmt(x.rmse / x.floorRmse)} times the floor` : html`n/a`);
  return html`<p>${ctx.safe.ref("fig-error")} puts each error beside its floor and beside the spread of the true values, the error of
      always answering the mean. The network's RMSE of ${sym.m} is ${gap(mm)}, that of ${sym.k} ${gap(mk)}. An RMSE near the
      floor means the network has learned everything the records hold about ${sym.m} and ${sym.k}; what remains is
      unidentifiability, and neither more data nor more training can remove it. An RMSE well above the floor, as for
      ${sym.l0} (${fmt(ml.rmse)} m against a floor of ${fmt(ml.floorRmse)} m), is estimation error that a better
      network or more data can still reduce.</p>
${ctx.safe.figure(
  "fig-error",
  errorFloorFigure(errorPanels(results)),
  html`Error against the floor: the test RMSE of each estimate (own unit per panel) beside the identifiability floor
        (RMSE of E[· | ${sym.rho}]; zero for ${sym.l0} and ${sym.rho}) and the spread of the true values.`,
)}`;
}

export const floor: ReportSection = {
  id: "floor",
  title: "The identifiability floor and what it means",
  render(ctx) {
    const r = ctx.results;
    return joinHtml([derivation(ctx, r), plane(ctx, r), errors(ctx, r)], "\n").toString();
  },
};
