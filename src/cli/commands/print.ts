/**
 * Writing a command's output to stdout (progress and messages go to stderr).
 *
 * @module print
 */
import * as Effect from "effect/Effect"

/** Prints text on stdout, ending it with a newline. */
export const print = (text: string) =>
  Effect.sync(() => void process.stdout.write(text.endsWith("\n") ? text : `${text}\n`))

/** An aligned text table. */
export const table = (columns: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>, indent = "  ") => {
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] ?? "").length)))
  const line = (cells: ReadonlyArray<string>) =>
    indent + cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join("  ")
  return [line(columns), ...rows.map(line)].join("\n")
}
