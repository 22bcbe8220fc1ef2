/**
 * SLURM executor benchmark (issue #21): the wall time of a small sweep through a private one-node
 * SLURM (the tests' cluster, `test/helpers/slurm.ts`) against a local run of the same sweep on
 * the same machine, each from an empty cache, and so the overhead per batch job; the published
 * `results.csv` of both compared byte for byte. Prints the figures; asserts nothing else.
 *
 * Usage (as root, with Debian's slurmctld, slurmd, slurm-client and munge installed):
 *   npx tsx bench/slurm.ts [--members 4] [--rounds 1] [--profile FILE]
 *
 * The default poll interval (10 s) is kept: a job's end is seen from its result file within a
 * second, whatever the interval.
 */
import { spawnSync } from "node:child_process"
import { readdirSync, readFileSync, rmSync } from "node:fs"
import { join } from "node:path"
import { bin, tempDir } from "../test/helpers/cli.js"
import { startCluster } from "../test/helpers/slurm.js"

const argv = process.argv.slice(2)
const option = (name: string, fallback: string) => {
  const i = argv.indexOf(name)
  return i >= 0 ? argv.splice(i, 2)[1]! : fallback
}
const members = Number(option("--members", "4"))
const rounds = Number(option("--rounds", "1"))
const profile = option("--profile", "")
const sigmas = ["0.1", "0.2", "0.3", "0.4", "0.5", "0.6"].slice(0, Math.max(1, members / 2))
const sets = [
  ...["trainTrials=8", "testTrials=2", "trialSeconds=20", "switchSeconds=5"].flatMap((s) => ["--set", s]),
  ...["--sweep", `sigma=${sigmas.join(",")}`, "--sweep", "rule=three-factor,decoder-only"]
]

const cluster = await startCluster()
if (typeof cluster === "string") {
  process.stderr.write(`bench/slurm: SLURM did not start: ${cluster}\n`)
  process.exit(1)
}
const root = tempDir("bench-slurm")
const run = (name: string, extra: ReadonlyArray<string>) => {
  const t0 = performance.now()
  const r = spawnSync(process.execPath, [bin, "run", "estimation", "--json", ...sets, ...extra], {
    encoding: "utf8",
    env: {
      ...process.env,
      ...cluster.env,
      PIPELINE_CACHE: join(root, name, "cache"),
      PIPELINE_OUT: join(root, name, "out")
    }
  })
  const seconds = (performance.now() - t0) / 1000
  if (r.status !== 0) throw new Error(`${name} failed:\n${r.stderr.slice(-3000)}\n${cluster.logs()}`)
  const report = JSON.parse(r.stdout.slice(r.stdout.indexOf("{"))) as { stages: ReadonlyArray<{ status: string }> }
  const dir = join(root, name, "out", "estimation", "sweeps")
  // out/estimation/sweeps/<axes>-<hash>/latest: the sweep's newest run (each run its own folder).
  const csv = readFileSync(join(dir, readdirSync(dir)[0]!, "latest", "results.csv"))
  const jobs = (r.stderr.match(/submitted as SLURM job/g) ?? []).length
  return { seconds, stages: report.stages.length, jobs, csv }
}

try {
  process.stderr.write(`bench/slurm: cluster idle ${cluster.startSeconds.toFixed(1)} s after it started\n`)
  for (let i = 1; i <= rounds; i++) {
    const slurm = run(`slurm${i}`, ["--executor", "slurm", ...(profile === "" ? [] : ["--slurm-profile", profile])])
    const local = run(`local${i}`, [])
    const perJob = (slurm.seconds - local.seconds) / Math.max(1, slurm.jobs)
    process.stdout.write(
      `round ${i}: ${members} members, ${slurm.stages} stages, ${slurm.jobs} SLURM jobs: ` +
        `slurm ${slurm.seconds.toFixed(1)} s, local ${local.seconds.toFixed(1)} s, ` +
        `overhead ${(slurm.seconds - local.seconds).toFixed(1)} s (${perJob.toFixed(2)} s a job on this machine's ${spawnSync(
          "nproc",
          { encoding: "utf8" }
        ).stdout.trim()} cores); results.csv ${slurm.csv.length} bytes, ${slurm.csv.equals(local.csv) ? "identical" : "DIFFERENT"}\n`
    )
  }
} finally {
  await cluster.stop()
  rmSync(root, { recursive: true, force: true, maxRetries: 5 })
}
