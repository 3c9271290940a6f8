/** The limits of what the study shows. */
import type { ReportSection } from "../context";
import { int, percent } from "../format";
import { html, joinHtml } from "../template";
import { range, sym } from "./common";

export const limits: ReportSection = {
  id: "limits",
  title: "Limits",
  render(ctx) {
    const { dataset, preset } = ctx.results;
    const d = dataset.manifest.config;
    const acc = dataset.manifest.acceptance;
    const items = [
      html`The records are synthetic and noise-free, made by the same model that the derivation analyses. Real gait data add
      sensor noise, soft tissue, swing-leg dynamics and energy losses; the identifiability argument holds for any model whose
      equations depend on ${sym.m} and ${sym.k} only through their ratio, but the size of the errors does not carry over.`,
      html`The walks are symmetric periodic gaits started at vertical leg orientation, one per gait condition drawn from a
      narrow band (<i>α</i><sub>0</sub> in ${range(d.alpha0Deg)}°, <i>e</i> in ${range(d.energy)} <i>g</i> ℓ<sub>0</sub>)${
        acc && html`, of which ${percent(acc.rate)} walked the whole record`
      }. The variety of the data is that of this band, and the acceptance step selects gaits that walk.`,
      html`The floor assumes that ${sym.rho} is known exactly and the priors are the uniform ones of the paper. It is a bound
      on the error of any estimator that sees (<i>x</i>, <i>y</i>) only; with ground reaction forces in newtons
      (${ctx.safe.ref("derive-grf")}) ${sym.m} and ${sym.k} become identifiable and the floor no longer applies. The two networks
      of the results above see (<i>x</i>, <i>y</i>) only; a network with force inputs is trained by the multimodal
      experiment (<code>gaitid experiment multimodal</code>), whose section appears under "Beyond the paper" once it has run.`,
      html`The metrics are those of one training run per variant, with one seed; their spread over seeds is not measured here.`,
    ];
    if (preset !== "paper") {
      items.push(html`The <b>${preset}</b> preset uses ${int(d.records)} records instead of the paper's 1&#8201;000&#8201;000; its networks
      are far from converged, and the gap between their errors and the floor says more about the amount of data and
      training than about identifiability.`);
    }
    return html`<ul>${joinHtml(items.map((i) => html`<li>${i}</li>`), "\n")}</ul>`.toString();
  },
};
