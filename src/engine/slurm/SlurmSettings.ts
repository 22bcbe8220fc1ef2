/**
 * The SLURM runner's settings from the command line (`run --slurm-…`) and the environment, read
 * through `effect/Config` like the engine's other settings: a bad value names its variable.
 *
 * | variable | meaning |
 * |---|---|
 * | `PIPELINE_SLURM_PROFILE` | the profile file (`--slurm-profile`) |
 * | `PIPELINE_SLURM_PARTITION` | the partition of every job (`--slurm-partition`) |
 * | `PIPELINE_SLURM_ACCOUNT` | the account every job is charged to (`--slurm-account`) |
 * | `PIPELINE_SLURM_EXTRA` | further `sbatch` arguments (`--slurm-extra`) |
 * | `PIPELINE_SLURM_RETRIES` | resubmissions of a stage (default: the profile's, else 3) |
 * | `PIPELINE_SLURM_POLL_SECONDS` | seconds between two `squeue` calls (default: the profile's, else 10) |
 *
 * @module SlurmSettings
 */
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Settings from "../Settings.js"
import type * as SlurmRunner from "./SlurmRunner.js"

/** `PIPELINE_SLURM_PROFILE`. */
export const profile = Config.nonEmptyString("PIPELINE_SLURM_PROFILE")
/** `PIPELINE_SLURM_PARTITION`. */
export const partition = Config.nonEmptyString("PIPELINE_SLURM_PARTITION")
/** `PIPELINE_SLURM_ACCOUNT`. */
export const account = Config.nonEmptyString("PIPELINE_SLURM_ACCOUNT")
/** `PIPELINE_SLURM_EXTRA`. */
export const extra = Config.nonEmptyString("PIPELINE_SLURM_EXTRA")
/** `PIPELINE_SLURM_RETRIES`. */
export const retries = Config.option(
  Config.integer("PIPELINE_SLURM_RETRIES").pipe(
    Config.validate({ message: "expected an integer ≥ 0", validation: (n) => n >= 0 })
  )
)
/** `PIPELINE_SLURM_POLL_SECONDS`. */
export const pollSeconds = Config.option(
  Config.number("PIPELINE_SLURM_POLL_SECONDS").pipe(
    Config.validate({ message: "expected a number ≥ 0.2", validation: (n) => Number.isFinite(n) && n >= 0.2 })
  )
)

/** What the command line gave (each absent: its variable, else nothing). */
export interface Given {
  readonly profile: Option.Option<string>
  readonly partition: Option.Option<string>
  readonly account: Option.Option<string>
  readonly extra: Option.Option<string>
  readonly resources: ReadonlyArray<string>
}

/** Nothing given on the command line: the environment's settings only. */
export const fromEnvironment = Effect.gen(function* () {
  return {
    profile: yield* Settings.read(Config.option(profile)),
    partition: yield* Settings.read(Config.option(partition)),
    account: yield* Settings.read(Config.option(account)),
    extra: yield* Settings.read(Config.option(extra)),
    resources: []
  } satisfies Given
})

/** The runner's options: the profile read and checked, the arguments parsed. */
export const options = (given: Given, root: string, registry: string | undefined) =>
  Effect.gen(function* () {
    // Loaded here, not with the `run` command's options: every run would pay for it.
    const Resources: typeof import("./Resources.js") = yield* Effect.promise(() => import("./Resources.js"))
    const profileFile = Option.getOrUndefined(given.profile)
    const decoded = profileFile === undefined ? {} : yield* Resources.loadProfile(profileFile)
    const extraText = Option.getOrUndefined(given.extra)
    const extraArgs = extraText === undefined ? [] : Resources.splitArgs(extraText)
    if (extraArgs === undefined) {
      return yield* new Resources.SlurmSettingsError({
        source: "--slurm-extra",
        problems: [`the quotes of ${JSON.stringify(extraText)} are not balanced`]
      })
    }
    const stageSettings = yield* Resources.parseStageSettings(given.resources)
    const r = yield* Settings.read(retries)
    const poll = yield* Settings.read(pollSeconds)
    return {
      root,
      profile: decoded,
      ...(profileFile === undefined ? {} : { profileFile }),
      globals: {
        ...Option.match(given.partition, { onNone: () => ({}), onSome: (partition) => ({ partition }) }),
        ...Option.match(given.account, { onNone: () => ({}), onSome: (account) => ({ account }) }),
        extra: extraArgs
      },
      stageSettings,
      ...(Option.isSome(r) ? { retries: r.value } : {}),
      ...(Option.isSome(poll) ? { pollSeconds: poll.value } : {}),
      ...(registry === undefined ? {} : { registry })
    } satisfies SlurmRunner.Options
  })
