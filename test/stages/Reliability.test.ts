/**
 * Issue #22's rows that a user meets through the `pipeline` command (F1–F5, F11 and the "Also"
 * line), each re-tried as the issue tried it: what used to hang, publish `null` or echo 400 MB is
 * refused up front with the bound and its reason, or fails the stage naming the stage, trial and
 * quantity; a signal stops a long stage loop at once, and the message says what was saved only if
 * something was. A child that hangs is killed after its timeout and fails its case.
 */
import { spawn } from "node:child_process"
import { once } from "node:events"
import { createWriteStream, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, assert, beforeAll, describe, it } from "vitest"
import { BOUNDS } from "../../src/model/params.js"
import { bin, type CliRun, cliEnv, pipeline, repoRoot, tempDir } from "../helpers/cli.js"

const dir = tempDir("reliability")
const pretrained = JSON.parse(readFileSync(join(repoRoot, "pretrained", "estimation.json"), "utf8")) as Record<
  string,
  unknown
> & { N: number; weights: Array<Array<number>>; biases: Array<number> }

/** Writes a network file and returns its path. */
const netFile = (name: string, content: unknown) => {
  const file = join(dir, `${name}.json`)
  writeFileSync(file, JSON.stringify(content))
  return file
}

const small = ["--set", "testTrials=1", "--set", "trialSeconds=20", "--set", "trainTrials=1"]

/** A network file of N = 40 with a 200 MB string (a provenance note), under the size limit of N = 2000. */
const hugeStringFile = join(dir, "huge-string.json")
const HUGE = 200 * 1e6

beforeAll(async () => {
  const out = createWriteStream(hugeStringFile)
  out.write(`${JSON.stringify({ ...pretrained, provenance: undefined }).slice(0, -1)},"provenance":{"note":"`)
  const chunk = "x".repeat(1 << 20)
  let written = 0
  while (written + chunk.length <= HUGE) {
    if (!out.write(chunk)) await once(out, "drain")
    written += chunk.length
  }
  out.end(`${"x".repeat(HUGE - written)}"}}`)
  await once(out, "finish")
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Runs `pipeline ARGS…` on a fresh cache with a 60 s timeout. */
const run = async (args: ReadonlyArray<string>, env: Record<string, string> = {}) => {
  const cache = join(tempDir("reliability-cache"), "cache")
  return { cache, r: await pipeline(args, cliEnv(cache, env), { timeoutMs: 60_000 }) }
}

/**
 * Refused: exit `code` within the timeout (2: the command line is wrong, a bad param or setting;
 * 1: a refused run), saying each of `says`, no stack trace, nothing in the cache but the parse memo.
 */
const assertRefused = (
  name: string,
  { cache, r }: { cache: string; r: CliRun },
  says: ReadonlyArray<string | RegExp>,
  code = 2
) => {
  const context = `${name}: exit ${r.status} in ${r.ms.toFixed(0)} ms\n${r.stderr.slice(0, 4000)}`
  assert.isFalse(r.timedOut, `${name} hung (killed after 60 s)`)
  assert.strictEqual(r.status, code, context)
  for (const s of says) {
    if (typeof s === "string") assert.include(r.stderr, s, context)
    else assert.match(r.stderr, s, context)
  }
  assert.notMatch(r.stderr, /^\s+at /m, `${context}\n(no stack trace)`)
  const written = existsSync(cache) ? readdirSync(cache).filter((n) => n !== ".fingerprints.json") : []
  assert.deepStrictEqual(written, [], `${name}: nothing was written to the cache`)
}

describe("issue #22's rows through the pipeline command", () => {
  it("F1, F2: κ, σ, input noise and the transient beyond their numerical bounds are refused up front, with the reason", async () => {
    const cases: Array<[string, ReadonlyArray<string>, ReadonlyArray<string>]> = [
      ["F1 kappa=1e308", ["--set", "kappa=1e308"], [`kappa: must be at most ${BOUNDS.kappa.max} (`, "actual 1e+308"]],
      ["F1 kappa=1e20", ["--set", "kappa=1e20"], [`kappa: must be at most ${BOUNDS.kappa.max}`, "I₀(κ)"]],
      ["F2 sigma=1e308", ["--set", "sigma=1e308"], [`sigma: must be at most ${BOUNDS.sigma.max} (`, "quirk 14"]],
      ["inputNoise=1e9", ["--set", "inputNoise=1e9"], [`inputNoise: must be at most ${BOUNDS.inputNoise.max}`]],
      [
        "transientSeconds=1e300",
        ["--set", "transientSeconds=1e300"],
        [`transientSeconds: must be at most ${BOUNDS.transientSeconds.max}`]
      ]
    ]
    const results = await Promise.all(cases.map(([, sets]) => run(["run", "estimation", ...small, ...sets])))
    for (const [i, [name, , says]] of cases.entries()) assertRefused(name, results[i]!, says)
  })

  it("F4: a 200 MB string in a network file under its size limit is refused by name, not echoed", async () => {
    const { r, cache } = await run([
      "run",
      "estimation",
      ...small,
      "--set",
      "N=2000",
      "--set",
      `pretrainedPath=${hugeStringFile}`
    ])
    console.log(`F4: 200 MB string field refused in ${r.ms.toFixed(0)} ms, ${r.stderr.length} bytes of stderr`)
    assertRefused("F4", { r, cache }, [hugeStringFile, `provenance.note: is a string of ${HUGE} characters`])
    assert.isBelow(r.stderr.length, 4000, "the value is not echoed")
  })

  it("F5: network values beyond the bound are refused; within it, values that drive a rate to overflow fail the test stage by name", async () => {
    const bias30 = netFile("bias-30", { ...pretrained, biases: pretrained.biases.map((b, i) => (i === 3 ? 30 : b)) })
    const at1e4 = netFile("at-1e4", { ...pretrained, biases: pretrained.biases.map((b, i) => (i === 0 ? 1e4 : b)) })
    const ones = netFile("weights-1", { ...pretrained, weights: pretrained.weights.map((row) => row.map(() => 1)) })
    const [a, b, c] = await Promise.all([
      run(["run", "estimation", ...small, "--set", `pretrainedPath=${bias30}`]),
      run(["run", "estimation", ...small, "--set", `pretrainedPath=${at1e4}`]),
      run(["run", "estimation", ...small, "--set", `pretrainedPath=${ones}`, "--json"])
    ])
    assertRefused("bias 30", a!, [
      bias30,
      `biases.3: expected a finite number within ±${BOUNDS.networkValue.max}`,
      "actual 30"
    ])
    assertRefused("bias 1e4", b!, [at1e4, "biases.0: expected a finite number within", "actual 10000"])
    // All weights 1 (within ±20): the rates grow until the softplus inverse overflows (quirk 14).
    const context = `${c!.r.stderr.slice(0, 4000)}`
    assert.isFalse(c!.r.timedOut, "hung")
    assert.strictEqual(c!.r.status, 1, context)
    assert.match(
      c!.r.stderr,
      /Stage "test" failed .*test: the (outputs|rates|objective) of trial 0 became -?(Infinity|NaN)/,
      context
    )
    assert.notMatch(c!.r.stderr, /^\s+at /m, `${context}\n(no stack trace)`)
    assert.strictEqual(c!.r.stdout, "", "no report: nothing was published")
  })

  it("F3: a cache where no folder can be made fails at once naming it", async () => {
    const { r } = await run(["run", "estimation", ...small, "--force"], { PIPELINE_CACHE: "/proc/rtcache" })
    assert.isFalse(r.timedOut, "hung")
    assert.strictEqual(r.status, 1, r.stderr)
    assert.include(r.stderr, "/proc/rtcache")
    assert.include(r.stderr, "choose another folder")
  })

  it("F3, F11: SIGINT or SIGTERM during sample-inputs stops it at once; the message says nothing was saved", async () => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      const cache = join(tempDir("reliability-signal"), "cache")
      // 30 000 trials: sample-inputs alone would take minutes.
      const child = spawn(process.execPath, [bin, "run", "estimation", "--set", "trainTrials=30000"], {
        env: cliEnv(cache),
        stdio: ["ignore", "pipe", "pipe"]
      })
      let stderr = ""
      child.stderr.on("data", (d) => (stderr += String(d)))
      child.stdout.resume()
      const exited = new Promise<number | null>((res) => child.on("exit", (code) => res(code)))
      const t0 = Date.now()
      while (!/sample-inputs\] \d+\/30000/.test(stderr) && Date.now() - t0 < 60_000) {
        await new Promise((res) => setTimeout(res, 50))
      }
      const sent = performance.now()
      child.kill(signal)
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000)
      const code = await exited
      clearTimeout(timer)
      const ms = performance.now() - sent
      const done = Math.max(0, ...[...stderr.matchAll(/sample-inputs\] (\d+)\/30000/g)].map((m) => Number(m[1])))
      console.log(
        `F11: ${signal} during sample-inputs: exit ${code} ${ms.toFixed(0)} ms after the signal, at trial ${done}/30000`
      )
      assert.strictEqual(code, 130, stderr)
      assert.isBelow(done, 30_000, "the loop did not run to its end")
      assert.include(stderr, "no checkpoint was saved")
      assert.notInclude(stderr, "checkpoints were saved")
    }
  })

  it("Also: a run prints its estimated CPU time; a 100 000-trial run is refused without --force, with the numbers", async () => {
    const [dry, long] = await Promise.all([
      run(["run", "estimation", "--dry-run"]),
      run(["run", "estimation", "--set", "trainTrials=100000"])
    ])
    assert.strictEqual(dry.r.status, 0, dry.r.stderr)
    // 260 trials × 100 000 steps × 3.1 µs and two tests of 100 × 100 000 × 2.1 µs (stages/cpuCost.ts).
    assert.match(
      dry.r.stderr,
      /⏱ about 2 min of CPU time on one core to compute \d+ stages \(train 81 s, test 21 s, test-initial 21 s\)/
    )
    assertRefused(
      "trainTrials=100000",
      long,
      [
        /its \d+ new stages need about 8 h \d\d min of CPU time on one core \(train 8 h \d\d min/,
        "the limit is 4 h 00 min: run fewer trials, neurons or members, or raise PIPELINE_MAX_CPU_HOURS",
        "--force"
      ],
      1
    )
  })

  it("Also: an integer a double cannot hold, settings beyond their bounds and a 10⁶-member grid are refused by name", async () => {
    const cases: Array<[string, ReadonlyArray<string>, Record<string, string>, ReadonlyArray<string>]> = [
      [
        "seed=9007199254740993",
        ["run", "estimation", "--set", "seed=9007199254740993"],
        {},
        ["seed: 9007199254740993 is beyond the integers a number holds exactly", "it would be read as 9007199254740992"]
      ],
      [
        "PIPELINE_LOCK_STALE_MS=1e9",
        ["run", "estimation", ...small],
        { PIPELINE_LOCK_STALE_MS: "1000000000" },
        ["PIPELINE_LOCK_STALE_MS", "from 2000 to 3600000"]
      ],
      [
        "PIPELINE_CHECKPOINT_SECONDS=1e308",
        ["run", "estimation", ...small],
        { PIPELINE_CHECKPOINT_SECONDS: "1e308" },
        ["PIPELINE_CHECKPOINT_SECONDS", "from 0 to 3600"]
      ],
      [
        "a 10⁶-member grid with --yes",
        ["run", "estimation", "--sweep", "seed=1..1000", "--sweep", "N=1..1000", "--yes"],
        {},
        ["the grid has 1000000 members; at most 100000 can be planned"]
      ]
    ]
    const results = await Promise.all(cases.map(([, args, env]) => run(args, env)))
    for (const [i, [name, , , says]] of cases.entries()) assertRefused(name, results[i]!, says)
  })
})
