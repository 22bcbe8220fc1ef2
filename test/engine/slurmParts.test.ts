/**
 * The SLURM runner's parts that need no cluster: what `squeue --json` and `sacct` print, as SLURM
 * 22.05 prints it (recorded on Debian 12's packages: `fixtures/squeue-22.05.json`, jobs whose end
 * we caused — `exit 3`, `kill -9`, `scancel`) and as 23.02+ does (`fixtures/squeue-24.11.json`,
 * written after its documented format); the time, memory and argument syntaxes a profile takes;
 * a stage's resources against the margins the runner promises; the precedence of the settings; and
 * the refusal of a bad profile, naming the file and the key, before anything is submitted.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import * as NodeContext from "@effect/platform-node/NodeContext"
import { it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import fc from "fast-check"
import { assert, describe } from "vitest"
import { registry } from "../../pipelines/index.js"
import * as Jobs from "../../src/engine/slurm/Jobs.js"
import * as Resources from "../../src/engine/slurm/Resources.js"
import * as Slurm from "../../src/engine/slurm/Slurm.js"
import * as SlurmStatus from "../../src/engine/slurm/SlurmStatus.js"
import { cliEnv, pipeline, tempDir } from "../helpers/cli.js"
import { plan } from "./helpers.js"

const fixture = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", name), "utf8"))
const byName = (jobs: ReadonlyArray<Slurm.JobInfo>) => new Map(jobs.map((j) => [j.name, j]))

describe("squeue --json", () => {
  it("reads SLURM 22.05's jobs: raw wait statuses, one state string, the reason", () => {
    const jobs = byName(Slurm.parseSqueue(fixture("squeue-22.05.json")))
    // `sbatch --wrap "exit 3"`: FAILED, exit code 3.
    assert.deepInclude(jobs.get("pn-exit3"), { state: "FAILED", exitCode: 3, signal: 0, active: false })
    // `kill -9` of the batch script: FAILED by signal 9.
    assert.deepInclude(jobs.get("wrap"), { state: "FAILED", exitCode: 0, signal: 9, reason: "JobLaunchFailure" })
    // `scancel`: CANCELLED by SIGTERM.
    assert.deepInclude(jobs.get("pn-cancelled"), { state: "CANCELLED", signal: 15, active: false })
    assert.deepInclude(jobs.get("pn-running"), {
      state: "RUNNING",
      active: true,
      comment: "train[rule=three-factor]",
      nodes: "vm"
    })
    assert.deepInclude(jobs.get("pn-pending"), { state: "PENDING", active: true, reason: "Resources" })
    assert.isUndefined(jobs.get("pn-pending")!.nodes)
    assert.strictEqual(Slurm.describeEnd(jobs.get("pn-exit3")!), "FAILED (exit code 3)")
    assert.strictEqual(Slurm.describeEnd(jobs.get("pn-cancelled")!), "CANCELLED (exit code 0, signal 15)")
    const completed = [...jobs.values()].find((j) => j.state === "COMPLETED")!
    assert.strictEqual(completed.jobId, "26")
    assert.strictEqual(Slurm.describeEnd(completed), "COMPLETED")
  })

  it("reads 23.02+'s jobs: state lists with flags, exit codes as objects, a comment object", () => {
    const jobs = byName(Slurm.parseSqueue(fixture("squeue-24.11.json")))
    assert.deepInclude(jobs.get("pn-running"), { jobId: "4101", state: "RUNNING", active: true, exitCode: 0 })
    // Cancelled but still being cleaned up: not yet to be submitted again.
    assert.deepInclude(jobs.get("pn-cancelled"), {
      state: "CANCELLED",
      flags: ["COMPLETING"],
      signal: 15,
      active: true
    })
    assert.deepInclude(jobs.get("pn-exit3"), { state: "FAILED", exitCode: 3, active: false })
    assert.strictEqual(Slurm.describeEnd(jobs.get("pn-timeout")!), "TIMEOUT (exit code 0, signal 9, TimeLimit)")
    assert.deepInclude(jobs.get("pn-pending"), { comment: "test[rule=decoder-only]", reason: "Priority" })
    assert.isUndefined(jobs.get("pn-pending")!.exitCode)
  })

  it.effect("fails, as a busy controller, when squeue could not reach it (22.05 exits 0 with no jobs then)", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(Slurm.readSqueue(fixture("squeue-22.05-no-controller.json"), ["pn-x"]))
      assert.isTrue(Slurm.isTransient(error))
      assert.include(error.message, "Failed while looking for jobs")
      const jobs = yield* Slurm.readSqueue(fixture("squeue-22.05.json"), ["pn-exit3", "pn-running"])
      assert.deepStrictEqual(jobs.map((j) => j.name).sort(), ["pn-exit3", "pn-running"])
    })
  )

  it("takes nothing from output that is not a job list", () => {
    for (const junk of [null, {}, { jobs: "x" }, { jobs: [null, 3, { name: "no id" }] }]) {
      assert.deepStrictEqual(Slurm.parseSqueue(junk), [])
    }
  })

  it("reads sacct's parsable line, `CANCELLED by UID` and `code:signal` included", () => {
    const text = "1234|pn-abc|CANCELLED by 0|0:15|node3\n1235|other|COMPLETED|0:0|node4\n"
    const job = Option.getOrThrow(Slurm.parseSacct(text, "1234"))
    assert.deepInclude(job, { state: "CANCELLED", exitCode: 0, signal: 15, nodes: "node3", active: false })
    assert.isTrue(Option.isNone(Slurm.parseSacct(text, "99")))
  })
})

describe("job identity", () => {
  it.effect("a cache keeps one id, and a job's comment tells whose cache it writes", () =>
    Effect.gen(function* () {
      const dir = tempDir("slurm-id")
      const [a, b] = yield* Effect.all([Jobs.cacheId(dir), Jobs.cacheId(dir)], { concurrency: 2 })
      assert.match(a, /^[0-9a-f]{12}$/)
      assert.strictEqual(b, a)
      assert.strictEqual(yield* Jobs.cacheId(dir), a)
      assert.notStrictEqual(yield* Jobs.cacheId(tempDir("slurm-id")), a)
      const comment = Jobs.comment("train[rule=three-factor]", a)
      assert.isTrue(Jobs.writesCache(comment, a))
      assert.isFalse(Jobs.writesCache(comment, "0123456789ab"))
      assert.isFalse(Jobs.writesCache("train", a))
    }).pipe(Effect.provide(NodeContext.layer))
  )
})

describe("status", () => {
  it.effect(
    "shows each key's last job, its state as recorded when squeue cannot answer, and the jobs before it",
    () =>
      Effect.gen(function* () {
        const cache = tempDir("slurm-status")
        const [a, b, c] = ["a", "b", "c"].map((x) => x.repeat(64)) as [string, string, string]
        const submission = (jobId: string, state: string, extra: Partial<Jobs.Submission> = {}): Jobs.Submission => ({
          jobId,
          submittedAt: "2026-01-01T00:00:00.000Z",
          by: "login1:42",
          attempt: 0,
          resources: { cpus: 1, memMb: 512, minutes: 10 },
          state,
          ...extra
        })
        yield* Jobs.writeRecord(cache, {
          version: 1,
          key: a,
          node: "train",
          submissions: [
            submission("7", "CANCELLED", { exitCode: 0, signal: 15 }),
            submission("9", "RUNNING", { outcome: "ran" })
          ]
        })
        yield* Jobs.writeRecord(cache, {
          version: 1,
          key: b,
          node: "test",
          submissions: [submission("8", "RUNNING", { nodes: "node3" })]
        })
        // squeue cannot answer (no SLURM configured: the default config file is read, or a dead controller's).
        const states = yield* SlurmStatus.jobStates(cache, [a, b, c])
        assert.deepStrictEqual(Object.keys(states).sort(), [a, b])
        // Recorded running, but it wrote its result: it has ended.
        assert.deepInclude(states[a], { jobId: "9", state: "COMPLETED", live: false, outcome: "ran" })
        assert.strictEqual(SlurmStatus.describe(states[a]!), "job 9 COMPLETED (after job 7 CANCELLED)")
        assert.strictEqual(
          SlurmStatus.describe(states[b]!),
          "job 8 RUNNING on node3 (as last recorded; squeue does not list it)"
        )
      }).pipe(Effect.provide(NodeContext.layer)),
    { timeout: 60_000 }
  )
})

describe("profile syntax", () => {
  it("reads time limits as SLURM and Snakemake write them", () => {
    const cases: Array<[string | number, number]> = [
      [90, 90],
      ["90", 90],
      ["30:00", 30],
      ["1:30:00", 90],
      ["1-00:00:00", 1440],
      ["2-12", 3600],
      ["2h", 120],
      ["1h30m", 90],
      ["45min", 45],
      ["1d", 1440],
      ["90s", 2]
    ]
    for (const [text, minutes] of cases) assert.strictEqual(Resources.parseMinutes(text), minutes, String(text))
    for (const bad of ["soon", "", "0", "-5", "1:2:3:4"]) assert.isUndefined(Resources.parseMinutes(bad), bad)
  })

  it("reads memory sizes", () => {
    const cases: Array<[string | number, number]> = [
      [2000, 2000],
      ["500M", 500],
      ["4G", 4096],
      ["4GB", 4096],
      ["1.5G", 1536],
      ["1T", 1048576]
    ]
    for (const [text, mb] of cases) assert.strictEqual(Resources.parseMegabytes(text), mb, String(text))
    for (const bad of ["lots", "4X", "0"]) assert.isUndefined(Resources.parseMegabytes(bad), bad)
  })

  it("splits sbatch arguments as a shell does, without expanding anything", () => {
    assert.deepStrictEqual(Resources.splitArgs(`--qos=short  --constraint="avx2&ib" --comment='a b' x\\ y $HOME`), [
      "--qos=short",
      "--constraint=avx2&ib",
      "--comment=a b",
      "x y",
      "$HOME"
    ])
    assert.deepStrictEqual(Resources.splitArgs("   "), [])
    assert.isUndefined(Resources.splitArgs(`--comment="open`))
  })
})

describe("resources", () => {
  const MiB = 2 ** 20

  it("cover a stage's estimate with the promised margins", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.option(fc.double({ min: 0, max: 1e6, noNaN: true }), { nil: undefined }),
        fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: undefined }),
        (memoryBytes, cpuSeconds, parallelism) => {
          const r = Resources.fromEstimate({
            memoryBytes,
            diskBytes: 0,
            ...(cpuSeconds === undefined ? {} : { cpuSeconds }),
            ...(parallelism === undefined ? {} : { parallelism })
          })
          assert.isAtLeast(r.memMb * MiB, memoryBytes * 1.5 + 256 * MiB)
          assert.isAtLeast(r.cpus, 1)
          assert.isAtMost(r.cpus, Math.min(parallelism ?? 1, 4))
          assert.isAtLeast(r.minutes, 10)
          if (cpuSeconds !== undefined) assert.isAtLeast(r.minutes * 60, (3 * cpuSeconds) / r.cpus)
          assert.isTrue(Number.isInteger(r.memMb) && Number.isInteger(r.minutes) && Number.isInteger(r.cpus))
        }
      ),
      { numRuns: 300 }
    )
  })

  it.effect("size the paper's training by its 26 million steps at 3.1 µs, and a large test over 4 CPUs", () =>
    Effect.gen(function* () {
      const cache = tempDir("slurm-plan")
      const full = yield* plan(registry.pipelines.find((p) => p.name === "estimation")!, [], cache)
      const train = full.nodes.find((n) => n.name === "train")!
      // DESIGN §10: one full training is 26 million steps (260 trials × 100 000).
      assert.closeTo(train.estimate.cpuSeconds!, 26e6 * 3.1e-6, 1e-6)
      assert.deepInclude(Resources.fromEstimate(train.estimate), { cpus: 1, minutes: 10 })
      // N = 200: a step touches N·(N + 12 + 2) weights, 200·214 / (40·54) = 19.8 times the
      // calibration's (stages/cpuCost.ts); 100 test trials of 100 000 steps.
      const big = yield* plan(registry.pipelines.find((p) => p.name === "estimation")!, ["N=200"], cache)
      const test = big.nodes.find((n) => n.name === "test")!
      const seconds = 100 * 1e5 * 2.1e-6 * ((200 * 214) / (40 * 54))
      assert.closeTo(test.estimate.cpuSeconds!, seconds, 1e-6)
      const r = Resources.fromEstimate(test.estimate)
      assert.strictEqual(r.cpus, 4)
      assert.isAtLeast(r.minutes * 60, (3 * seconds) / 4)
    })
  )

  it("apply the settings in order: estimate, profile defaults, command line, profile per stage, per node, command line per stage", () => {
    const node = {
      name: "train[seed=2]",
      stage: { name: "train" },
      estimate: { memoryBytes: 100 * MiB, diskBytes: 0, cpuSeconds: 60 }
    }
    const profile: Resources.Profile = {
      "default-resources": { slurm_partition: "short", slurm_account: "lab", mem_mb: 1000, slurm_extra: "--qos=a" },
      "set-resources": { train: { runtime: "2h", slurm_partition: "long" }, "train[seed=2]": { mem: "2G" } }
    }
    const r = Resources.resolve(
      node,
      profile,
      { partition: "cli", extra: ["--exclusive"] },
      { train: { cpus_per_task: 2 } }
    )
    assert.deepStrictEqual(r, {
      cpus: 2,
      memMb: 2048,
      minutes: 120,
      partition: "long",
      account: "lab",
      extra: ["--qos=a", "--exclusive"]
    })
    assert.deepStrictEqual(Resources.sbatchArgs(r), [
      "--cpus-per-task=2",
      "--mem=2048M",
      "--time=120",
      "--partition=long",
      "--account=lab",
      "--qos=a",
      "--exclusive"
    ])
    // A node named as its stage gets its settings once (its extra arguments are not doubled).
    const init = Resources.resolve(
      { name: "init", stage: { name: "init" }, estimate: { memoryBytes: 0, diskBytes: 0 } },
      { "set-resources": { init: { slurm_extra: "--qos=b" } } },
      {},
      {}
    )
    assert.deepStrictEqual(init.extra, ["--qos=b"])
    assert.deepStrictEqual(Resources.unmatched(["train", "trian", "train[seed=2]"], [node]), ["trian"])
  })
})

describe("settings errors", () => {
  it.effect("name every wrong key and value of a profile, with its path", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        Resources.decodeProfile(
          {
            retries: -1,
            "default-resources": { "mem-mb": 2000, runtime: "soon" },
            "set-resources": { train: { cpus_per_task: 1.5 } }
          },
          "lab.yaml"
        )
      )
      assert.strictEqual(error._tag, "SlurmSettingsError")
      assert.include(error.message, "lab.yaml")
      assert.match(error.message, /retries: /)
      assert.match(error.message, /default-resources\.mem-mb: .*unexpected/i)
      assert.match(error.message, /default-resources\.runtime: .*"soon"/)
      assert.match(error.message, /set-resources\.train\.cpus_per_task: /)
    })
  )

  it.effect("refuse a --slurm-resources argument that is not STAGE:KEY=VALUE, or of an unknown key", () =>
    Effect.gen(function* () {
      assert.deepStrictEqual(
        yield* Resources.parseStageSettings(["train:runtime=2h", "train:cpus_per_task=2", "test[seed=1]:mem=8G"]),
        { train: { runtime: "2h", cpus_per_task: 2 }, "test[seed=1]": { mem: "8G" } }
      )
      const bad = yield* Effect.flip(Resources.parseStageSettings(["train=2h", "train:walltime=2h"]))
      assert.include(bad.message, `"train=2h": expected STAGE:KEY=VALUE`)
      const unknown = yield* Effect.flip(Resources.parseStageSettings(["train:walltime=2h"]))
      assert.match(unknown.message, /train\.walltime: .*unexpected/i)
    })
  )

  it("stop `run --executor slurm` at a bad profile, naming it, before anything is planned or submitted", async () => {
    const root = tempDir("slurm-profile")
    const profile = join(root, "profile.yaml")
    const { writeFileSync, existsSync } = await import("node:fs")
    writeFileSync(profile, "default-resources:\n  slurm_partiton: compute\n")
    const run = await pipeline(
      ["run", "estimation", "--executor", "slurm", "--slurm-profile", profile, "--set", "trainTrials=2"],
      cliEnv(join(root, "cache"))
    )
    assert.strictEqual(run.status, 1, run.stderr)
    assert.include(run.stderr, `The SLURM settings in ${profile} are invalid; nothing was submitted.`)
    assert.match(run.stderr, /default-resources\.slurm_partiton: /)
    assert.isFalse(existsSync(join(root, "cache", ".slurm")))
  })
})
