/** The identifiability floor: E[m | rho] derived, the (m, k) plane, errors against the floor. */
import type { TargetMetrics } from "../../estimator/run";
import { errorFloorFigure, massStiffnessPlaneFigure, type ErrorPanel } from "../../figures/results";
import { COLORS, VARIANT_LABEL } from "../../figures/style";
import { metricOf } from "../../results/study";
import type { ReportSection } from "../context";
import { fixed, fmt, int } from "../html";
import { SYM, VARIANT_NAME } from "./common";

export const floor: ReportSection = {
  id: "floor",
  title: "The identifiability floor and what it means",
  render(ctx) {
    const { runs, numbers } = ctx.results;
    const a = runs.mkl0, b = runs.rhol0;
    const priors = numbers.priors;
    const [m1, m2] = priors.m, [k1, k2] = priors.k;
    const [rlo, rhi] = numbers.rhoRange;
    const ef = numbers.expectedFloor;
    const mm = metricOf(a, "m"), mk = metricOf(a, "k"), ml = metricOf(a, "l0"), rr = metricOf(b, "rho"), rl = metricOf(b, "l0");
    const toBayes = numbers.toBayes;
    const out: string[] = [];
    out.push(
      `<p>If a record determines ${SYM.rho} and ${SYM.l0} and nothing else about (${SYM.m}, ${SYM.k}), the best estimate of
      ${SYM.m} in the mean-square sense is the posterior mean of ${SYM.m} given ${SYM.rho}. With the uniform priors
      ${SYM.m} ~ U[${fmt(m1)}, ${fmt(m2)}] kg and ${SYM.k} ~ U[${fmt(k1)}, ${fmt(k2)}] N/m, the change of variables
      (${SYM.m}, ${SYM.k}) → (${SYM.m}, ${SYM.rho}) has Jacobian ${SYM.m}, so the density of ${SYM.m} given ${SYM.rho} is
      proportional to ${SYM.m} on the interval that both priors allow:</p>`,
      ctx.equation(
        "p(m \\mid \\rho) \\propto m \\quad \\text{on } [a, b], \\qquad a = \\max\\!\\left(m_1, \\frac{k_1}{\\rho}\\right),\\quad b = \\min\\!\\left(m_2, \\frac{k_2}{\\rho}\\right),",
        "eq-posterior",
      ),
      ctx.equation(
        "\\mathrm{E}[m \\mid \\rho] = \\frac{2}{3}\\,\\frac{b^3 - a^3}{b^2 - a^2}, \\qquad \\mathrm{E}[k \\mid \\rho] = \\rho\\,\\mathrm{E}[m \\mid \\rho], \\qquad \\mathrm{Var}(m \\mid \\rho) = \\frac{a^2 + b^2}{2} - \\mathrm{E}[m \\mid \\rho]^2.",
        "eq-floor",
      ),
      `<p>for ${SYM.rho} in [${fmt(rlo, 4)}, ${fmt(rhi, 4)}] 1/s<sup>2</sup>. No estimator from (<i>x</i>, <i>y</i>) has a smaller
      expected squared error than ${ctx.ref("eq-floor")}. Averaged over the priors, its RMSE is ${fmt(ef.m.rmse)} kg for
      ${SYM.m} and ${fmt(ef.k.rmse)} N/m for ${SYM.k} (<i>R</i><sup>2</sup> ceilings ${fixed(ef.m.r2Ceiling, 3)} and
      ${fixed(ef.k.r2Ceiling, 3)}); on the test records it is ${fmt(mm.floorRmse)} kg and ${fmt(mk.floorRmse)} N/m.
      The floor of the identifiable ${SYM.rho} and ${SYM.l0} is zero.</p>`,
      `<p>${ctx.ref("fig-plane")} shows this in the (${SYM.m}, ${SYM.k}) plane. Along a line of constant ${SYM.rho} the
      records are identical, so the best an estimator can do is to move each true pair along the line through it to the
      curve traced by (E[${SYM.m} | ${SYM.rho}], E[${SYM.k} | ${SYM.rho}]). A network that has learned everything the records
      hold puts its predictions on that curve. Here the predicted ratio <i>k̂</i>/<i>m̂</i> matches the true ${SYM.rho} with
      <i>R</i><sup>2</sup> = ${fixed(a.metrics.ratio?.r2, 3)}, and the predicted pairs lie at an RMS distance of ${fmt(toBayes.m)} kg
      and ${fmt(toBayes.k)} N/m from the curve, against ${fmt(mm.rmse)} kg and ${fmt(mk.rmse)} N/m from the true pairs.</p>`,
    );
    const T = numbers.shown.mkl0.true, P = numbers.shown.mkl0.pred;
    const locus = numbers.locus;
    const rhoLines = numbers.rhoLines;
    out.push(
      ctx.figure(
        "fig-plane",
        massStiffnessPlaneFigure({
          mTrue: T.m!, kTrue: T.k!, mPred: P.m!, kPred: P.k!,
          rhoLines, mRange: priors.m, kRange: priors.k, bayesLocus: locus,
        }),
        `The (${SYM.m}, ${SYM.k}) plane: true pairs (open circles) in the prior box (dashed), the ${VARIANT_NAME.mkl0}
        network's predictions (blue), segments from each true pair to its prediction, lines of constant ${SYM.rho} (grey) and
        the Bayes locus (black). ${numbers.shown.count < numbers.testRecords ? `${int(numbers.shown.count)} of ${int(numbers.testRecords)} test records.` : ""}`,
      ),
    );
    const sp = numbers.spread;
    const RANK: Record<string, number> = { [COLORS.mkl0]: 1, [COLORS.rhol0]: 2, [COLORS.bayes]: 3, [COLORS.isoline]: 4 };
    const bar = (name: string, color: string, rmse: number | undefined) => ({ name, color, rmse: rmse ?? Number.NaN, rank: RANK[color] });
    const FLOOR = "floor: E[· | <i>ρ</i>]", SPREAD = "spread of the true values";
    const panels: ErrorPanel[] = [
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
    const gap = (x: TargetMetrics): string => (x.floorRmse > 0 ? `${fmt(x.rmse / x.floorRmse)} times the floor` : "n/a");
    out.push(
      `<p>${ctx.ref("fig-error")} puts each error beside its floor and beside the spread of the true values, the error of
      always answering the mean. The network's RMSE of ${SYM.m} is ${gap(mm)}, that of ${SYM.k} ${gap(mk)}. An RMSE near the
      floor means the network has learned everything the records hold about ${SYM.m} and ${SYM.k}; what remains is
      unidentifiability, and neither more data nor more training can remove it. An RMSE well above the floor, as for
      ${SYM.l0} (${fmt(ml.rmse)} m against a floor of ${fmt(ml.floorRmse)} m), is estimation error that a better
      network or more data can still reduce.</p>`,
      ctx.figure(
        "fig-error",
        errorFloorFigure(panels),
        `Error against the floor: the test RMSE of each estimate (own unit per panel) beside the identifiability floor
        (RMSE of E[· | ${SYM.rho}]; zero for ${SYM.l0} and ${SYM.rho}) and the spread of the true values.`,
      ),
    );
    return out.join("\n");
  },
};

