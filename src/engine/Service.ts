/**
 * A service implementation a pipeline provides to its stages: the Context tag it satisfies, a
 * stable id, the Layer, and the module that implements it. That module's code fingerprint is
 * part of the key of every stage requiring the tag, so swapping A → B → A re-hits A's cache.
 *
 * @module Service
 */
import type * as Context from "effect/Context"
import type * as Layer from "effect/Layer"

/** A provided implementation of one service tag. */
export interface Impl {
  readonly _tag: "ServiceImpl"
  // biome-ignore lint/suspicious/noExplicitAny: a tag of any service
  readonly tag: Context.Tag<any, any>
  readonly id: string
  // biome-ignore lint/suspicious/noExplicitAny: the layer's own errors surface when the stage runs
  readonly layer: Layer.Layer<any, any, never>
  /** `import.meta.url` of the implementation module. */
  readonly module: string
}

/** Declares an implementation of `tag`. */
export const impl = <Id, S, E>(
  tag: Context.Tag<Id, S>,
  id: string,
  layer: Layer.Layer<Id, E, never>,
  module: string
): Impl => ({ _tag: "ServiceImpl", tag, id, layer, module })
