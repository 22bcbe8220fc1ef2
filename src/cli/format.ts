/**
 * How `pipeline run` prints its report: one JSON object with `--json`, a table otherwise.
 *
 * @module format
 */

/** The part of a run report the CLI prints. */
export interface PrintedRun {
  readonly pipeline: string
  readonly stages: ReadonlyArray<{
    readonly name: string
    readonly key: string
    readonly status: string
    readonly seconds: number
    readonly outputDigest: string
  }>
  readonly published: ReadonlyArray<string>
}

/** The run report as text (`json`: the JSON object, exactly those fields). */
export const formatRun = (report: PrintedRun, options: { readonly json: boolean; readonly dryRun: boolean }) => {
  if (options.json) {
    return JSON.stringify({
      pipeline: report.pipeline,
      stages: report.stages.map((r) => ({
        name: r.name,
        key: r.key,
        status: r.status,
        seconds: r.seconds,
        outputDigest: r.outputDigest
      }))
    })
  }
  const counts = new Map<string, number>()
  for (const r of report.stages) counts.set(r.status, (counts.get(r.status) ?? 0) + 1)
  const width = Math.max(...report.stages.map((r) => r.name.length), 5)
  const summary = [...counts].map(([k, v]) => `${v} ${k}`).join(", ")
  const lines = [
    `${options.dryRun ? "dry run of " : ""}pipeline ${report.pipeline}: ${report.stages.length} stage${report.stages.length === 1 ? "" : "s"} (${summary})`,
    ...report.stages.map(
      (r) =>
        `  ${r.name.padEnd(width)}  ${r.status.padEnd(12)} ${r.seconds.toFixed(2).padStart(8)} s  ${r.key.slice(0, 12)}`
    )
  ]
  if (report.published.length > 0) lines.push("published:", ...report.published.map((p) => `  ${p}`))
  return lines.join("\n")
}
