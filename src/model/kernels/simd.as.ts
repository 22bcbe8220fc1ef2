/**
 * The model's two N×N kernels in AssemblyScript, compiled to WebAssembly with 128-bit SIMD
 * (`npm run build:kernels` → simd.wasm.ts). Same results as reference.ts, bit for bit: the
 * element-wise updates run two columns per f64x2 lane pair with the same operations in the same
 * order (WebAssembly never fuses a multiply-add), and every row's sum is still accumulated
 * j = 0 … cols−1 in order, in a scalar, from the products' lanes.
 *
 * Matrices are rows×cols row-major f64 at byte addresses in the imported memory; vectors likewise.
 * Four rows run together: they share the loads of x (or pre) and their four sums hide each other's
 * add latency. The pair helpers are inlined by the compiler.
 */

/** Four consecutive f64 at `at`. */
// @ts-ignore: AssemblyScript decorator
@inline
function storeFour(at: usize, a: f64, b: f64, c: f64, d: f64): void {
  store<f64>(at, a)
  store<f64>(at, b, 8)
  store<f64>(at, c, 16)
  store<f64>(at, d, 24)
}

/** a + m[0]·x[0] + m[1]·x[1], added in that order (two columns of one row's sum). */
// @ts-ignore: AssemblyScript decorator
@inline
function dotPair(m: usize, xj: v128, a: f64): f64 {
  const p = f64x2.mul(v128.load(m), xj)
  return a + f64x2.extract_lane(p, 0) + f64x2.extract_lane(p, 1)
}

/** out = M·x (reference.ts `matVec`): the currents W·r and C·s of §4.1(c). */
export function matVec(M: usize, x: usize, rows: i32, cols: i32, out: usize): void {
  const stride = (<usize>cols) << 3
  const pairs = cols & ~1
  let i = 0
  for (; i + 3 < rows; i += 4) {
    const m0 = M + (<usize>i) * stride
    const m1 = m0 + stride
    const m2 = m1 + stride
    const m3 = m2 + stride
    let a0: f64 = 0
    let a1: f64 = 0
    let a2: f64 = 0
    let a3: f64 = 0
    let j = 0
    for (; j < pairs; j += 2) {
      const at = (<usize>j) << 3
      const xj = v128.load(x + at)
      a0 = dotPair(m0 + at, xj, a0)
      a1 = dotPair(m1 + at, xj, a1)
      a2 = dotPair(m2 + at, xj, a2)
      a3 = dotPair(m3 + at, xj, a3)
    }
    if (j < cols) {
      const at = (<usize>j) << 3
      const xj = load<f64>(x + at)
      a0 += load<f64>(m0 + at) * xj
      a1 += load<f64>(m1 + at) * xj
      a2 += load<f64>(m2 + at) * xj
      a3 += load<f64>(m3 + at) * xj
    }
    storeFour(out + ((<usize>i) << 3), a0, a1, a2, a3)
  }
  for (; i < rows; i++) {
    const m = M + (<usize>i) * stride
    let a: f64 = 0
    for (let j = 0; j < cols; j++) a += load<f64>(m + ((<usize>j) << 3)) * load<f64>(x + ((<usize>j) << 3))
    store<f64>(out + ((<usize>i) << 3), a)
  }
}

/**
 * Two entries (k, k+8) of one row of learnMatrix: δ = q·pre − Ā; Ā ← Ā + ρ·δ; P ← decay·P + gain·δ;
 * returns c + P_0·pre_0 + P_1·pre_1, added in that order.
 */
// @ts-ignore: AssemblyScript decorator
@inline
function learnPair(P: usize, average: usize, k: usize, q: v128, pj: v128, rho: v128, decay: v128, gain: v128, c: f64): f64 {
  const a = v128.load(average + k)
  const d = f64x2.sub(f64x2.mul(q, pj), a)
  v128.store(average + k, f64x2.add(a, f64x2.mul(rho, d)))
  const p = f64x2.add(f64x2.mul(decay, v128.load(P + k)), f64x2.mul(gain, d))
  v128.store(P + k, p)
  const product = f64x2.mul(p, pj)
  return c + f64x2.extract_lane(product, 0) + f64x2.extract_lane(product, 1)
}

/**
 * One matrix of §4.1(h)–(i) fused with the next step's current (reference.ts `learnMatrix`):
 *   δ = post_i·pre_j − Ā_ij;  Ā_ij ← Ā_ij + ρ·δ;  P_ij ← decay·P_ij + gain·δ;  current_i = Σ_j P_ij·pre_j.
 */
export function learnMatrix(
  P: usize,
  average: usize,
  post: usize,
  pre: usize,
  rows: i32,
  cols: i32,
  rho: f64,
  decay: f64,
  gain: f64,
  current: usize
): void {
  const stride = (<usize>cols) << 3
  const pairs = cols & ~1
  const rho2 = f64x2.splat(rho)
  const decay2 = f64x2.splat(decay)
  const gain2 = f64x2.splat(gain)
  let i = 0
  for (; i + 3 < rows; i += 4) {
    const q = post + ((<usize>i) << 3)
    const q0 = load<f64>(q)
    const q1 = load<f64>(q, 8)
    const q2 = load<f64>(q, 16)
    const q3 = load<f64>(q, 24)
    const row0 = (<usize>i) * stride
    const row1 = row0 + stride
    const row2 = row1 + stride
    const row3 = row2 + stride
    let c0: f64 = 0
    let c1: f64 = 0
    let c2: f64 = 0
    let c3: f64 = 0
    let j = 0
    for (; j < pairs; j += 2) {
      const at = (<usize>j) << 3
      const pj = v128.load(pre + at)
      c0 = learnPair(P, average, row0 + at, f64x2.splat(q0), pj, rho2, decay2, gain2, c0)
      c1 = learnPair(P, average, row1 + at, f64x2.splat(q1), pj, rho2, decay2, gain2, c1)
      c2 = learnPair(P, average, row2 + at, f64x2.splat(q2), pj, rho2, decay2, gain2, c2)
      c3 = learnPair(P, average, row3 + at, f64x2.splat(q3), pj, rho2, decay2, gain2, c3)
    }
    if (j < cols) {
      const at = (<usize>j) << 3
      const pj = load<f64>(pre + at)
      c0 += learnEntry(P, average, row0 + at, q0, pj, rho, decay, gain)
      c1 += learnEntry(P, average, row1 + at, q1, pj, rho, decay, gain)
      c2 += learnEntry(P, average, row2 + at, q2, pj, rho, decay, gain)
      c3 += learnEntry(P, average, row3 + at, q3, pj, rho, decay, gain)
    }
    storeFour(current + ((<usize>i) << 3), c0, c1, c2, c3)
  }
  for (; i < rows; i++) {
    const q = load<f64>(post + ((<usize>i) << 3))
    const row = (<usize>i) * stride
    let c: f64 = 0
    for (let j = 0; j < cols; j++) {
      const at = (<usize>j) << 3
      c += learnEntry(P, average, row + at, q, load<f64>(pre + at), rho, decay, gain)
    }
    store<f64>(current + ((<usize>i) << 3), c)
  }
}

/** One entry of learnMatrix at byte offset k; returns P_ij·pre_j for the row's sum. */
// @ts-ignore: AssemblyScript decorator
@inline
function learnEntry(P: usize, average: usize, k: usize, q: f64, pj: f64, rho: f64, decay: f64, gain: f64): f64 {
  const a = load<f64>(average + k)
  const d = q * pj - a
  store<f64>(average + k, a + rho * d)
  const p = decay * load<f64>(P + k) + gain * d
  store<f64>(P + k, p)
  return p * pj
}

/**
 * §4.1(b)–(d), (g) for every neuron, from r_p = previous (clamped rate of step t−1):
 *   nl = (−1·g(r_p))/R, g(r) = (log(exp(r/β) − 1) − α)/γ  (nl = leakAtLow when r_p = r_low);
 *   r^u = (r_p + ((nl + W·r_p) + C·s_{t−1} + b)·dt) + σ·ξ;  r_t = clamp(r^u, r_low, r_high);
 * then output[o] = Σ_i D_oi·r^u_i and decoded[o] = Σ_i D_oi·r_i (i in order). log and exp are
 * AssemblyScript's (ports of musl's, < 1 ulp), so r agrees with reference.ts `integrate` to
 * round-off, not bit for bit. Above x = r/β = 40, log(exp(x) − 1) = x to round-off; exp overflows
 * above ≈ 709.78 and g = +∞ then (quirk 14).
 *
 * The other pairs of §9.6, by the constant `nonlinearity` (0 softplus, 1 sigmoid, 2 linear):
 * sigmoid g(r) = ((−1)/γ)·log((1/(β·r)) − α), linear g(r) = (r − α)/γ, then nl = (−1·g)/R.
 *
 * `frame` (index.ts `prepareIntegration`): the byte addresses of unclamped, recurrent, inputCurrent,
 * biases, noise, decoder, output, decoded as u32, then N and targetDim as i32, then at byte 40 the
 * f64 constants dt, σ, r_low, r_high, 1/β, α, 1/(γR), leakAtLow, β, γ, R, nonlinearity.
 */
export function integrate(previous: usize, next: usize, frame: usize): void {
  const unclamped = <usize>load<u32>(frame)
  const recurrent = <usize>load<u32>(frame, 4)
  const inputCurrent = <usize>load<u32>(frame, 8)
  const biases = <usize>load<u32>(frame, 12)
  const noise = <usize>load<u32>(frame, 16)
  const decoder = <usize>load<u32>(frame, 20)
  const output = <usize>load<u32>(frame, 24)
  const decoded = <usize>load<u32>(frame, 28)
  const N = load<i32>(frame, 32)
  const targetDim = load<i32>(frame, 36)
  const constants = frame + 40
  const dt = load<f64>(constants)
  const sigma = load<f64>(constants, 8)
  const rLow = load<f64>(constants, 16)
  const rHigh = load<f64>(constants, 24)
  const invBeta = load<f64>(constants, 32)
  const alpha = load<f64>(constants, 40)
  const invGammaR = load<f64>(constants, 48)
  const leakAtLow = load<f64>(constants, 56)
  const nonlinearity = load<f64>(constants, 88)
  if (nonlinearity == 0) {
    // softplus, the default: its own loop, as before the other pairs existed.
    for (let i = 0; i < N; i++) {
      const at = (<usize>i) << 3
      const rp = load<f64>(previous + at)
      let nl: f64
      if (rp == rLow) nl = leakAtLow
      else {
        const x = rp * invBeta
        let logTerm: f64
        if (x <= 40) logTerm = Math.log(Math.exp(x) - 1)
        else if (x <= 709) logTerm = x
        else logTerm = Math.exp(x) == Infinity ? Infinity : x
        nl = (alpha - logTerm) * invGammaR
      }
      eulerStep(at, rp, nl, recurrent, inputCurrent, biases, noise, unclamped, next, dt, sigma, rLow, rHigh)
    }
  } else {
    // §9.6 the sigmoid (1) and linear (2) pairs, in the reference's order.
    const beta = load<f64>(constants, 64)
    const gamma = load<f64>(constants, 72)
    const R = load<f64>(constants, 80)
    const sigmoid = nonlinearity == 1
    for (let i = 0; i < N; i++) {
      const at = (<usize>i) << 3
      const rp = load<f64>(previous + at)
      let nl: f64
      if (rp == rLow) nl = leakAtLow
      else if (sigmoid) nl = (-1 * ((-1 / gamma) * Math.log(1 / (beta * rp) - alpha))) / R
      else nl = (-1 * ((rp - alpha) / gamma)) / R
      eulerStep(at, rp, nl, recurrent, inputCurrent, biases, noise, unclamped, next, dt, sigma, rLow, rHigh)
    }
  }
  for (let o = 0; o < targetDim; o++) {
    const row = decoder + (<usize>(o * N) << 3)
    let accU: f64 = 0
    let accC: f64 = 0
    for (let i = 0; i < N; i++) {
      const at = (<usize>i) << 3
      const d = load<f64>(row + at)
      accU += d * load<f64>(unclamped + at)
      accC += d * load<f64>(next + at)
    }
    store<f64>(output + ((<usize>o) << 3), accU)
    store<f64>(decoded + ((<usize>o) << 3), accC)
  }
}

/** §4.1(c), (g) for neuron at byte offset `at`: r^u = (r_p + ((nl + W·r_p) + C·s + b)·dt) + σ·ξ, then the clamp. */
// @ts-ignore: AssemblyScript decorator
@inline
function eulerStep(
  at: usize,
  rp: f64,
  nl: f64,
  recurrent: usize,
  inputCurrent: usize,
  biases: usize,
  noise: usize,
  unclamped: usize,
  next: usize,
  dt: f64,
  sigma: f64,
  rLow: f64,
  rHigh: f64
): void {
  const drdt = nl + load<f64>(recurrent + at) + load<f64>(inputCurrent + at) + load<f64>(biases + at)
  const ru = rp + drdt * dt + sigma * load<f64>(noise + at)
  let rc = ru
  if (rc <= rLow) rc = rLow
  if (rc >= rHigh) rc = rHigh
  store<f64>(unclamped + at, ru)
  store<f64>(next + at, rc)
}

/** The first byte after the module's static data (the tables of log and exp): arrays go from here. */
export function heapBase(): usize {
  return __heap_base
}

/**
 * out[0 … n−1] = sd·(standard normal), the noise ξ of §4.1(c): random.ts `RandomStream.fillNormal`
 * with the stream's state at `state` (f64: alea's s0, s1, s2, c, then the polar method's cached
 * second variate, NaN when empty), updated in place. Alea's recurrence and the polar method's
 * accept/reject decisions are exact, so this draws the same variates as the TypeScript stream up
 * to the round-off of log (AssemblyScript's instead of V8's).
 */
export function fillNormal(state: usize, out: usize, n: i32, sd: f64): void {
  let s0 = load<f64>(state)
  let s1 = load<f64>(state, 8)
  let s2 = load<f64>(state, 16)
  let c = load<f64>(state, 24)
  let spare = load<f64>(state, 32)
  let i = 0
  if (n > 0 && !isNaN(spare)) {
    store<f64>(out, sd * spare)
    spare = NaN
    i = 1
  }
  while (i < n) {
    let u: f64
    let v: f64
    let s: f64
    do {
      // alea: t = 2091639·s0 + c·2^−32; s0 ← s1; s1 ← s2; c ← ⌊t⌋; s2 ← t − c (twice).
      let t = 2091639 * s0 + c * 2.3283064365386963e-10
      s0 = s1
      s1 = s2
      c = Math.floor(t)
      s2 = t - c
      u = 2 * s2 - 1
      t = 2091639 * s0 + c * 2.3283064365386963e-10
      s0 = s1
      s1 = s2
      c = Math.floor(t)
      s2 = t - c
      v = 2 * s2 - 1
      s = u * u + v * v
    } while (s >= 1 || s == 0)
    const factor = Math.sqrt((-2 * Math.log(s)) / s)
    store<f64>(out + ((<usize>i) << 3), sd * (u * factor))
    i++
    if (i < n) {
      store<f64>(out + ((<usize>i) << 3), sd * (v * factor))
      i++
    } else spare = v * factor
  }
  store<f64>(state, s0)
  store<f64>(state, s1, 8)
  store<f64>(state, s2, 16)
  store<f64>(state, c, 24)
  store<f64>(state, spare, 32)
}

/**
 * The three-factor rule's learning step, §4.1(h)–(i) and §4.3 (reference.ts `learnThreeFactor`,
 * bit for bit): W and Ā_rr with the next W·r, then b and Ā_r, then C and Ā_rs with the next C·s,
 * then the decoder rule, for the modulator E (the objective of the clamped rate r).
 *
 * `frame` (index.ts `prepareLearning`): the u32 byte addresses of weights, averageRR, inputWeights,
 * averageRS, biases, averageR, decoder, decoded, probability, target, recurrent, inputCurrent; at
 * byte 48 the i32 N, inputDim, targetDim, decoder rule (0 delta, 1 logistic, 2 none: reference.ts
 * `DECODER_RULES`); at byte 64 the f64 ρ, 1 − ρ, s_W,
 * λ_W, s_b, λ_b, s_C, λ_C, s_D, decoder gain (s_P = (dt·A)·η_P).
 */
export function learnThreeFactor(frame: usize, rates: usize, input: usize, E: f64): void {
  const weights = <usize>load<u32>(frame)
  const averageRR = <usize>load<u32>(frame, 4)
  const inputWeights = <usize>load<u32>(frame, 8)
  const averageRS = <usize>load<u32>(frame, 12)
  const biases = <usize>load<u32>(frame, 16)
  const averageR = <usize>load<u32>(frame, 20)
  const decoder = <usize>load<u32>(frame, 24)
  const decoded = <usize>load<u32>(frame, 28)
  const probability = <usize>load<u32>(frame, 32)
  const target = <usize>load<u32>(frame, 36)
  const recurrent = <usize>load<u32>(frame, 40)
  const inputCurrent = <usize>load<u32>(frame, 44)
  const N = load<i32>(frame, 48)
  const inputDim = load<i32>(frame, 52)
  const targetDim = load<i32>(frame, 56)
  const decoderRule = load<i32>(frame, 60)
  const rho = load<f64>(frame, 64)
  const oneMinusRho = load<f64>(frame, 72)
  const sW = load<f64>(frame, 80)
  const weightL2 = load<f64>(frame, 88)
  const sB = load<f64>(frame, 96)
  const biasL2 = load<f64>(frame, 104)
  const sC = load<f64>(frame, 112)
  const inputWeightL2 = load<f64>(frame, 120)
  const sD = load<f64>(frame, 128)
  const decoderGain = load<f64>(frame, 136)
  learnMatrix(weights, averageRR, rates, rates, N, N, rho, 1 - sW * weightL2, sW * E * oneMinusRho, recurrent)
  const decayB = 1 - sB * biasL2
  const gainB = sB * E * oneMinusRho
  for (let i = 0; i < N; i++) {
    const at = (<usize>i) << 3
    const a = load<f64>(averageR + at)
    const d = load<f64>(rates + at) - a
    store<f64>(averageR + at, a + rho * d)
    store<f64>(biases + at, decayB * load<f64>(biases + at) + gainB * d)
  }
  const decayC = 1 - sC * inputWeightL2
  learnMatrix(inputWeights, averageRS, rates, input, N, inputDim, rho, decayC, sC * E * oneMinusRho, inputCurrent)
  if (decoderRule == 2) return
  const logistic = decoderRule == 1
  for (let o = 0; o < targetDim; o++) {
    const row = decoder + (<usize>(o * N) << 3)
    const y = load<f64>(target + ((<usize>o) << 3))
    if (logistic) {
      const error = y - load<f64>(probability + ((<usize>o) << 3))
      for (let i = 0; i < N; i++) {
        const at = (<usize>i) << 3
        const d = load<f64>(row + at)
        store<f64>(row + at, d + sD * (error * load<f64>(rates + at) * decoderGain - weightL2 * d))
      }
    } else {
      const error = -1 * (load<f64>(decoded + ((<usize>o) << 3)) - y)
      for (let i = 0; i < N; i++) {
        const at = (<usize>i) << 3
        const d = load<f64>(row + at)
        store<f64>(row + at, d + sD * (error * load<f64>(rates + at) - weightL2 * d))
      }
    }
  }
}
