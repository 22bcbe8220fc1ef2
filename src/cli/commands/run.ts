/**
 * `pipeline run NAME`: plans the run (or the sweep) and hands it to the scheduler, which recomputes
 * only the stages whose key changed, records the run and publishes its artifacts.
 *
 * A plain run (`--set` only) whose arguments, sources and entries are unchanged since the last
 * identical run is served from the warm-run memo before the pipeline registry is even imported
 * (`engine/WarmRun.ts`); every other run plans in full.
 *
 * @module run
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { UnknownStageError } from "../../engine/Errors.js"
import * as Params from "../../engine/Params.js"
import * as Plan from "../../engine/Plan.js"
import * as Scheduler from "../../engine/Scheduler.js"
import * as Sweep from "../../engine/Sweep.js"
import * as WarmRun from "../../engine/WarmRun.js"
import { formatRun } from "../format.js"
import { Cli } from "../MainLayer.js"
import { slurmOptions } from "../slurmOptions.js"
import {
  commonOptions,
  jsonOption,
  pipelineArg,
  publishFolder,
  resolve,
  runnerOptions,
  targetOptions
} from "../target.js"
import { print } from "./print.js"

export const run = Command.make(
  "run",
  {
    ...commonOptions,
    ...runnerOptions,
    pipeline: pipelineArg,
    ...targetOptions,
    rerun: Options.text("rerun").pipe(
      Options.repeated,
      Options.withDescription("Recompute this stage even if cached, replacing its entry (repeatable).")
    ),
    dryRun: Options.boolean("dry-run").pipe(Options.withDescription("Show what would run; run and write nothing.")),
    verify: Options.boolean("verify").pipe(
      Options.withDescription(
        "Hash every artifact of cached stages (default: artifacts not read are checked by size and mtime)."
      )
    ),
    force: Options.boolean("force").pipe(
      Options.withDescription("Run even when the plan needs more disk or memory than this machine has.")
    ),
    json: jsonOption,
    ...slurmOptions
  },
  (opts) =>
    Effect.gen(function* () {
      const cli = yield* Cli
      const plain =
        opts.sweep.length === 0 &&
        Option.isNone(opts.sweepFile) &&
        !opts.last &&
        opts.rerun.length === 0 &&
        !opts.dryRun &&
        !opts.verify
      if (plain && cli.warm && cli.registryUrl !== undefined) {
        const served = yield* WarmRun.serve({
          root: cli.root,
          publishTo: publishFolder(cli.outDir, opts.pipeline, undefined),
          pipeline: opts.pipeline,
          sets: opts.set
        })
        if (Option.isSome(served)) {
          for (const s of served.value.stages) process.stderr.write(`✓ ${s.name}: cached (${s.key.slice(0, 12)})\n`)
          process.stderr.write("(nothing changed since the last identical run: served from the warm-run memo)\n")
          return yield* print(formatRun(served.value, { json: opts.json, dryRun: false }))
        }
      }
      const target = yield* resolve(opts)
      // Params that leave the run nothing to do (Pipeline.warnings), said once, for a run or any member.
      const warnings = new Set<string>()
      if (target.grid === undefined) for (const w of target.pipeline.warnings(target.plan.params)) warnings.add(w)
      else {
        for (const member of Sweep.members(target.grid)) {
          const sets = [...target.grid.sets, ...member.assignments.map(([k, v]) => `${k}=${v}`)]
          const params = yield* Params.parseSets(target.pipeline.params, target.pipeline.name, sets).pipe(
            Effect.flatMap((input) => Plan.decodeParams(target.pipeline, input)),
            Effect.option
          )
          if (params._tag === "Some") for (const w of target.pipeline.warnings(params.value)) warnings.add(w)
        }
      }
      for (const warning of warnings) yield* Effect.logWarning(warning)
      const names = target.plan.nodes.map((n) => n.name)
      for (const r of opts.rerun) {
        if (!names.includes(r))
          return yield* new UnknownStageError({ pipeline: target.pipeline.name, name: r, valid: names })
      }
      // Only a single run of a pipeline has a memo: a named sweep (`pipeline run noise-sweep`) is plain
      // on the command line, but its memo would sit where the swept pipeline's single run looks.
      const memorable = plain && cli.registryUrl !== undefined && target.grid === undefined
      // The sources the plan's keys were computed from, for the warm-run memo.
      const files = memorable
        ? yield* WarmRun.snapshot({
            root: cli.root,
            registry: cli.registryUrl!,
            plan: target.plan,
            fingerprinter: target.fingerprinter
          })
        : undefined
      const scheduler = yield* Scheduler.Scheduler
      const report = yield* scheduler.run(target.plan, {
        rerun: opts.rerun,
        dryRun: opts.dryRun,
        verify: opts.verify,
        force: opts.force,
        checkpointIntervalMs: cli.checkpointSeconds * 1000,
        publishTo: target.publishTo,
        record:
          target.grid === undefined
            ? { kind: "run", sets: target.sets }
            : {
                kind: "sweep",
                sets: target.sets,
                sweep: target.grid.axes,
                members: Sweep.size(target.grid),
                ...(target.name === undefined ? {} : { name: target.name })
              }
      })
      if (files !== undefined) {
        yield* WarmRun.record({
          cacheDir: cli.cacheDir,
          root: cli.root,
          sets: opts.set,
          plan: target.plan,
          files,
          stages: report.stages
        })
      }
      yield* print(formatRun(report, { json: opts.json, dryRun: opts.dryRun }))
    })
).pipe(Command.withDescription("Run a pipeline (or sweep it), recomputing only the stages whose key changed."))
