/**
 * The kernels a Workspace runs its hot loops with (the noise, the integration, W·r and C·s, the
 * three-factor learning step), and the memory its arrays live in.
 *
 * - `simd` (what the model runs): WebAssembly with 128-bit SIMD (simd.as.ts, embedded by
 *   simd.wasm.ts). The arrays the kernels touch must live in the instance's memory, so the
 *   Workspace allocates all its arrays through `allocate`; one memory of fixed size per Workspace
 *   (it never grows, so the Float64Array views stay valid).
 * - `js`: the plain TypeScript of reference.ts on ordinary Float64Arrays, the kernels' definition,
 *   for tests and for comparison (npm run bench -- --kernels js).
 *
 * matVec, learnMatrix and learnThreeFactor give the same bits in both; integrate and fillNormal
 * use AssemblyScript's log and exp in `simd`, V8's in `js`, and agree to round-off only
 * (test/model/kernels.test.ts). So that a result never depends on the runtime, there is no silent
 * fallback: a runtime without WebAssembly SIMD (Node < 16.4) gets an error.
 */
import { RandomStream } from "../random.js"
import {
  INTEGRATION_CONSTANTS,
  type IntegrationArrays,
  integrate,
  LEARNING_CONSTANTS,
  type LearningArrays,
  learnMatrix,
  learnThreeFactor,
  matVec
} from "./reference.js"
import { simdWasmBase64 } from "./simd.wasm.js"

export type KernelKind = "simd" | "js"

export interface Kernels {
  readonly kind: KernelKind
  /** A zeroed Float64Array of n entries that the kernels can work on. */
  allocate(n: number): Float64Array
  /** out = M·x, M rows×cols row-major (reference.ts `matVec`). */
  readonly matVec: typeof matVec
  /** §4.1(h)–(i) for one matrix, fused with its current (reference.ts `learnMatrix`). */
  readonly learnMatrix: typeof learnMatrix
  /**
   * out = sd·(standard normals) from a random stream's state (RandomStream.saveState's layout, 5
   * values, advanced in place): the polar method of random.ts, log from the kernels' math.
   */
  fillNormal(state: Float64Array, out: Float64Array, sd: number): void
  /** Binds the arrays of {@link learnThreeFactor} once (all from `allocate`). */
  prepareLearning(arrays: LearningArrays): LearningFrame
  /** The three-factor rule's learning step for the modulator E (reference.ts `learnThreeFactor`). */
  learnThreeFactor(rates: Float64Array, input: Float64Array, E: number, frame: LearningFrame): void
  /** Binds the arrays of {@link integrate} once (all from `allocate`). */
  prepareIntegration(arrays: IntegrationArrays): IntegrationFrame
  /** §4.1(b)–(d), (g) for every neuron and the decoder sums (reference.ts `integrate`). */
  integrate(previous: Float64Array, next: Float64Array, frame: IntegrationFrame): void
}

/** The arrays of an integration, bound to kernels (for WebAssembly: written to a frame in its memory). */
export interface IntegrationFrame {
  readonly arrays: IntegrationArrays
  /** The frame's byte address in the kernels' memory (−1 for the js kernels). */
  readonly address: number
}

/** The arrays of a learning step, bound to kernels (like {@link IntegrationFrame}). */
export interface LearningFrame {
  readonly arrays: LearningArrays
  readonly address: number
  /**
   * The constants the kernel reads (LEARNING_CONSTANTS' order): the frame's own copy for
   * WebAssembly, `arrays.constants` for js. Write here to change them between calls (the
   * annealed learning steps of §9.2).
   */
  readonly constants: Float64Array
}

export type { IntegrationArrays, LearningArrays }

interface SimdExports {
  heapBase(): number
  matVec(M: number, x: number, rows: number, cols: number, out: number): void
  learnMatrix(
    P: number,
    average: number,
    post: number,
    pre: number,
    rows: number,
    cols: number,
    rho: number,
    decay: number,
    gain: number,
    current: number
  ): void
  integrate(previous: number, next: number, frame: number): void
  fillNormal(state: number, out: number, n: number, sd: number): void
  learnThreeFactor(frame: number, rates: number, input: number, E: number): void
}

const PAGE_BYTES = 65536

interface CompiledSimd {
  readonly module: WebAssembly.Module
  /** Where the module's static data (the tables of log and exp) ends: arrays go after it. */
  readonly dataEnd: number
}

let simdModule: CompiledSimd | null | undefined

/** The compiled kernels, or null where this runtime cannot run them (no WebAssembly SIMD). */
function compiledSimd(): CompiledSimd | null {
  if (simdModule === undefined) {
    const bytes = Uint8Array.from(atob(simdWasmBase64), (c) => c.charCodeAt(0))
    if (typeof WebAssembly === "object" && WebAssembly.validate(bytes)) {
      const module = new WebAssembly.Module(bytes)
      const probe = new WebAssembly.Instance(module, { env: { memory: new WebAssembly.Memory({ initial: 1 }) } })
      simdModule = { module, dataEnd: (probe.exports as unknown as SimdExports).heapBase() }
    } else simdModule = null
  }
  return simdModule
}

/** Whether this runtime can run the `simd` kernels (WebAssembly with SIMD). */
export function simdAvailable(): boolean {
  return compiledSimd() !== null
}

/** The f64 values of an integration frame: 8 u32 addresses and 2 i32 (5 values), then the constants. */
export const INTEGRATION_FRAME_VALUES = 5 + INTEGRATION_CONSTANTS.length
/** The f64 values of a learning frame: 12 u32 addresses and 4 i32 (8 values), then the constants. */
export const LEARNING_FRAME_VALUES = 8 + LEARNING_CONSTANTS.length

/**
 * Kernels with room for arrays of the given sizes (float64 values; or a total, for tests), each
 * 16-byte aligned; `allocate` beyond that fails with a clear error.
 */
export function createKernels(sizes: ReadonlyArray<number> | number, kind: KernelKind = "simd"): Kernels {
  const capacity = typeof sizes === "number" ? sizes : sizes.reduce((total, n) => total + n + (n % 2), 0)
  if (kind === "js") return jsKernels()
  const compiled = compiledSimd()
  if (compiled === null) {
    throw new Error("the model's kernels need WebAssembly SIMD, which this runtime lacks (use Node.js ≥ 20)")
  }
  return simdKernels(compiled, capacity)
}

function jsKernels(): Kernels {
  const scratch = new RandomStream("kernels/js")
  return {
    kind: "js",
    allocate: (n) => new Float64Array(n),
    matVec,
    learnMatrix,
    fillNormal: (state, out, sd) => {
      scratch.loadState(state)
      scratch.fillNormal(out, sd)
      scratch.saveState(state)
    },
    prepareLearning: (arrays) => ({ arrays, address: -1, constants: arrays.constants }),
    learnThreeFactor: (rates, input, E, frame) => learnThreeFactor(rates, input, E, frame.arrays),
    prepareIntegration: (arrays) => ({ arrays, address: -1 }),
    integrate: (previous, next, frame) => integrate(previous, next, frame.arrays)
  }
}

function simdKernels({ module, dataEnd }: CompiledSimd, capacity: number): Kernels {
  // The module's static data comes first (the first array is aligned after it), then the arrays;
  // `capacity` counts the alignment padding already.
  const bytes = dataEnd + 16 + Math.max(1, capacity) * 8
  const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / PAGE_BYTES) })
  const instance = new WebAssembly.Instance(module, { env: { memory } })
  const exports = instance.exports as unknown as SimdExports
  const buffer = memory.buffer
  let used = dataEnd
  // Every array a kernel touches must be one of this memory's: a foreign array's byteOffset would
  // address unrelated values. The check is one comparison per array (no call, no allocation).
  const foreign = (kernel: string, arrays: Readonly<Record<string, Float64Array>>): never => {
    const name = Object.keys(arrays).find((key) => arrays[key]!.buffer !== buffer)
    throw new Error(`kernels: ${kernel}'s ${name} is not an array of this Workspace's kernel memory`)
  }
  return {
    kind: "simd",
    allocate(n) {
      const offset = (used + 15) & ~15
      if (offset + n * 8 > buffer.byteLength) {
        throw new Error(`kernels: memory of ${buffer.byteLength} bytes is full (asked for ${n} more values)`)
      }
      used = offset + n * 8
      return new Float64Array(buffer, offset, n)
    },
    matVec(M, x, rows, cols, out) {
      if (M.buffer !== buffer || x.buffer !== buffer || out.buffer !== buffer) foreign("matVec", { M, x, out })
      exports.matVec(M.byteOffset, x.byteOffset, rows, cols, out.byteOffset)
    },
    learnMatrix(P, average, post, pre, rows, cols, rho, decay, gain, current) {
      if (
        P.buffer !== buffer ||
        average.buffer !== buffer ||
        post.buffer !== buffer ||
        pre.buffer !== buffer ||
        current.buffer !== buffer
      ) {
        foreign("learnMatrix", { P, average, post, pre, current })
      }
      const offset = current.byteOffset
      exports.learnMatrix(
        P.byteOffset,
        average.byteOffset,
        post.byteOffset,
        pre.byteOffset,
        rows,
        cols,
        rho,
        decay,
        gain,
        offset
      )
    },
    prepareLearning(arrays) {
      const { weights, averageRR, inputWeights, averageRS, biases, averageR, decoder } = arrays
      const { decoded, probability, target, recurrent, inputCurrent, constants } = arrays
      const named = { weights, averageRR, inputWeights, averageRS, biases, averageR, decoder }
      const all = { ...named, decoded, probability, target, recurrent, inputCurrent, constants }
      if (constants.length !== LEARNING_CONSTANTS.length) {
        throw new Error(`kernels: ${constants.length} learning constants, expected ${LEARNING_CONSTANTS.length}`)
      }
      if (Object.values(all).some((a) => a.buffer !== buffer)) foreign("prepareLearning", all)
      const pointers = Object.values(all).slice(0, 12)
      // 12 u32 addresses, N, inputDim, targetDim, the decoder rule, then the f64 constants at byte 64.
      const frame = this.allocate(LEARNING_FRAME_VALUES)
      new Uint32Array(buffer, frame.byteOffset, 12).set(pointers.map((a) => a.byteOffset))
      new Int32Array(buffer, frame.byteOffset + 48, 4).set([
        arrays.N,
        arrays.inputDim,
        arrays.targetDim,
        arrays.decoderRule
      ])
      frame.set(constants, 8)
      return { arrays, address: frame.byteOffset, constants: frame.subarray(8) }
    },
    learnThreeFactor(rates, input, E, frame) {
      if (rates.buffer !== buffer || input.buffer !== buffer || frame.arrays.weights.buffer !== buffer) {
        foreign("learnThreeFactor", { rates, input, frame: frame.arrays.weights })
      }
      exports.learnThreeFactor(frame.address, rates.byteOffset, input.byteOffset, E)
    },
    prepareIntegration(arrays) {
      const { unclamped, recurrent, inputCurrent, biases, noise, decoder, output, decoded, constants } = arrays
      const all = { unclamped, recurrent, inputCurrent, biases, noise, decoder, output, decoded, constants }
      if (constants.length !== INTEGRATION_CONSTANTS.length) {
        throw new Error(`kernels: ${constants.length} integration constants, expected ${INTEGRATION_CONSTANTS.length}`)
      }
      if (Object.values(all).some((a) => a.buffer !== buffer)) foreign("prepareIntegration", all)
      const pointers = Object.values(all).slice(0, 8)
      // 8 u32 addresses, N, targetDim, then the f64 constants at byte 40 (simd.as.ts `integrate`).
      const frame = this.allocate(INTEGRATION_FRAME_VALUES)
      const header = new Uint32Array(buffer, frame.byteOffset, 8)
      pointers.forEach((a, k) => {
        header[k] = a.byteOffset
      })
      new Int32Array(buffer, frame.byteOffset + 32, 2).set([arrays.N, arrays.targetDim])
      frame.set(constants, 5)
      return { arrays, address: frame.byteOffset }
    },
    fillNormal(state, out, sd) {
      if (state.buffer !== buffer || out.buffer !== buffer) foreign("fillNormal", { state, out })
      exports.fillNormal(state.byteOffset, out.byteOffset, out.length, sd)
    },
    integrate(previous, next, frame) {
      if (previous.buffer !== buffer || next.buffer !== buffer || frame.arrays.unclamped.buffer !== buffer) {
        foreign("integrate", { previous, next, frame: frame.arrays.unclamped })
      }
      exports.integrate(previous.byteOffset, next.byteOffset, frame.address)
    }
  }
}
