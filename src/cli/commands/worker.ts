/**
 * `pipeline worker`: computes the stages of distributed runs (`run --executor bullmq`) until stopped.
 *
 * @module worker
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { Cli } from "../MainLayer.js"
import { commonOptions, redisOption } from "../target.js"

export const worker = Command.make(
  "worker",
  {
    ...commonOptions,
    ...redisOption,
    concurrency: Options.integer("concurrency").pipe(
      Options.withDefault(1),
      Options.withDescription("Stages computed at once, each on its own worker thread.")
    )
  },
  (opts) =>
    Effect.gen(function* () {
      const cli = yield* Cli
      if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1) {
        return yield* Effect.fail(new Error(`--concurrency must be an integer ≥ 1, not ${opts.concurrency}.`))
      }
      if (Option.isNone(cli.redis)) {
        return yield* Effect.fail(
          new Error("pipeline worker needs a Redis server: pass --redis redis://HOST:PORT or set PIPELINE_REDIS.")
        )
      }
      const bull = yield* Effect.promise(() => import("../../engine/distributed/BullWorker.js"))
      yield* bull.run({
        redis: cli.redis.value,
        concurrency: opts.concurrency,
        cacheDir: cli.cacheDir,
        ...(cli.registryUrl === undefined ? {} : { registry: cli.registryUrl }),
        log: (line) => void process.stderr.write(`${line}\n`)
      })
    })
).pipe(Command.withDescription("Compute stages of distributed runs (`run --executor bullmq`) until stopped."))
