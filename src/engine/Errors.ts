/**
 * Every failure the engine reports to a user. Each names what was wrong and what to do about it
 * (DESIGN §11); the CLI prints `message` and exits non-zero.
 *
 * @module Errors
 */
import * as Data from "effect/Data"
import * as Schema from "effect/Schema"
import { didYouMean } from "./Suggest.js"

/** The pipeline named on the command line is not in the registry. */
export class UnknownPipelineError extends Data.TaggedError("UnknownPipelineError")<{
  readonly name: string
  readonly valid: ReadonlyArray<string>
}> {
  override get message() {
    const names = this.valid.map((v) => v.replace(/ \(sweep\)$/, ""))
    return `There is no pipeline named "${this.name}".${didYouMean(this.name, names, (n) => `"${n}"`)} Valid pipelines: ${this.valid.join(", ") || "(none registered)"}.`
  }
}

/** The stage named on the command line is not a node of the pipeline. */
export class UnknownStageError extends Data.TaggedError("UnknownStageError")<{
  readonly pipeline: string
  readonly name: string
  readonly valid: ReadonlyArray<string>
}> {
  override get message() {
    return `Pipeline "${this.pipeline}" has no stage named "${this.name}".${didYouMean(this.name, this.valid, (n) => `"${n}"`)} Valid stages: ${this.valid.join(", ")}.`
  }
}

/** One Schema issue: where in the params, and what was expected. */
export interface ParamIssue {
  readonly path: string
  readonly message: string
}

/** Pipeline or stage params failed to decode; nothing was run or written. */
export class ParamsError extends Data.TaggedError("ParamsError")<{
  readonly subject: string
  readonly issues: ReadonlyArray<ParamIssue>
}> {
  override get message() {
    const lines = this.issues.map((i) => `  ${i.path === "" ? "(params)" : i.path}: ${i.message}`)
    return `The params of ${this.subject} are invalid; nothing was run.\n${lines.join("\n")}`
  }
}

/** A pipeline's wiring is wrong (missing service, duplicate node name, foreign node). */
export class PipelineDefinitionError extends Data.TaggedError("PipelineDefinitionError")<{
  readonly pipeline: string
  readonly reason: string
}> {
  override get message() {
    return `Pipeline "${this.pipeline}" is miswired: ${this.reason}`
  }
}

/** A stage's `run` failed or died. */
export class StageFailedError extends Data.TaggedError("StageFailedError")<{
  readonly stage: string
  readonly key: string
  readonly detail: string
}> {
  override get message() {
    return `Stage "${this.stage}" failed (key ${this.key.slice(0, 12)}): ${this.detail}`
  }
}

/** A worker-thread task threw or its worker exited. */
export class TaskFailedError extends Data.TaggedError("TaskFailedError")<{
  readonly task: string
  readonly detail: string
}> {
  override get message() {
    return `Worker task ${this.task} failed: ${this.detail}`
  }
}

/** A cache entry (or checkpoint) whose files do not match its manifest. */
export class CacheEntryCorruptError extends Schema.TaggedError<CacheEntryCorruptError>()("CacheEntryCorruptError", {
  key: Schema.String,
  reason: Schema.Literal("Manifest", "Missing", "Truncated", "Checksum", "NotAFile"),
  file: Schema.String,
  /** What stands where a file or folder should be (NotAFile): "directory", "symlink", "fifo", … */
  found: Schema.optional(Schema.String)
}) {
  override get message() {
    const what = {
      Manifest:
        "its manifest.json is missing, unreadable, fails its checksum or does not list every file the entry holds",
      Missing: `${this.file} is missing`,
      NotAFile: `${this.file} is not what the entry holds there (a ${this.found ?? "different kind of file"})`,
      Truncated: `${this.file} has the wrong size (truncated or overwritten)`,
      Checksum: `${this.file} does not match its checksum`
    }[this.reason]
    return `Cache entry ${this.key.slice(0, 12)} is corrupt: ${what}. Rerun: a run moves a corrupt entry aside (to .corrupt/) and recomputes it.`
  }
}

/** The file system refused a cache write or read. */
export class CacheIoError extends Schema.TaggedError<CacheIoError>()("CacheIoError", {
  reason: Schema.Literal("DiskFull", "Permission", "Other"),
  method: Schema.String,
  path: Schema.String,
  cause: Schema.optional(Schema.Defect)
}) {
  override get message() {
    const advice = {
      DiskFull: "the disk is full; free space (e.g. `pipeline gc`) or move the cache with --cache DIR",
      Permission: "permission denied; check the owner of the cache directory or move it with --cache DIR",
      Other: String((this.cause as Error | undefined)?.message ?? "unknown error")
    }[this.reason]
    return `Cache ${this.method} failed at ${this.path}: ${advice}.`
  }
}

/** Maps a file-system failure at `path` to a {@link CacheIoError} (disk full and permission named). */
export const ioError =
  (method: string, path: string) =>
  (cause: unknown): CacheIoError => {
    const c = cause as { message?: string; reason?: string; description?: string } | undefined
    const text = `${String(c?.message ?? cause)} ${c?.description ?? ""}`
    const reason = /ENOSPC|no space/i.test(text)
      ? "DiskFull"
      : /EACCES|EPERM|PermissionDenied/i.test(text) || c?.reason === "PermissionDenied"
        ? "Permission"
        : "Other"
    return new CacheIoError({ reason, method, path, cause })
  }

/** A per-key lock could not be taken, or was lost while its holder computed. */
export class LockError extends Schema.TaggedError<LockError>()("LockError", {
  key: Schema.String,
  reason: Schema.Literal("Held", "Compromised", "Other"),
  detail: Schema.String
}) {
  override get message() {
    const entry = `cache entry ${this.key.slice(0, 12)}`
    return {
      Held: `Another process holds the lock of ${entry} (${this.detail}).`,
      Compromised: `The lock of ${entry} was lost while it was computed (${this.detail}); nothing was committed. Rerun: the entry is computed again, or served if another process finished it.`,
      Other: `The lock of ${entry} failed: ${this.detail}.`
    }[this.reason]
  }
}

/** The compiled code in dist/ is older than the sources its keys are computed from. */
export class StaleBuildError extends Data.TaggedError("StaleBuildError")<{
  readonly files: ReadonlyArray<string>
}> {
  override get message() {
    const shown = this.files.slice(0, 5).join(", ")
    const more = this.files.length > 5 ? ` and ${this.files.length - 5} more` : ""
    return `The compiled code in dist/ does not match its sources (${shown}${more} changed since the last build): it would compute old code under new keys. Rebuild with \`npm run build\` (bin/pipeline.mjs does it when it starts).`
  }
}

/** A plan needs more disk or memory than the machine has; nothing was run. */
export class ResourceError extends Data.TaggedError("ResourceError")<{
  readonly pipeline: string
  readonly problems: ReadonlyArray<string>
}> {
  override get message() {
    return `The run of pipeline "${this.pipeline}" was refused; nothing was run:\n${this.problems.map((p) => `  ${p}`).join("\n")}\nOr pass --force to run anyway.`
  }
}

/** A setting from the environment (or its command-line flag) is invalid. */
export class SettingError extends Data.TaggedError("SettingError")<{
  readonly variable: string
  readonly detail: string
}> {
  override get message() {
    return `The setting ${this.variable} is invalid: ${this.detail}.`
  }
}

/** A sweep (`--sweep`, `--sweep-file`) that cannot be run as given; nothing was run. */
export class SweepError extends Data.TaggedError("SweepError")<{
  readonly problem: string
}> {
  override get message() {
    return `The sweep is invalid; nothing was run: ${this.problem}.`
  }
}

/** The stage has no cache entry for its current key. */
export class NotCachedError extends Data.TaggedError("NotCachedError")<{
  readonly pipeline: string
  readonly stage: string
  readonly key: string
}> {
  override get message() {
    return `Stage "${this.stage}" of pipeline "${this.pipeline}" has no cache entry for its current key ${this.key.slice(0, 12)}; run it first (see \`pipeline status ${this.pipeline}\`, and \`--last\` for the params of your last run).`
  }
}

/** `--last` (or a run id) names no recorded run. */
export class NoRunError extends Data.TaggedError("NoRunError")<{
  readonly name: string
  readonly detail: string
}> {
  override get message() {
    return this.detail
  }
}

/** A command line that names something that does not exist, or asks for something impossible (exit 2). */
export class UsageError extends Data.TaggedError("UsageError")<{
  readonly detail: string
}> {
  override get message() {
    return this.detail
  }
}

/** `pipeline gc` refused to remove anything (a bad option, or no confirmation). */
export class GcRefusedError extends Data.TaggedError("GcRefusedError")<{
  readonly detail: string
}> {
  override get message() {
    return `gc removed nothing: ${this.detail}.`
  }
}
