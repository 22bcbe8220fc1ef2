/**
 * The manifest of a cache entry (DESIGN §5): what was computed (stage, node, params, upstream
 * keys, code fingerprint, services, output Schema, seed), when and where, and the size and
 * sha256 of every file the entry holds. `outputDigest` hashes the content only (result and
 * artifact checksums), so two runs agree bit for bit exactly when their digests do.
 *
 * @module Manifest
 */
import * as Schema from "effect/Schema"
import * as Canonical from "../Canonical.js"

/** Checksum and size of one stored file. */
export const FileSum = Schema.Struct({
  sha256: Schema.String,
  bytes: Schema.Number,
  /**
   * Modification time, status-change time and inode when written, for the quick check of
   * artifacts nobody reads: a write moves the ctime even when it restores the size and mtime.
   */
  mtimeMs: Schema.optional(Schema.Number),
  ctimeMs: Schema.optional(Schema.Number),
  ino: Schema.optional(Schema.Number)
})
export type FileSum = typeof FileSum.Type

/** The manifest of a cache entry. */
export const Manifest = Schema.Struct({
  version: Schema.Literal(2),
  key: Schema.String,
  stage: Schema.String,
  node: Schema.String,
  pipeline: Schema.String,
  params: Schema.Unknown,
  upstream: Schema.Record({ key: Schema.String, value: Schema.Union(Schema.String, Schema.Array(Schema.String)) }),
  fingerprint: Schema.Struct({
    digest: Schema.String,
    files: Schema.Array(Schema.Struct({ path: Schema.String, hash: Schema.String })),
    packages: Schema.Record({ key: Schema.String, value: Schema.String })
  }),
  services: Schema.Array(
    Schema.Struct({ tag: Schema.String, id: Schema.String, module: Schema.String, digest: Schema.String })
  ),
  outputSchema: Schema.String,
  /** The runtime the key was computed for (e.g. `node20`). */
  runtime: Schema.String,
  seed: Schema.optional(Schema.Number),
  startedAt: Schema.String,
  finishedAt: Schema.String,
  seconds: Schema.Number,
  resumed: Schema.Boolean,
  host: Schema.Struct({ hostname: Schema.String, platform: Schema.String, arch: Schema.String, node: Schema.String }),
  /** `host:pid` of the distributed worker that computed the entry (absent for local runs). */
  worker: Schema.optional(Schema.String),
  result: FileSum,
  artifacts: Schema.Record({ key: Schema.String, value: FileSum }),
  outputDigest: Schema.String,
  /** Digest of the canonical JSON of the rest of the manifest (absent in entries written before #22). */
  checksum: Schema.optional(Schema.String)
})
export type Manifest = typeof Manifest.Type

/** The checksum of a manifest (as written, or as parsed from its file): the digest of its JSON form without the checksum field. */
export const checksumOf = (manifest: object): string => {
  const { checksum: _, ...rest } = manifest as Record<string, unknown>
  return Canonical.digest(JSON.parse(JSON.stringify(rest)) as unknown)
}

/**
 * Whether a parsed manifest's checksum, if it has one, matches the rest (a flipped digit in a
 * manifest that is still valid JSON). Checked on the file's JSON, before the Schema drops fields.
 */
export const checksumHolds = (parsed: unknown): boolean => {
  if (typeof parsed !== "object" || parsed === null) return false
  const { checksum, ...rest } = parsed as Record<string, unknown>
  // Parsed JSON is its own JSON form: no round trip through JSON.stringify, as checksumOf needs.
  return checksum === undefined || checksum === Canonical.digest(rest)
}

/** What the scheduler knows of an entry before it is written (the manifest minus what the write adds). */
export type ManifestDraft = Omit<Manifest, "version" | "result" | "artifacts" | "outputDigest" | "host" | "checksum">
