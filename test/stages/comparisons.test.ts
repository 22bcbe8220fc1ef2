/**
 * Issue #5's comparison pipelines at small scale, through the real `pipeline` command.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { assert, describe, it } from "vitest"
import { decodeNpy } from "../../src/engine/NdArray.js"
import { cliEnv, pipeline, runJson, show, tempDir } from "../helpers/cli.js"

const small = [
  "--set",
  "trainTrials=2",
  "--set",
  "testTrials=2",
  "--set",
  "trialSeconds=60",
  "--set",
  "switchSeconds=10"
]

describe("comparison pipelines", () => {
  it("compare-rules trains each rule from one network and tabulates them; decoder-only keeps W", {
    timeout: 300_000
  }, async () => {
    const env = cliEnv(tempDir("compare"))
    const rules = ["--set", "rules=three-factor,decoder-only"]
    const run = await pipeline(["run", "compare-rules", ...small, ...rules, "--json"], env)
    assert.strictEqual(run.status, 0, run.stderr)
    const stages = runJson(run).stages.map((s) => s.name)
    assert.strictEqual(stages.filter((s) => s === "init").length, 1)
    assert.includeMembers(stages, ["train-three-factor", "train-decoder-only", "compare"])
    const shown = JSON.parse(
      (await pipeline(["show", "compare-rules", "compare", ...small, ...rules, "--json"], env)).stdout
    ) as {
      result: { table: Array<{ rule: string; testMse: number }> }
    }
    assert.deepStrictEqual(
      shown.result.table.map((r) => r.rule),
      ["three-factor", "decoder-only"]
    )
    // Each rule's test MSE is the mean ‖o − y‖² of its own test recording.
    for (const row of shown.result.table) {
      const { artifacts } = await show("compare-rules", `test-${row.rule}`, [...small, ...rules], env)
      const o = decodeNpy(new Uint8Array(readFileSync(artifacts["outputs.npy"]!)))
      const y = decodeNpy(new Uint8Array(readFileSync(artifacts["targets.npy"]!)))
      let sum = 0
      for (let k = 0; k < o.data.length; k++) sum += (o.data[k]! - y.data[k]!) ** 2
      assert.approximately(row.testMse, sum / (o.data.length / 2), 1e-9, row.rule)
    }
    const network = (stage: string) =>
      pipeline(["show", "compare-rules", stage, ...small, ...rules, "--json"], env).then(
        (r) => (JSON.parse(r.stdout) as { result: { network: { weights: Array<Array<number>> } } }).result.network
      )
    const initial = await network("init")
    assert.deepStrictEqual((await network("train-decoder-only")).weights, initial.weights)
    assert.notDeepEqual((await network("train-three-factor")).weights, initial.weights)
    const html = readFileSync(join(env.PIPELINE_OUT!, "compare-rules", "report.html"), "utf8")
    assert.include(html, "Learning curves by plasticity rule")
  })

  it("noise-sweep tabulates test error per σ and rule", { timeout: 300_000 }, async () => {
    const env = cliEnv(tempDir("sweep"))
    const args = ["run", "noise-sweep", ...small, "--set", "sigmas=0.1,0.4"]
    const run = await pipeline([...args, "--json"], env)
    assert.strictEqual(run.status, 0, run.stderr)
    const shown = JSON.parse(
      (await pipeline(["show", "noise-sweep", "sweep", ...small, "--set", "sigmas=0.1,0.4", "--json"], env)).stdout
    ) as { result: { table: Array<{ sigma: number; values: Array<number> }> } }
    assert.deepStrictEqual(
      shown.result.table.map((r) => r.sigma),
      [0.1, 0.4]
    )
    for (const row of shown.result.table) assert.lengthOf(row.values, 2)
    const html = readFileSync(join(env.PIPELINE_OUT!, "noise-sweep", "report.html"), "utf8")
    assert.include(html, "Test error against rate noise")
  })

  it("seed-study runs the experiment once per seed and shares its stages with `<task> --set seed=N`", {
    timeout: 300_000
  }, async () => {
    const env = cliEnv(tempDir("seeds"))
    const seeds = ["--set", "seeds=3,5"]
    const run = await pipeline(["run", "seed-study", ...small, ...seeds, "--json"], env)
    assert.strictEqual(run.status, 0, run.stderr)
    const stages = runJson(run).stages.map((s) => s.name)
    assert.includeMembers(stages, ["train-seed-3", "train-seed-5", "test-seed-3", "seed-study"])
    const shown = JSON.parse(
      (await pipeline(["show", "seed-study", "seed-study", ...small, ...seeds, "--json"], env)).stdout
    ) as { result: { table: Array<{ seed: number; value: number }>; medianSeed: number; count: number } }
    assert.deepStrictEqual(
      shown.result.table.map((r) => r.seed),
      [3, 5]
    )
    assert.strictEqual(shown.result.count, 2)
    assert.notStrictEqual(shown.result.table[0]!.value, shown.result.table[1]!.value)
    // The member of seed 3 is the estimation run of seed 3: every stage it shares is cached.
    const single = runJson(await pipeline(["run", "estimation", ...small, "--set", "seed=3", "--json"], env))
    const status = Object.fromEntries(single.stages.map((s) => [s.name, s.status]))
    for (const name of ["sample-inputs", "test-schedule", "init", "train", "test", "analyze"])
      assert.strictEqual(status[name], "cached", name)
    assert.strictEqual(status["test-initial"], "ran")
    const html = readFileSync(join(env.PIPELINE_OUT!, "seed-study", "report.html"), "utf8")
    assert.include(html, "Seed study: estimation task")
    // A repeated seed is a params error.
    const repeated = await pipeline(["run", "seed-study", ...small, "--set", "seeds=3,3"], env)
    assert.strictEqual(repeated.status, 1)
    assert.match(repeated.stderr, /seeds: the values must be distinct/)
  })
})
