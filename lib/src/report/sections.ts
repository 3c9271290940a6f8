/**
 * The default sections of the report, in the paper's order: summary; the data model and its
 * derivation; data generation; results of both variants; the identifiability floor; limits;
 * reproducibility. Every number in the text is read from the run files or computed from them.
 */
import { inlineLatex } from "../derive/render";
import type { DerivationStep } from "../derive/derivation";
import { expectedFloor, posteriorMean, rhoRange, type MkPriors } from "../estimator/floor";
import type { TargetMetrics } from "../estimator/run";
import { modelFigure, walkAnimationFigure } from "../figures/model";
import { grfFigure, recordsFigure } from "../figures/records";
import {
  errorFloorFigure,
  learningCurvesFigure,
  massStiffnessPlaneFigure,
  mkl0PredictionFigure,
  rhol0PredictionFigure,
  type ErrorPanel,
  type VariantPredictions,
} from "../figures/results";
import { COLORS, VARIANT_LABEL, type Quantity, type Variant } from "../figures/style";
import type { ReportContext, ReportSection } from "./context";
import { esc, fixed, fmt, int, percent } from "./html";
import type { RunFiles } from "./runs";
import { bayesEstimates, bayesLocus, pick, rhoIsolines, runPredictions, spread, subsampleIndices } from "./figure-data";

/** Units of the study's quantities, HTML. */
const UNIT: Record<Quantity, string> = { m: "kg", k: "N/m", l0: "m", rho: "1/s<sup>2</sup>" };
/** Symbols in running text, HTML. */
const SYM: Record<Quantity, string> = { m: "<i>m</i>", k: "<i>k</i>", l0: "<i>ℓ</i><sub>0</sub>", rho: "<i>ρ</i>" };
const VARIANT_NAME: Record<Variant, string> = { mkl0: "(<i>m</i>, <i>k</i>, <i>ℓ</i><sub>0</sub>)", rhol0: "(<i>ρ</i>, <i>ℓ</i><sub>0</sub>)" };

function metric(run: RunFiles, q: string): TargetMetrics {
  const m = run.metrics.params[q];
  if (!m) throw new Error(`${run.dir}/metrics.json has no entry for ${q}`);
  return m;
}

function priorsOf(ctx: ReportContext): MkPriors {
  const d = ctx.data.datasetConfig;
  return { m: d.m, k: d.k };
}

/** Standard deviation of a sample (the RMSE of predicting its mean). */
function testCount(ctx: ReportContext): number {
  return ctx.data.runs.mkl0.predictions.id.length;
}

function range(r: readonly [number, number], digits = 4): string {
  return `[${fmt(r[0], digits)}, ${fmt(r[1], digits)}]`;
}

// ---------------------------------------------------------------------------------------------
// Summary

const summary: ReportSection = {
  id: "summary",
  title: "Summary",
  unnumbered: true,
  render(ctx) {
    const { runs, datasetConfig: d, training, preset } = ctx.data;
    const a = runs.mkl0, b = runs.rhol0;
    const mm = metric(a, "m"), mk = metric(a, "k"), ml = metric(a, "l0");
    const rr = metric(b, "rho"), rl = metric(b, "l0");
    const t = training.mkl0;
    const ratioM = mm.rmse / mm.floorRmse;
    const paras = [
      `<p>We simulate Geyer's bipedal spring-mass walker for ${int(d.records)} subjects drawn from the priors of the paper
      (${SYM.m} ~ U${range(d.m)} kg, ${SYM.k} ~ U${range(d.k)} N/m, ${SYM.l0} ~ U${range(d.l0)} m), record the
      centre of mass (<i>x</i>, <i>y</i>) for ${fmt(d.duration)} s every ${fmt(d.dt)} s, and train a fully connected network
      (${t.layers} hidden layers of ${t.units} units, ${int(Math.max(...a.history.epoch))} epochs) to estimate either
      ${VARIANT_NAME.mkl0} or ${VARIANT_NAME.rhol0}, where ${SYM.rho} = ${SYM.k}/${SYM.m}.</p>`,
      `<p>On the ${int(testCount(ctx))} test records the ${VARIANT_NAME.rhol0} network reaches <i>R</i><sup>2</sup> = ${fixed(rr.r2, 3)}
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

// ---------------------------------------------------------------------------------------------
// The data model and its derivation

/** Prose of a derivation step: paragraphs with inline mathjs in $...$, "- " lines as lists. */
function proseHtml(ctx: ReportContext, text: string): string {
  const inline = (line: string): string =>
    line
      .split("$")
      .map((part, i) => (i % 2 === 1 ? ctx.math(inlineLatex(part)) : esc(part)))
      .join("");
  const out: string[] = [];
  let list: string[] = [];
  const flush = (): void => {
    if (list.length > 0) out.push(`<ul>${list.map((l) => `<li>${l}</li>`).join("")}</ul>`);
    list = [];
  };
  for (const line of text.split("\n")) {
    if (line.startsWith("- ")) list.push(inline(line.slice(2)));
    else {
      flush();
      if (line.trim()) out.push(`<p>${inline(line)}</p>`);
    }
  }
  flush();
  return out.join("\n");
}

/** A derivation step: its prose and its displayed equations, typeset from the step's LaTeX. */
export function stepHtml(ctx: ReportContext, step: DerivationStep): string {
  const displays = [...step.latex.matchAll(/\\\[([\s\S]*?)\\\]/g)].map((m) => m[1].trim());
  const blocks = step.blocks.filter((b) => b.kind === "equations").length;
  if (displays.length !== blocks) throw new Error(`derivation step ${step.id}: ${blocks} equation blocks but ${displays.length} displays in its LaTeX`);
  let d = 0;
  const out: string[] = [];
  for (const b of step.blocks) {
    if (b.kind === "prose") out.push(proseHtml(ctx, b.text));
    else {
      if (b.heading) out.push(`<div class="eq-heading">${esc(b.heading)}:</div>`);
      out.push(ctx.equation(displays[d++]));
    }
  }
  return `<div class="step">${out.join("\n")}</div>`;
}

const model: ReportSection = {
  id: "model",
  title: "The data model and the derivation",
  render(ctx) {
    const { walks, derivation } = ctx.data;
    const s = walks.sketch;
    const mid = walks.subjects[Math.floor(walks.subjects.length / 2)];
    const anim = walks.animation;
    const out: string[] = [];
    out.push(
      `<p>Geyer's walker is a point mass ${SYM.m} at the centre of mass (CoM) (<i>x</i>, <i>y</i>) on two massless legs, each a
      linear spring of stiffness ${SYM.k} and rest length ${SYM.l0} (${ctx.ref("fig-model")}). A leg on the ground has its foot
      fixed and pushes along itself while it is compressed. In single support the swing leg is held at the angle of attack
      <i>α</i><sub>0</sub> to the ground; it touches down when the CoM, moving down, reaches <i>y</i> = ${SYM.l0} sin <i>α</i><sub>0</sub>,
      its spring at rest. In double support the rear leg lifts off when it has extended back to ${SYM.l0}. The model loses no
      energy, so a walk is a sequence of touchdowns and lift-offs that repeats (${ctx.ref("fig-walk")}).</p>`,
      ctx.figure(
        "fig-model",
        modelFigure(s),
        `The model, drawn at the touchdown of the front leg for the test subject with the median <i>ρ</i>
        (${SYM.m} = ${fmt(mid.m)} kg, ${SYM.k} = ${int(mid.k)} N/m, ${SYM.l0} = ${fixed(mid.l0, 3)} m, <i>α</i><sub>0</sub> = ${fixed(mid.alpha0, 1)}°):
        the point mass at the CoM, the rear leg compressed, the front leg touching down at rest length ${SYM.l0} at the angle
        of attack <i>α</i><sub>0</sub>, feet at <i>x</i><sub>a</sub> and <i>x</i><sub>b</sub>. The state is the simulator's at the
        located touchdown event. Axes in metres, equal scale.`,
      ),
      ctx.figure(
        "fig-walk",
        walkAnimationFigure(anim),
        `A walk of the same subject over its first ${fmt(anim.t[anim.t.length - 1])} s, animated (press ▶ Play or drag the
        slider; one frame every ${fmt(anim.t[1] - anim.t[0])} s): stance legs as springs, the swing leg held at <i>α</i><sub>0</sub>
        (dotted), the CoM path so far. Simulated from the record's parameters in <code>params.csv</code>.`,
      ),
    );
    out.push(
      `<p>The argument of the paper rests on one property of these equations. The derivation below is made by
      <code>gaitid derive</code> with mathjs (symbolic derivatives and simplification); each identity is also evaluated at
      ${derivation.numeric.points} random points (seed ${derivation.numeric.seed}) and the accelerations are compared with
      the ones the simulator integrates (${ctx.ref("tab-checks")}).</p>`,
    );
    for (const step of derivation.steps) {
      out.push(ctx.heading(`derive-${step.id}`, esc(step.title)), stepHtml(ctx, step));
    }
    const passed = derivation.checks.filter((c) => c.passed).length;
    out.push(
      ctx.table(
        "tab-checks",
        {
          head: ["check", "proved symbolically", "largest relative error", "passed"],
          align: ["l", "c", "r", "c"],
          rows: derivation.checks.map((c) => [
            esc(c.name),
            c.symbolic ? "yes" : `<span title="${esc(c.proof)}">numeric</span>`,
            fmt(c.numericMaxError, 2),
            c.passed ? '<span class="check-ok">✓</span>' : '<span class="check-bad">✗</span>',
          ]),
        },
        `The checks of the derivation: ${passed} of ${derivation.checks.length} passed. Relative errors at
        ${derivation.numeric.points} random points against a tolerance of ${fmt(derivation.numeric.tolerance, 1)}; "numeric"
        marks comparisons with the simulator's code, which have no symbolic form.`,
      ),
    );
    return out.join("\n");
  },
};
// The GRF step of the derivation gets a stable label for references from other sections.
const GRF_STEP_ID = "derive-grf";

// ---------------------------------------------------------------------------------------------
// Data generation

const FAILURES: Record<string, string> = {
  "no-gait": "no symmetric periodic gait found for the drawn (α<sub>0</sub>, <i>e</i>)",
  unstable: "the gait is too unstable (largest step-map eigenvalue modulus above the bound)",
  flight: "the stance leg reached ℓ<sub>0</sub> in single support (a flight phase: running)",
  fallback: "the front leg reached ℓ<sub>0</sub> first in double support (falling back)",
  fall: "the CoM fell below ℓ<sub>0</sub>/2",
  backward: "the forward speed reached zero",
};

const SUMMARY_UNITS: Record<string, string> = {
  m: "kg", k: "N/m", l0: "m", rho: "1/s<sup>2</sup>", alpha0: "°", e: "J/kg", y0: "m", vx0: "m/s", speed: "m/s", steps: "",
};
const SUMMARY_NAMES: Record<string, string> = {
  m: "mass <i>m</i>", k: "stiffness <i>k</i>", l0: "rest length <i>ℓ</i><sub>0</sub>", rho: "<i>ρ</i> = <i>k</i>/<i>m</i>",
  alpha0: "angle of attack <i>α</i><sub>0</sub>", e: "specific energy <i>e</i>", y0: "VLO height <i>y</i><sub>0</sub>",
  vx0: "VLO speed <i>ẋ</i><sub>0</sub>", speed: "mean speed", steps: "touchdowns per record",
};

const data: ReportSection = {
  id: "data",
  title: "Data generation",
  render(ctx) {
    const { dataset, datasetConfig: d, walks } = ctx.data;
    const man = dataset.manifest as unknown as Record<string, unknown>;
    const out: string[] = [];
    const splits = (man.splits ?? {}) as Record<string, number>;
    out.push(
      `<p>Each record is one subject walking for ${fmt(d.duration)} s, sampled every ${fmt(d.dt)} s
      (${int(dataset.npy.shape[1])} samples of (<i>x</i>, <i>y</i>) in metres). The subject's ${SYM.m}, ${SYM.k} and ${SYM.l0} are drawn
      from the priors of the paper (${ctx.ref("tab-priors")}) and never redrawn. The gait condition, the angle of attack
      <i>α</i><sub>0</sub> and the specific energy <i>e</i>, is drawn per unit mass and independently of ${SYM.m} and ${SYM.k}: a
      condition stated in joules or newtons would carry information about ${SYM.m} or ${SYM.k} into the initial state and
      let a network partly recover them for a reason that has nothing to do with the mechanics. From the condition the
      generator finds a symmetric periodic gait (a walk that returns to vertical leg orientation with <i>ẏ</i> = 0) and
      keeps the record only if it walks for the whole ${fmt(d.duration)} s.</p>`,
      ctx.table(
        "tab-priors",
        {
          head: ["quantity", "distribution", "unit", "role"],
          align: ["l", "l", "l", "l"],
          rows: [
            [SUMMARY_NAMES.m, `uniform ${range(d.m)}`, "kg", "subject"],
            [SUMMARY_NAMES.k, `uniform ${range(d.k)}`, "N/m", "subject"],
            [SUMMARY_NAMES.l0, `uniform ${range(d.l0)}`, "m", "subject"],
            [SUMMARY_NAMES.alpha0, `uniform ${range(d.alpha0Deg)}`, "°", "gait condition"],
            [SUMMARY_NAMES.e, `uniform ${range(d.energy)} × <i>g</i> ℓ<sub>0</sub>`, "J/kg", "gait condition"],
          ],
        },
        `Priors of the subjects and the gait conditions (from the dataset's configuration). Records: ${int(d.records)}, split
        ${int(splits.train)} / ${int(splits.val)} / ${int(splits.test)} into training, validation and test; seed ${d.seed}.`,
      ),
    );
    const gc = man.gaitCondition as Record<string, string> | undefined;
    if (gc) {
      out.push(`<p>In the words of the generator (<code>manifest.json</code>, <code>gaitCondition</code>):</p>`);
      out.push(`<ul>${Object.entries(gc).map(([k, v]) => `<li><i>${esc(k)}:</i> ${esc(v)}</li>`).join("")}</ul>`);
    }
    const acc = man.acceptance as { attempts: number; accepted: number; rate: number; failures: Record<string, number> } | undefined;
    if (acc) {
      // From the manifest as written (the preset's default would misreport an older dataset).
      const bound = ((man.config ?? {}) as { maxModulus?: number }).maxModulus;
      const rows = Object.entries(acc.failures).map(([reason, n]) => [FAILURES[reason] ?? esc(reason), int(n), percent(n / acc.attempts)]);
      rows.push(["<b>accepted: walked the whole record</b>", `<b>${int(acc.accepted)}</b>`, `<b>${percent(acc.rate)}</b>`]);
      out.push(
        `<p>Of ${int(acc.attempts)} gait conditions tried, ${int(acc.accepted)} gave a walking record (${percent(acc.rate)});
        ${ctx.ref("tab-acceptance")} lists why the others were rejected. A rejected condition is redrawn for the same subject.${
          typeof bound === "number" ? ` The bound on the step-map eigenvalue modulus is ${fmt(bound)}.` : ""
        }</p>`,
        ctx.table("tab-acceptance", { head: ["outcome of a gait condition", "count", "share"], rows }, "Acceptance of the gait conditions."),
      );
    }
    if (dataset.summary) {
      const s = dataset.summary;
      const stats = ["count", "mean", "std", "min", "max"].filter((x) => s.index.includes(x));
      const col = (name: string): number => s.columns.indexOf(name);
      out.push(
        ctx.table(
          "tab-summary",
          {
            head: ["parameter", "unit", ...stats],
            rows: s.columns.map((c) => {
              const values = stats.map((st) => s.values[s.index.indexOf(st)][col(c)]);
              // One number of decimals per row, from the row's magnitude: the columns align.
              const top = Math.max(...values.slice(1).map(Math.abs).filter(Number.isFinite));
              const decimals = Math.min(5, Math.max(0, 3 - Math.floor(Math.log10(top || 1))));
              return [
                SUMMARY_NAMES[c] ?? esc(c),
                SUMMARY_UNITS[c] ?? "",
                ...values.map((v, j) => (stats[j] === "count" ? int(v) : fixed(v, decimals))),
              ];
            }),
            align: ["l", "l", ...stats.map(() => "r" as const)],
          },
          `Summary of the parameters of all ${int(d.records)} records (<code>summary.csv</code>, danfojs <code>describe</code>).`,
        ),
      );
    }
    out.push(
      `<p>${ctx.ref("fig-records")} shows three test records, those at the 10th, 50th and 90th percentile of ${SYM.rho}, and
      ${ctx.ref("fig-grf")} the vertical ground reaction force of one leg over a stride: the double hump of walking, a first
      peak after touchdown and a second before lift-off with a dip at mid-stance. Both figures re-simulate the records from
      their rows of <code>params.csv</code> with a ${fmt(walks.fineDt)} s sampling interval; at the dataset's sample times the
      re-simulated (<i>x</i>, <i>y</i>) agree with <code>X.npy</code> to ${fmt(walks.reproductionError, 2)} m (the storage is float32).</p>`,
      ctx.figure(
        "fig-records",
        recordsFigure(walks.records),
        `Synthetic records of three test subjects: (a) horizontal position, (b) height of the CoM over time with the samples
        every ${fmt(d.dt)} s that the network sees, (c) the CoM path; touchdowns ▼ and lift-offs ▲ marked.`,
      ),
      ctx.figure(
        "fig-grf",
        grfFigure(walks.grf),
        `Vertical ground reaction force over one stride, from the touchdown of a leg to its next touchdown, in newtons: that
        leg's force <i>k</i>(ℓ<sub>0</sub> − <i>l</i>) <i>y</i>/<i>l</i> (solid), the sum over both legs (dotted) and the body
        weight <i>m g</i> (dashed). The force scales with ${SYM.m} at fixed ${SYM.rho}: observing it would identify ${SYM.m}.`,
      ),
    );
    const timings = man.timings as Record<string, number> | undefined;
    if (timings?.generateSeconds !== undefined) {
      out.push(
        `<p>Generation took ${fmt(timings.generateSeconds)} s (${fmt(timings.recordsPerSecond)} records per second) on
        ${int((man.workers as number) ?? Number.NaN)} worker threads.</p>`,
      );
    }
    return out.join("\n");
  },
};

// ---------------------------------------------------------------------------------------------
// Results

/** RMS distance between the network's m, k and the Bayes estimator at each test record's true rho (kg, N/m). */
function distanceToBayes(run: RunFiles, priors: MkPriors): { m: number; k: number } {
  const T = run.predictions.true, P = run.predictions.pred;
  let sm = 0, sk = 0;
  for (let i = 0; i < T.m.length; i++) {
    const pm = posteriorMean(T.k[i] / T.m[i], priors);
    sm += (P.m[i] - pm.m) ** 2;
    sk += (P.k[i] - pm.k) ** 2;
  }
  return { m: Math.sqrt(sm / T.m.length), k: Math.sqrt(sk / T.m.length) };
}

const r2note = (m: TargetMetrics): string => `<i>R</i><sup>2</sup> = ${m.r2.toFixed(3)}`;

const results: ReportSection = {
  id: "results",
  title: "Results",
  render(ctx) {
    const { runs, maxPoints, training } = ctx.data;
    const a = runs.mkl0, b = runs.rhol0;
    const priors = priorsOf(ctx);
    const n = testCount(ctx);
    const idxA = subsampleIndices(a.predictions.id.length, maxPoints);
    const idxB = subsampleIndices(b.predictions.id.length, maxPoints);
    const shown = idxA.length < a.predictions.id.length ? `${int(idxA.length)} of the ${int(n)} test records (evenly spread)` : `all ${int(n)} test records`;
    const predA = runPredictions(a, maxPoints), predB = runPredictions(b, maxPoints);
    const bayes = bayesEstimates(predA, priors);
    const last = (r: RunFiles): number => r.history.epoch.length - 1;
    const bestVal = (r: RunFiles): number => Math.min(...r.history.valLoss);
    const trainSeconds = (r: RunFiles): number => r.manifest.timings?.trainSeconds ?? r.history.seconds.reduce((s, v) => s + v, 0);
    const backendOf = (r: RunFiles): string => r.manifest.backend?.name ?? r.metrics.backend;
    const backends = backendOf(a) === backendOf(b) ? `both on the ${esc(backendOf(a))} backend` : `on the ${esc(backendOf(a))} and ${esc(backendOf(b))} backends`;
    const weights = a.manifest.network?.parameters;
    const out: string[] = [];
    out.push(
      ctx.heading("results-training", "Training"),
      `<p>Both networks have the same architecture (${training.mkl0.layers} hidden layers of ${training.mkl0.units}
      ${esc(training.mkl0.activation)} units${weights ? `, ${int(weights)} weights` : ""}) and differ only in their targets, which
      are standardised. The ${VARIANT_NAME.mkl0} network trained for ${int(a.history.epoch[last(a)])} epochs in ${fmt(trainSeconds(a))} s
      (best validation loss ${fmt(bestVal(a))}), the ${VARIANT_NAME.rhol0} network for ${int(b.history.epoch[last(b)])} epochs
      in ${fmt(trainSeconds(b))} s (best validation loss ${fmt(bestVal(b))}), ${backends} (${ctx.ref("fig-learning")}). The losses are not comparable across variants: one averages three standardised targets,
      the other two, and the (${SYM.m}, ${SYM.k}) part of the first cannot fall below the floor of ${ctx.ref("floor")}.</p>`,
      ctx.figure(
        "fig-learning",
        learningCurvesFigure([
          { variant: "mkl0", epoch: a.history.epoch, trainLoss: a.history.trainLoss, valLoss: a.history.valLoss },
          { variant: "rhol0", epoch: b.history.epoch, trainLoss: b.history.trainLoss, valLoss: b.history.valLoss },
        ]),
        `Learning curves: training (solid) and validation (dashed) loss per epoch of the ${VARIANT_NAME.mkl0} network
        (blue) and the ${VARIANT_NAME.rhol0} network (orange); mean squared error of the standardised targets, log scale.`,
      ),
    );
    const mm = metric(a, "m"), mk = metric(a, "k"), ml = metric(a, "l0"), rr = metric(b, "rho"), rl = metric(b, "l0");
    const toBayes = distanceToBayes(a, priors);
    const nearer = toBayes.m < mm.rmse;
    out.push(
      ctx.heading("results-mkl0", `The ${VARIANT_NAME.mkl0} variant`),
      `<p>${ctx.ref("fig-mkl0")} compares the predictions with the truth: ${SYM.l0} with ${r2note(ml)} (RMSE ${fmt(ml.rmse)} m),
      ${SYM.m} with ${r2note(mm)} and ${SYM.k} with ${r2note(mk)}. Over ${SYM.m} and ${SYM.k} the figure also draws the Bayes
      estimator E[· | ${SYM.rho}], the answer of the best estimator that knows ${SYM.rho} exactly and nothing else. The
      network's estimates of ${SYM.m} lie ${nearer ? "closer to" : "no closer to"} it (RMS distance ${fmt(toBayes.m)} kg) than
      to the true ${SYM.m} (RMSE ${fmt(mm.rmse)} kg)${nearer ? ": the network answers with the prior where the data are silent" : ""}.
      Its ratio <i>k̂</i>/<i>m̂</i> estimates ${SYM.rho} with <i>R</i><sup>2</sup> = ${fixed(a.metrics.ratio?.r2, 3)}.</p>`,
      ctx.figure(
        "fig-mkl0",
        mkl0PredictionFigure(predA, bayes, { m: r2note(mm), k: r2note(mk), l0: r2note(ml) }),
        `The ${VARIANT_NAME.mkl0} variant: predicted against true on ${shown}, with the identity line (dashed); over
        ${SYM.m} and ${SYM.k}, the Bayes estimator E[${SYM.m} | ${SYM.rho}], E[${SYM.k} | ${SYM.rho}] at each record's true ${SYM.rho} (black).`,
      ),
      ctx.heading("results-rhol0", `The ${VARIANT_NAME.rhol0} variant`),
      `<p>Asked for the identifiable combination, the network estimates both of its targets (${ctx.ref("fig-rhol0")}):
      ${SYM.rho} with ${r2note(rr)} (RMSE ${fmt(rr.rmse)} 1/s<sup>2</sup>) and ${SYM.l0} with ${r2note(rl)} (RMSE ${fmt(rl.rmse)} m).</p>`,
      ctx.figure(
        "fig-rhol0",
        rhol0PredictionFigure(predB, predA, { rho: r2note(rr), l0: r2note(rl) }),
        `The ${VARIANT_NAME.rhol0} variant: predicted against true on ${shown}. Over ${SYM.rho}, the ratio
        <i>k̂</i>/<i>m̂</i> of the ${VARIANT_NAME.mkl0} network (blue) for comparison.`,
      ),
    );
    const row = (variant: Variant, q: Quantity | "ratio", m: { rmse: number; mae: number; bias: number; r2: number; floorRmse?: number; r2Ceiling?: number }): string[] => [
      VARIANT_NAME[variant],
      q === "ratio" ? `${SYM.rho} as <i>k̂</i>/<i>m̂</i>` : SYM[q],
      q === "ratio" ? UNIT.rho : UNIT[q],
      fmt(m.rmse),
      fmt(m.mae),
      fmt(m.bias, 2),
      fixed(m.r2, 3),
      m.floorRmse === undefined ? "–" : fmt(m.floorRmse),
      m.r2Ceiling === undefined ? "–" : fixed(m.r2Ceiling, 3),
    ];
    const rows = [row("mkl0", "m", mm), row("mkl0", "k", mk), row("mkl0", "l0", ml)];
    if (a.metrics.ratio) rows.push(row("mkl0", "ratio", a.metrics.ratio));
    rows.push(row("rhol0", "rho", rr), row("rhol0", "l0", rl));
    out.push(
      ctx.table(
        "tab-metrics",
        {
          head: ["network", "estimate", "unit", "RMSE", "MAE", "bias", "<i>R</i><sup>2</sup>", "floor RMSE", "<i>R</i><sup>2</sup> ceiling"],
          align: ["l", "l", "l", "r", "r", "r", "r", "r", "r"],
          rows,
        },
        `Test-set metrics of both variants (${int(n)} records, <code>metrics.json</code>). Bias is the mean of predicted
        minus true. The floor is the RMSE of E[· | ${SYM.rho}], the <i>R</i><sup>2</sup> ceiling that estimator's <i>R</i><sup>2</sup>;
        they are 0 and 1 for identifiable quantities.`,
      ),
    );
    return out.join("\n");
  },
};

// ---------------------------------------------------------------------------------------------
// The identifiability floor

const floor: ReportSection = {
  id: "floor",
  title: "The identifiability floor and what it means",
  render(ctx) {
    const { runs, maxPoints } = ctx.data;
    const a = runs.mkl0, b = runs.rhol0;
    const priors = priorsOf(ctx);
    const [m1, m2] = priors.m, [k1, k2] = priors.k;
    const [rlo, rhi] = rhoRange(priors);
    const ef = expectedFloor(priors);
    const mm = metric(a, "m"), mk = metric(a, "k"), ml = metric(a, "l0"), rr = metric(b, "rho"), rl = metric(b, "l0");
    const toBayes = distanceToBayes(a, priors);
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
    const idx = subsampleIndices(a.predictions.id.length, maxPoints);
    const T = a.predictions.true, P = a.predictions.pred;
    const locus = bayesLocus(priors, 200);
    const rhoLines = rhoIsolines(priors, 6);
    out.push(
      ctx.figure(
        "fig-plane",
        massStiffnessPlaneFigure({
          mTrue: pick(T.m, idx), kTrue: pick(T.k, idx), mPred: pick(P.m, idx), kPred: pick(P.k, idx),
          rhoLines, mRange: priors.m, kRange: priors.k, bayesLocus: locus,
        }),
        `The (${SYM.m}, ${SYM.k}) plane: true pairs (open circles) in the prior box (dashed), the ${VARIANT_NAME.mkl0}
        network's predictions (blue), segments from each true pair to its prediction, lines of constant ${SYM.rho} (grey) and
        the Bayes locus (black). ${idx.length < T.m.length ? `${int(idx.length)} of ${int(T.m.length)} test records.` : ""}`,
      ),
    );
    const spreadOf = (r: RunFiles, q: string): number => spread(r.predictions.true[q]);
    const rhoTrueA = T.m.map((m, i) => T.k[i] / m);
    const RANK: Record<string, number> = { [COLORS.mkl0]: 1, [COLORS.rhol0]: 2, [COLORS.bayes]: 3, [COLORS.isoline]: 4 };
    const bar = (name: string, color: string, rmse: number | undefined) => ({ name, color, rmse: rmse ?? Number.NaN, rank: RANK[color] });
    const FLOOR = "floor: E[· | <i>ρ</i>]", SPREAD = "spread of the true values";
    const panels: ErrorPanel[] = [
      { quantity: "m", bars: [bar(VARIANT_LABEL.mkl0, COLORS.mkl0, mm.rmse), bar(FLOOR, COLORS.bayes, mm.floorRmse), bar(SPREAD, COLORS.isoline, spreadOf(a, "m"))] },
      { quantity: "k", bars: [bar(VARIANT_LABEL.mkl0, COLORS.mkl0, mk.rmse), bar(FLOOR, COLORS.bayes, mk.floorRmse), bar(SPREAD, COLORS.isoline, spreadOf(a, "k"))] },
      {
        quantity: "l0",
        bars: [bar(VARIANT_LABEL.mkl0, COLORS.mkl0, ml.rmse), bar(VARIANT_LABEL.rhol0, COLORS.rhol0, rl.rmse), bar(FLOOR, COLORS.bayes, ml.floorRmse), bar(SPREAD, COLORS.isoline, spreadOf(a, "l0"))],
      },
      {
        quantity: "rho",
        bars: [
          bar(VARIANT_LABEL.mkl0, COLORS.mkl0, a.metrics.ratio?.rmse),
          bar(VARIANT_LABEL.rhol0, COLORS.rhol0, rr.rmse),
          bar(FLOOR, COLORS.bayes, rr.floorRmse),
          bar(SPREAD, COLORS.isoline, spread(rhoTrueA)),
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

// ---------------------------------------------------------------------------------------------
// Limits

const limits: ReportSection = {
  id: "limits",
  title: "Limits",
  render(ctx) {
    const { datasetConfig: d, dataset, preset } = ctx.data;
    const acc = (dataset.manifest as unknown as Record<string, unknown>).acceptance as { rate: number } | undefined;
    const items = [
      `The records are synthetic and noise-free, made by the same model that the derivation analyses. Real gait data add
      sensor noise, soft tissue, swing-leg dynamics and energy losses; the identifiability argument holds for any model whose
      equations depend on ${SYM.m} and ${SYM.k} only through their ratio, but the size of the errors does not carry over.`,
      `The walks are symmetric periodic gaits started at vertical leg orientation, one per gait condition drawn from a
      narrow band (<i>α</i><sub>0</sub> in ${range(d.alpha0Deg)}°, <i>e</i> in ${range(d.energy)} <i>g</i> ℓ<sub>0</sub>)${
        acc ? `, of which ${percent(acc.rate)} walked the whole record` : ""
      }. The variety of the data is that of this band, and the acceptance step selects gaits that walk.`,
      `The floor assumes that ${SYM.rho} is known exactly and the priors are the uniform ones of the paper. It is a bound
      on the error of any estimator that sees (<i>x</i>, <i>y</i>) only; with ground reaction forces in newtons
      (${ctx.ref(GRF_STEP_ID)}) ${SYM.m} and ${SYM.k} become identifiable and the floor no longer applies. The two networks
      of the results above see (<i>x</i>, <i>y</i>) only; a network with force inputs is trained by the multimodal
      experiment (<code>gaitid experiment multimodal</code>), whose section appears under "Beyond the paper" once it has run.`,
      `The metrics are those of one training run per variant, with one seed; their spread over seeds is not measured here.`,
    ];
    if (preset !== "paper") {
      items.push(`The <b>${esc(preset)}</b> preset uses ${int(d.records)} records instead of the paper's 1&#8201;000&#8201;000; its networks
      are far from converged, and the gap between their errors and the floor says more about the amount of data and
      training than about identifiability.`);
    }
    return `<ul>${items.map((i) => `<li>${i}</li>`).join("\n")}</ul>`;
  },
};

// ---------------------------------------------------------------------------------------------
// Reproducibility

/** Flattens an object into dotted keys with printable values (arrays of scalars joined). */
export function flatten(value: unknown, prefix = "", out: [string, string][] = []): [string, string][] {
  if (value === null || value === undefined) {
    if (prefix) out.push([prefix, String(value)]);
  } else if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== "object")) out.push([prefix, `[${value.map((v) => String(v)).join(", ")}]`]);
    else value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, out));
  } else if (typeof value === "object") {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.push([prefix, String(value)]);
  return out;
}

function manifestBlock(ctx: ReportContext, id: string, what: string, manifest: Record<string, unknown>, dir: string): string {
  const rows = flatten(manifest).map(([k, v]) => [`<span class="key">${esc(k)}</span>`, `<span class="val">${esc(v)}</span>`]);
  return [
    `<details id="${esc(id)}"><summary>${what}: <code>${esc(dir)}/manifest.json</code> (${rows.length} entries)</summary>`,
    `<table class="manifest"><tbody>${rows.map((r) => `<tr><td class="key">${r[0]}</td><td class="val">${r[1]}</td></tr>`).join("")}</tbody></table>`,
    "</details>",
  ].join("");
}

const reproducibility: ReportSection = {
  id: "reproducibility",
  title: "Reproducibility",
  render(ctx) {
    const { dataset, runs, datasetConfig: d } = ctx.data;
    const dm = dataset.manifest as unknown as Record<string, unknown>;
    const env = (m: Record<string, unknown>): Record<string, unknown> => (m.environment ?? {}) as Record<string, unknown>;
    const ver = (m: Record<string, unknown>): Record<string, string | undefined> => (env(m).versions ?? {}) as Record<string, string | undefined>;
    const run = (r: RunFiles): string[] => {
      const m = r.manifest as unknown as Record<string, unknown>;
      const seeds = r.manifest.seeds ? `${r.manifest.seeds.seed} (noise ${r.manifest.seeds.noiseSeed})` : "n/a";
      const backend = r.manifest.backend ? `${r.manifest.backend.name} (tfjs ${r.manifest.backend.tfjsVersion})` : esc(r.metrics.backend);
      const timings = (r.manifest.timings ?? {}) as Record<string, number | undefined>;
      const total = timings.totalSeconds ?? timings.trainSeconds;
      const hash = r.manifest.dataset?.hash ?? "n/a";
      const same = hash === ctx.data.datasetHash;
      return [
        `run ${VARIANT_NAME[r.variant]}`,
        `<code>${esc(ctx.data.paths[r.variant])}</code>`,
        esc(seeds),
        esc(backend),
        `<code>${esc(String(env(m).commit ?? "n/a").slice(0, 12))}</code>`,
        total === undefined ? "n/a" : `${fmt(total)} s`,
        `<code title="${esc(hash)}">${esc(hash.slice(0, 12))}</code> ${same ? '<span class="check-ok" title="the sha256 of this dataset\'s manifest.json">✓ this dataset</span>' : '<span class="check-bad">✗ another dataset</span>'}`,
      ];
    };
    const xHash = (dm.files as Record<string, { sha256: string }> | undefined)?.["X.npy"]?.sha256 ?? "n/a";
    const dt = dm.timings as Record<string, number> | undefined;
    const v = ver(dm);
    const out: string[] = [
      `<p>Every number and figure above is computed from the files of one dataset and two training runs, each with a
      manifest that records its configuration, seeds, package versions, backend, commit and timings (${ctx.ref("tab-provenance")};
      the full manifests follow). The report itself is rebuilt with</p>`,
      `<pre class="command"><code>npx gaitid report --preset ${esc(ctx.data.preset)} --dataset ${esc(ctx.data.paths.dataset)} --runs ${esc(ctx.data.paths.mkl0)},${esc(ctx.data.paths.rhol0)}</code></pre>`,
      ctx.table(
        "tab-provenance",
        {
          head: ["", "folder", "seed", "backend", "commit", "time", "data hash"],
          align: ["l", "l", "r", "l", "l", "r", "l"],
          rows: [
            ["dataset", `<code>${esc(ctx.data.paths.dataset)}</code>`, String(d.seed), "–", `<code>${esc(String(env(dm).commit ?? "n/a").slice(0, 12))}</code>`, dt?.generateSeconds === undefined ? "n/a" : `${fmt(dt.generateSeconds)} s`, `<code title="${esc(xHash)}">${esc(xHash.slice(0, 12))}</code>`],
            run(runs.mkl0),
            run(runs.rhol0),
          ],
        },
        `Provenance. For the dataset the hash is the sha256 of <code>X.npy</code>; for a run, the sha256 of the manifest of
        the dataset it was trained on, checked against the manifest of the dataset of this report. Node.js ${esc(v.node ?? "n/a")}, TensorFlow.js ${esc(v["@tensorflow/tfjs"] ?? "n/a")},
        mathjs ${esc(v.mathjs ?? "n/a")}, danfojs-node ${esc(v["danfojs-node"] ?? "n/a")}, plotly.js ${esc(v["plotly.js-dist"] ?? "n/a")}.`,
      ),
      manifestBlock(ctx, "manifest-dataset", "Dataset", dm, ctx.data.paths.dataset),
      manifestBlock(ctx, "manifest-mkl0", `Run ${VARIANT_NAME.mkl0}`, runs.mkl0.manifest as unknown as Record<string, unknown>, ctx.data.paths.mkl0),
      manifestBlock(ctx, "manifest-rhol0", `Run ${VARIANT_NAME.rhol0}`, runs.rhol0.manifest as unknown as Record<string, unknown>, ctx.data.paths.rhol0),
    ];
    return out.join("\n");
  },
};

/** The default sections, in order. Insert more with BuildReportOptions.sections. */
export function defaultSections(): ReportSection[] {
  return [summary, model, data, results, floor, limits, reproducibility];
}

/** Labels every default section places, for tests and for extensions that refer to them. */
export const DEFAULT_FIGURES = ["fig-model", "fig-walk", "fig-records", "fig-grf", "fig-learning", "fig-mkl0", "fig-rhol0", "fig-plane", "fig-error"] as const;

