/**
 * The `pipeline` command line (built with @effect/cli): list, run, status, dag, show, runs, gc,
 * worker, one module each under `commands/`. The global options (`--cache`, `--out`, `--workers`,
 * `--executor`, `--redis`; `options.ts`) fall back to the environment through `effect/Config`
 * (`engine/Settings.ts`), and `MainLayer` is built from them and provided here, at the edge.
 * `bin/pipeline.mjs` calls {@link main} with the URL of the compiled registry module.
 *
 * Exit codes: 0 success, 1 any error (printed as one sentence saying what to do), 130 interrupted.
 *
 * @module main
 */
import * as Command from "@effect/cli/Command"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Saved from "../engine/Saved.js"
import { dag } from "./commands/dag.js"
import { gc } from "./commands/gc.js"
import { list } from "./commands/list.js"
import { run } from "./commands/run.js"
import { runs } from "./commands/runs.js"
import { show } from "./commands/show.js"
import { status } from "./commands/status.js"
import { worker } from "./commands/worker.js"
import * as MainLayer from "./MainLayer.js"

export { projectRoot } from "./MainLayer.js"

/**
 * The whole command tree. Every subcommand takes the global options (@effect/cli parses options
 * given after a subcommand's own only when that subcommand declares them) and gets the same
 * `MainLayer`, built from them, provided here.
 */
export const command = (source: MainLayer.RegistrySource) => {
  const main = <N extends string, R, E, A extends MainLayer.GlobalOptions>(sub: Command.Command<N, R, E, A>) =>
    Command.provide(sub, (options: A) => MainLayer.make(options, source))
  return Command.make("pipeline").pipe(
    Command.withDescription("Run the experiment pipelines with a content-addressed cache."),
    Command.withSubcommands([
      main(list),
      main(run),
      main(status),
      main(dag),
      main(show),
      main(runs),
      main(gc),
      main(worker)
    ])
  )
}

/** The errors @effect/cli prints itself (usage errors). */
const cliErrors =
  /^(ValidationError|MissingValue|InvalidValue|CommandMismatch|CorrectedFlag|HelpRequested|InvalidArgument|MissingFlag|MissingSubcommand|NoBuiltInMatch|UnclusteredFlag|MultipleValuesDetected)$/

/** Prints a failure as its message (no stack for the errors we know). */
const report = (cause: Cause.Cause<unknown>) =>
  Effect.sync(() => {
    if (Cause.isInterruptedOnly(cause)) {
      // Only what was saved: a dry run, or a run stopped before any stage checkpointed, saved nothing.
      const saved = Saved.checkpointNames()
      process.stderr.write(
        saved.length === 0
          ? "pipeline: interrupted; no checkpoint was saved (rerun to start the unfinished stages again).\n"
          : `pipeline: interrupted; the checkpoint of ${saved.join(", ")} was saved: rerun to resume.\n`
      )
      return
    }
    const failure = Cause.failureOption(cause)
    if (Option.isSome(failure)) {
      const e = failure.value as { _tag?: string; message?: string }
      if (typeof e?._tag === "string" && cliErrors.test(e._tag)) return
      process.stderr.write(`pipeline: ${e?.message ?? String(e)}\n`)
      return
    }
    process.stderr.write(`pipeline: internal error\n${Cause.pretty(cause)}\n`)
  })

/** Options of {@link main}. */
export interface MainOptions {
  /**
   * URL of the module exporting the registry (`export const registry`). It is imported only when
   * a command needs it; with it, `run` records a warm-run memo and serves unchanged runs from it.
   */
  readonly registry: string
}

/** Runs the CLI on `argv` (process.argv form: node, script, args…) and exits. */
export const main = (argv: ReadonlyArray<string>, options: MainOptions): void => {
  const cli = Command.run(command({ url: options.registry }), { name: "pipeline", version: "0.2.0" })
  const program = cli(argv).pipe(
    Effect.onExit((exit) => (Exit.isFailure(exit) ? report(exit.cause) : Effect.void)),
    Effect.provide(NodeContext.layer)
  )
  // runMain interrupts the run on the first SIGINT/SIGTERM (finalizers flush checkpoints and
  // release locks). This listener keeps proper-lockfile's signal-exit from re-raising the signal
  // and killing the process before those finalizers ran; a second signal forces the exit.
  let signals = 0
  const onSignal = () => {
    signals += 1
    if (signals > 1) {
      process.stderr.write("pipeline: second signal; exiting without waiting for cleanup.\n")
      process.exit(130)
    }
  }
  process.on("SIGINT", onSignal)
  process.on("SIGTERM", onSignal)
  NodeRuntime.runMain(program, {
    disableErrorReporting: true,
    // runMain would swap Effect's default logger for its pretty one, which writes warnings to
    // stdout (where `--json` prints) beside MainLayer's `pipeline: warning: …` lines on stderr.
    disablePrettyLogger: true,
    teardown: (exit, onExit) => onExit(Exit.isSuccess(exit) ? 0 : Cause.isInterruptedOnly(exit.cause) ? 130 : 1)
  })
}
