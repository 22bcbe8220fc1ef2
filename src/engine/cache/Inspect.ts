/**
 * Looking at cache paths without trusting them. A damaged cache may hold, where a file should be,
 * a directory, a dangling symlink, a symlink loop or a FIFO: a plain `readFile` of a FIFO waits for
 * a writer for ever, and `stat` follows links. These helpers use `node:fs` directly because the
 * platform `FileSystem` has no `lstat` and opens files blocking: {@link kind} does not follow
 * links, and {@link readRegular} opens non-blocking and reads only a regular file.
 *
 * @module Inspect
 */
import { constants } from "node:fs"
import { lstat, open } from "node:fs/promises"
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
    catch: (e): NotRegular => {
      const x = e as NotRegular & NodeJS.ErrnoException
      if (x._tag === "NotRegular") return x
      const found: Kind =
        x.code === "ENOENT"
          ? "missing"
          : x.code === "EISDIR"
            ? "directory"
            : x.code === "ELOOP" || x.code === "ENOTDIR"
              ? "symlink"
              : "unreadable"
      return { _tag: "NotRegular", found, ...(x.code === undefined ? {} : { code: x.code }) }
    }
  })
