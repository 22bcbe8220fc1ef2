/**
 * Looking at cache paths without trusting them. A damaged cache may hold, where a file should be,
 * a directory, a dangling symlink, a symlink loop or a FIFO: a plain `readFile` of a FIFO waits for
 * a writer for ever, and `stat` follows links. These helpers use `node:fs` directly because the
 * platform `FileSystem` has no `lstat` and opens files blocking: {@link kind} does not follow
 * links, and {@link readRegular} opens non-blocking and reads only a regular file.
 *
 * The metadata calls and the reading of small files are synchronous: each is a few microseconds
 * on a local disk, while a promise through libuv's thread pool costs tens, and a warm run makes
 * several per cached entry. Large files are read and hashed asynchronously.
 *
 * @module Inspect
 */
import { createHash } from "node:crypto"
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, type Stats, statSync } from "node:fs"
import { type FileHandle, open } from "node:fs/promises"
import * as Effect from "effect/Effect"

/** What a path is, without following a symlink. */
export type Kind = "file" | "directory" | "symlink" | "fifo" | "other" | "missing" | "unreadable"

/** What `path` is (a symlink is "symlink", whatever it points to). */
export const kind = (path: string): Effect.Effect<Kind> =>
  Effect.sync((): Kind => {
    try {
      const s = lstatSync(path)
      return s.isFile()
        ? "file"
        : s.isDirectory()
          ? "directory"
          : s.isSymbolicLink()
            ? "symlink"
            : s.isFIFO()
              ? "fifo"
              : "other"
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      return code === "ENOENT" || code === "ENOTDIR" ? "missing" : "unreadable"
    }
  })

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
  Effect.suspend(() => {
    // Opened, checked and, when small, read synchronously; a large file is read asynchronously.
    try {
      const small = withRegularSync(path, maxBytes, (fd, size) => (size <= SMALL_FILE ? readAll(fd, size) : undefined))
      if (small !== undefined) return Effect.succeed(small)
    } catch (e) {
      return Effect.fail(notRegular(e))
    }
    return Effect.tryPromise({
      try: () => withRegular(path, maxBytes, async (handle) => new Uint8Array(await handle.readFile())),
      catch: notRegular
    })
  })

/**
 * The bytes of a regular file, read synchronously from one descriptor opened non-blocking (a FIFO
 * or a directory gives undefined at once, as does a missing file): for many small files.
 */
export const readRegularSync = (path: string): Uint8Array | undefined => {
  try {
    return withRegularSync(path, Number.POSITIVE_INFINITY, readAll)
  } catch {
    return undefined
  }
}

/** Files up to this size are read synchronously. */
const SMALL_FILE = 1 << 20

/** Throws {@link NotRegular} unless `info` is a regular file of at most `maxBytes`. */
const checkRegular = (info: Stats, maxBytes: number) => {
  if (!info.isFile()) {
    throw { _tag: "NotRegular", found: info.isDirectory() ? "directory" : info.isFIFO() ? "fifo" : "other" }
  }
  if (info.size > maxBytes) throw { _tag: "NotRegular", found: "other", code: "EFBIG" }
}

/** `use` on one descriptor of `path`, opened non-blocking and checked to be a regular file; closed after. */
const withRegularSync = <A>(path: string, maxBytes: number, use: (fd: number, size: number) => A): A => {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK)
  try {
    const info = fstatSync(fd)
    checkRegular(info, maxBytes)
    return use(fd, info.size)
  } finally {
    closeSync(fd)
  }
}

/** {@link withRegularSync}, asynchronously (for large files). */
const withRegular = async <A>(path: string, maxBytes: number, use: (handle: FileHandle) => Promise<A>): Promise<A> => {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK)
  try {
    checkRegular(await handle.stat(), maxBytes)
    return await use(handle)
  } finally {
    await handle.close()
  }
}

/** The whole of an open file expected to hold `size` bytes (more or fewer if it changes meanwhile). */
const readAll = (fd: number, size: number): Uint8Array => {
  let buffer = new Uint8Array(size + 1)
  let filled = 0
  for (;;) {
    if (filled === buffer.length) {
      const grown = new Uint8Array(buffer.length * 2)
      grown.set(buffer)
      buffer = grown
    }
    const n = readSync(fd, buffer, filled, buffer.length - filled, filled)
    if (n === 0) return buffer.subarray(0, filled)
    filled += n
  }
}

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
  Effect.sync(() => {
    try {
      const s = statSync(path, { throwIfNoEntry: false })
      return s?.isFile() === true ? { bytes: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, ino: s.ino } : undefined
    } catch {
      return undefined
    }
  })

/**
 * The size and sha256 of a regular file, read in 1 MiB chunks from one descriptor opened
 * non-blocking (constant memory; a FIFO or a directory fails at once, as {@link readRegular}).
 */
export const hashRegular = (
  path: string
): Effect.Effect<{ readonly bytes: number; readonly sha256: string }, NotRegular> =>
  Effect.tryPromise({
    try: () =>
      withRegular(path, Number.POSITIVE_INFINITY, async (handle) => {
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
      }),
    catch: notRegular
  })
