/**
 * src/replay/numpyRandom.ts reproduces numpy's legacy RandomState: every draw listed in the shared
 * vector files (seed 1234: uniform, normal, vonmises, choice), and the reference's seed-120994
 * initialisation stored in `pretrained-estimation.json` (skipped where ../shared/reference is
 * absent, failed under CI=true). `skipNormals` leaves the generator where the draws it skips would.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { assert, describe, it } from "vitest"
import { defaultVectorsDir } from "../../scripts/conformance.js"
import { type NestedNetwork, networkFromNested } from "../../src/model/network.js"
import { defaultParams } from "../../src/model/tasks/index.js"
import { NumpyRandomState } from "../../src/replay/numpyRandom.js"
import { maxAbsDifference, REFERENCE_SEED, referenceInitialNetwork } from "../../src/replay/training.js"
import { needsReference, referencePretrained } from "../helpers/reference.js"

interface Draw {
  readonly fn: string
  readonly args: ReadonlyArray<number>
  readonly shape: ReadonlyArray<number>
  readonly values: unknown
  readonly indices?: unknown
}

const vectorFiles = ["train-estimation.json", "train-classifier.json", "test-estimation.json", "test-classifier.json"]
const present = needsReference([...vectorFiles.map((name) => join(defaultVectorsDir, name)), referencePretrained])
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
  for (const name of vectorFiles) {
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
    const reference = JSON.parse(readFileSync(referencePretrained, "utf8")) as { initial: NestedNetwork }
    const initial = referenceInitialNetwork(new NumpyRandomState(0), REFERENCE_SEED, defaultParams("estimation"))
    const expected = networkFromNested(reference.initial)
    assert.deepStrictEqual(initial.weights, expected.weights)
    assert.deepStrictEqual(initial.inputWeights, expected.inputWeights)
    assert.deepStrictEqual(initial.decoder, expected.decoder)
    assert.deepStrictEqual(initial.biases, expected.biases)
  })
})

describe("NumpyRandomState without the reference", () => {
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

  it("skipNormals(k) leaves the generator where k normal draws leave it", () => {
    // Odd and even counts, from a fresh pair and from a cached second value.
    for (const [before, count] of [
      [0, 0],
      [0, 1],
      [0, 2],
      [0, 1001],
      [1, 1],
      [1, 2],
      [1, 1000],
      [3, 4097]
    ] as const) {
      const drawn = new NumpyRandomState(120994)
      const skipped = new NumpyRandomState(120994)
      for (const rng of [drawn, skipped]) rng.normal(0, 1, new Float64Array(before))
      drawn.normal(0, 1, new Float64Array(count))
      skipped.skipNormals(count)
      const next = (rng: NumpyRandomState) => [...rng.normal(0, 1, new Float64Array(3)), rng.nextDouble()]
      assert.deepStrictEqual(next(skipped), next(drawn), `${before} drawn, then ${count} skipped`)
    }
    // Not trivially: skipping a different number of draws lands elsewhere.
    const a = new NumpyRandomState(1)
    const b = new NumpyRandomState(1)
    a.skipNormals(10)
    b.skipNormals(11)
    assert.notStrictEqual(a.gaussian(), b.gaussian())
    assert.throws(() => a.skipNormals(-1), /non-negative integer/)
  })
})
