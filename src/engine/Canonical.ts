/**
 * Canonical JSON and digests: the byte form every stage key is hashed from. Object keys are
 * sorted, numbers take JavaScript's shortest round-trip form (so `1.0` and `1` agree), and
 * non-finite numbers, which JSON cannot hold, are spelled out instead of collapsing to `null`.
 *
 * @module Canonical
 */
import { createHash } from "node:crypto"

/** The canonical JSON text of a JSON-like value. */
export const stringify = (value: unknown): string => {
  if (value === null || value === undefined) return "null"
  switch (typeof value) {
    case "number":
      if (Number.isFinite(value)) return JSON.stringify(Object.is(value, -0) ? 0 : value)
      return JSON.stringify({ $number: String(value) })
    case "bigint":
      return JSON.stringify({ $bigint: value.toString() })
    case "string":
    case "boolean":
      return JSON.stringify(value)
    case "object": {
      if (Array.isArray(value)) return `[${value.map(stringify).join(",")}]`
      const record = value as Record<string, unknown>
      const keys = Object.keys(record)
        .filter((k) => record[k] !== undefined)
        .sort()
      return `{${keys.map((k) => `${JSON.stringify(k)}:${stringify(record[k])}`).join(",")}}`
    }
    default:
      throw new TypeError(`A ${typeof value} cannot be part of a stage key.`)
  }
}

/** Hex sha256 of a string or bytes. */
export const sha256 = (data: string | Uint8Array): string => createHash("sha256").update(data).digest("hex")

/** Hex sha256 of the canonical JSON of a value. */
export const digest = (value: unknown): string => sha256(stringify(value))
