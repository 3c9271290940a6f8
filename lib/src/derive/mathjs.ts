/**
 * The one place that loads mathjs. mathjs 15 ships one type file for its ESM and its CommonJS
 * build and marks the package "type": "module", so TypeScript (5.0 and 5.9 alike) refuses a
 * type import of it from this CommonJS package (TS1479 / TS1541) unless it carries a
 * 'resolution-mode' attribute, which TypeScript 5.0 (the `tsc` that `npm run build` runs here)
 * only accepts in nightlies. The type import below is therefore marked @ts-ignore: it is
 * type-only (nothing is emitted), the types do resolve, and at run time the CommonJS build is
 * loaded with require (mathjs's own "require" export condition).
 */
// @ts-ignore TS1479/TS1541: type-only import of an ES module's types from CommonJS (see above)
import type * as MathJs from "mathjs";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const math = require("mathjs") as typeof MathJs;

export type MathNode = MathJs.MathNode;

export const {
  parse,
  simplify,
  derivative,
  compile,
  isConstantNode,
  isFunctionNode,
  isOperatorNode,
  isParenthesisNode,
  isSymbolNode,
  ConstantNode,
  OperatorNode,
  ParenthesisNode,
  SymbolNode,
} = math;

// Compile-time guard that the types resolved (if they did not, MathJs would be `any` and this
// assignment would compile): a number is not a MathNode.
// @ts-expect-error a number is not a MathNode
const typesResolved: MathNode = 0;
void typesResolved;
