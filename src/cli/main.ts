/**
 * The `pipeline` command line (built with @effect/cli): list, run, status, dag, show, runs, gc,
 * worker, one module each under `commands/`. The global options (`--cache`, `--out`, `--workers`,
 * `--executor`, `--redis`; `options.ts`) fall back to the environment through `effect/Config`
 * (`engine/Settings.ts`), and `MainLayer` is built from them and provided here, at the edge.
 * `bin/pipeline.mjs` calls {@link main} with the URL of the compiled registry module.
 *
 * Exit codes (`Usage.EXIT`): 0 done; 1 the work failed (a stage, the cache, the disk, a refused
 * run); 2 the command line is wrong (unknown verb, option, pipeline, stage or param, a bad value);
 * 130 interrupted. Help, the version and mistyped verbs and flags are answered before this module
 * is loaded (`Front.ts`). Output is coloured only on a terminal without NO_COLOR.
 *
 * @module main
 */
import * as Command from "@effect/cli/Command"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Cause from "effect/Cause"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Saved from "../engine/Saved.js"
import { dag } from "./commands/dag.js"
import { diff } from "./commands/diff.js"
import { exportRun } from "./commands/export.js"
import { gc } from "./commands/gc.js"
import { list } from "./commands/list.js"
import { params } from "./commands/params.js"
import { run } from "./commands/run.js"
import { runs } from "./commands/runs.js"
import { show } from "./commands/show.js"
import { status } from "./commands/status.js"
import { worker } from "./commands/worker.js"
import * as MainLayer from "./MainLayer.js"
import { EXIT, stripAnsi, useColour, version } from "./Usage.js"

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
      main(params),
      main(run),
      main(status),
      main(dag),
      main(show),
      main(runs),
      main(diff),
      main(exportRun),
      main(gc),
      main(worker)
    ])
  )
}

/** The errors @effect/cli prints itself (usage errors). */
const cliErrors =
  /^(ValidationError|MissingValue|InvalidValue|CommandMismatch|CorrectedFlag|HelpRequested|InvalidArgument|MissingFlag|MissingSubcommand|NoBuiltInMatch|UnclusteredFlag|MultipleValuesDetected)$/

/** The failures that mean the command line is wrong (exit 2): nothing was run. */
const usageErrors =
  /^(UnknownPipelineError|UnknownStageError|ParamsError|SweepError|SettingError|UsageError|ValidationError|MissingValue|InvalidValue|CommandMismatch|CorrectedFlag|InvalidArgument|MissingFlag|MissingSubcommand|NoBuiltInMatch|UnclusteredFlag|MultipleValuesDetected)$/

/** The exit code of a command's end. */
export const exitCode = (exit: Exit.Exit<unknown, unknown>): number => {
  if (Exit.isSuccess(exit)) return EXIT.ok
  if (Cause.isInterruptedOnly(exit.cause)) return EXIT.interrupted
  const failure = Cause.failureOption(exit.cause)
  const tag = Option.isSome(failure) ? (failure.value as { _tag?: unknown })?._tag : undefined
  return typeof tag === "string" && usageErrors.test(tag) ? EXIT.usage : EXIT.failed
}

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
  const cli = Command.run(command({ url: options.registry }), {
    name: "pipeline",
    version: version(MainLayer.projectRoot())
  })
  // @effect/cli prints its own messages (a bad option value) in ANSI: plain text off a terminal.
  const plain = !useColour(process.stdout)
  const stripping = (current: Console.Console): Console.Console =>
    new Proxy(current, {
      get: (target, key: keyof Console.Console) => {
        const method = target[key]
        return plain && (key === "log" || key === "error") && typeof method === "function"
          ? (...args: Array<unknown>) =>
              (method as (...a: Array<unknown>) => unknown).apply(
                target,
                args.map((a) => (typeof a === "string" ? stripAnsi(a) : a))
              )
          : method
      }
    })
  const program = Console.consoleWith((current) =>
    cli(argv).pipe(
      Effect.onExit((exit) => (Exit.isFailure(exit) ? report(exit.cause) : Effect.void)),
      Effect.withConsole(stripping(current))
    )
  ).pipe(Effect.provide(NodeContext.layer))
  // runMain interrupts the run on the first SIGINT/SIGTERM (finalizers flush checkpoints and
  // release locks). This listener keeps proper-lockfile's signal-exit from re-raising the signal
  // and killing the process before those finalizers ran; a second signal forces the exit.
  let signals = 0
  const onSignal = () => {
    signals += 1
    if (signals > 1) {
      process.stderr.write("pipeline: second signal; exiting without waiting for cleanup.\n")
      process.exit(EXIT.interrupted)
    }
  }
  process.on("SIGINT", onSignal)
  process.on("SIGTERM", onSignal)
  NodeRuntime.runMain(program, {
    disableErrorReporting: true,
    // runMain would swap Effect's default logger for its pretty one, which writes warnings to
    // stdout (where `--json` prints) beside MainLayer's `pipeline: warning: …` lines on stderr.
    disablePrettyLogger: true,
    teardown: (exit, onExit) => onExit(exitCode(exit))
  })
}
