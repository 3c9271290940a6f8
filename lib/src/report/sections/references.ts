/** References: the works the derivation and the analyses rest on (from the derivation's bibliography). */
import type { ReportSection } from "../context";
import { bibliographyList } from "./derivation";

export const references: ReportSection = {
  id: "references",
  title: "References",
  render: (ctx) => bibliographyList(ctx.results.derivation["xy+grf"]).toString(),
};
