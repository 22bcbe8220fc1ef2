/**
 * Random streams (DESIGN §6): every random number of a run comes from seedrandom's `alea`
 * generator, one independent stream per (root seed, path), e.g. `train/trial/17/noise`.
 *
 * Seeding: `stream(seed, path)` seeds alea with the string `${seed}/${path}` (alea hashes the
 * whole string with its Mash function), so a stream depends only on the seed and the path: a
 * trial's draws are the same whatever worker runs it and in whatever order.
 *
 * Samplers (methods of the stream, so any cached state belongs to that stream only):
 * - `uniform()`: alea's 32-bit output in [0, 1); `uniformDouble()` 53-bit.
 * - `normal(mean, sd)`: Marsaglia's polar method (Marsaglia & Bray 1964); it yields two variates
 *   per accepted pair, and the second is cached in the stream object.
 * - `vonMises(mu, kappa)`: Best & Fisher (1979), "Efficient simulation of the von Mises
 *   distribution", Applied Statistics 28:152–157 (the rejection sampler numpy also uses).
 */
import seedrandom from "seedrandom"

/** A source of uniform numbers in [0, 1). */
export type Uniform = () => number

/**
 * One random stream: an alea generator plus the samplers' state. Alea is seeded by seedrandom
 * itself (its Mash hash of the seed string, read back through the `state` option); the
 * generator's recurrence is then run inline here (same numbers as `seedrandom.alea(seed)()`,
 * checked in the tests) so the per-step samplers make no closure calls.
 */
export class RandomStream {
  /** The cached second variate of the polar method (NaN when empty). */
  private spare = Number.NaN
  // alea state
  private s0: number
  private s1: number
  private s2: number
  private c: number

  constructor(seedString: string) {
    const state = seedrandom.alea(seedString, { state: true }).state()
    this.s0 = state.s0
    this.s1 = state.s1
    this.s2 = state.s2
    this.c = state.c
  }

  /** Writes the stream's state (alea's s0, s1, s2, c, then the cached variate or NaN) to `into`. */
  saveState(into: Float64Array): void {
    into[0] = this.s0
    into[1] = this.s1
    into[2] = this.s2
    into[3] = this.c
    into[4] = this.spare
  }

  /** Continues from a state written by {@link saveState} (and advanced by kernels `fillNormal`). */
  loadState(from: Float64Array): void {
    this.s0 = from[0]!
    this.s1 = from[1]!
    this.s2 = from[2]!
    this.c = from[3]!
    this.spare = from[4]!
  }

  /** Alea's next output: uniform in [0, 1) with 32 bits of resolution. */
  uniform(): number {
    const t = 2091639 * this.s0 + this.c * 2.3283064365386963e-10 // 2^-32
    this.s0 = this.s1
    this.s1 = this.s2
    this.c = t | 0
    this.s2 = t - this.c
    return this.s2
  }

  /** Uniform in [0, 1) with 53 bits of resolution (alea's `double()`). */
  uniformDouble(): number {
    const hi = this.uniform()
    return hi + ((this.uniform() * 0x200000) | 0) * 1.1102230246251565e-16 // 2^-53
  }

  /** Uniform in [low, high): low + (high − low)·u, as numpy computes it. */
  uniformRange(low: number, high: number): number {
    return low + (high - low) * this.uniformDouble()
  }

  /** A standard normal variate, Marsaglia's polar method; the pair's second value is cached. */
  standardNormal(): number {
    const cached = this.spare
    if (!Number.isNaN(cached)) {
      this.spare = Number.NaN
      return cached
    }
    let u: number
    let v: number
    let s: number
    do {
      u = 2 * this.uniform() - 1
      v = 2 * this.uniform() - 1
      s = u * u + v * v
    } while (s >= 1 || s === 0)
    const factor = Math.sqrt((-2 * Math.log(s)) / s)
    this.spare = v * factor
    return u * factor
  }

  /** A normal variate with the given mean and standard deviation. */
  normal(mean: number, sd: number): number {
    return mean + sd * this.standardNormal()
  }

  /**
   * Fills out[offset … offset+n−1] with normal(0, sd) variates: the same numbers as n calls of
   * `sd * standardNormal()`, with the generator state held in locals (the per-step hot path).
   */
  fillNormal(out: Float64Array, sd: number, offset = 0, n = out.length - offset): Float64Array {
    const end = offset + n
    let i = offset
    if (i < end && !Number.isNaN(this.spare)) {
      out[i++] = sd * this.spare
      this.spare = Number.NaN
    }
    let s0 = this.s0
    let s1 = this.s1
    let s2 = this.s2
    let c = this.c
    while (i < end) {
      let u: number
      let v: number
      let s: number
      do {
        let t = 2091639 * s0 + c * 2.3283064365386963e-10
        s0 = s1
        s1 = s2
        c = t | 0
        s2 = t - c
        u = 2 * s2 - 1
        t = 2091639 * s0 + c * 2.3283064365386963e-10
        s0 = s1
        s1 = s2
        c = t | 0
        s2 = t - c
        v = 2 * s2 - 1
        s = u * u + v * v
      } while (s >= 1 || s === 0)
      const factor = Math.sqrt((-2 * Math.log(s)) / s)
      out[i++] = sd * (u * factor)
      if (i < end) out[i++] = sd * (v * factor)
      else this.spare = v * factor
    }
    this.s0 = s0
    this.s1 = s1
    this.s2 = s2
    this.c = c
    return out
  }

  /**
   * A von Mises(mu, kappa) variate in [−π, π], Best & Fisher (1979) rejection sampler:
   * τ = 1 + √(1 + 4κ²), ρ = (τ − √(2τ))/(2κ), r = (1 + ρ²)/(2ρ); repeat z = cos(πU₁),
   * f = (1 + rz)/(r + z), c = κ(r − f) until c(2 − c) > U₂ or log(c/U₂) + 1 − c ≥ 0;
   * θ = μ + sign(U₃ − ½)·acos(f), wrapped into [−π, π].
   *
   * Above {@link VON_MISES_EXACT_KAPPA} the envelope degenerates in double precision (r − 1 ≈ 1/(2κ)
   * is a few ulp of 1: at κ = 1e16 the accepted draws have the wrong spread, from about 1e17 r is
   * exactly 1 and the loop never accepts; 4κ² overflows past 1e154): there, θ = μ + N(0, 1)/√κ,
   * wrapped, the normal limit of the von Mises law (its variance 1/κ + O(1/κ²); the approximation
   * numpy also uses, from κ > 1e6). Every κ up to the bound keeps the Best–Fisher draws.
   * A κ that is NaN or negative is refused (RangeError).
   */
  vonMises(mu: number, kappa: number): number {
    if (!(kappa >= 0)) throw new RangeError(`vonMises: κ must be ≥ 0, got ${kappa}`)
    if (kappa < 1e-8) return Math.PI * (2 * this.uniformDouble() - 1)
    if (kappa > VON_MISES_EXACT_KAPPA) {
      let theta = mu + this.standardNormal() / Math.sqrt(kappa)
      if (theta > Math.PI) theta -= 2 * Math.PI
      else if (theta < -Math.PI) theta += 2 * Math.PI
      return theta
    }
    const tau = 1 + Math.sqrt(1 + 4 * kappa * kappa)
    const rhoBF = (tau - Math.sqrt(2 * tau)) / (2 * kappa)
    const r = (1 + rhoBF * rhoBF) / (2 * rhoBF)
    let f: number
    for (;;) {
      const z = Math.cos(Math.PI * this.uniformDouble())
      f = (1 + r * z) / (r + z)
      const c = kappa * (r - f)
      const u2 = this.uniformDouble()
      if (c * (2 - c) - u2 > 0) break
      if (u2 > 0 && Math.log(c / u2) + 1 - c >= 0) break
    }
    const sign = this.uniformDouble() < 0.5 ? -1 : 1
    let theta = mu + sign * Math.acos(Math.max(-1, Math.min(1, f)))
    if (theta > Math.PI) theta -= 2 * Math.PI
    else if (theta < -Math.PI) theta += 2 * Math.PI
    return theta
  }

  /** An index drawn uniformly from 0 … n−1. */
  index(n: number): number {
    return Math.min(n - 1, Math.floor(this.uniformDouble() * n))
  }
}

/**
 * The largest κ the Best–Fisher sampler draws exactly in double precision (r − 1 ≈ 2 ulp of 1, and
 * the accepted draws still have variance 1/κ); above it `vonMises` uses the normal limit.
 */
export const VON_MISES_EXACT_KAPPA = 1e15

/** The stream of a root seed and a path (e.g. `train/trial/17/noise`); alea seeded with `${seed}/${path}`. */
export function stream(seed: number, path: string): RandomStream {
  return new RandomStream(`${seed}/${path}`)
}

/** Stream paths used by the model and the pipelines (docs/INTERFACES.md). */
export const paths = {
  initWeights: "init/weights",
  trainAngle: (trial: number) => `train/trial/${trial}/angle`,
  trainNoise: (trial: number) => `train/trial/${trial}/noise`,
  testSchedule: "test/schedule",
  testNoise: (trial: number) => `test/trial/${trial}/noise`,
  /** ν of §9.3, drawn only when inputNoise > 0 (so that other runs keep their streams). */
  trainInputNoise: (trial: number) => `train/trial/${trial}/input-noise`,
  testInputNoise: (trial: number) => `test/trial/${trial}/input-noise`
} as const
