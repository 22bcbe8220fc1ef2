/**
 * The pieces the tasks' objectives share (reference README §4.1(d), §4.2): the logistic readout
 * with its gain and the clipped log-likelihood of a binary target.
 */

/** §4.1(d) p = 1 / (1 + exp(−gain·z)): the logistic readout of z = D·r (no bias). */
export function logistic(z: number, gain: number): number {
  return 1 / (1 + Math.exp(-gain * z))
}

/** §4.2 classifier objective: clip p to [c, 1 − c], then y·log(p) + (1 − y)·log(1 − p) (y ∈ {0, 1}). */
export function logLikelihood(p: number, y: number, clip: number): number {
  if (p < clip) p = clip
  else if (1 - p < clip) p = 1 - clip
  if (y === 1) return Math.log(p)
  if (y === 0) return Math.log(1 - p)
  return y * Math.log(p) + (1 - y) * Math.log(1 - p)
}

/** The classifier's class of θ (§4.1(e), quirk 12): 1 if θ ≥ θ_thresh or θ ≤ θ_thresh_rev, else 0. */
export function classOf(theta: number, thetaThresh: number, thetaThreshRev: number): number {
  return theta >= thetaThresh || theta <= thetaThreshRev ? 1 : 0
}
