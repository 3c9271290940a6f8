/**
 * The SVD of the sensitivity matrices and the angle between two directions, implemented once in
 * derive/svd.ts (a lower stage of the study, which the derivation's log-sensitivities use too).
 */
export { jacobiSvd, lineAngle, type Svd, type JacobiOptions } from "../derive/svd";
