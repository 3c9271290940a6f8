/** References: the works the derivation and the analyses rest on (from the derivation's bibliography). */
import type { ReportSection } from "../context";
import { bibliographyHtml } from "./derivation";

export const references: ReportSection = {
  id: "references",
  title: "References",
  render: (ctx) => bibliographyHtml(ctx, ctx.results.derivation["xy+grf"]),
};
