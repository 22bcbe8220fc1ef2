/**
 * scripts/numpy-random.ts reproduces numpy's legacy RandomState: every draw listed in the shared
 * vector files (seed 1234: uniform, normal, vonmises, choice), and the reference's seed-120994
 * initialisation stored in `pretrained-estimation.json`. Skipped where ../shared/reference is absent.
 */
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { assert, describe, it } from "vitest"
import { defaultVectorsDir } from "../../scripts/conformance.js"
import { NumpyRandomState } from "../../scripts/numpy-random.js"
import {
  maxAbsDifference,
  REFERENCE_SEED,
  type ReferenceFile,
  referenceInitialNetwork
} from "../../scripts/replay-reference.js"
import { networkFromNested } from "../../src/model/network.js"
import { referencePretrained } from "../helpers/referenceNetwork.js"

interface Draw {
  readonly fn: string
  readonly args: ReadonlyArray<number>
  readonly shape: ReadonlyArray<number>
  readonly values: unknown
  readonly indices?: unknown
}

const present = existsSync(defaultVectorsDir) && existsSync(referencePretrained)
/**
 * The largest |ours − numpy's| in ulps of numpy's value. V8's Math.log may round differently from
 * glibc's; that last bit, carried through the square root, the product and the scale, moves a
 * normal draw by up to a few ulps.
 */
const ulps = (ours: ArrayLike<number>, expected: ReadonlyArray<number>) => {
  let max = 0
  for (let k = 0; k < expected.length; k++) {
    const ulp = Number.EPSILON * 2 ** Math.floor(Math.log2(Math.max(Math.abs(expected[k]!), Number.MIN_VALUE)))
    max = Math.max(max, Math.abs(ours[k]! - expected[k]!) / ulp)
  }
  return max
}

describe.skipIf(!present)("numpy's legacy RandomState", () => {
  for (const name of [
    "train-estimation.json",
    "train-classifier.json",
    "test-estimation.json",
    "test-classifier.json"
  ]) {
    it(`draws every random number of ${name} (seed 1234)`, () => {
      const v = JSON.parse(readFileSync(join(defaultVectorsDir, name), "utf8")) as { random_draws: Array<Draw> }
      const rng = new NumpyRandomState(1234)
      let compared = 0
      let exact = 0
      for (const draw of v.random_draws) {
        const size = draw.shape.reduce((a, b) => a * b, 1)
        const expected = (draw.values as Array<unknown>).flat(3) as Array<number>
        if (draw.fn === "choice") {
          const indices = Array.from(rng.choiceIndices(12, size))
          assert.deepStrictEqual(indices, (draw.indices as Array<Array<number>>).flat())
          continue
        }
        const [a, b] = [draw.args[0]!, draw.args[1]!]
        const ours =
          draw.fn === "uniform"
            ? rng.uniform(a, b, new Float64Array(size))
            : draw.fn === "normal"
              ? rng.normal(a, b, new Float64Array(size))
              : Float64Array.from({ length: size }, () => rng.vonMises(a, b))
        assert.strictEqual(expected.length, size, `${draw.fn} size`)
        assert.isAtMost(ulps(ours, expected), 4, `${draw.fn} ${draw.shape.join("×")}`)
        for (let k = 0; k < size; k++) if (ours[k] === expected[k]) exact++
        compared += size
      }
      // Off-by-one-ulp values come from libm differences only: the great majority are identical.
      assert.isAbove(exact / compared, 0.95)
    })
  }

  it("a different seed does not reproduce them", () => {
    const v = JSON.parse(readFileSync(join(defaultVectorsDir, "train-estimation.json"), "utf8")) as {
      random_draws: Array<Draw>
    }
    const first = v.random_draws[0]!
    const rng = new NumpyRandomState(1235)
    const ours = rng.uniform(first.args[0]!, first.args[1]!, new Float64Array(40 * 40))
    assert.isAbove(maxAbsDifference(ours, (first.values as Array<Array<number>>).flat()), 0.01)
  })

  it("reproduces the paper's initial network from seed 120994 to the bit", () => {
    const reference = JSON.parse(readFileSync(referencePretrained, "utf8")) as ReferenceFile
    const initial = referenceInitialNetwork(new NumpyRandomState(0), REFERENCE_SEED, 40, 12, 2)
    const expected = networkFromNested(reference.initial)
    assert.deepStrictEqual(initial.weights, expected.weights)
    assert.deepStrictEqual(initial.inputWeights, expected.inputWeights)
    assert.deepStrictEqual(initial.decoder, expected.decoder)
    assert.deepStrictEqual(initial.biases, expected.biases)
  })

  it("draws nothing for a one-element choice, as numpy", () => {
    const a = new NumpyRandomState(5)
    const b = new NumpyRandomState(5)
    assert.deepStrictEqual(Array.from(a.choiceIndices(1, 10)), new Array(10).fill(0))
    assert.strictEqual(a.nextUint32(), b.nextUint32())
  })

  it("rejects seeds numpy rejects", () => {
    assert.throws(() => new NumpyRandomState(-1), /seed must be/)
    assert.throws(() => new NumpyRandomState(2 ** 32), /seed must be/)
  })
})
