/**
 * The SLURM executor end to end (issue #21), against a real one-node SLURM started by the test
 * (`test/helpers/slurm.ts`), not a mock. A 2-member sweep of `estimation` (the two rules) is
 * submitted with `--executor slurm` while a blocker job holds every CPU, so its first stages pend:
 *
 * 1. the first submitter is stopped with Ctrl-C (SIGINT): it exits 130 and its jobs stay queued;
 * 2. a second submitter attaches to those jobs (no second job for any key), then the blocker goes;
 * 3. one training job is `scancel`ed and the other's process `kill -9`ed, each mid-stage, after a
 *    checkpoint: both are resubmitted, with SLURM's state and exit code in the message, and resume.
 *
 * Checked: every member finishes; every stage was computed exactly once (the per-key computation
 * log, and each entry's manifest); each key had one job, but for the two killed (two); the killed
 * stages resumed; `status --last` shows every stage's job id and state; and every output digest,
 * and the published `results.csv` byte for byte, equal a local run's.
 *
 * A bad partition is refused by sbatch, in its own words, before anything runs.
 *
 * Skipped, saying why, when SLURM cannot start here (not installed, not root, the daemons fail);
 * under `CI=true` (`.ci/run` installs it) a cluster that does not start fails the suite instead.
 */
import { spawnSync } from "node:child_process"
import { existsSync, readFileSync, rmSync } from "node:fs"
import { join } from "node:path"
import { afterAll, assert, beforeAll, describe, it } from "vitest"
import { cliEnv, pipeline, type RunJson, repoRoot, startPipeline, tempDir } from "../helpers/cli.js"
import { assertComputedOnce, assertSameAsLocalRun, computations, hasCheckpoint } from "../helpers/computations.js"
import { type Cluster, startCluster, unavailable } from "../helpers/slurm.js"

const skipReason = unavailable()
if (skipReason !== undefined) {
  if (process.env.CI === "true") throw new Error(`slurm.test: SLURM is required under CI=true: ${skipReason}`)
  process.stderr.write(`slurm.test: SKIPPED: ${skipReason}\n`)
}

const sets = [
  ...["trainTrials=100", "testTrials=2", "trialSeconds=20", "switchSeconds=5"].flatMap((s) => ["--set", s]),
  ...["--sweep", "rule=three-factor,decoder-only"]
]

/** Fast polling, a checkpoint after every trial, a dead job's lock taken over after 2 s. */
const runnerEnv = {
  PIPELINE_SLURM_POLL_SECONDS: "0.5",
  PIPELINE_CHECKPOINT_SECONDS: "0",
  PIPELINE_LOCK_STALE_MS: "2000"
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

interface Submission {
  readonly jobId: string
  readonly state?: string
}

/** A key's SLURM job record (`.slurm/<key>/jobs.json`). */
const jobRecord = (cache: string, key: string): { node: string; submissions: Array<Submission> } | undefined => {
  const file = join(cache, ".slurm", key, "jobs.json")
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : undefined
}

/** A running job's progress (`.slurm/<key>/progress.json`). */
const jobProgress = (cache: string, key: string): { done: number; total: number } | undefined => {
  try {
    return JSON.parse(readFileSync(join(cache, ".slurm", key, "progress.json"), "utf8"))
  } catch {
    return undefined
  }
}

/** The jobs SLURM lists now, by id. */
const squeue = (env: Record<string, string>) => {
  const out = spawnSync("squeue", ["--json", "--states=all"], { env: { ...process.env, ...env }, encoding: "utf8" })
  const jobs = (JSON.parse(out.stdout) as { jobs: Array<{ job_id: number; name: string; job_state: unknown }> }).jobs
  return new Map(jobs.map((j) => [String(j.job_id), { name: j.name, state: String(j.job_state) }]))
}

const count = (text: string, pattern: RegExp) => (text.match(new RegExp(pattern, "g")) ?? []).length

describe.skipIf(skipReason !== undefined)("the slurm executor", () => {
  let cluster: Cluster | undefined
  /** Why the cluster did not start (the tests then skip, outside CI). */
  let notStarted: string | undefined
  const root = tempDir("slurm-run")
  const cache = join(root, "cache")

  beforeAll(async () => {
    const { build, isStale } = (await import(join(repoRoot, "bin", "build.mjs"))) as {
      build: (o: { quiet: boolean }) => void
      isStale: () => boolean
    }
    if (isStale()) build({ quiet: true })
    const started = await startCluster()
    if (typeof started === "string") {
      if (process.env.CI === "true") throw new Error(`slurm.test: SLURM is required under CI=true: ${started}`)
      process.stderr.write(`slurm.test: SKIPPED: ${started}\n`)
      notStarted = started
      return
    }
    cluster = started
    process.stderr.write(`slurm.test: the cluster was idle ${cluster.startSeconds.toFixed(1)} s after it started\n`)
  })

  afterAll(async () => {
    await cluster?.stop()
    rmSync(root, { recursive: true, force: true })
  })

  it("refuses a partition the cluster does not have, in sbatch's words, and runs nothing", async (ctx) => {
    if (notStarted !== undefined) return ctx.skip()
    const run = await pipeline(
      ["run", "estimation", "--executor", "slurm", "--slurm-partition", "nowhere", "--set", "trainTrials=2"],
      cliEnv(join(root, "refused"), { ...runnerEnv, ...cluster!.env })
    )
    assert.strictEqual(run.status, 1, run.stderr)
    assert.match(run.stderr, /SLURM refused its job: sbatch: error: .*invalid partition/i)
    assert.match(run.stderr, /--slurm-partition/)
    assert.isFalse(existsSync(join(root, "refused", ".computations")), "a stage ran")
  })

  it("survives Ctrl-C on the submitter, scancel and kill -9 mid-stage: every stage computed once, as a local run", async (ctx) => {
    if (notStarted !== undefined) return ctx.skip()
    const env = { ...cliEnv(cache, { ...runnerEnv, ...cluster!.env }), PIPELINE_OUT: join(root, "out") }
    const slurmEnv = { ...process.env, ...cluster!.env }
    const args = ["run", "estimation", "--executor", "slurm", "--json", ...sets]
    const t0 = performance.now()

    // 1. A blocker holds every CPU, so the first stages pend; Ctrl-C leaves them queued.
    const blocker = spawnSync(
      "sbatch",
      ["--parsable", "--exclusive", "--job-name=blocker", "--output=/dev/null", "--wrap", "sleep 600"],
      {
        env: slurmEnv,
        encoding: "utf8"
      }
    ).stdout.trim()
    assert.match(blocker, /^\d+$/)
    const first = startPipeline(args, env)
    await first.waitFor((text) => count(text, /submitted as SLURM job/) >= 3, 60_000)
    first.child.kill("SIGINT")
    assert.strictEqual(await first.exited, 130, first.output())
    const queued = [...squeue(cluster!.env).values()].filter((j) => j.name.startsWith("pn-"))
    assert.strictEqual(queued.length, 3, JSON.stringify(queued))
    assert.isTrue(
      queued.every((j) => j.state.includes("PENDING")),
      JSON.stringify(queued)
    )

    // 2. A second submitter attaches to the queued jobs; then the blocker goes.
    const second = startPipeline(args, env)
    await second.waitFor((text) => count(text, /attached to SLURM job/) >= 3, 60_000)
    spawnSync("scancel", [blocker], { env: slurmEnv })

    // 3. One training job scancel-ed, the other's process kill -9-ed, each after a checkpoint and
    //    before half of its trials.
    const victims: Array<{ key: string; node: string; jobId: string; how: "scancel" | "kill -9" }> = []
    while (victims.length < 2 && second.child.exitCode === null && performance.now() - t0 < 180_000) {
      for (const [key, events] of computations(cache)) {
        const last = events[events.length - 1]
        if (last?.event !== "start" || !last.node.startsWith("train[") || victims.some((v) => v.key === key)) continue
        const progress = jobProgress(cache, key)
        if (!hasCheckpoint(cache, key) || (progress !== undefined && progress.done > progress.total / 2)) continue
        const jobId = jobRecord(cache, key)!.submissions.at(-1)!.jobId
        if (victims.length === 0) {
          spawnSync("scancel", [jobId], { env: slurmEnv })
          victims.push({ key, node: last.node, jobId, how: "scancel" })
        } else {
          process.kill(Number(last.worker.split(":").at(-1)), "SIGKILL")
          victims.push({ key, node: last.node, jobId, how: "kill -9" })
        }
        break
      }
      await sleep(25)
    }
    assert.strictEqual(
      victims.length,
      2,
      `the trainings were not caught mid-stage:\n${second.output().slice(-3000)}\n${cluster!.logs()}`
    )
    const status = await second.exited
    const slurmSeconds = (performance.now() - t0) / 1000
    assert.strictEqual(status, 0, `the second submit failed:\n${second.output().slice(-4000)}\n${cluster!.logs()}`)
    const log = second.output()
    const report: RunJson = JSON.parse(second.stdout().slice(second.stdout().indexOf("{")))

    // The killed jobs were resubmitted, SLURM's state and exit code in the message.
    const [cancelled, killed] = victims as [(typeof victims)[0], (typeof victims)[0]]
    assert.match(log, new RegExp(`SLURM job ${cancelled.jobId} ended CANCELLED[^;]*; resubmitted as job \\d+`))
    // kill -9: 22.05 says FAILED with the signal (and the reason JobLaunchFailure).
    assert.match(
      log,
      new RegExp(`SLURM job ${killed.jobId} ended FAILED \\(exit code 0, signal 9[,)][^;]*; resubmitted as job \\d+`)
    )

    // Every stage computed exactly once (by a job whose manifest says so); one job per key, two for the killed.
    const members = report.stages.filter((s) => s.name.startsWith("metrics[")).length
    assert.strictEqual(members, 2)
    const { ends, duplicates } = assertComputedOnce(cache, report.stages)
    let jobs = 0
    for (const stage of report.stages) {
      const submissions = jobRecord(cache, stage.key)!.submissions.length
      jobs += submissions
      const victim = victims.find((v) => v.key === stage.key)
      assert.strictEqual(submissions, victim === undefined ? 1 : 2, `${stage.name} had ${submissions} jobs`)
      if (victim !== undefined)
        assert.strictEqual(ends.get(stage.key)!.status, "resumed", `${stage.name} did not resume`)
    }
    assert.strictEqual(duplicates, 0)

    // `status --last` shows each stage's job and its state.
    const shown = await pipeline(["status", "estimation", "--last", "--json"], env)
    assert.strictEqual(shown.status, 0, shown.stderr)
    const states = JSON.parse(shown.stdout) as {
      stages: ReadonlyArray<{
        name: string
        state: string
        slurm?: { jobId: string; state: string; earlier: Array<{ state: string }> }
      }>
    }
    for (const st of states.stages) {
      assert.strictEqual(st.state, "fresh", st.name)
      assert.match(st.slurm?.jobId ?? "", /^\d+$/, st.name)
      assert.strictEqual(st.slurm!.state, "COMPLETED", st.name)
    }
    assert.deepStrictEqual(
      states.stages.find((s) => s.name === cancelled.node)!.slurm!.earlier.map((e) => e.state),
      ["CANCELLED"]
    )
    assert.deepStrictEqual(
      states.stages.find((s) => s.name === killed.node)!.slurm!.earlier.map((e) => e.state),
      ["FAILED"]
    )

    // The same results as a local run: every output digest, and results.csv byte for byte.
    const { localSeconds, csvBytes } = await assertSameAsLocalRun({
      root,
      localCache: join(root, "local"),
      sets,
      report,
      executor: "slurm"
    })
    process.stderr.write(
      `slurm.test: ${members} members, ${report.stages.length} stages, ${jobs} jobs; ${cancelled.how} ${cancelled.node} (job ${cancelled.jobId}), ` +
        `${killed.how} ${killed.node} (job ${killed.jobId}), both resumed; duplicates ${duplicates}; results.csv ${csvBytes} bytes identical; ` +
        `wall: slurm ${slurmSeconds.toFixed(1)} s (with a Ctrl-C and a blocker), local ${localSeconds.toFixed(1)} s\n`
    )
  }, 300_000)
})
