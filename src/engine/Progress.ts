/**
 * Progress of running stages: on a TTY, one cli-progress bar per running stage with counts and
 * ETA; otherwise (CI, pipes) plain lines, at most one per stage per interval plus one at the end.
 * Everything goes to stderr, so `--json` output on stdout stays clean.
 *
 * @module Progress
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"

/** The progress reporter. */
export interface Progress {
  readonly update: (stage: string, done: number, total: number, note?: string) => Effect.Effect<void>
  /** Ends a stage's bar. */
  readonly finish: (stage: string) => Effect.Effect<void>
  /** Prints one line (stage events). */
  readonly log: (line: string) => Effect.Effect<void>
}

/** The progress service tag. */
export const Progress = Context.GenericTag<Progress>("plastic-net/engine/Progress")

/** Options of {@link make}. */
export interface Options {
  readonly stream: NodeJS.WriteStream
  /** Bars when true (default: the stream is a TTY). */
  readonly tty?: boolean
  /** Minimum ms between plain lines of one stage. */
  readonly intervalMs?: number
}

const formatSeconds = (s: number) =>
  !Number.isFinite(s)
    ? "?"
    : s < 60
      ? `${Math.round(s)}s`
      : `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, "0")}s`

/** A reporter writing plain lines. */
const plain = (options: Options): Progress => {
  const interval = options.intervalMs ?? 5000
  const state = new Map<string, { start: number; startDone: number; last: number }>()
  return {
    update: (stage, done, total, note) =>
      Effect.sync(() => {
        const now = Date.now()
        let s = state.get(stage)
        if (s === undefined) state.set(stage, (s = { start: now, startDone: done, last: 0 }))
        if (now - s.last < interval && done < total) return
        s.last = now
        const rate = (done - s.startDone) / Math.max(1e-3, (now - s.start) / 1000)
        const eta = rate > 0 ? (total - done) / rate : Number.NaN
        const pct = total > 0 ? Math.floor((100 * done) / total) : 100
        options.stream.write(
          `[${stage}] ${done}/${total} (${pct}%) eta ${formatSeconds(eta)}${note === undefined ? "" : ` ${note}`}\n`
        )
      }),
    finish: (stage) => Effect.sync(() => void state.delete(stage)),
    log: (line) => Effect.sync(() => void options.stream.write(`${line}\n`))
  }
}

/** A reporter drawing bars (cli-progress, loaded only here). */
const bars = (options: Options) =>
  Effect.gen(function* () {
    const cliProgress = (yield* Effect.promise(() => import("cli-progress"))).default
    const multi = new cliProgress.MultiBar(
      {
        stream: options.stream,
        format: "{stage} [{bar}] {value}/{total} {percentage}% | ETA {eta_formatted} {note}",
        hideCursor: false,
        clearOnComplete: false,
        etaBuffer: 20,
        fps: 5
      },
      cliProgress.Presets.shades_classic
    )
    yield* Effect.addFinalizer(() => Effect.sync(() => multi.stop()))
    const active = new Map<string, ReturnType<typeof multi.create>>()
    const width = 14
    return {
      update: (stage, done, total, note) =>
        Effect.sync(() => {
          const payload = { stage: stage.padEnd(width).slice(0, width), note: note ?? "" }
          const bar = active.get(stage)
          if (bar === undefined) active.set(stage, multi.create(total, done, payload))
          else {
            bar.setTotal(total)
            bar.update(done, payload)
          }
        }),
      finish: (stage) =>
        Effect.sync(() => {
          const bar = active.get(stage)
          if (bar !== undefined) {
            bar.stop()
            multi.remove(bar)
            active.delete(stage)
          }
        }),
      log: (line) => Effect.sync(() => (active.size > 0 ? multi.log(`${line}\n`) : options.stream.write(`${line}\n`)))
    } satisfies Progress
  })

/** A reporter for the stream: bars on a TTY, plain lines otherwise. */
export const make = (options: Options) =>
  (options.tty ?? options.stream.isTTY === true) ? bars(options) : Effect.succeed(plain(options))

/** A reporter that prints nothing (tests, benchmarks). */
export const silent: Progress = { update: () => Effect.void, finish: () => Effect.void, log: () => Effect.void }
