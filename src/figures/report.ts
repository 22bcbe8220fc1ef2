/**
 * The run report: one standalone `report.html` with every figure inlined as SVG and captioned,
 * tables, the key numbers, and the provenance of every stage (key, params). No external
 * resources, no script; all text is HTML-escaped. What a particular run did (which stages were
 * cached, how long each took) is not part of the report, whose bytes depend only on its inputs:
 * `trusted` can hold a placeholder that the publishing step fills in with the run's record.
 *
 * @module
 */
import { formatNumber } from "./format.js"

export interface ReportFigure {
  /** An SVG document string as the figure functions return it. */
  readonly svg: string
  readonly caption: string
}

export interface ReportTable {
  readonly caption: string
  readonly columns: ReadonlyArray<string>
  /** Cells: numbers are formatted with 4 significant digits, strings are escaped as they are. */
  readonly rows: ReadonlyArray<ReadonlyArray<string | number>>
}

export interface KeyNumber {
  readonly label: string
  readonly value: number | string
  readonly unit?: string
}

export interface ReportSection {
  readonly heading: string
  /** Optional paragraph of plain text under the heading. */
  readonly text?: string
  readonly keyNumbers?: ReadonlyArray<KeyNumber>
  readonly figures?: ReadonlyArray<ReportFigure>
  readonly tables?: ReadonlyArray<ReportTable>
}

export interface ProvenanceEntry {
  readonly stage: string
  readonly key: string
  readonly params: Readonly<Record<string, unknown>>
}

export interface ReportData {
  readonly title: string
  readonly subtitle?: string
  readonly sections: ReadonlyArray<ReportSection>
  readonly provenance: ReadonlyArray<ProvenanceEntry>
  /** HTML inserted as it is after the provenance table (e.g. a placeholder for the run's record). */
  readonly trusted?: string
}

/** Escape text for HTML element content and attribute values. */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!)

const cell = (v: string | number): string => escapeHtml(typeof v === "number" ? formatNumber(v) : v)

/** A number for the report: 4 significant digits, "—" for non-finite values. */
export { formatNumber }

/** Strip an XML declaration or doctype so the SVG can be inlined in HTML. */
const inlineSvg = (svg: string): string =>
  svg.replace(/^\s*<\?xml[^>]*\?>\s*/, "").replace(/^\s*<!DOCTYPE[^>]*>\s*/i, "")

const style = `
body { font-family: sans-serif; color: #111; background: #fff; margin: 0 auto; max-width: 1160px; padding: 16px 24px 48px; line-height: 1.4; }
h1 { font-size: 26px; margin: 8px 0 2px; }
.subtitle { color: #444; margin: 0 0 16px; font-size: 15px; }
h2 { font-size: 20px; border-bottom: 1px solid #ccc; padding-bottom: 4px; margin-top: 32px; }
.figures { display: flex; flex-wrap: wrap; gap: 20px; align-items: flex-start; }
figure { margin: 0; border: 1px solid #e3e3e3; padding: 8px; max-width: 100%; overflow-x: auto; }
figure svg { display: block; }
figcaption { font-size: 13px; color: #333; max-width: 640px; margin-top: 6px; }
.key-numbers { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
.key-number { border: 1px solid #ddd; border-radius: 4px; padding: 8px 12px; min-width: 150px; }
.key-number .value { font-size: 20px; font-weight: bold; }
.key-number .unit { font-size: 13px; color: #444; margin-left: 3px; }
.key-number .label { font-size: 13px; color: #333; }
table { border-collapse: collapse; font-size: 13px; margin: 12px 0; }
caption { text-align: left; font-weight: bold; padding-bottom: 4px; }
th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td code { font-size: 12px; white-space: pre-wrap; word-break: break-word; }
`

const keyNumbersHtml = (numbers: ReadonlyArray<KeyNumber>): string =>
  `<div class="key-numbers">${numbers
    .map(
      (k) =>
        `<div class="key-number"><div class="value">${cell(k.value)}${
          k.unit ? `<span class="unit">${escapeHtml(k.unit)}</span>` : ""
        }</div><div class="label">${escapeHtml(k.label)}</div></div>`
    )
    .join("")}</div>`

const tableHtml = (table: ReportTable): string => {
  const head = table.columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join("")
  const body = table.rows
    .map(
      (row) =>
        `<tr>${row.map((v) => `<td${typeof v === "number" ? ' class="num"' : ""}>${cell(v)}</td>`).join("")}</tr>`
    )
    .join("\n")
  return `<table><caption>${escapeHtml(table.caption)}</caption><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`
}

/** Params as `name=value` pairs in key order, values as JSON (`rule="three-factor", trainTrials=260`). */
export const formatParams = (params: Readonly<Record<string, unknown>>): string =>
  Object.keys(params)
    .sort()
    .map((k) => `${k}=${JSON.stringify(params[k])}`)
    .join(", ")

const provenanceHtml = (entries: ReadonlyArray<ProvenanceEntry>): string => {
  const rows = entries
    .map(
      (e) =>
        `<tr><td>${escapeHtml(e.stage)}</td><td><code title="${escapeHtml(e.key)}">${escapeHtml(
          e.key.slice(0, 12)
        )}</code></td><td><code>${escapeHtml(formatParams(e.params))}</code></td></tr>`
    )
    .join("\n")
  return `<table class="provenance"><caption>Stage runs (hover a key for all of it)</caption><thead><tr><th scope="col">stage</th><th scope="col">key</th><th scope="col">params</th></tr></thead><tbody>\n${rows}\n</tbody></table>`
}

/** Render the report as a standalone HTML document string. Figures are numbered in order. */
export const renderReport = (data: ReportData): string => {
  let figureNumber = 0
  const sections = data.sections
    .map((section) => {
      const parts: string[] = [`<section><h2>${escapeHtml(section.heading)}</h2>`]
      if (section.text) parts.push(`<p>${escapeHtml(section.text)}</p>`)
      if (section.keyNumbers && section.keyNumbers.length > 0) parts.push(keyNumbersHtml(section.keyNumbers))
      if (section.figures && section.figures.length > 0) {
        const figures = section.figures.map((figure) => {
          figureNumber++
          return `<figure>${inlineSvg(figure.svg)}<figcaption><strong>Figure ${figureNumber}.</strong> ${escapeHtml(
            figure.caption
          )}</figcaption></figure>`
        })
        parts.push(`<div class="figures">\n${figures.join("\n")}\n</div>`)
      }
      for (const table of section.tables ?? []) parts.push(tableHtml(table))
      parts.push("</section>")
      return parts.join("\n")
    })
    .join("\n")
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(data.title)}</title>
<style>${style}</style>
</head>
<body>
<header><h1>${escapeHtml(data.title)}</h1>${data.subtitle ? `<p class="subtitle">${escapeHtml(data.subtitle)}</p>` : ""}</header>
${sections}
<section><h2>Provenance</h2>
${provenanceHtml(data.provenance)}
${data.trusted ?? ""}
</section>
</body>
</html>
`
}
