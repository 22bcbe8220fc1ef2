/**
 * numpy's legacy `RandomState` (MT19937 seeded by `np.random.seed(n)`): exactly the draws the
 * reference's scripts make — `uniform`, `normal` (the polar method with its cached second value),
 * `vonmises` (Best–Fisher) and `choice` (masked rejection on 32-bit outputs).
 *
 * A comparison tool of the replay (src/replay/fullRun.ts, `npm run replay`): it feeds the paper's
 * own random streams through our model, so that a whole training can be compared with the
 * reference's. The project's runs draw every random number from seedrandom's alea
 * (src/model/random.ts), never from this.
 *
 * Written from numpy's C sources (`mt19937.c`, `legacy-distributions.c`, `distributions.c`);
 * checked against every draw listed in ../shared/reference/vectors and against the reference's
 * seed-120994 initialisation (test/replay/numpyRandom.test.ts). `log`, `sqrt`, `cos` and `acos`
 * are V8's, which may differ from glibc's in the last bit (a normal draw by a few ulps).
 */

const STATE = 624
const PERIOD = 397

export class NumpyRandomState {
  private readonly key = new Uint32Array(STATE)
  private pos = STATE
  private hasGauss = false
  private gauss = 0
  /** The polar method's last accepted point (scratch of {@link polarPoint}). */
  private x1 = 0
  private x2 = 0

  constructor(seed: number) {
    this.seed(seed)
  }

  /** `np.random.seed(seed)`: `mt19937_seed` (Knuth's initialiser), and the cached normal dropped. */
  seed(seed: number): void {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
      throw new Error(`seed must be in 0…2³²−1, got ${seed}`)
    let s = seed >>> 0
    for (let pos = 0; pos < STATE; pos++) {
      this.key[pos] = s
      s = (Math.imul(1812433253, (s ^ (s >>> 30)) >>> 0) + pos + 1) >>> 0
    }
    this.pos = STATE
    this.hasGauss = false
    this.gauss = 0
  }

  private generate(): void {
    const key = this.key
    const upper = 0x80000000
    const lower = 0x7fffffff
    let i = 0
    for (; i < STATE - PERIOD; i++) {
      const y = (key[i]! & upper) | (key[i + 1]! & lower)
      key[i] = key[i + PERIOD]! ^ (y >>> 1) ^ (-(y & 1) & 0x9908b0df)
    }
    for (; i < STATE - 1; i++) {
      const y = (key[i]! & upper) | (key[i + 1]! & lower)
      key[i] = key[i + (PERIOD - STATE)]! ^ (y >>> 1) ^ (-(y & 1) & 0x9908b0df)
    }
    const y = (key[STATE - 1]! & upper) | (key[0]! & lower)
    key[STATE - 1] = key[PERIOD - 1]! ^ (y >>> 1) ^ (-(y & 1) & 0x9908b0df)
    this.pos = 0
  }

  /** One tempered 32-bit output. */
  nextUint32(): number {
    if (this.pos === STATE) this.generate()
    let y = this.key[this.pos++]!
    y ^= y >>> 11
    y ^= (y << 7) & 0x9d2c5680
    y ^= (y << 15) & 0xefc60000
    y ^= y >>> 18
    return y >>> 0
  }

  /** `random_sample()`: 53 random bits from two outputs, in [0, 1). */
  nextDouble(): number {
    const a = this.nextUint32() >>> 5
    const b = this.nextUint32() >>> 6
    return (a * 67108864.0 + b) / 9007199254740992.0
  }

  /** `legacy_gauss`: the polar method; the second value of a pair is kept for the next call. */
  gaussian(): number {
    if (this.hasGauss) {
      this.hasGauss = false
      const cached = this.gauss
      this.gauss = 0
      return cached
    }
    const r2 = this.polarPoint()
    const f = Math.sqrt((-2.0 * Math.log(r2)) / r2)
    this.gauss = f * this.x1
    this.hasGauss = true
    return f * this.x2
  }

  /** The polar method's point: uniforms (x1, x2) on [−1, 1)² until 0 < x1² + x2² < 1; returns r². */
  private polarPoint(): number {
    let r2: number
    do {
      this.x1 = 2.0 * this.nextDouble() - 1.0
      this.x2 = 2.0 * this.nextDouble() - 1.0
      r2 = this.x1 * this.x1 + this.x2 * this.x2
    } while (r2 >= 1.0 || r2 === 0.0)
    return r2
  }

  /**
   * Advances the generator past `count` standard normal draws without computing them: the state
   * afterwards is the one `count` calls of {@link gaussian} leave (the polar method's rejections
   * depend only on the uniforms, and a pair's cached second value is kept exactly as numpy keeps
   * it). What a replay uses for draws the reference makes and the model never reads (the noise
   * of a test call before training).
   */
  skipNormals(count: number): void {
    if (!Number.isInteger(count) || count < 0)
      throw new Error(`skipNormals: count must be a non-negative integer, got ${count}`)
    let remaining = count
    if (remaining > 0 && this.hasGauss) {
      this.hasGauss = false
      this.gauss = 0
      remaining--
    }
    // Whole pairs: only the acceptance test of the polar method, no log or square root.
    for (; remaining >= 2; remaining -= 2) this.polarPoint()
    // An odd last draw opens a pair whose second value stays cached.
    if (remaining === 1) this.gaussian()
  }

  /** `normal(loc, scale, size)` into `out` (row-major, in draw order). */
  normal(loc: number, scale: number, out: Float64Array): Float64Array {
    for (let k = 0; k < out.length; k++) out[k] = loc + scale * this.gaussian()
    return out
  }

  /** `uniform(low, high, size)` into `out`: low + (high − low)·u. */
  uniform(low: number, high: number, out: Float64Array): Float64Array {
    const range = high - low
    for (let k = 0; k < out.length; k++) out[k] = low + range * this.nextDouble()
    return out
  }

  /** One `vonmises(mu, kappa)` draw (numpy's legacy sampler, 1e-5 ≤ κ ≤ 1e6). */
  vonMises(mu: number, kappa: number): number {
    if (!(kappa >= 1e-5 && kappa <= 1e6)) throw new Error(`vonMises: κ = ${kappa} is outside the replayed range`)
    const r = 1 + Math.sqrt(1 + 4 * kappa * kappa)
    const rho = (r - Math.sqrt(2 * r)) / (2 * kappa)
    const s = (1 + rho * rho) / (2 * rho)
    let W: number
    for (;;) {
      const U = this.nextDouble()
      const Z = Math.cos(Math.PI * U)
      W = (1 + s * Z) / (s + Z)
      const Y = kappa * (s - W)
      const V = this.nextDouble()
      if (Y * (2 - Y) - V >= 0 || Math.log(Y / V) + 1 - Y >= 0) break
    }
    const U = this.nextDouble()
    let result = Math.acos(W)
    if (U < 0.5) result = -result
    result += mu
    const negative = result < 0
    let mod = Math.abs(result)
    mod = ((mod + Math.PI) % (2 * Math.PI)) - Math.PI
    if (negative) mod *= -1
    return mod
  }

  /** `choice(population, size)` with replacement: indices by `randint(0, n)` (masked rejection). */
  choiceIndices(populationSize: number, count: number): Int32Array {
    if (!Number.isInteger(populationSize) || populationSize < 1 || populationSize > 0xffffffff) {
      throw new Error(`choice: population size ${populationSize}`)
    }
    const max = populationSize - 1
    let mask = max
    mask |= mask >>> 1
    mask |= mask >>> 2
    mask |= mask >>> 4
    mask |= mask >>> 8
    mask |= mask >>> 16
    const out = new Int32Array(count)
    if (max === 0) return out // numpy draws nothing for a one-element population
    for (let k = 0; k < count; k++) {
      let value: number
      do value = (this.nextUint32() & mask) >>> 0
      while (value > max)
      out[k] = value
    }
    return out
  }
}
