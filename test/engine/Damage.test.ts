/**
 * The damage fuzzer (issue #22): every kind of path the cache holds × every kind of damage, each
 * applied to a copy of a cache holding all of them, then the command that reads it, through the
 * real command line (in this process, on the small pipeline of `fixtures/fuzz.ts`). A run
 * afterwards must either serve bytes identical to a clean run's (having moved aside and recomputed
 * what was damaged, with a one-line warning) or stop at once with an error naming the path, after
 * which the next run must succeed: never hang, never serve damaged bytes, never fail every later
 * run.
 *
 * fast-check (seeded: `FUZZ_SEED`) picks, for each pair, which file of the kind is damaged and how
 * (the byte flipped, the length kept); `FUZZ_RUNS` (default 1) draws more cases per pair. The test
 * prints the table of pairs and outcomes.
 */
import { execFileSync } from "node:child_process"
import {
  appendFileSync,
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync
} from "node:fs"
import { hostname } from "node:os"
import { join, relative } from "node:path"
import * as Command from "@effect/cli/Command"
import * as NodeContext from "@effect/platform-node/NodeContext"
import { it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import fc from "fast-check"
import { assert, describe } from "vitest"
import { command } from "../../src/cli/main.js"
import * as Cache from "../../src/engine/Cache.js"
import { tempDir } from "./helpers.js"

const SEED = Number(process.env["FUZZ_SEED"] ?? 22_2026)
const RUNS = Number(process.env["FUZZ_RUNS"] ?? 1)

const program = Command.run(command({ url: new URL("./fixtures/fuzz.ts", import.meta.url).href }), {
  name: "pipeline",
  version: "test"
})

interface CliRun {
  readonly ok: boolean
  readonly stdout: string
  readonly stderr: string
  /** The failure's message (what the user reads), when it failed. */
  readonly error: string
  readonly timedOut: boolean
}

/** Runs `pipeline ARGS…` in this process, its stdout and stderr captured; a run over 20 s is a hang. */
const cli = (args: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    let stdout = ""
    let stderr = ""
    const out = process.stdout.write.bind(process.stdout)
    const err = process.stderr.write.bind(process.stderr)
    process.stdout.write = ((chunk: string | Uint8Array) => {
      stdout += String(chunk)
      return true
    }) as typeof process.stdout.write
    process.stderr.write = ((chunk: string | Uint8Array) => {
      stderr += String(chunk)
      return true
    }) as typeof process.stderr.write
    const exit = yield* program(["node", "pipeline", ...args]).pipe(
      Effect.provide(NodeContext.layer),
      Effect.timeout("20 seconds"),
      Effect.exit,
      Effect.ensuring(
        Effect.sync(() => {
          process.stdout.write = out
          process.stderr.write = err
        })
      )
    )
    const timedOut =
      Exit.isFailure(exit) &&
      Option.isSome(
        Cause.failureOption(exit.cause).pipe(
          Option.filter((e) => (e as { _tag?: string })?._tag === "TimeoutException")
        )
      )
    const error = Exit.isSuccess(exit)
      ? ""
      : Option.match(Cause.failureOption(exit.cause), {
          onNone: () => Cause.pretty(exit.cause),
          onSome: (e) => String((e as { message?: string })?.message ?? e)
        })
    return { ok: Exit.isSuccess(exit), stdout, stderr, error, timedOut } satisfies CliRun
  })

interface RunJson {
  readonly stages: ReadonlyArray<{ name: string; key: string; status: string; outputDigest: string }>
}
const parse = (stdout: string) => JSON.parse(stdout.slice(stdout.indexOf("{"))) as RunJson

/** Every entry a report names, hashed in full: the keys that do not verify. */
const unverified = (cacheDir: string, keys: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const cache = yield* Cache.Cache
    const bad: Array<string> = []
    for (const key of keys) {
      const v = yield* Effect.either(cache.verify(key, { deep: true }))
      if (Either.isLeft(v) || Option.isNone(v.right)) bad.push(key)
    }
    return bad
  }).pipe(Effect.provide(Cache.layer({ dir: cacheDir })), Effect.provide(NodeContext.layer))

// ── the kinds of damage ─────────────────────────────────────────────────────────────────────────

type Damage =
  | "truncated"
  | "emptied"
  | "byte-flipped"
  | "directory"
  | "file"
  | "dangling symlink"
  | "symlink loop"
  | "FIFO"
  | "unreadable"

const fileDamages: ReadonlyArray<Damage> = [
  "truncated",
  "emptied",
  "byte-flipped",
  "directory",
  "dangling symlink",
  "symlink loop",
  "FIFO",
  "unreadable"
]
const folderDamages: ReadonlyArray<Damage> = [
  "emptied",
  "file",
  "dangling symlink",
  "symlink loop",
  "FIFO",
  "unreadable"
]

/** Applies a damage to `path`; `u` ∈ [0, 1) picks the length kept or the byte flipped. */
const damage = (path: string, how: Damage, u: number) => {
  const isDir = lstatSync(path).isDirectory()
  const replace = () => rmSync(path, { recursive: true, force: true })
  switch (how) {
    case "truncated": {
      const bytes = readFileSync(path)
      // At least two bytes go (a JSON file's "}\n": one would leave it whole).
      return writeFileSync(path, bytes.subarray(0, Math.min(bytes.length - 2, Math.floor(u * bytes.length))))
    }
    case "emptied":
      if (isDir) {
        replace()
        return mkdirSync(path)
      }
      return writeFileSync(path, "")
    case "byte-flipped": {
      const bytes = readFileSync(path)
      const { atime, mtime } = statSync(path)
      const at = Math.floor(u * bytes.length)
      bytes[at] = bytes[at]! ^ (1 << Math.floor(u * 8))
      writeFileSync(path, bytes)
      return utimesSync(path, atime, mtime) // size and mtime kept
    }
    case "directory":
      replace()
      return mkdirSync(path)
    case "file":
      replace()
      return writeFileSync(path, "not what was here\n")
    case "dangling symlink":
      replace()
      return symlinkSync(`${path}.nowhere`, path)
    case "symlink loop":
      replace()
      return symlinkSync(path, path)
    case "FIFO":
      replace()
      return execFileSync("mkfifo", [path])
    case "unreadable":
      return chmodSync(path, 0)
  }
}

// ── the kinds of path ───────────────────────────────────────────────────────────────────────────

/** A kind of path: where its instances are in a cache, whether it is a folder, and the command that reads it. */
interface PathKind {
  readonly name: string
  readonly folder: boolean
  /** The instances in a cache (absolute paths). */
  readonly find: (cache: string, out: string) => ReadonlyArray<string>
  /**
   * What reads it: the plain run (served from the warm-run memo when it can), the planned run
   * (memo off), the run that resumes the interrupted walk, or `runs` / `gc --dry-run` then the run.
   */
  readonly run: "plain" | "planned" | "resume" | "runs" | "gc"
}

const list = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort() : [])
const entries = (cache: string) =>
  list(cache)
    .filter((n) => /^[0-9a-f]{64}$/.test(n))
    .map((n) => join(cache, n))
const checkpointDirs = (cache: string) => list(join(cache, ".checkpoints")).map((n) => join(cache, ".checkpoints", n))
const snapshots = (cache: string) =>
  checkpointDirs(cache).flatMap((d) =>
    list(d)
      .filter((n) => n.startsWith("ckpt-"))
      .map((n) => join(d, n))
  )

const kinds: ReadonlyArray<PathKind> = [
  { name: "entry", folder: true, run: "plain", find: (c) => entries(c) },
  { name: "manifest", folder: false, run: "plain", find: (c) => entries(c).map((e) => join(e, "manifest.json")) },
  { name: "result", folder: false, run: "plain", find: (c) => entries(c).map((e) => join(e, "result.json")) },
  {
    name: "artifact",
    folder: false,
    run: "plain",
    find: (c) => entries(c).flatMap((e) => list(join(e, "artifacts")).map((n) => join(e, "artifacts", n)))
  },
  {
    name: "artifact folder",
    folder: true,
    run: "plain",
    find: (c) =>
      entries(c)
        .filter((e) => list(join(e, "artifacts")).length > 0)
        .map((e) => join(e, "artifacts"))
  },
  { name: "checkpoint folder", folder: true, run: "resume", find: checkpointDirs },
  { name: "checkpoint", folder: true, run: "resume", find: snapshots },
  {
    name: "checkpoint index",
    folder: false,
    run: "resume",
    find: (c) => snapshots(c).map((s) => join(s, "index.json"))
  },
  {
    name: "checkpoint state",
    folder: false,
    run: "resume",
    find: (c) => snapshots(c).map((s) => join(s, "state.json"))
  },
  { name: "checkpoint array", folder: false, run: "resume", find: (c) => snapshots(c).map((s) => join(s, "walk.npy")) },
  { name: "lock", folder: true, run: "plain", find: (c) => list(join(c, ".locks")).map((n) => join(c, ".locks", n)) },
  {
    name: "run record",
    folder: false,
    run: "runs",
    find: (c) => list(join(c, ".runs")).map((n) => join(c, ".runs", n))
  },
  {
    name: "warm-run memo",
    folder: false,
    run: "plain",
    find: (c) => list(join(c, ".warm")).map((n) => join(c, ".warm", n))
  },
  { name: "fingerprint memo", folder: false, run: "planned", find: (c) => [join(c, ".fingerprints.json")] },
  {
    name: "live registration",
    folder: false,
    run: "gc",
    find: (c) => list(join(c, ".live")).map((n) => join(c, ".live", n))
  },
  { name: "published file", folder: false, run: "plain", find: (_, out) => [join(out, "fuzz", "latest", "report.txt")] }
]

/** The outcome of one damaged case. */
type Outcome = "recovered, with a warning" | "unaffected" | "stopped naming the path, next run recovered" | "FAILED"

describe("the damage fuzzer", () => {
  it.live(
    "every path kind × every damage: identical bytes after recovery, or a stop naming the path; never a hang",
    () =>
      Effect.gen(function* () {
        process.env["PIPELINE_CHECKPOINT_SECONDS"] = "0"
        process.env["PIPELINE_LOCK_STALE_MS"] = "2000"
        const t0 = performance.now()
        const base = tempDir("fuzz")
        const pristine = join(base, "pristine")
        const pristineOut = join(base, "pristine-out")
        const resumeSets = ["--set", "trials=8"]

        // The references: a clean plain run, and a clean run of the walk the fuzzer interrupts.
        const refCache = join(base, "reference")
        const refResume = yield* cli([
          "run",
          "fuzz",
          "--cache",
          refCache,
          "--out",
          join(base, "ref-out"),
          "--json",
          ...resumeSets
        ])
        assert.isTrue(refResume.ok, refResume.error)
        const resumeReference = parse(refResume.stdout).stages

        // The pristine cache: a plain run (entries, run record, warm memo, fingerprint memo, the
        // published report), the walk of trials=8 interrupted after its first checkpoint (a
        // checkpoint, an "interrupted" record), a lock left by a dead process and a registration
        // left by a killed run.
        const plain = yield* cli(["run", "fuzz", "--cache", pristine, "--out", pristineOut, "--json"])
        assert.isTrue(plain.ok, plain.error)
        const reference = parse(plain.stdout).stages
        const publishedReference = readFileSync(join(pristineOut, "fuzz", "latest", "report.txt"))
        const gate = join(base, "gate")
        writeFileSync(gate, "")
        process.env["FUZZ_GATE"] = gate
        const walkKey = resumeReference.find((s) => s.name === "walk")!.key
        const interrupted = yield* Effect.fork(
          cli(["run", "fuzz", "--cache", pristine, "--out", pristineOut, "--json", ...resumeSets])
        )
        const ckpt = join(pristine, ".checkpoints", walkKey)
        while (!list(ckpt).some((n) => n.startsWith("ckpt-") && Number(n.slice(5)) >= 1)) yield* Effect.sleep(10)
        yield* Fiber.interrupt(interrupted)
        rmSync(gate)
        delete process.env["FUZZ_GATE"]
        const dead = Number(execFileSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]))
        const reportKey = reference.find((s) => s.name === "report")!.key
        mkdirSync(join(pristine, ".locks", `${reportKey}.lock`), { recursive: true })
        writeFileSync(
          join(pristine, ".locks", `${reportKey}.lock`, "owner.json"),
          JSON.stringify({ host: hostname(), pid: dead, token: "t" })
        )
        const registration = {
          version: 1,
          id: "killed",
          pipeline: "fuzz",
          host: hostname(),
          pid: dead,
          startedAt: new Date().toISOString(),
          heartbeatAt: new Date().toISOString(),
          keys: [reportKey]
        }
        mkdirSync(join(pristine, ".live"), { recursive: true })
        writeFileSync(join(pristine, ".live", "killed.json"), JSON.stringify(registration))
        for (const k of kinds)
          assert.isAbove(k.find(pristine, pristineOut).length, 0, `the pristine cache has a ${k.name}`)
        const setupSeconds = (performance.now() - t0) / 1000
        if (process.env["FUZZ_TRACE"] !== undefined)
          appendFileSync(process.env["FUZZ_TRACE"], `set-up ${setupSeconds}\n`)

        const table: Array<{
          kind: string
          damage: Damage
          path: string
          outcome: Outcome
          detail: string
          ms: number
        }> = []
        let n = 0
        /** One case: copy, damage, run what reads it, judge; then the run after. */
        const check = (kind: PathKind, how: Damage, pick: number, u: number) =>
          Effect.gen(function* () {
            n += 1
            const started = performance.now()
            const cache = join(base, `case-${n}`)
            const out = join(base, `case-${n}-out`)
            cpSync(pristine, cache, { recursive: true })
            cpSync(pristineOut, out, { recursive: true })
            const paths = kind.find(cache, out)
            const path = paths[Math.floor(pick * paths.length)]!
            damage(path, how, u)
            if (process.env["FUZZ_TRACE"] !== undefined)
              appendFileSync(process.env["FUZZ_TRACE"], `${n} ${kind.name} ${how} ${path}\n`)
            const where = relative(base, path).replace(/^case-\d+(-out)?\//, "")
            const args = (extra: ReadonlyArray<string>) => [...extra, "--cache", cache, "--out", out]
            const plainRun = ["run", "fuzz", "--json"]
            const command = kind.run === "resume" ? [...plainRun, ...resumeSets] : plainRun
            const expected = kind.run === "resume" ? resumeReference : reference
            const runs: Array<CliRun> = []
            if (kind.run === "runs") runs.push(yield* cli(args(["runs", "--json"])))
            if (kind.run === "gc") runs.push(yield* cli(args(["gc", "--dry-run", "--json"])))
            if (kind.run === "planned") process.env["PIPELINE_WARM"] = "0"
            runs.push(yield* cli(args(command)))
            delete process.env["PIPELINE_WARM"]
            const judge = (r: CliRun): { outcome: Outcome; detail: string } => {
              if (r.timedOut) return { outcome: "FAILED", detail: "hung (no answer in 20 s)" }
              if (!r.ok) return { outcome: "FAILED", detail: `failed: ${r.error}` }
              return { outcome: "unaffected", detail: "" }
            }
            const first = runs.find((r) => !r.ok || r.timedOut)
            let verdict: { outcome: Outcome; detail: string }
            if (first !== undefined && !first.timedOut && (first.error.includes(path) || first.error.includes(where))) {
              // Stopped naming the path: the next run must recover.
              const next = yield* cli(args(command))
              verdict = next.ok
                ? { outcome: "stopped naming the path, next run recovered", detail: first.error.split("\n")[0]! }
                : { outcome: "FAILED", detail: `stopped, and the next run failed too: ${next.error}` }
            } else if (first !== undefined) {
              verdict = judge(first)
            } else {
              const last = runs[runs.length - 1]!
              const stages = parse(last.stdout).stages
              const same =
                JSON.stringify(stages.map((s) => [s.name, s.key, s.outputDigest])) ===
                JSON.stringify(expected.map((s) => [s.name, s.key, s.outputDigest]))
              const bad = yield* unverified(
                cache,
                stages.map((s) => s.key)
              )
              const published =
                kind.run === "resume" ? publishedReference : readFileSync(join(out, "fuzz", "latest", "report.txt"))
              const warnings = runs
                .flatMap((r) => r.stderr.split("\n"))
                .filter((l) => l.startsWith("pipeline: warning: ") || l.startsWith("! "))
              verdict = !same
                ? { outcome: "FAILED", detail: `served other bytes: ${JSON.stringify(stages)}` }
                : bad.length > 0
                  ? { outcome: "FAILED", detail: `entries left damaged: ${bad.join(", ")}` }
                  : !published.equals(publishedReference)
                    ? { outcome: "FAILED", detail: "the published report differs" }
                    : warnings.length > 0
                      ? { outcome: "recovered, with a warning", detail: warnings.join(" | ") }
                      : { outcome: "unaffected", detail: "" }
            }
            table.push({ kind: kind.name, damage: how, path: where, ...verdict, ms: performance.now() - started })
            rmSync(cache, { recursive: true, force: true })
            rmSync(out, { recursive: true, force: true })
            return verdict.outcome !== "FAILED"
          })

        for (const kind of kinds) {
          for (const how of kind.folder ? folderDamages : fileDamages) {
            yield* Effect.promise(() =>
              fc
                .assert(
                  fc.asyncProperty(
                    fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
                    fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
                    (pick, u) => Effect.runPromise(check(kind, how, pick, u))
                  ),
                  { seed: SEED + n, numRuns: RUNS, endOnFailure: true }
                )
                .catch(() => undefined)
            )
          }
        }

        const seconds = (performance.now() - t0) / 1000
        const byOutcome = new Map<string, number>()
        for (const r of table) byOutcome.set(r.outcome, (byOutcome.get(r.outcome) ?? 0) + 1)
        const pairs = new Set(table.map((r) => `${r.kind}|${r.damage}`)).size
        console.log(
          [
            `damage fuzzer: seed ${SEED}; ${pairs} (path kind × damage) pairs, ${table.length} cases in ${seconds.toFixed(1)} s (set-up ${setupSeconds.toFixed(1)} s)`,
            ...[...byOutcome].map(([o, c]) => `  ${o}: ${c}`),
            "| path kind | damage | outcome | path | what was said | time |",
            "|---|---|---|---|---|---|",
            ...table.map(
              (r) =>
                `| ${r.kind} | ${r.damage} | ${r.outcome} | ${r.path} | ${r.detail.slice(0, 160).replace(/\|/g, "/")} | ${r.ms.toFixed(0)} ms |`
            )
          ].join("\n")
        )
        const failed = table.filter((r) => r.outcome === "FAILED")
        assert.deepStrictEqual(failed, [], "every damage is recovered from or stopped at, naming the path")
        rmSync(base, { recursive: true, force: true })
      }),
    180_000
  )
})
