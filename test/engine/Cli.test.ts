import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { assert, describe } from "vitest"
import { slow } from "./fixtures/pipelines.js"
import { cli, plan, run, startCli, tempDir } from "./helpers.js"

const slowSets = ["trials=14", "length=300", "sleepMs=150"]
const setArgs = (sets: ReadonlyArray<string>) => sets.flatMap((s) => ["--set", s])

/** Waits until the stage's checkpoint holds at least `n` trials. */
const waitForCheckpoint = (cache: string, key: string, n: number) =>
  Effect.gen(function* () {
    const dir = join(cache, ".checkpoints", key)
    for (let i = 0; i < 600; i++) {
      const names = existsSync(dir) ? readdirSync(dir).filter((x) => x.startsWith("ckpt-")) : []
      if (names.some((x) => Number(x.slice(5)) >= n)) return
      yield* Effect.sleep("25 millis")
    }
    assert.fail("no checkpoint appeared")
  })

const parse = (stdout: string) =>
  JSON.parse(stdout) as {
    pipeline: string
    stages: Array<{ name: string; key: string; status: string; seconds: number; outputDigest: string }>
  }

describe("pipeline CLI", () => {
  it.live("--set with a bad value or key exits non-zero with the param's path and writes nothing", () =>
    Effect.gen(function* () {
      const cache = join(tempDir("cli"), "cache")
      const r = yield* Effect.promise(() =>
        cli(["run", "toy", "--cache", cache, "--set", "n=2.5", "--set", "bogus=1", "--set", "nested.depth=deep"])
      )
      assert.strictEqual(r.code, 2)
      assert.include(r.stderr, "n: Expected an integer, actual 2.5")
      assert.include(r.stderr, "bogus: is not a param; valid params: n, offset")
      assert.include(r.stderr, 'nested.depth: Expected number, actual "deep"')
      assert.strictEqual(r.stdout, "")
      assert.isFalse(existsSync(cache), "nothing was written")
    })
  )

  it.live("an unknown pipeline lists the valid names", () =>
    Effect.gen(function* () {
      const r = yield* Effect.promise(() => cli(["status", "estimaton"]))
      assert.strictEqual(r.code, 2)
      assert.include(
        r.stderr,
        'There is no pipeline named "estimaton". Valid pipelines: toy, toy-b, toy-quick, slow, mixed'
      )
    })
  )

  it.live("kill -9 mid-stage leaves no visible entry, and the rerun resumes bit-identically", () =>
    Effect.gen(function* () {
      const refCache = tempDir("ref")
      const reference = yield* run(slow, slowSets, refCache)
      const key = reference.plan.nodes[0]!.key
      const cache = tempDir("kill")
      const { child, done } = startCli(["run", "slow", "--cache", cache, "--json", ...setArgs(slowSets)])
      yield* waitForCheckpoint(cache, key, 3)
      child.kill("SIGKILL")
      const killed = yield* Effect.promise(() => done)
      assert.strictEqual(killed.signal, "SIGKILL")
      assert.isFalse(existsSync(join(cache, key)), "no visible entry")
      const rerun = yield* Effect.promise(() => cli(["run", "slow", "--cache", cache, "--json", ...setArgs(slowSets)]))
      assert.strictEqual(rerun.code, 0, rerun.stderr)
      const stage = parse(rerun.stdout).stages[0]!
      assert.strictEqual(stage.key, key, "the CLI and the in-process plan agree on the key")
      assert.strictEqual(stage.status, "resumed")
      assert.strictEqual(stage.outputDigest, reference.report.stages[0]!.outputDigest)
      assert.strictEqual(
        readFileSync(join(cache, key, "artifacts", "walks.npy")).toString("hex"),
        readFileSync(join(refCache, key, "artifacts", "walks.npy")).toString("hex")
      )
    })
  )

  it.live("SIGINT stops at a clean point, saves the checkpoint and exits non-zero; the rerun resumes", () =>
    Effect.gen(function* () {
      const cache = tempDir("sigint")
      const p = yield* plan(slow, slowSets, cache)
      const key = p.nodes[0]!.key
      const { child, done } = startCli(["run", "slow", "--cache", cache, ...setArgs(slowSets)], {
        PIPELINE_CHECKPOINT_SECONDS: "3600"
      })
      // With an hour between checkpoint writes only the first trial is written as it happens;
      // the rest must be flushed by the interrupt.
      yield* waitForCheckpoint(cache, key, 1)
      yield* Effect.sleep("700 millis")
      child.kill("SIGINT")
      const r = yield* Effect.promise(() => done)
      assert.notStrictEqual(r.code, 0)
      assert.include(r.stderr, "interrupted")
      assert.isFalse(existsSync(join(cache, key)))
      const names = readdirSync(join(cache, ".checkpoints", key)).filter((x) => x.startsWith("ckpt-"))
      assert.strictEqual(names.length, 1)
      const state = JSON.parse(readFileSync(join(cache, ".checkpoints", key, names[0]!, "state.json"), "utf8"))
      assert.isAbove(state.next, 1, "the interrupt flushed the latest trial's checkpoint")
      assert.isFalse(existsSync(join(cache, ".locks", `${key}.lock`)), "the lock was released")
      // The run record says so (not "running").
      const runs = yield* Effect.promise(() => cli(["runs", "--cache", cache, "--json"]))
      assert.deepStrictEqual(
        (JSON.parse(runs.stdout) as { runs: Array<{ status: string }> }).runs.map((r) => r.status),
        ["interrupted"]
      )
      const rerun = yield* Effect.promise(() => cli(["run", "slow", "--cache", cache, "--json", ...setArgs(slowSets)]))
      assert.strictEqual(parse(rerun.stdout).stages[0]!.status, "resumed")
    })
  )

  it.live("two concurrent runs on one cache compute each stage once", () =>
    Effect.gen(function* () {
      const cache = tempDir("concurrent")
      const log = join(cache, "computed.log")
      writeFileSync(log, "")
      const a = startCli(["run", "mixed", "--cache", cache, "--json"], { TOY_LOG: log })
      const b = startCli(["run", "mixed", "--cache", cache, "--json"], { TOY_LOG: log })
      const [ra, rb] = yield* Effect.promise(() => Promise.all([a.done, b.done]))
      assert.strictEqual(ra.code, 0, ra.stderr)
      assert.strictEqual(rb.code, 0, rb.stderr)
      const lines = readFileSync(log, "utf8").trim().split("\n")
      assert.strictEqual(lines.length, 5, `each of the 5 stages computed once:\n${lines.join("\n")}`)
      assert.strictEqual(new Set(lines).size, 5)
      const sa = parse(ra.stdout).stages
      const sb = parse(rb.stdout).stages
      for (let i = 0; i < sa.length; i++) {
        const statuses = [sa[i]!.status, sb[i]!.status].sort()
        assert.deepStrictEqual(statuses, ["cached", "ran"], sa[i]!.name)
        assert.strictEqual(sa[i]!.outputDigest, sb[i]!.outputDigest)
      }
    })
  )

  it.live("list, dag, status, show and gc", () =>
    Effect.gen(function* () {
      const cache = tempDir("inspect")
      const out = tempDir("out")
      const env = { PIPELINE_OUT: out }
      const list = yield* Effect.promise(() => cli(["list", "--json"]))
      const toyEntry = JSON.parse(list.stdout).pipelines.find((p: { name: string }) => p.name === "toy")
      assert.deepStrictEqual(toyEntry.stages, ["source", "scale", "sum", "other"])

      const dot = yield* Effect.promise(() => cli(["dag", "toy", "--format", "dot"]))
      assert.include(dot.stdout, '"scale" -> "sum" [label="scaled"];')
      const mermaid = yield* Effect.promise(() => cli(["dag", "toy", "--format", "mermaid"]))
      assert.include(mermaid.stdout, "source -->|values| scale")

      yield* Effect.promise(() => cli(["run", "toy", "--cache", cache, "--set", "n=5"], env))
      const ran = yield* Effect.promise(() => cli(["run", "toy", "--cache", cache], env))
      assert.match(ran.stdout, new RegExp(`${out}/toy/[^/]+/report\\.txt`))
      assert.strictEqual(readFileSync(join(out, "toy", "latest", "report.txt"), "utf8").slice(0, 4), "sum ")

      const status = yield* Effect.promise(() => cli(["status", "toy", "--cache", cache, "--set", "n=4", "--json"]))
      const states = JSON.parse(status.stdout).stages as Array<{ name: string; state: string; reasons: Array<string> }>
      assert.deepStrictEqual(
        states.map((s) => s.state),
        ["stale", "stale", "stale", "fresh"]
      )
      assert.include(states[0]!.reasons, "param n changed from 8 to 4")

      const show = yield* Effect.promise(() => cli(["show", "toy", "scale", "--cache", cache, "--json"]))
      const shown = JSON.parse(show.stdout)
      assert.strictEqual(shown.manifest.stage, "scale")
      assert.strictEqual(shown.result.scaler, "A")
      assert.isTrue(existsSync(shown.artifacts["scaled.npy"]))
      const missing = yield* Effect.promise(() => cli(["show", "toy", "nosuch", "--cache", cache]))
      assert.strictEqual(missing.code, 2)
      assert.include(missing.stderr, "Valid stages: source, scale, sum, other")

      // The n=5 entries of source, scale and sum are reached by no pipeline's defaults, only by the
      // older of the two recorded runs: the default keeps recent runs, --keep-runs 1 only the last.
      const before = readdirSync(cache).filter((n) => /^[0-9a-f]{64}$/.test(n)).length
      const kept = JSON.parse(
        (yield* Effect.promise(() => cli(["gc", "--cache", cache, "--dry-run", "--json"]))).stdout
      )
      assert.strictEqual(kept.removed.filter((r: string) => /\/[0-9a-f]{64}$/.test(r)).length, 0, JSON.stringify(kept))
      const dry = JSON.parse(
        (yield* Effect.promise(() => cli(["gc", "--cache", cache, "--keep-runs", "1", "--dry-run", "--json"]))).stdout
      )
      assert.strictEqual(dry.removed.filter((r: string) => /\/[0-9a-f]{64}$/.test(r)).length, 3, JSON.stringify(dry))
      assert.strictEqual(readdirSync(cache).filter((n) => /^[0-9a-f]{64}$/.test(n)).length, before)
      yield* Effect.promise(() => cli(["gc", "--cache", cache, "--keep-runs", "1", "--yes"]))
      assert.strictEqual(readdirSync(cache).filter((n) => /^[0-9a-f]{64}$/.test(n)).length, before - 3)
      const againRun = yield* Effect.promise(() => cli(["run", "toy", "--cache", cache, "--json"], env))
      assert.include(againRun.stderr, "served from the warm-run memo")
      const again = parse(againRun.stdout)
      assert.isTrue(
        again.stages.every((s) => s.status === "cached"),
        JSON.stringify({ again, dry })
      )
    })
  )
})
