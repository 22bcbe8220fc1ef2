/**
 * `tuning-compare` builds both experiments with their own pipelines' keys (so it reuses their
 * cache), and draws the two networks' tuning curves from their analyses.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { assert, describe } from "vitest"
import { classification, estimation } from "../../pipelines/experiments.js"
import { tuningCompare } from "../../pipelines/tuningCompare.js"
import { plan, tempDir } from "../engine/helpers.js"
import { cliEnv, pipeline, show } from "../helpers/cli.js"

const small = ["trainTrials=1", "testTrials=2", "trialSeconds=10", "switchSeconds=5"]
const keyOf = (p: { nodes: ReadonlyArray<{ name: string; key: string }> }, name: string) =>
  p.nodes.find((n) => n.name === name)?.key

describe("tuning-compare", () => {
  const cache = tempDir("tuning-compare")

  it.effect("shares every stage with `estimation` and `classification` at their default seeds", () =>
    Effect.gen(function* () {
      const both = yield* plan(tuningCompare, [...small, "kappa=1.5"], cache)
      for (const [single, task] of [
        [estimation, "estimation"],
        [classification, "classification"]
      ] as const) {
        const own = yield* plan(single, [...small, "kappa=1.5"], cache)
        // (The untrained network's test and analysis are not needed here, so the plan leaves them out.)
        for (const name of ["sample-inputs", "init", "train", "test-schedule", "test", "analyze"]) {
          assert.strictEqual(keyOf(both, `${name}-${task}`), keyOf(own, name), `${name}-${task}`)
        }
      }
      // Another seed for one task moves that task's nodes only.
      const other = yield* plan(tuningCompare, [...small, "kappa=1.5", "classificationSeed=9"], cache)
      assert.strictEqual(keyOf(other, "analyze-estimation"), keyOf(both, "analyze-estimation"))
      assert.notStrictEqual(keyOf(other, "analyze-classification"), keyOf(both, "analyze-classification"))
    })
  )

  it("draws both networks' mean tuning curves from their analyses", { timeout: 300_000 }, async () => {
    const env = cliEnv(tempDir("tuning-run"))
    const sets = small.flatMap((s) => ["--set", s])
    const run = await pipeline(["run", "tuning-compare", ...sets], env)
    assert.strictEqual(run.status, 0, run.stderr)
    const { result } = await show("tuning-compare", "tuning-compare", sets, env)
    const compare = result as {
      estimation: { mean: Array<number>; neurons: number }
      classification: { neurons: number }
    }
    assert.strictEqual(compare.estimation.neurons, 40)
    assert.strictEqual(compare.classification.neurons, 25)
    // The estimation network's mean curve is the mean of its analysis's tuning curves.
    const analysis = await show("tuning-compare", "analyze-estimation", sets, env)
    const details = JSON.parse(readFileSync(analysis.artifacts["details.json"]!, "utf8")) as {
      tuning: { mean: Array<Array<number>> }
    }
    const curves = details.tuning.mean
    compare.estimation.mean.forEach((m, g) => {
      assert.approximately(m, curves.reduce((a, c) => a + c[g]!, 0) / curves.length, 1e-12)
    })
    const html = readFileSync(join(env.PIPELINE_OUT!, "tuning-compare", "latest", "report.html"), "utf8")
    assert.include(html, "Mean tuning curve of each network")
  })
})
