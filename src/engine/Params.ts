/**
 * Params from the command line: `--set key=value` strings coerced to numbers, booleans or strings
 * by reading the params Schema's AST (dotted keys reach nested structs), then decoded by the
 * Schema with every issue reported as `path: message`.
 *
 * @module Params
 */
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import type * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"
import { type ParamIssue, ParamsError } from "./Errors.js"
import { didYouMean } from "./Suggest.js"

/** The encoded-side AST of the property at `path`, if the Schema declares it. */
const propertyAst = (ast: AST.AST, path: ReadonlyArray<string>): AST.AST | undefined => {
  if (path.length === 0) return ast
  switch (ast._tag) {
    case "TypeLiteral": {
      const ps = ast.propertySignatures.find((p) => String(p.name) === path[0])
      return ps === undefined ? undefined : propertyAst(ps.type, path.slice(1))
    }
    case "Union": {
      for (const member of ast.types) {
        const found = propertyAst(member, path)
        if (found !== undefined) return found
      }
      return undefined
    }
    case "Refinement":
      return propertyAst(ast.from, path)
    case "Transformation":
      return propertyAst(ast.from, path)
    case "Suspend":
      return propertyAst(ast.f(), path)
    default:
      return undefined
  }
}

/** Coerces one command-line string to what the AST expects, leaving it a string when nothing fits. */
const coerce = (ast: AST.AST | undefined, raw: string): unknown => {
  if (ast === undefined) return raw
  // The alternatives, unions flattened (an optional field's union is `X | undefined`, X itself a union).
  const flatten = (a: AST.AST): ReadonlyArray<AST.AST> => (a._tag === "Union" ? a.types.flatMap(flatten) : [a])
  const members = flatten(ast)
  for (const m of members) if (m._tag === "Literal" && String(m.literal) === raw) return m.literal
  for (const m of members) {
    let t = m
    while (t._tag === "Refinement") t = t.from // nested refinements: an integer that is also positive
    if (t._tag === "NumberKeyword" && raw.trim() !== "" && !Number.isNaN(Number(raw))) return Number(raw)
    if (t._tag === "BooleanKeyword" && (raw === "true" || raw === "false")) return raw === "true"
    if (t._tag === "UndefinedKeyword" && raw === "undefined") return undefined
  }
  return raw
}

/** The property names a struct-like AST declares at `path` (for "valid params" lists). */
export const propertyNames = (ast: AST.AST, path: ReadonlyArray<string> = []): ReadonlyArray<string> => {
  const at = propertyAst(ast, path)
  const names = new Set<string>()
  const visit = (a: AST.AST | undefined) => {
    if (a === undefined) return
    switch (a._tag) {
      case "TypeLiteral":
        for (const p of a.propertySignatures) names.add(String(p.name))
        return
      case "Union":
        for (const m of a.types) visit(m)
        return
      case "Refinement":
      case "Transformation":
        return visit(a.from)
      case "Suspend":
        return visit(a.f())
    }
  }
  visit(at)
  return [...names]
}

/** "; valid params: a, b" for the struct at `path` (empty when it declares none), after a did-you-mean for `given`. */
const validList = (ast: AST.AST, path: ReadonlyArray<string>, given?: string) => {
  const valid = propertyNames(ast, path)
  const suggestion = given === undefined ? "" : didYouMean(given, valid).trim()
  const near = suggestion === "" ? "" : ` (${suggestion.replace(/^Did/, "did")})`
  return valid.length === 0
    ? ""
    : `${near}; valid params${path.length > 0 ? ` of ${path.join(".")}` : ""}: ${valid.join(", ")}`
}

/**
 * What a value that looks like a range or a list means to say (`seed=1-4`, `sigma=0.1..0.3`,
 * `rule=a,b`): a sweep, which `--set` is not. Empty for anything else.
 */
const rangeHint = (key: string, raw: unknown) => {
  if (typeof raw !== "string") return ""
  const dash = /^(-?\d+)-(\d+)$/.exec(raw)
  if (dash !== null) return `; to run several values, sweep them: --sweep ${key}=${dash[1]}..${dash[2]}`
  const dots = /^(-?[\d.]+)\.\.(-?[\d.]+)$/.exec(raw)
  if (dots !== null) {
    const integers = /^-?\d+$/.test(dots[1]!) && /^-?\d+$/.test(dots[2]!)
    return `; to run several values, sweep them: --sweep ${key}=${integers ? raw : `${dots[1]},…,${dots[2]} (a list; ranges are of integers)`}`
  }
  if (raw.includes(",")) return `; to run several values, sweep them: --sweep ${key}=${raw}`
  return ""
}

/** Keys that would reach an object's prototype instead of a param. */
const forbidden = new Set(["__proto__", "constructor", "prototype"])

/**
 * Turns `key=value` strings into a nested encoded params object, coercing by the Schema's AST.
 * A key segment that would reach an object's prototype (`__proto__`, `constructor`, `prototype`)
 * is an issue and never assigned; other unknown keys are kept, for {@link decode} to report with
 * the list of valid params next to every other issue.
 */
export const parseSets = (
  schema: Schema.Schema.Any,
  subject: string,
  sets: ReadonlyArray<string>
): Effect.Effect<Record<string, unknown>, ParamsError> =>
  Effect.suspend(() => {
    const encoded = AST.encodedAST(schema.ast)
    const out: Record<string, unknown> = {}
    const issues: Array<ParamIssue> = []
    for (const set of sets) {
      const eq = set.indexOf("=")
      if (eq <= 0) {
        issues.push({ path: set, message: "Expected key=value (e.g. --set trainTrials=20)" })
        continue
      }
      const key = set.slice(0, eq)
      const path = key.split(".")
      if (path.some((segment) => forbidden.has(segment) || segment === "")) {
        issues.push({ path: key, message: `Not a param name${validList(encoded, [], key)}` })
        continue
      }
      const raw = set.slice(eq + 1)
      const value = coerce(propertyAst(encoded, path), raw)
      // An integer a double cannot hold exactly would silently become its neighbour (2^53 + 1 → 2^53).
      if (typeof value === "number" && /^[+-]?\d+$/.test(raw.trim()) && !Number.isSafeInteger(value)) {
        issues.push({
          path: key,
          message: `${raw.trim()} is beyond the integers a number holds exactly (±${Number.MAX_SAFE_INTEGER}): it would be read as ${value}`
        })
        continue
      }
      let target = out
      for (const segment of path.slice(0, -1)) {
        const next = Object.hasOwn(target, segment) ? target[segment] : undefined
        target = (
          typeof next === "object" && next !== null ? next : (target[segment] = {} as Record<string, unknown>)
        ) as Record<string, unknown>
      }
      target[path[path.length - 1]!] = value
    }
    return issues.length > 0 ? Effect.fail(new ParamsError({ subject, issues })) : Effect.succeed(out)
  })

/**
 * Drops the noise optional fields add to a report: the "Expected undefined" alternative of an
 * optional field, and an issue on a struct when one of its fields has a more precise one.
 */
const relevant = (issues: ReadonlyArray<ParamIssue>): ReadonlyArray<ParamIssue> => {
  const deeper = (p: string) => issues.some((o) => o.path !== p && (p === "" || o.path.startsWith(`${p}.`)))
  const kept = issues.filter(
    (i) =>
      !deeper(i.path) &&
      !(i.message.startsWith("Expected undefined") && issues.some((o) => o.path === i.path && o !== i))
  )
  // Alternatives of a union at one path become one issue: Expected "a" | "b", actual "c".
  const out: Array<ParamIssue> = []
  for (const i of kept) {
    if (out.some((o) => o.path === i.path)) continue
    const same = kept.filter((o) => o.path === i.path)
    const parts = same.map((o) => /^Expected (.*), actual (.*)$/.exec(o.message))
    if (same.length > 1 && parts.every((m) => m !== null && m[2] === parts[0]![2])) {
      const expected = [...new Set(parts.map((m) => m![1]))].join(" | ")
      out.push({ path: i.path, message: `Expected ${expected}, actual ${parts[0]![2]}` })
    } else {
      out.push(...same.filter((o, n) => same.findIndex((x) => x.message === o.message) === n))
    }
  }
  return out
}

/** The value an issue's path holds in the input (for hints). */
const valueAt = (input: unknown, path: ReadonlyArray<PropertyKey>): unknown =>
  path.reduce<unknown>(
    (v, k) => (typeof v === "object" && v !== null ? (v as Record<PropertyKey, unknown>)[k] : undefined),
    input
  )

/** Decodes params with every issue collected; excess keys are errors. */
export const decode = <A, I>(
  schema: Schema.Schema<A, I, never>,
  subject: string,
  input: unknown
): Effect.Effect<A, ParamsError> =>
  ParseResult.decodeUnknown(schema, { errors: "all", onExcessProperty: "error" })(input).pipe(
    Effect.mapError((issue) => new ParseResult.ParseError({ issue })),
    Effect.mapError(
      (error) =>
        new ParamsError({
          subject,
          issues: relevant(
            ParseResult.ArrayFormatter.formatErrorSync(error).map((i) => ({
              path: i.path.map(String).join("."),
              // An excess key: say which params there are.
              message: i.message.startsWith("is unexpected")
                ? `is not a param${validList(AST.encodedAST(schema.ast), i.path.slice(0, -1).map(String), String(i.path[i.path.length - 1]))}`
                : `${i.message}${rangeHint(i.path.map(String).join("."), valueAt(input, i.path))}`
            }))
          )
        })
    )
  )

/** Encodes decoded params back to their canonical encoded form (for keys and manifests). */
export const encode = <A, I>(schema: Schema.Schema<A, I, never>, value: A): Effect.Effect<I> =>
  ParseResult.encode(schema)(value).pipe(Effect.orDie)
