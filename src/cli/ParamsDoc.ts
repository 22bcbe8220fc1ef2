/**
 * A pipeline's params as a table (`pipeline params NAME`), generated from its params Schema, so
 * it cannot drift from what `--set` accepts: each field's name, type (JSON Schema's, via
 * `effect/JSONSchema`), default (the Schema's own, by decoding `{}`), bounds (the refinements'
 * minimum and maximum) and meaning (the field's `description` annotation). Any pipeline, and a
 * field added later, is documented with no code change here.
 *
 * @module ParamsDoc
 */
import * as Either from "effect/Either"
import * as JSONSchema from "effect/JSONSchema"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"

/** One param. */
export interface ParamDoc {
  readonly name: string
  /** `integer`, `number`, `boolean`, `string`, or a few literals: `a \| b`. */
  readonly type: string
  /** The values of a literal param with many (its type is then `string`). */
  readonly values?: ReadonlyArray<string>
  /** The default as `--set` would spell it; absent when the field has none. */
  readonly default?: string
  /** Interval notation: `[0, 100000]`, `(0, 1000000]`, `≥ 0`; empty when unbounded. */
  readonly bounds: string
  readonly meaning: string
}

interface Property {
  readonly type?: string
  readonly enum?: ReadonlyArray<unknown>
  readonly anyOf?: ReadonlyArray<Property>
  readonly description?: string
  readonly minimum?: number
  readonly maximum?: number
  readonly exclusiveMinimum?: number
  readonly exclusiveMaximum?: number
}

/** A number as a param value: integers in full, others in their shortest form. */
const num = (n: number) => (n === Number.MAX_SAFE_INTEGER ? "2⁵³−1" : String(n))

const boundsOf = (p: Property): string => {
  const lo = p.minimum ?? p.exclusiveMinimum
  const hi = p.maximum ?? p.exclusiveMaximum
  if (lo === undefined && hi === undefined) return ""
  if (lo === undefined) return `${p.maximum === undefined ? "<" : "≤"} ${num(hi!)}`
  if (hi === undefined) return `${p.minimum === undefined ? ">" : "≥"} ${num(lo)}`
  return `${p.minimum === undefined ? "(" : "["}${num(lo)}, ${num(hi)}${p.maximum === undefined ? ")" : "]"}`
}

/** The literals of a param, if it is one of a few values. */
const literals = (p: Property): ReadonlyArray<string> | undefined =>
  p.enum?.map(String) ??
  (p.anyOf?.every((a) => a.enum !== undefined) ? p.anyOf.flatMap((a) => literals(a)!) : undefined)

const typeOf = (p: Property): Pick<ParamDoc, "type" | "values"> => {
  const values = literals(p)
  if (values === undefined && p.anyOf !== undefined) {
    // a literal or a number (bci-perturbation's `dimension`: auto | integer)
    return { type: p.anyOf.map((a) => literals(a)?.join(" \\| ") ?? a.type ?? "any").join(" \\| ") }
  }
  if (values === undefined) return { type: p.type ?? "any" }
  return values.join(" | ").length <= 30 ? { type: values.join(" \\| ") } : { type: "string", values }
}

/** The struct's property signatures: their `description` annotations, by name (not the types' generated ones). */
const descriptions = (ast: AST.AST): ReadonlyMap<string, string> => {
  while (ast._tag === "Refinement" || ast._tag === "Transformation") ast = ast._tag === "Refinement" ? ast.from : ast.to
  if (ast._tag !== "TypeLiteral") return new Map()
  return new Map(
    ast.propertySignatures.flatMap((ps) =>
      Option.match(AST.getDescriptionAnnotation(ps), {
        onNone: () => [],
        onSome: (d) => [[String(ps.name), d] as const]
      })
    )
  )
}

/** The params of a Schema (a struct, possibly refined across fields). */
export const document = (schema: Schema.Schema.Any): ReadonlyArray<ParamDoc> => {
  const json = JSONSchema.make(Schema.typeSchema(schema as Schema.Schema<unknown, unknown, never>)) as {
    readonly properties?: Readonly<Record<string, Property>>
  }
  const defaults = Either.getOrElse(
    Schema.decodeUnknownEither(schema as Schema.Schema<unknown, unknown, never>)({}),
    () => ({})
  ) as Readonly<Record<string, unknown>>
  const meanings = descriptions(schema.ast)
  return Object.entries(json.properties ?? {}).map(([name, p]) => ({
    name,
    ...typeOf(p),
    ...(defaults[name] === undefined ? {} : { default: String(defaults[name]) }),
    bounds: boundsOf(p),
    meaning: meanings.get(name) ?? ""
  }))
}

/**
 * Several pipelines' params in one table: a param's default is "a / b" where they differ (in the
 * order given), "—" where a pipeline lacks it or it has no default.
 */
export const merge = (tables: ReadonlyArray<ReadonlyArray<ParamDoc>>): ReadonlyArray<ParamDoc> => {
  const names = [...new Set(tables.flatMap((t) => t.map((p) => p.name)))]
  return names.map((name) => {
    const rows = tables.map((t) => t.find((p) => p.name === name))
    const first = rows.find((r) => r !== undefined)!
    const defaults = rows.map((r) => r?.default ?? "—")
    const shown = new Set(defaults).size === 1 ? defaults[0]! : defaults.join(" / ")
    return { ...first, ...(shown === "—" ? {} : { default: shown }) }
  })
}

/** The table as aligned text. */
export const text = (params: ReadonlyArray<ParamDoc>): string => {
  const rows = params.map((p) => [
    p.name,
    p.type.replaceAll("\\|", "|"),
    p.default ?? "—",
    p.bounds,
    p.values === undefined ? p.meaning : `${p.meaning}: ${p.values.join(", ")}`
  ])
  const head = ["param", "type", "default", "bounds", "meaning"]
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: ReadonlyArray<string>) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd()
  return [line(head), ...rows.map(line)].join("\n")
}

/** The table as Markdown (the README's): code-quoted names and defaults. */
export const markdown = (params: ReadonlyArray<ParamDoc>): string => {
  const code = (s: string) => (s === "" || s === "—" ? s : `\`${s}\``)
  const rows = params.map((p) => [
    code(p.name),
    p.type,
    code(p.default ?? "—"),
    p.bounds,
    p.values === undefined ? p.meaning : `${p.meaning}: ${p.values.map(code).join(", ")}`
  ])
  const head = ["param", "type", "default", "bounds", "meaning"]
  const widths = head.map((h, i) => Math.max(3, h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: ReadonlyArray<string>) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n")
}
