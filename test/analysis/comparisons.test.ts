/** The aggregate's paired comparisons (src/analysis/aggregate.ts) on members with known differences. */
import { assert, describe, it } from "vitest"
import { type Member, pairedComparisons, verdict } from "../../src/analysis/aggregate.js"

const member = (perturbation: string, seed: number, value: number): Member => ({
  label: `perturbation=${perturbation},seed=${seed}`,
  assignments: { perturbation, seed: String(seed) },
  params: {},
  metrics: { scalars: [{ name: "m", label: "m", value, primary: true }], series: [] }
})

describe("paired comparisons over the replicates", () => {
  it("pairs the levels seed by seed: b − a, its interval, and who is larger how often", () => {
    const members = [1, 2, 3, 4].flatMap((seed) => [
      member("within", seed, seed),
      member("outside", seed, seed + 0.5 + 0.1 * (seed % 2))
    ])
    const [c] = pairedComparisons(members, ["perturbation"], "seed", ["m"])
    assert.include(c!, { factor: "perturbation", a: "within", b: "outside", bLarger: 4, aLarger: 0 })
    assert.approximately(c!.difference.mean!, 0.55, 1e-12)
    assert.strictEqual(c!.difference.n, 4)
    // sd of (0.6, 0.5, 0.6, 0.5) = 0.0577…; t(0.975, 3) = 3.1824
    assert.approximately(c!.difference.halfWidth!, 3.182446305284263 * (Math.sqrt(1 / 12) / 2) * 0.2, 1e-9)
    assert.match(verdict(c!), /^outside larger/)
  })

  it("a difference whose interval includes 0 shows none; a seed missing a level is left out", () => {
    const members = [member("a", 1, 1), member("b", 1, 2), member("a", 2, 2), member("b", 2, 1), member("a", 3, 5)]
    const [c] = pairedComparisons(members, ["perturbation"], "seed", ["m"])
    assert.strictEqual(c!.difference.n, 2)
    assert.match(verdict(c!), /no difference shown/)
    assert.deepStrictEqual(pairedComparisons(members, ["perturbation"], null, ["m"]), [])
  })
})
