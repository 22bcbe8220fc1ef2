/**
 * Looking at cache paths without trusting them. A damaged cache may hold, where a file should be,
 * a directory, a dangling symlink, a symlink loop or a FIFO: a plain `readFile` of a FIFO waits for
 * a writer for ever, and `stat` follows links. These helpers use `node:fs` directly because the
 * platform `FileSystem` has no `lstat` and opens files blocking: {@link kind} does not follow
 * links, and {@link readRegular} opens non-blocking and reads only a regular file.
 *
 * @module Inspect
 */
import { createHash } from "node:crypto"
import { constants } from "node:fs"
import { lstat, open, stat } from "node:fs/promises"
import * as Effect from "effect/Effect"

/** What a path is, without following a symlink. */
export type Kind = "file" | "directory" | "symlink" | "fifo" | "other" | "missing" | "unreadable"

/** What `path` is (a symlink is "symlink", whatever it points to). */
export const kind = (path: string): Effect.Effect<Kind> =>
  Effect.promise(() =>
    lstat(path).then(
      (s): Kind =>
        s.isFile()
          ? "file"
          : s.isDirectory()
            ? "directory"
            : s.isSymbolicLink()
              ? "symlink"
              : s.isFIFO()
                ? "fifo"
                : "other",
      (e: NodeJS.ErrnoException): Kind => (e.code === "ENOENT" || e.code === "ENOTDIR" ? "missing" : "unreadable")
    )
  )

/** Why {@link readRegular} read nothing. */
export interface NotRegular {
  readonly _tag: "NotRegular"
  /** "missing", or what stands there instead of a regular file, or "unreadable" (permissions, I/O). */
  readonly found: Kind
  readonly code?: string
}

/**
 * The bytes of a regular file (following a symlink that leads to one), read from one descriptor
 * opened non-blocking: a FIFO, a directory, a dangling link or a link loop fail at once, never hang.
 * `maxBytes` refuses a file larger than that without reading it.
 */
export const readRegular = (path: string, maxBytes = Number.POSITIVE_INFINITY): Effect.Effect<Uint8Array, NotRegular> =>
  Effect.tryPromise({
    try: async () => {
      const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK)
      try {
        const info = await handle.stat()
        if (!info.isFile()) {
          throw { _tag: "NotRegular", found: info.isDirectory() ? "directory" : info.isFIFO() ? "fifo" : "other" }
        }
        if (info.size > maxBytes) throw { _tag: "NotRegular", found: "other", code: "EFBIG" }
        return new Uint8Array(await handle.readFile())
      } finally {
        await handle.close()
      }
    },
    catch: notRegular
  })

/** A failed open or read as {@link NotRegular}: what stands there, as far as the error tells. */
const notRegular = (e: unknown): NotRegular => {
  const x = e as NotRegular & NodeJS.ErrnoException
  if (x._tag === "NotRegular") return x
  const found: Kind =
    x.code === "ENOENT" || x.code === "ENOTDIR"
      ? "missing"
      : x.code === "EISDIR"
        ? "directory"
        : x.code === "ELOOP"
          ? "symlink"
          : "unreadable"
  return { _tag: "NotRegular", found, ...(x.code === undefined ? {} : { code: x.code }) }
}

/** What identifies a file's bytes without reading them: any write, even one that restores the size and mtime, moves its ctime. */
export interface Stamp {
  readonly bytes: number
  readonly mtimeMs: number
  readonly ctimeMs: number
  readonly ino: number
}

/** The stamp of a regular file (following a symlink), or undefined when it is none. */
export const stamp = (path: string): Effect.Effect<Stamp | undefined> =>
  Effect.promise(() =>
    stat(path, { bigint: false }).then(
      (s) => (s.isFile() ? { bytes: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, ino: s.ino } : undefined),
      () => undefined
    )
  )

/**
 * The size and sha256 of a regular file, read in 1 MiB chunks from one descriptor opened
 * non-blocking (constant memory; a FIFO or a directory fails at once, as {@link readRegular}).
 */
export const hashRegular = (
  path: string
): Effect.Effect<{ readonly bytes: number; readonly sha256: string }, NotRegular> =>
  Effect.tryPromise({
    try: async () => {
      const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK)
      try {
        const info = await handle.stat()
        if (!info.isFile()) {
          throw { _tag: "NotRegular", found: info.isDirectory() ? "directory" : info.isFIFO() ? "fifo" : "other" }
        }
        const hash = createHash("sha256")
        const buffer = new Uint8Array(1 << 20)
        let bytes = 0
        for (;;) {
          const { bytesRead } = await handle.read(buffer, 0, buffer.length, bytes)
          if (bytesRead === 0) break
          hash.update(buffer.subarray(0, bytesRead))
          bytes += bytesRead
        }
        return { bytes, sha256: hash.digest("hex") }
      } finally {
        await handle.close()
      }
    },
    catch: notRegular
  })
