/**
 * Renders a planned DAG as text, Mermaid or Graphviz dot.
 *
 * @module Dag
 */
import type * as Plan from "../engine/Plan.js"

/** The output formats. */
export type Format = "text" | "mermaid" | "dot"

type Node = Pick<Plan.PlannedNode, "name" | "stage" | "inputs">

const edges = (nodes: ReadonlyArray<Node>) =>
  nodes.flatMap((n) =>
    Object.entries(n.inputs).flatMap(([input, up]) =>
      (typeof up === "string" ? [up] : up).map((from) => ({ from, to: n.name, input }))
    )
  )

const mermaidId = (name: string) => name.replace(/[^A-Za-z0-9_]/g, "_")

/** The DAG of `nodes` (upstream first) in `format`. */
export const render = (pipeline: string, nodes: ReadonlyArray<Node>, format: Format): string => {
  switch (format) {
    case "text":
      return [
        `pipeline ${pipeline}`,
        ...nodes.map((n) => {
          const ins = Object.entries(n.inputs).map(([input, up]) =>
            typeof up === "string" ? (input === up ? up : `${input}=${up}`) : `${input}=[${up.length} runs]`
          )
          const stage = n.stage.name === n.name ? "" : ` [${n.stage.name}]`
          return `  ${n.name}${stage}${ins.length > 0 ? ` ← ${ins.join(", ")}` : ""}`
        })
      ].join("\n")
    case "mermaid":
      return [
        "flowchart TD",
        ...nodes.map((n) => `  ${mermaidId(n.name)}["${n.name}"]`),
        ...edges(nodes).map((e) => `  ${mermaidId(e.from)} -->|${e.input}| ${mermaidId(e.to)}`)
      ].join("\n")
    case "dot":
      return [
        `digraph ${JSON.stringify(pipeline)} {`,
        "  rankdir=TB;",
        ...nodes.map((n) => `  ${JSON.stringify(n.name)};`),
        ...edges(nodes).map(
          (e) => `  ${JSON.stringify(e.from)} -> ${JSON.stringify(e.to)} [label=${JSON.stringify(e.input)}];`
        ),
        "}"
      ].join("\n")
  }
}
