/**
 * The experiment pipelines end to end, through the real `pipeline` command, at small scale:
 * determinism whatever the worker count, resume after kill -9, the analyze result's fields,
 * bad network files and bad params.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { assert, describe, it } from "vitest"
import { defaultSeeds } from "../../pipelines/experiment.js"
import { testAngles } from "../../src/analysis/testAngles.js"
import { decodeNpy, type NdArray } from "../../src/engine/NdArray.js"
import { cliEnv, digests, pipeline, runJson, setArgs, show, startPipeline, tempDir } from "../helpers/cli.js"

const small = setArgs({ trainTrials: 3, testTrials: 3, trialSeconds: 20, switchSeconds: 5 })

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
    // Every stage, the report included: timings and statuses live in the run record, not in artifacts.
    const a = digests(runJson(one))
    const b = digests(runJson(two))
    const figures = Object.keys(a).filter((name) => name.startsWith("figure-"))
    assert.isAtLeast(figures.length, 20)
    assert.deepStrictEqual(
      Object.keys(a).sort(),
      [
        ...figures,
        "analyze",
        "analyze-initial",
        "init",
        "metrics",
        "plot",
        "report",
        "sample-inputs",
        "test",
        "test-initial",
        "test-schedule",
        "train"
      ].sort()
    )
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
    assert.deepStrictEqual(digests(report), digests(runJson(reference)))
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

  it("analyzes the test recording to the numbers its arrays give, with the run's κ; report.html in story order", {
    timeout: 300_000
  }, async () => {
    const cache = tempDir("show")
    const env = cliEnv(cache)
    const sets = [...small, "--set", "kappa=2"]
    const run = await pipeline(["run", "estimation", ...sets], env)
    assert.strictEqual(run.status, 0, run.stderr)
    assert.match(run.stdout + run.stderr, /report\.html/)
    const recording = await show("estimation", "test", sets, env)
    const read = (name: string) => decodeNpy(new Uint8Array(readFileSync(recording.artifacts[name]!)))
    const outputs = read("outputs.npy")
    const targets = read("targets.npy")
    const angles = read("angles.npy")
    const [trials = 0, , samples = 0] = outputs.shape
    // The MSE by test angle, from the recorded arrays.
    const grid = testAngles()
    const sums = new Map<number, { sum: number; n: number }>()
    for (let t = 0; t < trials; t++) {
      for (let s = 0; s < samples; s++) {
        const g = grid.findIndex((a) => Math.abs(a - angles.data[t * samples + s]!) < 1e-6)
        let e = 0
        for (let d = 0; d < 2; d++)
          e += (outputs.data[(t * 2 + d) * samples + s]! - targets.data[(t * 2 + d) * samples + s]!) ** 2
        const entry = sums.get(g) ?? { sum: 0, n: 0 }
        entry.sum += e
        entry.n++
        sums.set(g, entry)
      }
    }
    const byAngle = [...sums.entries()].sort((a, b) => a[0] - b[0])
    const { result } = await show("estimation", "analyze", sets, env)
    const summary = result as {
      testMse: number
      mseByAngle: Array<{ angle: number; mse: number }>
      priorWeightedMse: number
      prior: { mu: number; kappa: number }
    }
    const total = byAngle.reduce((a, [, e]) => a + e.sum, 0) / byAngle.reduce((a, [, e]) => a + e.n, 0)
    assert.approximately(summary.testMse, total, 1e-9)
    assert.deepStrictEqual(
      summary.mseByAngle.map((e) => e.angle),
      byAngle.map(([g]) => grid[g])
    )
    for (const [k, e] of summary.mseByAngle.entries()) {
      assert.approximately(e.mse, byAngle[k]![1].sum / byAngle[k]![1].n, 1e-9)
    }
    // --set kappa=2 reaches the analysis: the prior-weighted MSE uses von Mises(0, 2).
    assert.deepStrictEqual(summary.prior, { mu: 0, kappa: 2 })
    const w = byAngle.map(([g]) => Math.exp(2 * Math.cos(grid[g]!)))
    const weighted = byAngle.reduce((a, [, e], k) => a + (w[k]! * e.sum) / e.n, 0) / w.reduce((a, b) => a + b, 0)
    assert.approximately(summary.priorWeightedMse, weighted, 1e-9)
    const html = readFileSync(join(env.PIPELINE_OUT!, "estimation", "latest", "report.html"), "utf8")
    for (const title of [
      "Objective over training",
      "Output clouds",
      "Error by stimulus angle",
      "Tuning curves",
      "Noise correlations, sorted by preferred angle",
      "Energy of the network state by angle",
      "Currents into the neurons by angle",
      "Rate function (F–I curve)"
    ]) {
      assert.include(html, title)
    }
    const sections = ["Learning", "Behaviour", "Code: tuning", "Code: noise", "Code: energy", "Code: currents", "Model"]
    const positions = sections.map((h) => html.indexOf(`<h2>${h}</h2>`))
    for (const [k, at] of positions.entries()) assert.isAbove(at, -1, sections[k])
    assert.deepStrictEqual(
      positions,
      [...positions].sort((a, b) => a - b),
      "sections in story order"
    )
    assert.include(html, "von Mises(0, 2)")
  })

  it("a short training improves on the untrained network (fixed seeds)", { timeout: 300_000 }, async () => {
    const env = cliEnv(tempDir("learns"))
    const sets = setArgs({ trainTrials: 30, testTrials: 2, trialSeconds: 500, switchSeconds: 100 })
    const run = await pipeline(["run", "estimation", ...sets], env)
    assert.strictEqual(run.status, 0, run.stderr)
    const objective = (await show("estimation", "train", sets, env)).result["objectiveMean"] as Array<number>
    const mean = (v: Array<number>) => v.reduce((a, b) => a + b, 0) / v.length
    // The per-trial objective (−MSE) rises: the last ten trials against the first five.
    assert.isAbove(mean(objective.slice(-10)), mean(objective.slice(0, 5)) + 0.2)
    // And the trained network's error under the prior falls well below the untrained one's (≈ 1).
    const trained = (await show("estimation", "analyze", sets, env)).result["priorWeightedMse"] as number
    const untrained = (await show("estimation", "analyze-initial", sets, env)).result["priorWeightedMse"] as number
    assert.isBelow(trained, 0.8 * untrained)
  })

  it("objective.npy carries each trial's last objective into the next trial's step 0 (quirk 4)", {
    timeout: 300_000
  }, async () => {
    const env = cliEnv(tempDir("carry"))
    // S = int(20.215/0.01) = 2021 steps: the last step, 2020, is a recorded one (every 20th).
    const sets = setArgs({ trainTrials: 3, testTrials: 3, trialSeconds: 20.215, switchSeconds: 5 })
    const run = await pipeline(["run", "estimation", ...sets], env)
    assert.strictEqual(run.status, 0, run.stderr)
    for (const node of ["train", "test"]) {
      const { artifacts } = await show("estimation", node, sets, env)
      const objective = decodeNpy(new Uint8Array(readFileSync(artifacts["objective.npy"]!)))
      const [rows = 0, n = 0] = objective.shape
      assert.strictEqual(n, 102, `${node}: samples per trial`)
      assert.strictEqual(objective.data[0], 0, `${node}: the first trial starts at 0`)
      for (let k = 1; k < rows; k++) {
        assert.notStrictEqual(objective.data[k * n - 1], 0)
        assert.strictEqual(objective.data[k * n], objective.data[k * n - 1], `${node}: trial ${k} step 0`)
      }
    }
  })

  it("classification reports the accuracy and log-likelihood its recording gives", { timeout: 300_000 }, async () => {
    const env = cliEnv(tempDir("cls"))
    const run = await pipeline(["run", "classification", ...small], env)
    assert.strictEqual(run.status, 0, run.stderr)
    const { artifacts } = await show("classification", "test", small, env)
    const outputs = decodeNpy(new Uint8Array(readFileSync(artifacts["outputs.npy"]!))).data
    const targets = decodeNpy(new Uint8Array(readFileSync(artifacts["targets.npy"]!))).data
    let correct = 0
    let logLikelihood = 0
    for (let k = 0; k < outputs.length; k++) {
      const p = outputs[k]!
      const y = targets[k]!
      if (p > 0.5 === y > 0.5) correct++
      const clipped = Math.min(1 - 1e-4, Math.max(1e-4, p))
      logLikelihood += y * Math.log(clipped) + (1 - y) * Math.log(1 - clipped)
    }
    const { result } = await show("classification", "analyze", small, env)
    for (const field of ["accuracyByAngle", "logLikelihoodByAngle", "dPrime", "ldaDPrime"])
      assert.property(result, field)
    assert.approximately(result["accuracy"] as number, correct / outputs.length, 1e-12)
    assert.approximately(result["logLikelihood"] as number, logLikelihood / outputs.length, 1e-9)
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
    assert.strictEqual(run.status, 2)
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
