/**
 * An exact normal form for rational expressions, used where mathjs `simplify` stops short.
 *
 * mathjs 15.2 `simplify` does not collect reciprocal terms: it leaves, for instance,
 * `k*y*l0*(1/s0 + 1/s1 - 1/s1 - 1/s0)` standing, and its `rationalize` does not merge equal
 * monomials written in different orders (`c*s0*k - s0*k*c`). Both occur with the double-support
 * y'' of the walker. This file writes an expression as num/den with num and den expanded
 * polynomials with exact (BigInt) rational coefficients, treating every function call (sqrt, sin,
 * ...) and every non-integer power as an opaque atom keyed by its text. The expression is zero
 * wherever it is defined iff the expanded numerator has no terms: a decision procedure for
 * rational functions of the atoms, and sound for the original expression because equal atoms are
 * equal subexpressions. (Two equal subexpressions written differently become two atoms, which can
 * only make a true identity fail to be proved, never prove a false one.)
 */
import { isConstantNode, isFunctionNode, isOperatorNode, isParenthesisNode, isSymbolNode, type MathNode } from "./mathjs";

function text(n: MathNode): string {
  return n.toString({ parenthesis: "auto" });
}

/** Thrown when a constant is not an exact small rational (the normal form is then not used). */
class NotRational extends Error {}

interface Frac {
  n: bigint;
  d: bigint;
}

function bgcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function frac(n: bigint, d: bigint = 1n): Frac {
  if (d === 0n) throw new NotRational("zero denominator");
  if (d < 0n) [n, d] = [-n, -d];
  const g = bgcd(n, d);
  return g > 1n ? { n: n / g, d: d / g } : { n, d };
}

function fracOfNumber(x: number): Frac {
  if (!Number.isFinite(x)) throw new NotRational(String(x));
  for (let q = 1; q <= 1_000_000; q *= 10) {
    const p = x * q;
    if (Number.isInteger(p)) return frac(BigInt(p), BigInt(q));
  }
  throw new NotRational(String(x));
}

const fadd = (a: Frac, b: Frac) => frac(a.n * b.d + b.n * a.d, a.d * b.d);
const fmul = (a: Frac, b: Frac) => frac(a.n * b.n, a.d * b.d);

/** A polynomial: monomial key ("a^2*b", "" for 1) -> coefficient. */
type Poly = Map<string, Frac>;

function monoParse(key: string): Map<string, number> {
  const m = new Map<string, number>();
  if (key === "") return m;
  for (const part of key.split("\u0001")) {
    const i = part.lastIndexOf("\u0002");
    m.set(part.slice(0, i), Number(part.slice(i + 1)));
  }
  return m;
}

function monoKey(m: Map<string, number>): string {
  return [...m.entries()]
    .filter(([, e]) => e !== 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([a, e]) => `${a}\u0002${e}`)
    .join("\u0001");
}

function monoMul(a: string, b: string): string {
  if (a === "") return b;
  if (b === "") return a;
  const m = monoParse(a);
  for (const [atom, e] of monoParse(b)) m.set(atom, (m.get(atom) ?? 0) + e);
  return monoKey(m);
}

function pconst(c: Frac): Poly {
  return c.n === 0n ? new Map() : new Map([["", c]]);
}

function patom(name: string): Poly {
  return new Map([[`${name}\u00021`, frac(1n)]]);
}

function padd(a: Poly, b: Poly, sign: bigint = 1n): Poly {
  const out = new Map(a);
  for (const [k, c] of b) {
    const prev = out.get(k);
    const next = prev ? fadd(prev, { n: sign * c.n, d: c.d }) : { n: sign * c.n, d: c.d };
    if (next.n === 0n) out.delete(k);
    else out.set(k, next);
  }
  return out;
}

function pmul(a: Poly, b: Poly): Poly {
  let out: Poly = new Map();
  for (const [ka, ca] of a) {
    const term: Poly = new Map();
    for (const [kb, cb] of b) term.set(monoMul(ka, kb), fmul(ca, cb));
    out = padd(out, term);
  }
  return out;
}

function pkey(p: Poly): string {
  return [...p.entries()]
    .map(([k, c]) => `${k}:${c.n}/${c.d}`)
    .sort()
    .join("|");
}

interface Rat {
  num: Poly;
  den: Poly;
}

const ONE: Poly = pconst(frac(1n));

function radd(a: Rat, b: Rat, sign: bigint = 1n): Rat {
  if (pkey(a.den) === pkey(b.den)) return { num: padd(a.num, b.num, sign), den: a.den };
  return { num: padd(pmul(a.num, b.den), pmul(b.num, a.den), sign), den: pmul(a.den, b.den) };
}

function rmul(a: Rat, b: Rat): Rat {
  return { num: pmul(a.num, b.num), den: pmul(a.den, b.den) };
}

function rdiv(a: Rat, b: Rat): Rat {
  if (b.num.size === 0) throw new NotRational("division by zero");
  return { num: pmul(a.num, b.den), den: pmul(a.den, b.num) };
}

function rpow(a: Rat, e: number): Rat {
  const base = e < 0 ? rdiv({ num: ONE, den: ONE }, a) : a;
  let out: Rat = { num: ONE, den: ONE };
  for (let i = 0; i < Math.abs(e); i++) out = rmul(out, base);
  return out;
}

function constantValue(n: MathNode): number | null {
  let c: MathNode = n;
  while (isParenthesisNode(c)) c = c.content;
  if (isConstantNode(c)) return Number(c.value);
  if (isOperatorNode(c) && c.fn === "unaryMinus") {
    const v = constantValue(c.args[0]);
    return v === null ? null : -v;
  }
  return null;
}

function toRat(n: MathNode): Rat {
  if (isParenthesisNode(n)) return toRat(n.content);
  if (isConstantNode(n)) return { num: pconst(fracOfNumber(Number(n.value))), den: ONE };
  if (isSymbolNode(n)) return { num: patom(n.name), den: ONE };
  if (isOperatorNode(n)) {
    switch (n.fn) {
      case "unaryPlus":
        return toRat(n.args[0]);
      case "unaryMinus": {
        const a = toRat(n.args[0]);
        return { num: padd(new Map(), a.num, -1n), den: a.den };
      }
      case "add":
        return n.args.map(toRat).reduce((acc, r) => radd(acc, r));
      case "subtract":
        return radd(toRat(n.args[0]), toRat(n.args[1]), -1n);
      case "multiply":
        return n.args.map(toRat).reduce((acc, r) => rmul(acc, r));
      case "divide":
        return rdiv(toRat(n.args[0]), toRat(n.args[1]));
      case "pow": {
        const e = constantValue(n.args[1]);
        if (e !== null && Number.isInteger(e) && Math.abs(e) <= 64) return rpow(toRat(n.args[0]), e);
        break;
      }
      default:
        break;
    }
  }
  if (isFunctionNode(n) || isOperatorNode(n)) return { num: patom(`[${text(n)}]`), den: ONE };
  throw new NotRational(`unsupported node ${n.type}`);
}

/**
 * True when `expr` is identically zero as a rational function of its symbols and atoms (function
 * calls, non-integer powers). False proves nothing: the atoms may be related, or the form may not
 * apply (a constant that is not an exact decimal fraction, a division by an identically zero
 * expression).
 */
export function rationalZero(expr: MathNode): boolean {
  try {
    return toRat(expr).num.size === 0;
  } catch (err) {
    if (err instanceof NotRational) return false;
    throw err;
  }
}
