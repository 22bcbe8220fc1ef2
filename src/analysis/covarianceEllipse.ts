/** The 1-σ ellipse of a 2×2 covariance: semi-axes along its eigenvectors. */
export interface CovarianceEllipse {
  /** Semi-axis along the major direction: √(largest eigenvalue). */
  readonly major: number
  /** Semi-axis along the minor direction: √(smallest eigenvalue), ≥ 0. */
  readonly minor: number
  /** Angle of the major axis from the first output axis, in (−π/2, π/2] (rad). */
  readonly orientation: number
}

/**
 * Ellipse parameters of the symmetric matrix [[a, b], [b, c]] in closed form:
 * λ± = (a + c)/2 ± √(((a − c)/2)² + b²), orientation ½·atan2(2b, a − c).
 * Scale both semi-axes by k to draw the k-σ ellipse.
 */
export const covarianceEllipse = (a: number, b: number, c: number): CovarianceEllipse => {
  const center = (a + c) / 2
  const radius = Math.hypot((a - c) / 2, b)
  const orientation = radius === 0 ? 0 : 0.5 * Math.atan2(2 * b, a - c)
  return {
    major: Math.sqrt(Math.max(0, center + radius)),
    minor: Math.sqrt(Math.max(0, center - radius)),
    orientation: orientation === -Math.PI / 2 ? Math.PI / 2 : orientation
  }
}
