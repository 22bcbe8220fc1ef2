/**
 * The distributed executor end to end (issue #6), on one machine: a redis-server on a free
 * loopback port, two `pipeline worker` processes sharing a temporary cache, and a 20-member
 * `noise-sweep` submitted with `--executor bullmq`. One worker is killed with SIGKILL while it is
 * computing a training stage (after it finished five stages). Checked: every stage was
 * computed exactly once (the per-key computation log the processor appends to, and each entry's
 * manifest), no job failed, both workers computed stages, the killed stage resumed from its
 * checkpoint on the other worker, and every output digest, and the published `results.csv` byte
 * for byte, equals a local run's.
 *
 * redis-server comes from Debian (`apt-get install -y redis-server` when it is missing; the
 * suite is skipped, saying why, only when that install fails).
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process"
import { rmSync } from "node:fs"
import { join } from "node:path"
import { afterAll, assert, beforeAll, describe, it } from "vitest"
import { cliEnv, freePort, pipeline, repoRoot, runJson, startPipeline, tempDir } from "../helpers/cli.js"
import {
  assertComputedOnce,
  assertSameAsLocalRun,
  computations,
  computed,
  hasCheckpoint
} from "../helpers/computations.js"

const findRedis = (): string | undefined => {
  const which = () => spawnSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" }).stdout.trim()
  if (which() !== "") return which()
  process.stderr.write("bullmq.test: redis-server is missing; installing it with apt-get\n")
  const install = spawnSync("sh", ["-c", "apt-get update -qq && apt-get install -y -qq redis-server"], {
    encoding: "utf8",
    stdio: ["ignore", "ignore", "pipe"],
    timeout: 300_000
  })
  if (install.status !== 0) process.stderr.write(`bullmq.test: apt-get failed: ${install.stderr.slice(-500)}\n`)
  return which() || undefined
}

const redisServer = findRedis()
if (redisServer === undefined) {
  process.stderr.write("bullmq.test: SKIPPED: no redis-server and `apt-get install -y redis-server` failed\n")
}

const sigmas = "0.1,0.15,0.2,0.25,0.3,0.35,0.4,0.45,0.5,0.55"
const rules = ["three-factor", "decoder-only"]
const sets = [
  ...["trainTrials=8", "testTrials=2", "trialSeconds=20", "switchSeconds=5"].flatMap((s) => ["--set", s]),
  ...["--sweep", `sigma=${sigmas}`, "--sweep", `rule=${rules.join(",")}`]
]

/** Short lock and stall settings so a killed worker's job is requeued within seconds. */
const workerEnv = {
  PIPELINE_LOCK_DURATION_MS: "3000",
  PIPELINE_STALLED_INTERVAL_MS: "1000",
  PIPELINE_LOCK_STALE_MS: "2000",
  PIPELINE_CHECKPOINT_SECONDS: "0"
}

/** Stops a process we started and waits for it to exit (SIGTERM, then SIGKILL after 5 s). */
const stop = (child: ChildProcess | undefined) =>
  new Promise<void>((resolve) => {
    if (child === undefined || child.pid === undefined || child.exitCode !== null || child.signalCode !== null) {
      return resolve()
    }
    const force = setTimeout(() => child.kill("SIGKILL"), 5000)
    child.once("exit", () => {
      clearTimeout(force)
      resolve()
    })
    process.kill(child.pid, "SIGTERM")
  })

describe.skipIf(redisServer === undefined)("the bullmq executor", () => {
  let redis: ChildProcess | undefined
  const workers: Array<ReturnType<typeof startPipeline>> = []
  let url = ""
  const root = tempDir("bullmq")
  const cache = join(root, "cache")
  const localCache = join(root, "local")

  beforeAll(async () => {
    const { build, isStale } = (await import(join(repoRoot, "bin", "build.mjs"))) as {
      build: (o: { quiet: boolean }) => void
      isStale: () => boolean
    }
    if (isStale()) build({ quiet: true }) // once, not in each worker at the same time
    const port = await freePort()
    url = `redis://127.0.0.1:${port}`
    redis = spawn(redisServer!, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
      stdio: ["ignore", "pipe", "pipe"]
    })
    await new Promise<void>((resolve, reject) => {
      let out = ""
      const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${out}`)), 15_000)
      redis!.stdout!.on("data", (d) => {
        out += String(d)
        if (out.includes("Ready to accept connections")) {
          clearTimeout(timer)
          resolve()
        }
      })
      redis!.on("exit", () => reject(new Error(`redis-server exited:\n${out}`)))
    })
    for (let i = 0; i < 2; i++) {
      workers.push(startPipeline(["worker", "--redis", url, "--cache", cache], cliEnv(cache, workerEnv)))
    }
    await Promise.all(workers.map((w) => w.waitFor((text) => text.includes("computing stages from queue"), 60_000)))
  })

  afterAll(async () => {
    await Promise.all(workers.map((w) => stop(w.child)))
    await stop(redis)
    rmSync(root, { recursive: true, force: true })
  })

  it("computes a 20-member sweep exactly once across two workers, one killed mid-stage, as a local run does", async () => {
    const [victim, survivor] = workers as [ReturnType<typeof startPipeline>, ReturnType<typeof startPipeline>]
    const victimId = (id: string) => id.endsWith(`:${victim.child.pid}`)
    const t0 = performance.now()
    const submitted = pipeline(["run", "estimation", "--executor", "bullmq", "--redis", url, "--json", ...sets], {
      ...cliEnv(cache),
      PIPELINE_OUT: join(root, "out")
    })

    // Kill the victim once it has computed a few stages and is inside a training (it saved a checkpoint).
    let killed: { key: string; node: string; at: number } | undefined
    while (killed === undefined && performance.now() - t0 < 90_000) {
      const logs = computations(cache)
      const done = [...logs.values()].flat().filter((e) => victimId(e.worker) && computed(e)).length
      for (const [key, events] of logs) {
        const mine = events.filter((e) => victimId(e.worker))
        const last = mine[mine.length - 1]
        if (done >= 5 && last?.event === "start" && last.node.startsWith("train[") && hasCheckpoint(cache, key)) {
          victim.child.kill("SIGKILL")
          killed = { key, node: last.node, at: Date.now() }
          break
        }
      }
      await new Promise((r) => setTimeout(r, 25))
    }
    assert.isDefined(killed, `the victim never ran a training stage:\n${victim.output().slice(-2000)}`)
    const run = await submitted
    const distributedSeconds = (performance.now() - t0) / 1000
    assert.strictEqual(run.status, 0, `submit failed:\n${run.stderr.slice(-3000)}`)
    const report = runJson(run)

    // Every stage computed exactly once, each by the worker its manifest names; no errors.
    const members = report.stages.filter((s) => s.name.startsWith("metrics[")).length
    assert.strictEqual(members, 20)
    const { ends, duplicates } = assertComputedOnce(cache, report.stages)
    const byWorker = new Map<string, number>()
    for (const end of ends.values()) byWorker.set(end.worker, (byWorker.get(end.worker) ?? 0) + 1)
    assert.strictEqual(duplicates, 0)
    assert.strictEqual(byWorker.size, 2, `only ${[...byWorker.keys()]} computed stages`)

    // The killed stage went back to the queue and resumed from its checkpoint on the survivor.
    const killedEvents = computations(cache).get(killed!.key)!
    const retry = killedEvents.find((e) => e.event === "start" && !victimId(e.worker))
    const finished = killedEvents.find(computed)!
    assert.strictEqual(finished.status, "resumed")
    assert.isFalse(victimId(finished.worker))
    assert.include(survivor.output(), killed!.node)
    const failoverSeconds = (Date.parse(retry!.at) - killed!.at) / 1000

    // The queue agrees: every stage's job is done, none failed, every stage fresh.
    const status = await pipeline(["status", "estimation", "--redis", url, "--json", ...sets], cliEnv(cache))
    assert.strictEqual(status.status, 0, status.stderr)
    const states = JSON.parse(status.stdout) as {
      stages: ReadonlyArray<{ name: string; state: string; queue: { state: string } }>
    }
    assert.deepStrictEqual(
      states.stages.filter((s) => s.state !== "fresh" || s.queue.state !== "done").map((s) => s.name),
      []
    )

    // The same results as a local run: every output digest (timings live in the run records, not
    // in the entries), and the published results.csv byte for byte.
    const { localSeconds } = await assertSameAsLocalRun({ root, localCache, sets, report, executor: "bullmq" })
    process.stderr.write(
      `bullmq.test: ${members} members, ${report.stages.length} stages; killed ${killed!.node} on the victim, ` +
        `retried on the survivor after ${failoverSeconds.toFixed(1)} s; duplicates ${duplicates}; stages per worker ` +
        `${[...byWorker.values()].join("/")}; wall: two workers ${distributedSeconds.toFixed(1)} s ` +
        `(one of them killed), local ${localSeconds.toFixed(1)} s\n`
    )
  }, 240_000)
})
