/**
 * Tidy CSV for the commands (`runs --csv`, `export`): a header and rows, as `d3-dsv` quotes them
 * (RFC 4180); `null` is an empty cell, so pandas and R read it as missing.
 *
 * @module Csv
 */
import { csvFormatRows } from "d3-dsv"

/** The CSV text of a table, ending in a newline. */
export const toCsv = (table: {
  readonly columns: ReadonlyArray<string>
  readonly rows: ReadonlyArray<ReadonlyArray<string | number | boolean | null>>
}): string =>
  `${csvFormatRows([
    [...table.columns],
    ...table.rows.map((r) =>
      r.map((v) => (v === null || (typeof v === "number" && !Number.isFinite(v)) ? "" : String(v)))
    )
  ])}\n`
