/**
 * The modified Bessel function of the first kind of order 0, I₀(x) = Σ_k ((x/2)^{2k} / (k!)²)
 * (Abramowitz & Stegun 9.6.12), summed until a term no longer changes the sum. All terms are
 * positive, so the series is accurate to a few ulp; it needs about |x| + 15 terms, which is cheap
 * for the concentrations used here (κ = 0.75). I₀ is even; it overflows to Infinity beyond |x| ≈ 713.
 */
export const besselI0 = (x: number): number => {
  const quarterSquare = (x * x) / 4
  let term = 1
  let sum = 1
  for (let k = 1; k < 10_000; k++) {
    term *= quarterSquare / (k * k)
    const next = sum + term
    if (next === sum) break
    sum = next
  }
  return sum
}
