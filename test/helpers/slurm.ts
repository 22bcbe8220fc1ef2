/**
 * A private one-node SLURM cluster for tests (`../shared/SLURM.md`'s recipe, isolated): `munged`,
 * `slurmctld` and `slurmd` run in the foreground as children of the test process, with their own
 * munge key and socket, state, spool, logs and free ports in a temporary folder, and a config file
 * the SLURM tools find through `SLURM_CONF`. Nothing under /etc or /run is touched, and a second
 * cluster (another checkout's tests) can run beside it. {@link stop} ends the daemons by pid.
 *
 * It needs Debian's `slurmctld`, `slurmd`, `slurm-client` and `munge` packages, and root (slurmd
 * starts jobs as their users). When it cannot start, {@link startCluster} says why, so the tests
 * skip saying so; under `CI=true` (`.ci/run` installs the packages) they must run instead.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process"
import { randomBytes } from "node:crypto"
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { freePort, tempDir } from "./cli.js"

/** A running cluster. */
export interface Cluster {
  readonly dir: string
  /** The environment the SLURM tools (and `pipeline run --executor slurm`) need: `SLURM_CONF`. */
  readonly env: Record<string, string>
  /** Seconds from the first daemon's start to the node being idle. */
  readonly startSeconds: number
  /** The last lines of the daemons' logs, for a failure's message. */
  readonly logs: () => string
  readonly stop: () => Promise<void>
}

/** The path of a program, or undefined (the daemons live in /usr/sbin). */
const which = (name: string): string | undefined => {
  for (const dir of [...(process.env.PATH ?? "").split(":"), "/usr/sbin", "/sbin"]) {
    const file = join(dir, name)
    if (dir !== "" && existsSync(file)) return file
  }
  return undefined
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Stops a child we started and waits for it (SIGTERM, then SIGKILL after 5 s). */
const stopChild = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return resolve()
    const force = setTimeout(() => child.kill("SIGKILL"), 5000)
    child.once("exit", () => {
      clearTimeout(force)
      resolve()
    })
    child.kill("SIGTERM")
  })

/** Why a cluster cannot start here, or undefined when it can be tried. */
export const unavailable = (): string | undefined => {
  const missing = ["munged", "slurmctld", "slurmd", "sbatch", "squeue", "scancel", "sinfo"].filter(
    (p) => which(p) === undefined
  )
  if (missing.length > 0) {
    return `${missing.join(", ")} not installed (apt-get install -y --no-install-recommends slurmctld slurmd slurm-client munge)`
  }
  if (process.getuid?.() !== 0) return "slurmd must run as root to start jobs"
  return undefined
}

/** Starts a cluster, or says why it cannot. */
export const startCluster = async (): Promise<Cluster | string> => {
  const why = unavailable()
  if (why !== undefined) return why
  const dir = tempDir("slurm")
  for (const sub of ["state", "spool", "log", "munge"]) mkdirSync(join(dir, sub), { recursive: true, mode: 0o755 })
  const children: Array<ChildProcess> = []
  // Should the test process exit without stopping them (a crash), the daemons go with it.
  const onExit = () => {
    for (const child of children) child.kill("SIGKILL")
  }
  process.once("exit", onExit)
  const stop = async () => {
    // Jobs outlive slurmd (their slurmstepd goes on): end them first, while slurmd can still tell.
    if (existsSync(join(dir, "slurm.conf"))) {
      const env = { ...process.env, SLURM_CONF: join(dir, "slurm.conf") }
      spawnSync(which("scancel") ?? "scancel", ["--user", String(process.getuid?.() ?? 0)], { env, timeout: 10_000 })
      for (let i = 0; i < 40; i++) {
        const left = spawnSync(which("squeue")!, ["-h", "-t", "PD,R,CG,CF,S"], {
          env,
          encoding: "utf8",
          timeout: 10_000
        })
        if (left.status !== 0 || left.stdout.trim() === "") break
        await sleep(250)
      }
    }
    for (const child of children.reverse()) await stopChild(child)
    process.removeListener("exit", onExit)
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 })
  }
  try {
    const t0 = performance.now()
    const socket = join(dir, "munge", "munge.sock")
    const key = join(dir, "munge", "munge.key")
    writeFileSync(key, randomBytes(1024), { mode: 0o600 })
    const start = (program: string, args: ReadonlyArray<string>, env: NodeJS.ProcessEnv = process.env) => {
      const child = spawn(which(program)!, args, { env, stdio: ["ignore", "ignore", "pipe"] })
      let stderr = ""
      child.stderr!.on("data", (d) => (stderr += String(d)))
      children.push(child)
      return () => stderr
    }
    start("munged", [
      "--foreground",
      "--force",
      `--socket=${socket}`,
      `--key-file=${key}`,
      `--pid-file=${join(dir, "munge", "munged.pid")}`,
      `--log-file=${join(dir, "log", "munged.log")}`,
      `--seed-file=${join(dir, "munge", "munged.seed")}`
    ])
    for (let i = 0; i < 100 && !existsSync(socket); i++) await sleep(50)
    if (!existsSync(socket)) throw new Error(`munged did not start: ${readLog(dir, "munged.log")}`)

    const [ctldPort, slurmdPort] = [await freePort(), await freePort()]
    const nodeLine = spawnSync(which("slurmd")!, ["-C"], { encoding: "utf8" }).stdout.split("\n")[0]!
    if (!nodeLine.startsWith("NodeName=")) throw new Error(`slurmd -C printed no node line: ${nodeLine}`)
    const conf = join(dir, "slurm.conf")
    writeFileSync(
      conf,
      [
        "ClusterName=plastic-net-test",
        "SlurmctldHost=localhost",
        `SlurmctldPort=${ctldPort}`,
        `SlurmdPort=${slurmdPort}`,
        "SlurmUser=root",
        "AuthType=auth/munge",
        `AuthInfo=socket=${socket}`,
        "CredType=cred/munge",
        "MailProg=/bin/true",
        `StateSaveLocation=${join(dir, "state")}`,
        `SlurmdSpoolDir=${join(dir, "spool")}`,
        `SlurmctldPidFile=${join(dir, "slurmctld.pid")}`,
        `SlurmdPidFile=${join(dir, "slurmd.pid")}`,
        `SlurmctldLogFile=${join(dir, "log", "slurmctld.log")}`,
        `SlurmdLogFile=${join(dir, "log", "slurmd.log")}`,
        // pgid: a killed batch shell's children die with it (linuxproc let one run on).
        "ProctrackType=proctrack/pgid",
        "TaskPlugin=task/none",
        "JobAcctGatherType=jobacct_gather/none",
        "AccountingStorageType=accounting_storage/none",
        "JobCompType=jobcomp/filetxt",
        `JobCompLoc=${join(dir, "log", "jobcomp.txt")}`,
        "SelectType=select/cons_tres",
        "SelectTypeParameters=CR_Core",
        "SchedulerParameters=batch_sched_delay=0",
        "MpiDefault=none",
        "ReturnToService=2",
        "MinJobAge=600",
        "KillWait=2",
        // A machine shared with other test runs can be slow to answer (the default is 10 s).
        "MessageTimeout=60",
        `${nodeLine} NodeAddr=127.0.0.1 State=UNKNOWN`,
        "PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP",
        ""
      ].join("\n")
    )
    const env = { SLURM_CONF: conf }
    const daemonEnv = { ...process.env, ...env }
    const ctld = start("slurmctld", ["-D", "-f", conf], daemonEnv)
    const slurmd = start("slurmd", ["-D", "-f", conf], daemonEnv)
    for (let i = 0; i < 120; i++) {
      const state = spawnSync(which("sinfo")!, ["-h", "-o", "%t"], { env: daemonEnv, encoding: "utf8" }).stdout.trim()
      if (state === "idle") {
        const logs = () =>
          ["slurmctld.log", "slurmd.log", "munged.log"].map((f) => `--- ${f}\n${readLog(dir, f)}`).join("\n")
        return { dir, env, startSeconds: (performance.now() - t0) / 1000, logs, stop }
      }
      if (children.some((c) => c.exitCode !== null)) break
      await sleep(250)
    }
    throw new Error(
      `the node never became idle.\nslurmctld: ${ctld()}${readLog(dir, "slurmctld.log")}\nslurmd: ${slurmd()}${readLog(dir, "slurmd.log")}`
    )
  } catch (e) {
    await stop()
    return `SLURM did not start: ${String((e as Error).message ?? e)}`
  }
}

const readLog = (dir: string, name: string) => {
  try {
    return readFileSync(join(dir, "log", name), "utf8")
      .split("\n")
      .slice(-15)
      .join("\n")
  } catch {
    return ""
  }
}
