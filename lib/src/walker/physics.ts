/**
 * The mechanics of Geyer's bipedal spring-mass walker as pure functions (docs/model.md).
 *
 * State vector s = [x, y, vx, vy]: centre of mass (CoM) position in m and velocity in m/s; y is
 * the height above level ground. Every function here depends on the subject only through
 * rho = k / m (1/s^2) and l0 (m): the trajectories of (m, k) and (c m, c k) coincide.
 */

/** Standard gravity, m/s^2. */
export const G = 9.81;

/** Parameters of the mechanics per unit mass. */
export interface Mechanics {
  /** Leg stiffness per unit mass k/m, 1/s^2. */
  rho: number;
  /** Rest (equilibrium) leg length, m. */
  l0: number;
  /** Gravitational acceleration, m/s^2 (default {@link G}). */
  g: number;
}

/**
 * sqrt(a^2 + b^2) computed as Node's Math.hypot computes two arguments, bit for bit: both scaled by
 * the larger magnitude, sqrt((a/M)^2 + (b/M)^2) M (V8's builtin MathHypot, src/builtins/math.tq;
 * its Kahan sum adds nothing for two terms). Why our own: the builtin allocates on every call and
 * cannot be inlined, and the walker's leg-length events call it millions of times per dataset;
 * the same bits keep every dataset identical to those made with Math.hypot (test/walker.test.ts
 * compares the two on a million pairs).
 */
export function hypot2(a: number, b: number): number {
  const ax = Math.abs(a), bx = Math.abs(b);
  if (ax === Infinity || bx === Infinity) return Infinity;
  if (ax !== ax || bx !== bx) return Number.NaN; // a NaN argument
  const max = ax > bx ? ax : bx;
  if (max === 0) return 0;
  const ra = ax / max, rb = bx / max;
  return Math.sqrt(ra * ra + rb * rb) * max;
}

/** Length of a leg from the CoM (x, y) to a foot at (foot, 0), m. */
export function legLength(x: number, y: number, foot: number): number {
  const dx = x - foot;
  return Math.sqrt(dx * dx + y * y);
}

/**
 * Right-hand side in single support on the foot at `xa` (m): writes d/dt [x, y, vx, vy] into out.
 * m x'' = k (l0/l - 1)(x - xa), m y'' = k (l0/l - 1) y - m g, divided by m.
 */
export function rhsSingle(p: Mechanics, xa: number, s: ArrayLike<number>, out: Float64Array): void {
  const x = s[0], y = s[1];
  const dx = x - xa;
  const l = Math.sqrt(dx * dx + y * y);
  const c = p.rho * (p.l0 / l - 1);
  out[0] = s[2];
  out[1] = s[3];
  out[2] = c * dx;
  out[3] = c * y - p.g;
}

/** Right-hand side in double support on the rear foot `xa` and the front foot `xb` (m). */
export function rhsDouble(p: Mechanics, xa: number, xb: number, s: ArrayLike<number>, out: Float64Array): void {
  const x = s[0], y = s[1];
  const da = x - xa, db = x - xb;
  const la = Math.sqrt(da * da + y * y);
  const lb = Math.sqrt(db * db + y * y);
  const ca = p.rho * (p.l0 / la - 1);
  const cb = p.rho * (p.l0 / lb - 1);
  out[0] = s[2];
  out[1] = s[3];
  out[2] = ca * da + cb * db;
  out[3] = (ca + cb) * y - p.g;
}

/**
 * Specific mechanical energy e (J/kg): kinetic + gravitational + elastic per unit mass,
 * e = (vx^2 + vy^2)/2 + g y + (rho/2) sum_i (l0 - l_i)^2 over the feet in contact.
 * Conserved along a whole walk, across touchdowns and lift-offs.
 */
export function specificEnergy(p: Mechanics, s: ArrayLike<number>, feet: readonly number[]): number {
  let elastic = 0;
  // Indexed loops, not for-of: this runs at every sample and event, and the iterator allocated.
  for (let i = 0; i < feet.length; i++) {
    const d = p.l0 - legLength(s[0], s[1], feet[i]);
    elastic += d * d;
  }
  return 0.5 * (s[2] * s[2] + s[3] * s[3]) + p.g * s[1] + 0.5 * p.rho * elastic;
}

/**
 * Ground reaction force per unit mass (N/kg) summed over the legs in contact: the leg force
 * k (l0 - l_i) along the leg, divided by m. Equals (x'', y'' + g). Multiply by m for newtons.
 */
export function grfPerMass(p: Mechanics, s: ArrayLike<number>, feet: readonly number[], out: Float64Array): void {
  let fx = 0, fy = 0;
  for (let i = 0; i < feet.length; i++) {
    const dx = s[0] - feet[i];
    const l = Math.sqrt(dx * dx + s[1] * s[1]);
    const c = p.rho * (p.l0 / l - 1);
    fx += c * dx;
    fy += c * s[1];
  }
  out[0] = fx;
  out[1] = fy;
}

/** Touchdown height of the swing leg held at the angle of attack alpha0 (rad, from the ground), m. */
export function touchdownHeight(p: Mechanics, alpha0: number): number {
  return p.l0 * Math.sin(alpha0);
}

/** Horizontal offset of the new foot from the CoM at touchdown, m: l0 cos(alpha0). */
export function touchdownOffset(p: Mechanics, alpha0: number): number {
  return p.l0 * Math.cos(alpha0);
}
