/**
 * Acceptance (issue #4): the paper's own pretrained estimation network, converted to our format,
 * run through our `test` stage with the reference protocol (100 trials × 1000 s, 200 s
 * presentations, seed 120994) gives an overall test MSE of 0.125 ± 0.005.
 */
import { join } from "node:path"
import { assert, describe, it } from "vitest"
import { cliEnv, pipeline, tempDir } from "../helpers/cli.js"
import { needsReference, referencePretrained } from "../helpers/reference.js"
import { writeReferenceNetwork } from "../helpers/referenceNetwork.js"

describe.skipIf(!needsReference([referencePretrained]))(
  "the paper's pretrained estimation network (../shared/reference)",
  () => {
    it("has test MSE 0.125 ± 0.005 through our test stage", { timeout: 600_000 }, async () => {
      const dir = tempDir("reference")
      const network = writeReferenceNetwork(join(dir, "reference-estimation.json"))
      const env = cliEnv(join(dir, "cache"))
      // The reference protocol's seed, explicitly: the pipeline's default seed is this project's own.
      const args = ["--set", "pretrained=true", "--set", `pretrainedPath=${network}`, "--set", "seed=120994"]
      const run = await pipeline(["run", "estimation", ...args], env)
      assert.strictEqual(run.status, 0, run.stderr)
      const shown = await pipeline(["show", "estimation", "analyze", ...args, "--json"], env)
      const { result } = JSON.parse(shown.stdout) as {
        result: { testMse: number; trials: number; mseByAngle: Array<{ angle: number; mse: number }> }
      }
      assert.strictEqual(result.trials, 100)
      assert.approximately(result.testMse, 0.125, 0.005)
      // Lowest error near the prior's mean, highest near ±π.
      const byAngle = [...result.mseByAngle].sort((a, b) => a.mse - b.mse)
      assert.isBelow(Math.abs(byAngle[0]!.angle), 0.6)
      assert.isAbove(Math.abs(byAngle[byAngle.length - 1]!.angle), 2.5)
    })
  }
)
