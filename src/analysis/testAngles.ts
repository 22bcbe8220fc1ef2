/**
 * The test stimuli: the preferred angles arange(−π, π, 2π/count), computed the way numpy does
 * (README §3.1): δ = (−π + 2π/count) − (−π), a_k = −π + k·δ. For count = 12, δ is one ulp below
 * 2π/12 and a_6 = −8.881784197001252e-16 (quirk 12).
 */
export const testAngles = (count = 12): Array<number> => {
  const delta = -Math.PI + (2 * Math.PI) / count - -Math.PI
  return Array.from({ length: count }, (_, k) => -Math.PI + k * delta)
}
