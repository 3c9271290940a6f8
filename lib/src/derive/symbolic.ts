/**
 * Small helpers around mathjs expression trees, used by the derivation (derivation.ts).
 *
 * Where mathjs needs help, and what is done about it:
 * - There is no d/dt. The total time derivative is written out by the chain rule over independent
 *   symbols (x, y, x_dot, y_dot, x_dd, y_dd): {@link totalTimeDerivative}.
 * - `simplify` can prove an expression is zero, never that it is not, and with square roots it
 *   stops short: it leaves `sqrt(A) - sqrt(A)` standing inside a product, and (even with the
 *   roots frozen) `1/s0 + 1/s1 - 1/s1 - 1/s0` uncollected (seen with mathjs 15.2, in the
 *   double-support y''); it is also slow (seconds per identity of the double-support phase).
 *   {@link provesZero} therefore expands the exact rational normal form (rational.ts) first, with
 *   every sqrt(...) an opaque atom (identical subtrees the same atom, so the step is sound: a
 *   rational expression in the atoms that is 0 is 0 whatever they stand for), and falls back to
 *   simplify with the roots frozen to symbols. Each check records which of the two proved it. A result that is not 0 is reported as "not
 *   proved", never as "non-zero"; non-zero claims are made only from numeric witnesses. Every
 *   symbolic claim is also checked numerically at random points (derivation.ts).
 * - An unbound `m` or `g` evaluates to a unit (metre, gram) in mathjs instead of failing.
 *   {@link evaluator} checks that every free symbol is bound by the scope and that the value is a
 *   finite real number.
 * - `toTex` prints `m` and `g` as units (\mathrm{m}); {@link toLatex} maps every symbol itself.
 */
import {
  ConstantNode,
  OperatorNode,
  ParenthesisNode,
  SymbolNode,
  compile,
  isConstantNode,
  isFunctionNode,
  isOperatorNode,
  isParenthesisNode,
  isSymbolNode,
  parse,
  simplify,
  derivative,
  type MathNode,
} from "./mathjs";
import { rationalZero } from "./rational";

/** Parses mathjs text (a thin wrapper so callers can pass either text or a tree). */
export function node(expr: string | MathNode): MathNode {
  return typeof expr === "string" ? parse(expr) : expr;
}

/** mathjs text of a tree (mathjs's own printer; parentheses only where needed). */
export function text(expr: MathNode): string {
  return expr.toString({ parenthesis: "auto" });
}

/** The free symbols of an expression (function names such as `sqrt` are not symbols). */
export function symbolsOf(expr: MathNode): Set<string> {
  const out = new Set<string>();
  expr.traverse((n, path) => {
    if (isSymbolNode(n) && path !== "fn") out.add(n.name);
  });
  return out;
}

/** Whether `name` occurs as a free symbol in `expr` (walks the tree; no text search). */
export function mentions(expr: MathNode, name: string): boolean {
  return symbolsOf(expr).has(name);
}

/** Replaces free symbols by expressions (each replacement is parenthesized, so precedence holds). */
export function substitute(expr: MathNode, map: Record<string, string | MathNode>): MathNode {
  const trees: Record<string, MathNode> = {};
  for (const [k, v] of Object.entries(map)) trees[k] = node(v);
  return expr.transform((n, path) => {
    if (isSymbolNode(n) && path !== "fn" && Object.prototype.hasOwnProperty.call(trees, n.name)) {
      return new ParenthesisNode(trees[n.name].cloneDeep());
    }
    return n;
  });
}

/** a - b as a tree. */
export function minus(a: MathNode, b: MathNode): MathNode {
  return new OperatorNode("-", "subtract", [new ParenthesisNode(a), new ParenthesisNode(b)]);
}

/** a * b as a tree. */
export function times(a: MathNode, b: MathNode): MathNode {
  return new OperatorNode("*", "multiply", [new ParenthesisNode(a), new ParenthesisNode(b)]);
}

/** a + b + ... as a tree (0 for no terms). */
export function sum(terms: MathNode[]): MathNode {
  if (terms.length === 0) return new ConstantNode(0);
  return terms.slice(1).reduce<MathNode>(
    (acc, t) => new OperatorNode("+", "add", [acc, new ParenthesisNode(t)]),
    new ParenthesisNode(terms[0]),
  );
}

/** Whether a (simplified) tree is the constant 0. */
export function isZeroConstant(expr: MathNode): boolean {
  let n: MathNode = expr;
  while (isParenthesisNode(n)) n = n.content;
  if (isOperatorNode(n) && n.fn === "unaryMinus") return isZeroConstant(n.args[0]);
  return isConstantNode(n) && Number(n.value) === 0;
}

/**
 * Replaces every sqrt(...) subtree by a symbol `__s<i>` (textually identical arguments, same
 * symbol; equal arguments written differently get different symbols, which can only make a proof
 * fail, never make a false one).
 * Returns the frozen tree; `atoms` maps the symbols back to the subtrees.
 */
export function freezeRoots(expr: MathNode): { frozen: MathNode; atoms: Map<string, MathNode> } {
  const byText = new Map<string, string>();
  const atoms = new Map<string, MathNode>();
  const frozen = expr.transform((n) => {
    if (isFunctionNode(n) && isSymbolNode(n.fn) && n.fn.name === "sqrt") {
      const key = text(n.args[0]);
      let name = byText.get(key);
      if (name === undefined) {
        name = `__s${byText.size}`;
        byText.set(key, name);
        atoms.set(name, n);
      }
      return new SymbolNode(name);
    }
    return n;
  });
  return { frozen, atoms };
}

/** How a zero was proved, or null if it was not. */
export type ZeroProof = "exact rational normal form (sqrt as atoms)" | "mathjs simplify (sqrt frozen)" | null;

const proofs = new Map<string, ZeroProof>();

/**
 * Tries to prove `expr` = 0 symbolically: first the exact rational normal form of rational.ts
 * (every sqrt(...) an opaque atom; a decision procedure for rational functions of the atoms, and
 * some fifty times faster than simplify on the walker's expressions), then, where it does not
 * apply or does not reach 0, mathjs simplify with every sqrt(...) frozen to an opaque symbol
 * (sound, see the file comment). Returns how, or null when neither reached 0 (which proves
 * nothing either way). Results are kept per expression text (the function is pure).
 */
export function provesZero(expr: MathNode): ZeroProof {
  const key = text(expr);
  const known = proofs.get(key);
  if (known !== undefined) return known;
  let proof: ZeroProof = null;
  if (rationalZero(expr)) proof = "exact rational normal form (sqrt as atoms)";
  else if (isZeroConstant(simplify(freezeRoots(expr).frozen))) proof = "mathjs simplify (sqrt frozen)";
  proofs.set(key, proof);
  return proof;
}

/** Total time derivative d/dt f(q, q_dot) = sum_j df/dq_j q_dot_j + df/dq_dot_j q_dd_j. */
export function totalTimeDerivative(
  f: MathNode,
  q: readonly string[],
  qDot: readonly string[],
  qDd: readonly string[],
): MathNode {
  const terms: MathNode[] = [];
  q.forEach((qi, j) => {
    terms.push(times(derivative(f, qi), new SymbolNode(qDot[j])));
    terms.push(times(derivative(f, qDot[j]), new SymbolNode(qDd[j])));
  });
  return simplify(sum(terms));
}

/**
 * Names printed specially in LaTeX. One spelling per symbol across the derivation, the report and
 * the figures: lengths are \ell (the rest length \ell_0, the leg lengths \ell_a, \ell_b), the
 * stiffness per unit mass \rho, the angle of attack \alpha_0.
 */
const TEX_NAMES: Record<string, string> = {
  l0: "\\ell_0",
  l: "\\ell",
  rho: "\\rho",
  alpha0: "\\alpha_0",
  x_dot: "\\dot{x}",
  y_dot: "\\dot{y}",
  x_dd: "\\ddot{x}",
  y_dd: "\\ddot{y}",
  x_0: "x_0",
  y_0: "y_0",
  fx: "f_x",
  fy: "f_y",
  y_dd_i: "\\ddot{y}_i",
  E_min: "E_{\\min}",
  E_max: "E_{\\max}",
  eps: "\\varepsilon",
};

/** LaTeX for one symbol name (x_a -> x_{a}, l0 -> \ell_0, l_a -> \ell_{a}, rho -> \rho, x_dd -> \ddot{x}). */
export function texSymbol(name: string): string {
  if (Object.prototype.hasOwnProperty.call(TEX_NAMES, name)) return TEX_NAMES[name];
  const sub = /^([A-Za-z]+)_([A-Za-z0-9]+)$/.exec(name);
  if (sub) return `${sub[1] === "l" ? "\\ell" : sub[1]}_{${sub[2]}}`;
  return name;
}

function unwrap(n: MathNode): MathNode {
  while (isParenthesisNode(n)) n = n.content;
  return n;
}

/**
 * LaTeX of a tree, with every symbol through {@link texSymbol}, braced (mathjs writes `\cdot`
 * directly before a symbol and relies on the symbol's own leading space). Products are written by
 * juxtaposition with a thin space, as a reader expects (\rho\,(\ell_0 - \ell_a)), except before a
 * number; implicit multiplication is always hidden.
 */
export function toLatex(expr: MathNode): string {
  const options = {
    parenthesis: "auto",
    implicit: "hide",
    handler: (n: MathNode, opts: object): string | undefined => {
      if (isSymbolNode(n)) return `{${texSymbol(n.name)}}`;
      if (isOperatorNode(n) && n.fn === "multiply" && n.args.length === 2) {
        const parts = n.args.map((a, i) => {
          const u = unwrap(a);
          const tex = u.toTex(opts);
          const sum = isOperatorNode(u) && (u.fn === "add" || u.fn === "subtract" || (i > 0 && u.fn === "unaryMinus"));
          return sum ? `\\left(${tex}\\right)` : tex;
        });
        const beforeNumber = isConstantNode(unwrap(n.args[1]));
        return `${parts[0]}${beforeNumber ? "\\cdot " : "\\,"}${parts[1]}`;
      }
      return undefined;
    },
  };
  return expr.toTex(options as never);
}

/**
 * A compiled expression that evaluates to a finite real number. Throws if a free symbol is missing
 * from the scope (mathjs would otherwise read `m` as metre and `g` as gram) or the value is not a
 * finite number.
 */
export function evaluator(expr: MathNode): (scope: Record<string, number>) => number {
  const free = [...symbolsOf(expr)];
  const code = compile(text(expr));
  return (scope) => {
    for (const s of free) {
      if (typeof scope[s] !== "number") throw new Error(`evaluator: symbol ${s} is not bound in ${text(expr)}`);
    }
    const v: unknown = code.evaluate({ ...scope });
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new Error(`evaluator: ${text(expr)} gave ${String(v)}, not a finite real number`);
    }
    return v;
  };
}

/** The symbol of the leg length of the foot `foot` (x_a -> l_a). */
export function legSymbol(foot: string): string {
  return `l_${foot.replace(/^x_/, "")}`;
}

/** The leg length sqrt((x - foot)^2 + y^2) as a tree. */
export function legLengthNode(foot: string): MathNode {
  return parse(`sqrt((x - ${foot})^2 + y^2)`);
}

/**
 * For display only: replaces sqrt((x - x_i)^2 + y^2) by the symbol l_i (matched after simplify of
 * the argument). The explicit form stays the one that is exported and checked.
 */
export function abbreviateLegs(expr: MathNode, feet: readonly string[]): MathNode {
  const wanted = new Map<string, string>();
  for (const f of feet) {
    const arg = (legLengthNode(f) as unknown as { args: MathNode[] }).args[0];
    wanted.set(text(arg), legSymbol(f));
    wanted.set(simplifiedArg(arg), legSymbol(f));
  }
  return expr.transform((n) => {
    if (isFunctionNode(n) && isSymbolNode(n.fn) && n.fn.name === "sqrt") {
      const name = wanted.get(text(n.args[0])) ?? wanted.get(simplifiedArg(n.args[0]));
      if (name !== undefined) return new SymbolNode(name);
    }
    return n;
  });
}

const simplifiedCache = new Map<string, string>();

/** text(simplify(arg)), cached by the text of arg (display only). */
function simplifiedArg(arg: MathNode): string {
  const key = text(arg);
  let v = simplifiedCache.get(key);
  if (v === undefined) {
    v = text(simplify(arg));
    simplifiedCache.set(key, v);
  }
  return v;
}
