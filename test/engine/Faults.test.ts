/**
 * The engine half of issue #13's fault campaign, on the toy pipelines and their CLI, compiled
 * (`compiledCli.ts`: the same stage keys as the in-process runs, so each can resume the other),
 * CI-sized:
 *
 * - kill -9 at seeded random points of a small checkpointed training: every rerun gives the
 *   uninterrupted run's output digest, and no entry is corrupt (none was ever served or kept);
 * - every side file truncated, emptied and bit-flipped: the next command succeeds, with a one-line
 *   warning, and the result is right;
 * - four concurrent runs on one cache compute each stage once; kill -9 of the one computing leaves
 *   no lock behind, and the others finish;
 * - gc while a killed `--set` run's checkpoint waits to be resumed, and while a stage runs: neither
 *   is lost.
 *
 * Seeded choices print their seed (`FAULT_SEED=… npx vitest run test/engine/Faults.test.ts` to
 * replay one), and every test prints its figures.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import * as NodeContext from "@effect/platform-node/NodeContext"
import { it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Logger from "effect/Logger"
import * as Option from "effect/Option"
import seedrandom from "seedrandom"
import { assert, describe } from "vitest"
import * as Cache from "../../src/engine/Cache.js"
import * as Fingerprint from "../../src/engine/Fingerprint.js"
import * as WorkerPool from "../../src/engine/WorkerPool.js"
import { compiledCli, startCompiledCli } from "./compiledCli.js"
import { slow } from "./fixtures/pipelines.js"
import { plan, run, tempDir } from "./helpers.js"

const SEED = Number(process.env["FAULT_SEED"] ?? 13_2026)
const setArgs = (sets: ReadonlyArray<string>) => sets.flatMap((s) => ["--set", s])

interface RunJson {
  readonly stages: ReadonlyArray<{ name: string; key: string; status: string; outputDigest: string }>
}
const parse = (stdout: string) => JSON.parse(stdout) as RunJson

/** Polls `predicate` every 10 ms for at most `ms`; false when it never held. */
const until = (predicate: () => boolean, ms = 60_000) =>
  Effect.promise(async () => {
    const t0 = Date.now()
    while (!predicate()) {
      if (Date.now() - t0 > ms) return false
      await new Promise((r) => setTimeout(r, 10))
    }
    return true
  })

/**
 * Polls `predicate` every 10 ms until it holds (true) or the child exits first (false). No time
 * limit of its own: a loaded machine may take long to start a process; the test's timeout bounds it.
 */
const untilOrExit = (
  predicate: () => boolean,
  child: { readonly exitCode: number | null; readonly signalCode: string | null }
) =>
  Effect.promise(async () => {
    while (!predicate()) {
      if (child.exitCode !== null || child.signalCode !== null) return predicate()
      await new Promise((r) => setTimeout(r, 10))
    }
    return true
  })

/** Every entry of a cache hashed in full: how many there are and how many fail. */
const deepCheck = (cacheDir: string) =>
  Effect.gen(function* () {
    const cache = yield* Cache.Cache
    const keys = yield* cache.keys
    let corrupt = 0
    for (const key of keys) {
      const verified = yield* Effect.either(cache.verify(key, { deep: true }))
      if (Either.isLeft(verified) || Option.isNone(verified.right)) corrupt += 1
    }
    return { entries: keys.length, corrupt }
  }).pipe(Effect.provide(Cache.layer({ dir: cacheDir })), Effect.provide(NodeContext.layer))

/** The checkpoint folders of a key (`ckpt-<n>`). */
const checkpointsOf = (cache: string, key: string) => {
  const dir = join(cache, ".checkpoints", key)
  return existsSync(dir) ? readdirSync(dir).filter((n) => n.startsWith("ckpt-")) : []
}

/**
 * Lock folders left in a cache (`<key>.lock`; a `.released` folder is a lock already released, whose
 * removal a kill interrupted: it locks nothing).
 */
const locksIn = (cache: string) =>
  existsSync(join(cache, ".locks")) ? readdirSync(join(cache, ".locks")).filter((n) => n.endsWith(".lock")) : []

describe("kill -9 at random points of a checkpointed training", () => {
  it.scopedLive(
    "20 seeded points: every rerun resumes to the uninterrupted digest, no corrupt entry",
    () =>
      Effect.gen(function* () {
        // One pool for every rerun in this process (its worker threads start once).
        const pool = yield* WorkerPool.make(2)
        // 12 trials, one checkpoint after each (PIPELINE_CHECKPOINT_SECONDS=0): a second or so.
        const sets = ["trials=12", "length=400", "sleepMs=80"]
        const args = (cache: string) => ["run", "slow", "--cache", cache, "--json", "--workers", "1", ...setArgs(sets)]
        const started = /… slow: running/

        // The uninterrupted run: its digest, and the window from the stage's start to the process's exit.
        const refCache = tempDir("kill-ref")
        const ref = startCompiledCli(args(refCache))
        assert.isTrue(yield* untilOrExit(() => started.test(ref.output()), ref.child), ref.output())
        const t0 = performance.now()
        const refDone = yield* Effect.promise(() => ref.done)
        const window = performance.now() - t0
        assert.strictEqual(refDone.code, 0, refDone.stderr)
        const reference = parse(refDone.stdout).stages[0]!

        const rng = seedrandom.alea(String(SEED))
        const points = Array.from({ length: 20 }, () => Math.round(rng() * window))
        console.log(
          `kill -9 campaign: seed ${SEED}; window ${window.toFixed(0)} ms; points (ms after the stage started): ${points.join(", ")}`
        )

        /**
         * One point: start, kill at the point (ms after the stage started; "gated": held by a gate after
         * its first checkpoint, so that one kill certainly lands mid-run with a checkpoint to resume),
         * rerun in this process with every cached artifact hashed.
         */
        const point = (ms: number | "gated") =>
          Effect.gen(function* () {
            const cache = tempDir("kill")
            // The parse memo of the code fingerprints, as any cache has after its first run (a fresh
            // one would load the TypeScript compiler in every process).
            cpSync(join(refCache, ".fingerprints.json"), join(cache, ".fingerprints.json"))
            const gate = ms === "gated" ? makeGate() : undefined
            const child = startCompiledCli(args(cache), gate?.env)
            assert.isTrue(yield* untilOrExit(() => started.test(child.output()), child.child), child.output())
            if (ms === "gated") {
              assert.isTrue(
                yield* untilOrExit(() => checkpointsOf(cache, reference.key).length > 0, child.child),
                child.output()
              )
            } else yield* Effect.sleep(ms)
            const killed = child.child.kill("SIGKILL")
            gate?.open()
            const exit = yield* Effect.promise(() => child.done)
            const finished = exit.code === 0
            const checkpoints = checkpointsOf(cache, reference.key).length
            const rerun = yield* run(slow, sets, cache, { verify: true }, pool)
            const stage = rerun.report.stages[0]!
            const check = yield* deepCheck(cache)
            const quarantined = existsSync(join(cache, ".corrupt")) ? readdirSync(join(cache, ".corrupt")).length : 0
            return {
              ms,
              killed: killed && !finished,
              checkpoints,
              status: stage.status,
              same: stage.outputDigest === reference.outputDigest && stage.key === reference.key,
              corrupt: check.corrupt + quarantined,
              locks: locksIn(cache).length,
              cache
            }
          })
        // Ten at a time (each in its own cache).
        const results = yield* Effect.forEach([...points, "gated" as const], point, { concurrency: 10 })
        const count = (f: (r: (typeof results)[number]) => boolean) => results.filter(f).length
        console.log(
          `kill -9 campaign: ${count((r) => r.killed)} killed mid-run (${count((r) => !r.killed)} had finished); reruns: ` +
            `${count((r) => r.status === "resumed")} resumed, ${count((r) => r.status === "ran")} ran afresh (killed before the first checkpoint), ` +
            `${count((r) => r.status === "cached")} cached (killed after the commit); ` +
            `${count((r) => r.same)}/${results.length} digests equal to the uninterrupted run's; corrupt entries: ${results.reduce((s, r) => s + r.corrupt, 0)}`
        )
        // What holds wherever a kill lands (before the lock, while computing, between the commit and
        // the lock's release, during the release, after the exit).
        for (const r of results) {
          const what = `point ${r.ms} ms: ${JSON.stringify({ ...r, cache: undefined })}`
          assert.isTrue(r.same, `${what}: the rerun's digest differs from the uninterrupted run's`)
          assert.strictEqual(r.corrupt, 0, `${what}: a corrupt entry`)
          // The rerun met the key (computing it, or serving it): a dead owner's lock does not outlive it.
          assert.strictEqual(r.locks, 0, `${what}: a lock left behind`)
          // A rerun resumes whenever the killed run had left a checkpoint and no entry.
          if (r.status !== "cached") assert.strictEqual(r.status, r.checkpoints > 0 ? "resumed" : "ran", what)
        }
        // The gated point was killed mid-run, after its first checkpoint: its rerun resumed.
        const gated = results.find((r) => r.ms === "gated")!
        assert.deepInclude(gated, { killed: true, status: "resumed" }, JSON.stringify(gated))
        for (const r of results) rmSync(r.cache, { recursive: true, force: true })
      }),
    // About a minute on 2 idle cores, 3–5 minutes on a machine loaded past 10 (a bound, not a timing assertion).
    600_000
  )
})

/** Damages a file in one of three ways; a bit flip turns a digit into another (JSON stays valid). */
const damage = (file: string, how: "truncated" | "emptied" | "bit-flipped", rng: () => number) => {
  const bytes = readFileSync(file)
  if (how === "emptied") return writeFileSync(file, "")
  if (how === "truncated") return writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)))
  const digits = [...bytes.keys()].filter((i) => bytes[i]! >= 0x30 && bytes[i]! <= 0x39)
  const at = digits[Math.floor(rng() * digits.length)]!
  bytes[at] = bytes[at]! ^ 0x01
  writeFileSync(file, bytes)
}

/** The `pipeline: warning:` lines of a command's stderr. */
const warnings = (stderr: string) => stderr.split("\n").filter((l) => l.startsWith("pipeline: warning: "))

describe("damaged side files", () => {
  it.scopedLive(
    "truncated, emptied or bit-flipped: the next command succeeds with a one-line warning, and the result is right",
    () =>
      Effect.gen(function* () {
        const pool = yield* WorkerPool.make(2)
        const rng = seedrandom.alea(`${SEED}-side`)
        const pristine = tempDir("side")
        const out = tempDir("side-out")
        // A toy run through the CLI: its run record, warm-run memo and the fingerprint memo.
        const toyRun = yield* Effect.promise(() =>
          compiledCli(["run", "toy", "--cache", pristine, "--json"], { PIPELINE_OUT: out })
        )
        assert.strictEqual(toyRun.code, 0, toyRun.stderr)
        const toyReference = parse(toyRun.stdout).stages
        // Two slow runs interrupted after their second checkpoint (their records say "interrupted").
        const slowSets = {
          index: ["trials=6", "length=200", "sleepMs=30"],
          state: ["trials=6", "length=201", "sleepMs=30"]
        }
        const references: Record<string, RunJson["stages"][number]> = {}
        for (const [which, sets] of Object.entries(slowSets)) {
          const reference = yield* run(slow, sets, tempDir("side-ref"), {}, pool)
          const key = reference.plan.nodes[0]!.key
          references[which] = { ...reference.report.stages[0]!, key }
          const fiber = yield* Effect.fork(run(slow, sets, pristine, {}, pool))
          assert.isTrue(yield* until(() => checkpointsOf(pristine, key).some((n) => Number(n.slice(5)) >= 2)))
          yield* Fiber.interrupt(fiber)
        }
        // A distributed worker's computation log of one key.
        const logKey = toyReference[0]!.key
        mkdirSync(join(pristine, ".computations"))
        writeFileSync(
          join(pristine, ".computations", `${logKey}.jsonl`),
          `${JSON.stringify({ event: "start", key: logKey, node: "source", worker: "h:1", attempt: 0, at: "2026-12-01T00:00:00.000Z" })}\n` +
            `${JSON.stringify({ event: "end", key: logKey, node: "source", worker: "h:1", attempt: 0, at: "2026-12-01T00:00:01.000Z", status: "ran" })}\n`
        )

        const mode = (how: "truncated" | "emptied" | "bit-flipped") =>
          Effect.gen(function* () {
            const cache = tempDir(`side-${how}`)
            cpSync(pristine, cache, { recursive: true })
            const runs = readdirSync(join(cache, ".runs")).map((n) => join(cache, ".runs", n))
            // The newest checkpoint of each (an interrupt between a checkpoint's rename and the
            // removal of the older one leaves two: the run then resumes from the older).
            const older: Record<string, boolean> = {}
            const checkpoint = (which: string, file: string) => {
              const key = references[which]!.key
              const names = checkpointsOf(cache, key).sort()
              older[which] = names.length > 1
              return join(cache, ".checkpoints", key, names[names.length - 1]!, file)
            }
            const files = [
              ...runs,
              ...readdirSync(join(cache, ".warm")).map((n) => join(cache, ".warm", n)),
              join(cache, ".fingerprints.json"),
              checkpoint("index", "index.json"),
              checkpoint("state", "state.json"),
              join(cache, ".computations", `${logKey}.jsonl`)
            ]
            for (const f of files) damage(f, how, rng)
            const log = readFileSync(join(cache, ".computations", `${logKey}.jsonl`))
            const cli = (args: ReadonlyArray<string>) =>
              Effect.promise(() => compiledCli([...args, "--cache", cache], { PIPELINE_OUT: out }))
            const reason = { truncated: "not JSON", emptied: "empty", "bit-flipped": "its checksum does not match" }[
              how
            ]

            // The run records: `pipeline runs` lists what is left, after a warning for each.
            const listed = yield* cli(["runs", "--json"])
            assert.strictEqual(listed.code, 0, listed.stderr)
            const recordWarnings = warnings(listed.stderr)
            assert.strictEqual(recordWarnings.length, runs.length, listed.stderr)
            for (const w of recordWarnings)
              assert.match(w, new RegExp(`^pipeline: warning: The run record .* is damaged \\(${reason}`))
            assert.deepStrictEqual(JSON.parse(listed.stdout).runs, [])

            // The warm-run memo and the fingerprint memo: the run plans in full, and every stage is cached.
            const toy = yield* cli(["run", "toy", "--json"])
            assert.strictEqual(toy.code, 0, toy.stderr)
            const toyWarnings = warnings(toy.stderr)
            assert.strictEqual(toyWarnings.length, 2, toy.stderr)
            assert.match(toyWarnings.join("\n"), new RegExp(`The warm-run memo .* is damaged \\(${reason}`))
            assert.match(toyWarnings.join("\n"), new RegExp(`The fingerprint memo .* is damaged \\(${reason}`))
            assert.deepStrictEqual(
              parse(toy.stdout).stages.map((s) => [s.name, s.key, s.status, s.outputDigest]),
              toyReference.map((s) => [s.name, s.key, "cached", s.outputDigest])
            )

            // The checkpoints: each damaged one is removed, and its run starts afresh (or from an older
            // checkpoint) to the same result.
            for (const [which, sets] of Object.entries(slowSets)) {
              const resumed = yield* cli(["run", "slow", "--json", ...setArgs(sets)])
              assert.strictEqual(resumed.code, 0, resumed.stderr)
              const w = warnings(resumed.stderr)
              assert.strictEqual(w.length, 1, resumed.stderr)
              assert.match(w[0]!, /^pipeline: warning: The checkpoint .* is damaged/)
              const stage = parse(resumed.stdout).stages[0]!
              assert.strictEqual(stage.status, older[which] ? "resumed" : "ran", which)
              assert.strictEqual(stage.outputDigest, references[which]!.outputDigest, which)
            }

            // The computation log is read by no command here: untouched, and in nobody's way.
            assert.deepStrictEqual(readFileSync(join(cache, ".computations", `${logKey}.jsonl`)), log)
            for (const r of [listed, toy]) assert.notMatch(r.stderr, /^\s+at /m, "no stack trace")
            return { how, files: files.length }
          })
        const modes = yield* Effect.forEach(["truncated", "emptied", "bit-flipped"] as const, mode, { concurrency: 3 })
        console.log(
          `side files: ${modes.map((m) => `${m.files} ${m.how}`).join(", ")} (run records, warm-run memo, fingerprint memo, a checkpoint's index.json, another's state.json, a computation log): every command exited 0 with one warning per damaged file read`
        )
      })
  )

  it.live("a damaged file of the project (package-lock.json) is ignored with a warning, never moved", () =>
    Effect.gen(function* () {
      const project = tempDir("project")
      writeFileSync(join(project, "package.json"), "{}\n")
      writeFileSync(join(project, "package-lock.json"), '<<<<<<< HEAD\n{"packages": {}}\n')
      writeFileSync(join(project, "m.ts"), 'import * as Effect from "effect/Effect"\nexport const m = Effect.void\n')
      const logged: Array<string> = []
      const logger = Logger.make(({ message }) => {
        logged.push(Array.isArray(message) ? message.join(" ") : String(message))
      })
      const cache = tempDir("cache")
      const fingerprint = yield* Effect.gen(function* () {
        const fingerprinter = yield* Fingerprint.make({ root: project, memoPath: join(cache, ".fingerprints.json") })
        return yield* fingerprinter.of(join(project, "m.ts"))
      }).pipe(Effect.provide(Logger.replace(Logger.defaultLogger, logger)), Effect.provide(NodeContext.layer))
      assert.deepStrictEqual(fingerprint.packages, { effect: "unknown" })
      assert.strictEqual(logged.length, 1, logged.join("\n"))
      assert.match(logged[0]!, /The lockfile .*package-lock\.json is damaged \(not JSON.*\); it was ignored\./)
      assert.isTrue(existsSync(join(project, "package-lock.json")), "left in place")
      assert.isFalse(existsSync(join(cache, ".corrupt")))
    })
  )
})

/** A gate file: the `slow` stage of a process started with TOY_GATE=file waits after each checkpoint while it exists. */
const makeGate = () => {
  const file = join(tempDir("gate"), "closed")
  writeFileSync(file, "")
  return { env: { TOY_GATE: file }, open: () => rmSync(file, { force: true }) }
}

describe("concurrent runs on one cache", () => {
  it.live("four runs compute each stage once; kill -9 of the one computing leaves no lock, the others finish", () =>
    Effect.gen(function* () {
      const cache = tempDir("four")
      const log = join(cache, "computed.log")
      writeFileSync(log, "")
      const four = Array.from({ length: 4 }, () =>
        startCompiledCli(["run", "mixed", "--cache", cache, "--json", "--workers", "1"], { TOY_LOG: log })
      )
      const done = yield* Effect.promise(() => Promise.all(four.map((c) => c.done)))
      for (const r of done) assert.strictEqual(r.code, 0, r.stderr)
      const lines = readFileSync(log, "utf8").trim().split("\n")
      assert.strictEqual(lines.length, 5, `each of the 5 stages computed once:\n${lines.join("\n")}`)
      const reports = done.map((r) => parse(r.stdout).stages)
      for (let i = 0; i < reports[0]!.length; i++) {
        const statuses = reports.map((s) => s[i]!.status)
        assert.strictEqual(statuses.filter((s) => s === "ran").length, 1, `${reports[0]![i]!.name}: ${statuses}`)
        assert.strictEqual(new Set(reports.map((s) => s[i]!.outputDigest)).size, 1)
      }

      // Four runs of a checkpointed stage, held after its first checkpoint: kill -9 the one computing.
      const sets = ["trials=6", "length=300", "sleepMs=30"]
      const reference = yield* Effect.fork(run(slow, sets, tempDir("four-ref")))
      const gate = makeGate()
      writeFileSync(log, "")
      const runs = Array.from({ length: 4 }, () =>
        startCompiledCli(["run", "slow", "--cache", cache, "--json", "--workers", "1", ...setArgs(sets)], {
          TOY_LOG: log,
          ...gate.env
        })
      )
      const key = (yield* plan(slow, sets, cache)).nodes[0]!.key
      const computing = () => runs.findIndex((r) => /… slow: running \(/.test(r.output()))
      assert.isTrue(yield* until(() => computing() >= 0 && checkpointsOf(cache, key).length > 0))
      const killed = computing()
      runs[killed]!.child.kill("SIGKILL")
      gate.open()
      const ends = yield* Effect.promise(() => Promise.all(runs.map((r) => r.done)))
      assert.strictEqual(ends[killed]!.signal, "SIGKILL")
      const others = ends.filter((_, i) => i !== killed)
      for (const r of others) assert.strictEqual(r.code, 0, r.stderr)
      const stages = others.map((r) => parse(r.stdout).stages[0]!)
      assert.deepStrictEqual(stages.map((s) => s.status).sort(), ["cached", "cached", "resumed"])
      const uninterrupted = (yield* Fiber.join(reference)).report.stages[0]!
      for (const s of stages) assert.strictEqual(s.outputDigest, uninterrupted.outputDigest)
      assert.strictEqual(readFileSync(log, "utf8").trim().split("\n").length, 2, "the killed run, then one resume")
      assert.deepStrictEqual(locksIn(cache), [], "no lock left behind")
      const check = yield* deepCheck(cache)
      assert.strictEqual(check.corrupt, 0)
      console.log(
        `concurrency: 4 runs of mixed → 5 computations for 5 stages; 4 runs of slow, the computing one killed → ${stages.map((s) => s.status).join(", ")}; ${check.entries} entries, 0 corrupt, 0 locks left`
      )
    })
  )
})

describe("gc and what is in use", () => {
  it.live("a killed --set run's checkpoint survives gc, and so does a running stage (entry, lock, checkpoint)", () =>
    Effect.gen(function* () {
      const cache = tempDir("gc")
      const sets = ["trials=8", "length=300", "sleepMs=30"]
      const args = ["run", "slow", "--cache", cache, "--json", "--workers", "1", ...setArgs(sets)]
      const gc = () =>
        Effect.map(
          Effect.promise(() => compiledCli(["gc", "--cache", cache, "--keep-runs", "0", "--yes", "--json"])),
          (r) => {
            assert.strictEqual(r.code, 0, r.stderr)
            return JSON.parse(r.stdout) as { removed: Array<string>; skipped: Array<string> }
          }
        )
      const key = (yield* plan(slow, sets, cache)).nodes[0]!.key

      // 1. kill -9 once it has a checkpoint: its run record says "running" forever; gc keeps its keys.
      const held = makeGate()
      const killed = startCompiledCli(args, held.env)
      assert.isTrue(yield* until(() => checkpointsOf(cache, key).length > 0))
      killed.child.kill("SIGKILL")
      yield* Effect.promise(() => killed.done)
      const first = yield* gc()
      assert.isTrue(checkpointsOf(cache, key).length > 0, `the checkpoint survived gc: ${JSON.stringify(first)}`)
      const resumed = yield* Effect.promise(() => compiledCli(args))
      assert.strictEqual(resumed.code, 0, resumed.stderr)
      const afterResume = parse(resumed.stdout).stages[0]!
      assert.strictEqual(afterResume.status, "resumed")

      // 2. gc while the stage reruns (--rerun: its old entry exists), with no run record to keep its
      //    key, held after its first checkpoint: the lock alone keeps the entry, the checkpoint and
      //    the staging folder.
      const gate = makeGate()
      const running = startCompiledCli([...args, "--rerun", "slow"], gate.env)
      assert.isTrue(yield* until(() => checkpointsOf(cache, key).length > 0))
      // (and no live registration either: the lock is what is tested here)
      rmSync(join(cache, ".runs"), { recursive: true, force: true })
      rmSync(join(cache, ".live"), { recursive: true, force: true })
      const second = yield* gc()
      assert.isTrue(existsSync(join(cache, key, "manifest.json")), `the entry survived: ${JSON.stringify(second)}`)
      assert.isTrue(checkpointsOf(cache, key).length > 0, "the checkpoint survived")
      assert.isTrue(existsSync(join(cache, ".locks", `${key}.lock`)), "the lock survived")
      assert.isTrue(
        existsSync(join(cache, ".tmp")) && readdirSync(join(cache, ".tmp")).length > 0,
        "the staging folder survived"
      )
      for (const what of [join(cache, key), join(cache, ".checkpoints", key), join(cache, ".tmp", key)]) {
        assert.isTrue(
          second.skipped.some((p) => p.startsWith(what)),
          `gc reported ${what} in use: ${JSON.stringify(second)}`
        )
      }
      gate.open()
      const end = yield* Effect.promise(() => running.done)
      assert.strictEqual(end.code, 0, end.stderr)
      const fresh = parse(end.stdout).stages[0]!
      assert.strictEqual(fresh.status, "ran")
      assert.strictEqual(afterResume.outputDigest, fresh.outputDigest, "the resumed run equals an uninterrupted one")
      const check = yield* deepCheck(cache)
      assert.deepStrictEqual(check, { entries: 1, corrupt: 0 })
      console.log(
        `gc: after kill -9, gc kept the checkpoint (removed ${first.removed.length}); during a run, gc skipped ${second.skipped.length} paths in use and removed ${second.removed.length}; the resumed digest equals the uninterrupted one`
      )
    })
  )
})
