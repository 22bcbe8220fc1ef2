/**
 * Sweeps of the real experiment (issue #11), through the `pipeline` command at small scale: a
 * member is exactly the single run with its params (same keys), the tidy table has one row per
 * member × metric, a rerun computes nothing and one more value computes only the new members and
 * the aggregate; a test-side change reruns no training; the committed sweep files run by name; bad
 * sweeps are refused before anything runs.
 */
import { spawnSync } from "node:child_process"
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { it as effectIt } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { assert, describe, it } from "vitest"
import { estimation } from "../../pipelines/experiments.js"
import { registry } from "../../pipelines/index.js"
import { tempDir as engineTempDir, plan, planSweep } from "../engine/helpers.js"
import { cliEnv, pipeline, type RunJson, runJson, tempDir } from "../helpers/cli.js"

const small = ["trainTrials=2", "testTrials=1", "trialSeconds=5", "switchSeconds=1"]
const sets = small.flatMap((s) => ["--set", s])
const status = (r: RunJson) => Object.fromEntries(r.stages.map((s) => [s.name, s.status]))
const ran = (r: RunJson) =>
  r.stages
    .filter((s) => s.status !== "cached")
    .map((s) => s.name)
    .sort()

/** The rows of a CSV whose fields hold no line breaks (quoted fields with commas are kept whole). */
const parseCsv = (text: string) =>
  text
    .trimEnd()
    .split("\n")
    .map((line) =>
      line
        .match(/("([^"]|"")*"|[^,]*)(,|$)/g)!
        .slice(0, -1)
        .map((f) => f.replace(/,$/, "").replace(/^"|"$/g, ""))
    )

describe("sweeps of the estimation experiment", () => {
  it("a 2 × 2 × 3 sweep: 12 members, a tidy table, reruns nothing, grows by the new members only", {
    timeout: 300_000
  }, async () => {
    const env = cliEnv(tempDir("sweep"))
    const axes = ["--sweep", "sigma=0.1,0.2", "--sweep", "rule=three-factor,decoder-only", "--sweep", "seed=1..3"]
    const first = await pipeline(["run", "estimation", ...sets, ...axes, "--json"], env)
    assert.strictEqual(first.status, 0, first.stderr)
    const report = runJson(first)
    assert.strictEqual(report.stages.filter((s) => s.name.startsWith("metrics[")).length, 12)
    // The stimuli read neither σ nor the rule: one sample-inputs per seed.
    assert.deepStrictEqual(
      report.stages.filter((s) => s.name.startsWith("sample-inputs")).map((s) => s.name),
      ["sample-inputs[seed=1]", "sample-inputs[seed=2]", "sample-inputs[seed=3]"]
    )
    const folder = readdirSync(join(env.PIPELINE_OUT!, "estimation", "sweeps"))
    assert.lengthOf(folder, 1)
    const csv = parseCsv(
      readFileSync(join(env.PIPELINE_OUT!, "estimation", "sweeps", folder[0]!, "latest", "results.csv"), "utf8")
    )
    const header = csv[0]!
    for (const column of ["member", "sigma", "rule", "seed", "trainTrials", "metric", "value"]) {
      assert.include(header, column)
    }
    const metric = header.indexOf("metric")
    const byMetric = new Map<string, number>()
    for (const row of csv.slice(1)) byMetric.set(row[metric]!, (byMetric.get(row[metric]!) ?? 0) + 1)
    for (const name of ["testMse", "priorWeightedMse", "finalObjective"])
      assert.strictEqual(byMetric.get(name), 12, name)
    // Where pandas and R are installed (python3-pandas, r-base-core), they load it as it is.
    const csvPath = join(env.PIPELINE_OUT!, "estimation", "sweeps", folder[0]!, "latest", "results.csv")
    // Debian's python3 (where python3-pandas installs) before whatever python3 is first on PATH.
    const python = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3"
    const pandas = spawnSync(
      python,
      [
        "-c",
        `import pandas as pd; d = pd.read_csv(${JSON.stringify(csvPath)}); t = d[d.metric == "testMse"]; print(len(t), d.annealed.dtype, d.value.dtype, d.seed.dtype)`
      ],
      { encoding: "utf8" }
    )
    if (pandas.status === 0) assert.strictEqual(pandas.stdout.trim(), "12 bool float64 int64")
    else process.stderr.write("sweeps.test: pandas is not installed; results.csv not loaded in pandas\n")
    const r = spawnSync(
      "Rscript",
      [
        "-e",
        `d <- read.csv(${JSON.stringify(csvPath)}); cat(sum(d$metric == "testMse"), class(d$annealed), class(d$value), class(d$seed))`
      ],
      { encoding: "utf8" }
    )
    if (r.status === 0) assert.strictEqual(r.stdout.trim(), "12 logical numeric integer")
    else process.stderr.write("sweeps.test: R is not installed; results.csv not loaded in R\n")
    const html = readFileSync(
      join(env.PIPELINE_OUT!, "estimation", "sweeps", folder[0]!, "latest", "report.html"),
      "utf8"
    )
    assert.include(html, "95%")
    assert.include(html, "This run") // the run record, filled in when published

    // Nothing to compute the second time.
    const again = runJson(await pipeline(["run", "estimation", ...sets, ...axes, "--json"], env))
    assert.deepStrictEqual(ran(again), [])
    // A fourth seed: its three shared nodes, its four members, and the aggregate.
    const grown = runJson(
      await pipeline(["run", "estimation", ...sets, ...axes.slice(0, 4), "--sweep", "seed=1..4", "--json"], env)
    )
    const fresh = ran(grown)
    assert.include(fresh, "aggregate")
    for (const name of fresh.filter((n) => n !== "aggregate")) assert.match(name, /seed=4\]$/, name)
    assert.strictEqual(fresh.filter((n) => n.startsWith("metrics[")).length, 4)
    // The table in the terminal.
    const shown = await pipeline(["show", "estimation", "aggregate", ...sets, ...axes], env)
    assert.strictEqual(shown.status, 0, shown.stderr)
    assert.match(shown.stdout, /sigma\s+rule\s+n\s+testMse/)
    assert.match(shown.stdout, /0\.1\s+three-factor\s+3\s/)
    // --last names the last sweep (the 4-seed one).
    const last = await pipeline(["show", "estimation", "aggregate", "--last"], env)
    assert.strictEqual(last.status, 0, last.stderr)
    assert.match(last.stdout, /0\.1\s+three-factor\s+4\s/)
  })

  effectIt.effect("every member's stages have the keys of the single run with its params", () =>
    Effect.gen(function* () {
      const cache = engineTempDir("keys")
      const sweep = yield* planSweep(
        registry,
        estimation,
        small,
        ["sigma=0.1,0.2", "rule=three-factor,decoder-only", "seed=1..3"],
        cache
      )
      const byName = new Map(sweep.nodes.map((n) => [n.name, n.key]))
      let compared = 0
      for (const sigma of ["0.1", "0.2"]) {
        for (const rule of ["three-factor", "decoder-only"]) {
          for (const seed of ["1", "2", "3"]) {
            const single = yield* plan(estimation, [...small, `sigma=${sigma}`, `rule=${rule}`, `seed=${seed}`], cache)
            for (const node of single.nodes) {
              // A member runs up to its metrics.
              if (node.name === "plot" || node.name === "report" || node.name.startsWith("figure-")) continue
              const shared = [...byName.keys()].filter((n) => n.startsWith(`${node.name}[`) || n === node.name)
              const mine = shared.filter((n) => {
                const pairs = /\[(.*)\]$/.exec(n)?.[1]?.split(",") ?? []
                return pairs.every((p) => [`sigma=${sigma}`, `rule=${rule}`, `seed=${seed}`].includes(p))
              })
              assert.lengthOf(mine, 1, `${node.name} of sigma=${sigma},rule=${rule},seed=${seed}: ${mine}`)
              assert.strictEqual(byName.get(mine[0]!), node.key, mine[0])
              compared++
            }
          }
        }
      }
      assert.strictEqual(compared, 12 * 9)
    })
  )

  it("after a run, a test-side change reruns the tests and what follows, never a training", {
    timeout: 300_000
  }, async () => {
    const env = cliEnv(tempDir("testside"))
    assert.strictEqual((await pipeline(["run", "estimation", ...sets], env)).status, 0)
    for (const change of ["testTrials=2", "switchSeconds=2.5"]) {
      const r = runJson(await pipeline(["run", "estimation", ...sets, "--set", change, "--json"], env))
      const figures = r.stages.filter((st) => st.name.startsWith("figure-")).map((st) => st.name)
      assert.isAtLeast(figures.length, 20)
      assert.deepStrictEqual(
        ran(r),
        [
          "analyze",
          "analyze-initial",
          "metrics",
          "plot",
          "report",
          "test",
          "test-initial",
          "test-schedule",
          ...figures
        ].sort(),
        change
      )
      assert.strictEqual(status(r)["train"], "cached")
      assert.strictEqual(status(r)["sample-inputs"], "cached")
    }
  })

  it("a κ sweep: each member's prior-weighted error weighs by its own κ", { timeout: 300_000 }, async () => {
    const env = cliEnv(tempDir("kappa"))
    const r = await pipeline(["run", "estimation", ...sets, "--sweep", "kappa=0.75,2", "--json"], env)
    assert.strictEqual(r.status, 0, r.stderr)
    const weighted: Array<number> = []
    for (const kappa of [0.75, 2]) {
      // The member is the single run with that κ: `show` of the single run finds its entry.
      const shown = await pipeline(["show", "estimation", "analyze", ...sets, "--set", `kappa=${kappa}`, "--json"], env)
      assert.strictEqual(shown.status, 0, shown.stderr)
      const { result } = JSON.parse(shown.stdout) as {
        result: { priorWeightedMse: number; mseByAngle: Array<{ angle: number; mse: number }> }
      }
      // Σ_a mse_a·exp(κ cos a) / Σ_a exp(κ cos a): the von Mises(0, κ) weights of the test angles.
      const w = result.mseByAngle.map((e) => Math.exp(kappa * Math.cos(e.angle)))
      const expected = result.mseByAngle.reduce((acc, e, k) => acc + e.mse * w[k]!, 0) / w.reduce((a, b) => a + b, 0)
      assert.closeTo(result.priorWeightedMse, expected, 1e-12, `κ = ${kappa}`)
      weighted.push(result.priorWeightedMse)
    }
    assert.notStrictEqual(weighted[0], weighted[1])
  })

  it("runs a committed sweep file by name", { timeout: 300_000 }, async () => {
    const env = cliEnv(tempDir("named"))
    const listed = JSON.parse((await pipeline(["list", "--json"], env)).stdout) as {
      sweeps: Array<{ name: string; pipeline: string; members: number }>
    }
    assert.deepInclude(
      listed.sweeps.map((s) => [s.name, s.pipeline, s.members]),
      ["noise-sweep", "estimation", 10]
    )
    const r = await pipeline(["run", "compare-rules", ...sets, "--json"], env)
    assert.strictEqual(r.status, 0, r.stderr)
    const report = runJson(r)
    // One network and one set of stimuli for every rule: the comparison is fair.
    assert.deepStrictEqual(
      report.stages.filter((s) => /^(init|sample-inputs)/.test(s.name)).map((s) => s.name),
      ["init", "sample-inputs"]
    )
    assert.strictEqual(report.stages.filter((s) => s.name.startsWith("train[")).length, 5)
    assert.isTrue(existsSync(join(env.PIPELINE_OUT!, "compare-rules", "latest", "report.html")))
    // Filed under its own name (#20 item 3): --last, runs, show and status find it.
    const runs = await pipeline(["runs", "compare-rules"], env)
    assert.strictEqual(runs.status, 0, runs.stderr)
    assert.match(runs.stdout, /^compare-rules \(sweep of estimation\): 1 run/m)
    const status = await pipeline(["status", "compare-rules", "--last"], env)
    assert.strictEqual(status.status, 0, status.stderr)
    assert.match(status.stdout, /^ {2}aggregate +fresh/m)
    const shown = await pipeline(["show", "compare-rules", "aggregate", "--last"], env)
    assert.strictEqual(shown.status, 0, shown.stderr)
    assert.include(shown.stdout, "summary:")
  })
})

describe("bad sweeps are refused before anything runs", () => {
  for (const [what, args, message] of [
    [
      "an unknown key",
      ["--sweep", "sigmaa=0.1,0.2"],
      /sigmaa: is not a param \(did you mean sigma\?\); valid params: .*sigma/
    ],
    [
      "a value the schema refuses",
      ["--sweep", "sigma=0.1,-1"],
      /member sigma=-1.*sigma: Expected a non-negative number/s
    ],
    ["an empty list", ["--sweep", "sigma="], /sigma: an empty value/],
    ["a descending range", ["--sweep", "seed=8..1"], /the range 8\.\.1 is empty/],
    ["a repeated value", ["--sweep", "rule=decoder-only,decoder-only"], /listed twice/],
    ["a key both fixed and swept", ["--set", "sigma=0.3", "--sweep", "sigma=0.1,0.2"], /both fixed .* and swept/],
    ["a grid over 10 000 members", ["--sweep", "seed=1..10001"], /10001 members .* --yes/]
  ] as const) {
    it(`${what}`, { timeout: 120_000 }, async () => {
      const cache = tempDir("bad")
      const r = await pipeline(["run", "estimation", ...sets, ...args], cliEnv(cache))
      assert.strictEqual(r.status, 2, r.stdout)
      assert.match(r.stderr, message)
      assert.isFalse(
        existsSync(cache) && readdirSync(cache).some((n) => /^[0-9a-f]{64}$/.test(n) || n === ".runs"),
        "nothing was written"
      )
    })
  }
})
