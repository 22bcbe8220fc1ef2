/**
 * The warm path of `pipeline run`: before the pipeline registry is loaded, serve a run whose
 * inputs are unchanged from the warm-run memo (see `engine/WarmRun.ts`). Only the plain form
 * `run NAME [--set k=v]… [--json] [--cache DIR] [--out DIR] [--workers N]` qualifies; anything
 * else (`--force`, `--dry-run`, other commands) goes to the full CLI. PIPELINE_WARM=0 disables it.
 *
 * @module warm
 */

import { join, resolve } from "node:path"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Cache from "../engine/Cache.js"
import * as WarmRun from "../engine/WarmRun.js"
import { formatRun } from "./format.js"

interface Parsed {
  readonly pipeline: string
  readonly sets: ReadonlyArray<string>
  readonly json: boolean
  readonly cache: string | undefined
  readonly out: string | undefined
}

/** Parses the plain `run` form, or returns undefined. */
export const parseRun = (args: ReadonlyArray<string>): Parsed | undefined => {
  if (args[0] !== "run") return undefined
  let pipeline: string | undefined
  const sets: Array<string> = []
  let json = false
  let cache: string | undefined
  let out: string | undefined
  for (let i = 1; i < args.length; i++) {
    const a = args[i]!
    const value = args[i + 1]
    if (a === "--json") json = true
    else if ((a === "--set" || a === "--cache" || a === "--out" || a === "--workers") && value !== undefined) {
      if (a === "--set") sets.push(value)
      if (a === "--cache") cache = value
      if (a === "--out") out = value
      i++
    } else if (!a.startsWith("-") && pipeline === undefined) pipeline = a
    else return undefined
  }
  return pipeline === undefined ? undefined : { pipeline, sets, json, cache, out }
}

const env = (name: string) => {
  const v = process.env[name]
  return v === undefined || v === "" ? undefined : v
}

/** The settings the full CLI would use (cache and output folders). */
export const folders = (root: string, cache: string | undefined, out: string | undefined) => ({
  cacheDir: resolve(cache ?? env("PIPELINE_CACHE") ?? join(root, "cache")),
  outDir: resolve(out ?? env("PIPELINE_OUT") ?? join(root, "out"))
})

/**
 * Serves `argv` (process.argv form) from the warm-run memo if possible, printing what the full
 * run would print. Resolves true when served.
 */
export const tryWarmRun = (root: string, argv: ReadonlyArray<string>): Promise<boolean> => {
  const parsed = env("PIPELINE_WARM") === "0" ? undefined : parseRun(argv.slice(2))
  if (parsed === undefined) return Promise.resolve(false)
  const { cacheDir, outDir } = folders(root, parsed.cache, parsed.out)
  const program = WarmRun.serve({ root, cacheDir, outDir, pipeline: parsed.pipeline, sets: parsed.sets }).pipe(
    Effect.map(
      Option.match({
        onNone: () => false,
        onSome: (served) => {
          for (const s of served.stages) process.stderr.write(`✓ ${s.name}: cached (${s.key.slice(0, 12)})\n`)
          process.stderr.write("(nothing changed since the last identical run: served from the warm-run memo)\n")
          const text = formatRun(served, { json: parsed.json, dryRun: false })
          process.stdout.write(`${text}\n`)
          return true
        }
      })
    ),
    Effect.provide(
      Cache.layer({ dir: cacheDir }).pipe(Layer.provideMerge(Layer.merge(NodeFileSystem.layer, NodePath.layer)))
    ),
    Effect.orElseSucceed(() => false)
  )
  return Effect.runPromise(program)
}
