/**
 * The experiment pipelines end to end, through the real `pipeline` command, at small scale:
 * determinism whatever the worker count, resume after kill -9, the analyze result's fields,
 * bad network files and bad params.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { assert, describe, it } from "vitest"
import { defaultSeeds } from "../../pipelines/experiment.js"
import { decodeNpy, type NdArray } from "../../src/engine/NdArray.js"
import { cliEnv, digests, pipeline, runJson, startPipeline, tempDir } from "../helpers/cli.js"

const small = [
  "--set",
  "trainTrials=3",
  "--set",
  "testTrials=3",
  "--set",
  "trialSeconds=20",
  "--set",
  "switchSeconds=5"
]

describe("estimation pipeline, small scale", () => {
  it("gives bit-identical results with 1 or 2 workers, and different ones with another seed", {
    timeout: 300_000
  }, async () => {
    const one = await pipeline(
      ["run", "estimation", ...small, "--json"],
      cliEnv(tempDir("w1"), { PIPELINE_WORKERS: "1" })
    )
    assert.strictEqual(one.status, 0, one.stderr)
    const two = await pipeline(
      ["run", "estimation", ...small, "--json"],
      cliEnv(tempDir("w2"), { PIPELINE_WORKERS: "2" })
    )
    assert.strictEqual(two.status, 0, two.stderr)
    // report.html embeds the stages' timings, so its digest is not compared.
    const { report: _r1, ...a } = digests(runJson(one))
    const { report: _r2, ...b } = digests(runJson(two))
    assert.deepStrictEqual(Object.keys(a).sort(), [
      "analyze",
      "analyze-initial",
      "init",
      "metrics",
      "plot",
      "sample-inputs",
      "test",
      "test-initial",
      "test-schedule",
      "train"
    ])
    assert.deepStrictEqual(a, b)
    const other = await pipeline(
      ["run", "estimation", ...small, "--set", `seed=${defaultSeeds.estimation + 1}`, "--json"],
      cliEnv(tempDir("w3"))
    )
    assert.strictEqual(other.status, 0, other.stderr)
    const c = digests(runJson(other))
    assert.notStrictEqual(c["train"], a["train"])
    assert.notStrictEqual(c["test"], a["test"])
  })

  it("resumes a training killed with SIGKILL, bit-identical to an uninterrupted run", {
    timeout: 300_000
  }, async () => {
    // Trials of 200 s learn after the 40 s transient; 16 of them take a few seconds, which leaves the
    // poll below a window of a dozen checkpoints to kill in, even on a loaded machine.
    const args = ["run", "estimation", "--set", "trainTrials=16", "--set", "testTrials=1", "--set", "trialSeconds=200"]
    const reference = await pipeline([...args, "--json"], cliEnv(tempDir("ref")))
    assert.strictEqual(reference.status, 0, reference.stderr)

    const cache = tempDir("kill")
    const env = cliEnv(cache, { PIPELINE_CHECKPOINT_SECONDS: "0" })
    const run = startPipeline(args, env)
    // Kill once the training has checkpointed a few trials (one checkpoint per trial here).
    const trainKey = () => /… train: running \(([0-9a-f]{12})\)/.exec(run.output())?.[1]
    await run.waitFor(() => {
      const key = trainKey()
      if (key === undefined) return false
      const base = join(cache, ".checkpoints")
      const dir = existsSync(base) ? readdirSync(base).find((d) => d.startsWith(key)) : undefined
      if (dir === undefined) return false
      const latest = readdirSync(join(base, dir))
        .filter((f) => f.startsWith("ckpt-"))
        .sort()
        .pop()
      if (latest === undefined || !existsSync(join(base, dir, latest, "state.json"))) return false
      const text = readFileSync(join(base, dir, latest, "state.json"), "utf8")
      return /"nextTrial":([3-9]|1[0-4])\b/.test(text)
    })
    run.child.kill("SIGKILL")
    await run.exited
    const resumed = await pipeline([...args, "--json"], env)
    assert.strictEqual(resumed.status, 0, resumed.stderr)
    const report = runJson(resumed)
    assert.strictEqual(report.stages.find((s) => s.name === "train")!.status, "resumed")
    const { report: _a, ...resumedDigests } = digests(report)
    const { report: _b, ...referenceDigests } = digests(runJson(reference))
    assert.deepStrictEqual(resumedDigests, referenceDigests)
  })

  it("keeps the output and target of the last three training trials, in their trials' slots", {
    timeout: 300_000
  }, async () => {
    const traces = async (trials: number) => {
      const sets = ["--set", `trainTrials=${trials}`, "--set", "testTrials=1", "--set", "trialSeconds=20"]
      const env = cliEnv(tempDir(`traces-${trials}`))
      const run = await pipeline(["run", "estimation", ...sets], env)
      assert.strictEqual(run.status, 0, run.stderr)
      const shown = await pipeline(["show", "estimation", "train", ...sets, "--json"], env)
      assert.strictEqual(shown.status, 0, shown.stderr)
      const artifacts = (JSON.parse(shown.stdout) as { artifacts: Record<string, string> }).artifacts
      const read = (name: string) => decodeNpy(new Uint8Array(readFileSync(artifacts[name]!)))
      return { outputs: read("last-outputs.npy"), targets: read("last-targets.npy"), angles: read("last-angles.npy") }
    }
    const two = await traces(2)
    const four = await traces(4)
    const samples = 20 / 0.01 / 20
    assert.deepStrictEqual(two.outputs.shape, [2, 2, samples])
    assert.deepStrictEqual(four.outputs.shape, [3, 2, samples])
    assert.deepStrictEqual(four.angles.shape, [3, samples])
    // Trial k's stream depends on (seed, k) only, and the first trials start from the same network:
    // trial 2 is the last slot of the 2-trial run and the first slot of the 4-trial run (trials 2–4).
    const slot = (a: NdArray, k: number) =>
      Array.from(a.data.subarray(k * (a.data.length / a.shape[0]!), (k + 1) * (a.data.length / a.shape[0]!)))
    assert.deepStrictEqual(slot(four.outputs, 0), slot(two.outputs, 1))
    assert.deepStrictEqual(slot(four.targets, 0), slot(two.targets, 1))
    assert.deepStrictEqual(slot(four.angles, 0), slot(two.angles, 1))
    assert.notDeepEqual(slot(four.outputs, 1), slot(four.outputs, 0))
  })

  it("reports testMse and mseByAngle in the analyze result, and publishes report.html", {
    timeout: 300_000
  }, async () => {
    const cache = tempDir("show")
    const env = cliEnv(cache)
    const run = await pipeline(["run", "estimation", ...small], env)
    assert.strictEqual(run.status, 0, run.stderr)
    assert.match(run.stdout + run.stderr, /report\.html/)
    const shown = await pipeline(["show", "estimation", "analyze", ...small, "--json"], env)
    assert.strictEqual(shown.status, 0, shown.stderr)
    const { result } = JSON.parse(shown.stdout) as {
      result: { testMse: number; mseByAngle: Array<{ angle: number; mse: number }> }
    }
    assert.isAbove(result.testMse, 0)
    assert.isAbove(result.mseByAngle.length, 0)
    const mean = result.mseByAngle.reduce((s, e) => s + e.mse, 0) / result.mseByAngle.length
    assert.isAbove(mean, 0)
    const html = readFileSync(join(env.PIPELINE_OUT!, "estimation", "report.html"), "utf8")
    for (const title of ["Objective over training", "Output clouds", "Error by stimulus angle", "Tuning curves"]) {
      assert.include(html, title)
    }
  })

  it("classification reports accuracy and log-likelihood", { timeout: 300_000 }, async () => {
    const env = cliEnv(tempDir("cls"))
    const run = await pipeline(["run", "classification", ...small], env)
    assert.strictEqual(run.status, 0, run.stderr)
    const shown = await pipeline(["show", "classification", "analyze", ...small, "--json"], env)
    const { result } = JSON.parse(shown.stdout) as { result: Record<string, unknown> }
    for (const field of ["accuracy", "logLikelihood", "accuracyByAngle", "logLikelihoodByAngle"]) {
      assert.property(result, field)
    }
    assert.isAtLeast(result["accuracy"] as number, 0)
    assert.isAtMost(result["accuracy"] as number, 1)
  })
})

describe("bad input", () => {
  it("rejects a network file of the wrong shape, naming the field, and writes nothing", {
    timeout: 300_000
  }, async () => {
    const dir = tempDir("bad-net")
    const file = join(dir, "net.json")
    const N = 40
    const row = (n: number) => Array.from({ length: n }, () => 0.01)
    writeFileSync(
      file,
      JSON.stringify({
        N,
        inputDim: 12,
        targetDim: 2,
        weights: Array.from({ length: N }, (_, i) => row(i === 3 ? N - 1 : N)),
        inputWeights: Array.from({ length: N }, () => row(12)),
        biases: row(N),
        decoder: [row(N), row(N)]
      })
    )
    const cache = join(dir, "cache")
    const run = await pipeline(
      ["run", "estimation", ...small, "--set", "pretrained=true", "--set", `pretrainedPath=${file}`],
      cliEnv(cache)
    )
    assert.notStrictEqual(run.status, 0)
    assert.match(run.stderr + run.stdout, /weights\.3: expected 40 entries \(N\), got 39/)
    assert.match(run.stderr + run.stdout, /net\.json/)
  })

  it("names the missing pretrained file; pretrainedPath alone implies pretrained=true", {
    timeout: 300_000
  }, async () => {
    for (const flags of [["--set", "pretrained=true"], []]) {
      const cache = tempDir("missing")
      const run = await pipeline(
        ["run", "estimation", ...small, ...flags, "--set", "pretrainedPath=/nonexistent/net.json"],
        cliEnv(cache)
      )
      assert.notStrictEqual(run.status, 0)
      assert.match(run.stderr + run.stdout, /\/nonexistent\/net\.json/)
    }
  })

  it("rejects pretrainedPath with pretrained=false, before anything runs", { timeout: 300_000 }, async () => {
    const cache = tempDir("contradiction")
    const run = await pipeline(
      [
        "run",
        "estimation",
        ...small,
        "--set",
        "pretrained=false",
        "--set",
        "pretrainedPath=pretrained/estimation.json"
      ],
      cliEnv(cache)
    )
    assert.strictEqual(run.status, 1)
    assert.match(run.stderr, /pretrainedPath: is given but pretrained=false/)
    assert.isFalse(existsSync(join(cache, ".runs")))
  })

  it("lists the valid rules for an unknown one and writes nothing", { timeout: 300_000 }, async () => {
    const cache = tempDir("rule")
    const run = await pipeline(["run", "estimation", ...small, "--set", "rule=hebbian"], cliEnv(cache))
    assert.notStrictEqual(run.status, 0)
    assert.match(run.stderr + run.stdout, /rule/)
    assert.match(run.stderr + run.stdout, /three-factor/)
    assert.match(run.stderr + run.stdout, /decoder-only/)
    assert.isFalse(existsSync(join(cache, "entries")) && readFileSync(join(cache, "entries")).length > 0)
  })
})
