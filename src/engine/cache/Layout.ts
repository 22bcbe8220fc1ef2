/**
 * Where everything lives in a cache directory:
 *
 *     <key>/manifest.json, <key>/result.json, <key>/artifacts/<name>    an entry
 *     .tmp/<key>.<pid>.<rand>/          an entry being written (renamed into place when complete)
 *     .locks/<key>.lock                 per-key cross-process locks
 *     .checkpoints/<key>/ckpt-<n>/      the checkpoints of an unfinished stage run
 *     .corrupt/                         entries and side files that failed verification, moved aside
 *     .runs/<started>-<id>.json         run records (one per run or sweep)
 *     .live/<id>.json                   runs in progress: process, heartbeat, every key of their plan
 *     .warm/<digest>.json               warm-run memos
 *     .fingerprints.json                the fingerprint parse memo
 *     .computations/<key>.jsonl         which distributed worker computed a key, and when
 *
 * @module Layout
 */
import * as Path from "@effect/platform/Path"
import * as Effect from "effect/Effect"

/** A stage key: 64 lowercase hex digits (the only names allowed to become entry paths). */
export const isKey = (name: string): boolean => /^[0-9a-f]{64}$/.test(name)

/** The paths of a cache directory. */
export interface Layout {
  readonly dir: string
  readonly entry: (key: string) => string
  readonly artifact: (key: string, name: string) => string
  readonly tmp: string
  readonly locks: string
  readonly lock: (key: string) => string
  readonly checkpoints: string
  readonly checkpoint: (key: string) => string
  readonly corrupt: string
  readonly runs: string
  readonly live: string
  readonly warm: string
  readonly fingerprints: string
  readonly computations: string
}

/** The layout of the cache at `dir` (resolved to an absolute path). */
export const make = (dir: string) =>
  Effect.map(Path.Path, (path): Layout => {
    const root = path.resolve(dir)
    const special = (name: string) => path.join(root, name)
    return {
      dir: root,
      entry: (key) => path.join(root, key),
      artifact: (key, name) => path.join(root, key, "artifacts", name),
      tmp: special(".tmp"),
      locks: special(".locks"),
      lock: (key) => path.join(root, ".locks", key),
      checkpoints: special(".checkpoints"),
      checkpoint: (key) => path.join(root, ".checkpoints", key),
      corrupt: special(".corrupt"),
      runs: special(".runs"),
      live: special(".live"),
      warm: special(".warm"),
      fingerprints: special(".fingerprints.json"),
      computations: special(".computations")
    }
  })
