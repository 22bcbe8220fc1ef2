/**
 * The manifest of a cache entry (DESIGN §5): what was computed (stage, node, params, upstream
 * keys, code fingerprint, services, output Schema, seed), when and where, and the size and
 * sha256 of every file the entry holds. `outputDigest` hashes the content only (result and
 * artifact checksums), so two runs agree bit for bit exactly when their digests do.
 *
 * @module Manifest
 */
import * as Schema from "effect/Schema"

/** Checksum and size of one stored file. */
export const FileSum = Schema.Struct({
  sha256: Schema.String,
  bytes: Schema.Number,
  /** Modification time when written (ms), for the quick check of artifacts nobody reads. */
  mtimeMs: Schema.optional(Schema.Number)
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
  outputDigest: Schema.String
})
export type Manifest = typeof Manifest.Type

/** What the scheduler knows of an entry before it is written (the manifest minus what the write adds). */
export type ManifestDraft = Omit<Manifest, "version" | "result" | "artifacts" | "outputDigest" | "host">
