/**
 * `pipeline status NAME`: each stage fresh or stale, and why (which param, upstream, source file,
 * package or artifact changed since the pipeline's previous run); with `--redis`, where each
 * stage's job is in the distributed queue; where the cache holds SLURM job records, each stage's
 * SLURM job and its state.
 *
 * @module status
 */
import * as Command from "@effect/cli/Command"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Status from "../../engine/Status.js"
import { Cli } from "../MainLayer.js"
import { commonOptions, jsonOption, pipelineArg, redisOption, resolve, targetOptions } from "../target.js"
import { print } from "./print.js"

export const status = Command.make(
  "status",
  { ...commonOptions, ...redisOption, pipeline: pipelineArg, ...targetOptions, json: jsonOption },
  (opts) =>
    Effect.gen(function* () {
      const cli = yield* Cli
      const target = yield* resolve(opts)
      const explained = yield* Status.explain(target.plan, target.kind, target.name ?? target.pipeline.name)
      // With --redis (or PIPELINE_REDIS): where each stage's job is in the distributed queue.
      const jobs = Option.isNone(cli.redis)
        ? undefined
        : yield* (yield* Effect.promise(() => import("../../engine/distributed/BullStatus.js"))).jobStates(
            cli.redis.value,
            explained.map((st) => st.key)
          )
      // Where the cache has SLURM job records (`run --executor slurm`): each stage's job and state.
      const fs = yield* FileSystem.FileSystem
      const SlurmStatus = (yield* fs.exists(`${cli.cacheDir}/.slurm`).pipe(Effect.orElseSucceed(() => false)))
        ? yield* Effect.promise(() => import("../../engine/slurm/SlurmStatus.js"))
        : undefined
      const slurm =
        SlurmStatus === undefined
          ? undefined
          : yield* SlurmStatus.jobStates(
              cli.cacheDir,
              explained.map((st) => st.key)
            )
      const states = explained.map((st) => ({
        ...st,
        ...(jobs === undefined ? {} : { queue: jobs[st.key] }),
        ...(slurm?.[st.key] === undefined ? {} : { slurm: slurm[st.key] })
      }))
      if (opts.json) return yield* print(JSON.stringify({ pipeline: target.pipeline.name, stages: states }))
      const width = Math.max(...states.map((r) => r.name.length), 5)
      const lines = [
        `pipeline ${target.pipeline.name}${target.kind === "sweep" ? " (sweep)" : ""} (cache ${cli.cacheDir})`
      ]
      for (const st of states) {
        const job = jobs?.[st.key]
        const queue =
          job === undefined
            ? ""
            : `  ${job.state === "none" ? "not queued" : job.state}${job.done === undefined ? "" : ` ${job.done}/${job.total}`}${job.worker === undefined ? "" : ` on ${job.worker}`}${job.failedReason === undefined ? "" : `: ${job.failedReason}`}`
        const slurmJob =
          slurm?.[st.key] === undefined || SlurmStatus === undefined ? "" : `  ${SlurmStatus.describe(slurm[st.key]!)}`
        lines.push(`  ${st.name.padEnd(width)}  ${st.state.padEnd(5)}  ${st.key.slice(0, 12)}${queue}${slurmJob}`)
        for (const r of st.reasons) lines.push(`  ${" ".repeat(width)}    - ${r}`)
      }
      yield* print(lines.join("\n"))
    })
).pipe(Command.withDescription("Show each stage as fresh or stale, and why."))
