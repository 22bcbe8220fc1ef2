/**
 * The per-key computation log the distributed job processor appends to
 * (`<cache>/.computations/<key>.jsonl`: one event per job start, end or error), read by the tests
 * of the distributed runners (BullMQ, SLURM) to count who computed what.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"

/** One event of the log. */
export interface ComputationEvent {
  readonly event: "start" | "end" | "error"
  readonly key: string
  readonly node: string
  /** `host:pid` of the process that ran the job. */
  readonly worker: string
  readonly status?: string
  readonly at: string
  readonly detail?: string
}

/** Every key's computation log. */
export const computations = (cache: string): Map<string, Array<ComputationEvent>> => {
  const dir = join(cache, ".computations")
  const out = new Map<string, Array<ComputationEvent>>()
  if (!existsSync(dir)) return out
  for (const file of readdirSync(dir)) {
    const lines = readFileSync(join(dir, file), "utf8").split("\n").filter(Boolean)
    out.set(
      file.replace(/\.jsonl$/, ""),
      lines.map((l) => JSON.parse(l) as ComputationEvent)
    )
  }
  return out
}

/** A complete checkpoint of the key exists (`ckpt-N` is renamed into place when complete). */
export const hasCheckpoint = (cache: string, key: string) => {
  const dir = join(cache, ".checkpoints", key)
  return existsSync(dir) && readdirSync(dir).some((name) => /^ckpt-\d+$/.test(name))
}

/** The event of a job that computed and committed the key (not one served from the cache). */
export const computed = (e: ComputationEvent) => e.event === "end" && (e.status === "ran" || e.status === "resumed")
