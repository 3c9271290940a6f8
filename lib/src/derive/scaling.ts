/**
 * How the parameters enter an expression, read off its mathjs parse tree.
 *
 * Under a scaling (m, k, l0) -> (c^a m, c^b k, c^d l0) every parameter monomial m^p k^q l0^r is
 * multiplied by c^((p, q, r) . (a, b, d)). Walking the tree bottom-up, each subexpression gets a
 * weight w (its exponent vector, so that it scales by c^(w . s)):
 *   symbol m, k, l0 -> unit vectors; any other symbol or constant -> 0;
 *   product -> sum of weights; quotient -> difference; u^n (n a number) -> n w; sqrt(u) -> w / 2;
 *   a sum u + v of terms with different weights is only invariant in form if the terms scale
 *   alike: constraint w_u - w_v (. s = 0); its weight is then that of any term (a parameter-free
 *   term's weight 0 is taken when there is one, which keeps the monomials short);
 *   any other function f(u) (sin, exp, ...) needs u invariant: constraint w_u; weight 0.
 * An observed quantity must be unchanged: its own weight is a constraint too.
 *
 * The constraints are the parameter monomials through which the expression depends on (m, k, l0);
 * e.g. x'' = (l0 - l_a) k (x - x_a) / (m l_a) gives l0 (from l0 - l_a) and k/m (the whole).
 * Every scaling s orthogonal to all constraints leaves the expression unchanged (by induction over
 * the tree: every subexpression then scales by c^(w . s) with its weight w, and the root's weight
 * is a constraint). The converse (no other scaling does) holds unless terms cancel by accident;
 * the brute-force search in derivation.ts checks it in a box of exponents.
 */
import { isConstantNode, isFunctionNode, isOperatorNode, isParenthesisNode, isSymbolNode, type MathNode } from "./mathjs";
import { integerRay, isZeroVector, signFromRight, type IntVector } from "./lattice";
import { evaluator, symbolsOf, text } from "./symbolic";

/** A constraint found in the tree: the monomial with exponent vector `exponents` must not scale. */
export interface Constraint {
  /** Primitive integer exponents over the parameters, last non-zero entry positive. */
  exponents: IntVector;
  /** The subexpression (mathjs text) where it arises. */
  source: string;
}

interface Weighed {
  w: number[];
  constraints: Constraint[];
}

function addVec(a: number[], b: number[], f = 1): number[] {
  return a.map((x, i) => x + f * b[i]);
}

function isZero(w: number[]): boolean {
  return w.every((x) => Math.abs(x) < 1e-12);
}

function constraint(w: number[], at: MathNode): Constraint {
  return { exponents: signFromRight(integerRay(w)), source: text(at) };
}

function weigh(n: MathNode, params: readonly string[]): Weighed {
  const zero = params.map(() => 0);
  if (isParenthesisNode(n)) return weigh(n.content, params);
  if (isConstantNode(n)) return { w: zero, constraints: [] };
  if (isSymbolNode(n)) {
    const i = params.indexOf(n.name);
    return { w: params.map((_, j) => (j === i ? 1 : 0)), constraints: [] };
  }
  if (isOperatorNode(n)) {
    const parts = n.args.map((a) => weigh(a, params));
    const constraints = parts.flatMap((p) => p.constraints);
    switch (n.fn) {
      case "unaryMinus":
      case "unaryPlus":
        return { w: parts[0].w, constraints };
      case "add":
      case "subtract": {
        const rep = parts.find((p) => isZero(p.w)) ?? parts[0];
        for (const p of parts) {
          const diff = addVec(p.w, rep.w, -1);
          if (!isZero(diff)) constraints.push(constraint(diff, n));
        }
        return { w: rep.w, constraints };
      }
      case "multiply":
        return { w: parts.reduce((acc, p) => addVec(acc, p.w), zero), constraints };
      case "divide":
        return { w: addVec(parts[0].w, parts[1].w, -1), constraints };
      case "pow": {
        const exponent = n.args[1];
        const free = symbolsOf(exponent);
        if (free.size === 0) {
          const e = evaluator(exponent)({});
          return { w: parts[0].w.map((x) => e * x), constraints };
        }
        if (params.some((p) => free.has(p))) {
          throw new Error(`scaling: a parameter in an exponent is not supported (${text(n)})`);
        }
        if (!isZero(parts[0].w)) constraints.push(constraint(parts[0].w, n.args[0]));
        return { w: zero, constraints };
      }
      default:
        throw new Error(`scaling: operator ${n.fn} is not supported (${text(n)})`);
    }
  }
  if (isFunctionNode(n) && isSymbolNode(n.fn)) {
    const parts = n.args.map((a) => weigh(a, params));
    const constraints = parts.flatMap((p) => p.constraints);
    if (n.fn.name === "sqrt") return { w: parts[0].w.map((x) => x / 2), constraints };
    if (n.fn.name === "abs") return { w: parts[0].w, constraints };
    for (let i = 0; i < parts.length; i++) {
      if (!isZero(parts[i].w)) constraints.push(constraint(parts[i].w, n.args[i]));
    }
    return { w: zero, constraints };
  }
  throw new Error(`scaling: node type ${n.type} is not supported (${text(n)})`);
}

/**
 * The parameter monomials that must stay unchanged for the observed quantity `expr` to be
 * unchanged by a scaling of `params`, deduplicated, in order of appearance.
 */
export function scalingConstraints(expr: MathNode, params: readonly string[]): Constraint[] {
  const { w, constraints } = weigh(expr, params);
  if (!isZero(w)) constraints.push(constraint(w, expr));
  const seen = new Set<string>();
  return constraints.filter((c) => {
    if (isZeroVector(c.exponents)) return false;
    const key = c.exponents.join(",");
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The weight of `expr` (its exponent vector as a whole), valid for scalings that satisfy its
 * internal constraints: then expr scales by c^(weight . s), and the generator
 * sum_p s_p p d(expr)/dp equals (weight . s) expr.
 */
export function scalingWeight(expr: MathNode, params: readonly string[]): IntVector {
  return weigh(expr, params).w.map((x) => {
    if (Math.abs(x - Math.round(x)) > 1e-12) throw new Error(`scaling: weight ${x} of ${text(expr)} is not an integer`);
    return Math.round(x);
  });
}
