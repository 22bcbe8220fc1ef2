/**
 * The report's specs as service tags (DESIGN §15): each `figure-<id>` node is provided its figure
 * spec, the `report` node its task's content spec, each with the spec's own module as its code
 * fingerprint (`Service.impl`), so editing one spec reruns its node and the report, nothing else.
 */
import * as Context from "effect/Context"
import * as Layer from "effect/Layer"
import * as Service from "../src/engine/Service.js"
import type { AnyContentSpec, AnyFigureSpec } from "../src/report/spec.js"

/** The figure a `figure` node draws. */
export class FigureSpecService extends Context.Tag("plastic-net/FigureSpec")<FigureSpecService, AnyFigureSpec>() {}

/** The report's header (title, key numbers, tables) of the task. */
export class ReportContentService extends Context.Tag("plastic-net/ReportContent")<
  ReportContentService,
  AnyContentSpec
>() {}

/** A figure spec as a node's service implementation (its id, its module's fingerprint). */
export const figureImpl = (spec: AnyFigureSpec): Service.Impl =>
  Service.impl(FigureSpecService, spec.id, Layer.succeed(FigureSpecService, spec), spec.module)

/** A task's content spec as the report node's service implementation. */
export const contentImpl = (spec: AnyContentSpec): Service.Impl =>
  Service.impl(ReportContentService, spec.id, Layer.succeed(ReportContentService, spec), spec.module)
