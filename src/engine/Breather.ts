/**
 * Letting signals in. Effect's fiber yields to other fibers through microtasks, so a long loop of
 * Effects (a stage drawing thousands of trials on the main thread, planning a large grid) never
 * lets Node's event loop run the SIGINT/SIGTERM handler: the interruption waits for the loop to
 * end. A {@link breather} placed in such a loop yields one macrotask (`setImmediate`) whenever
 * `everyMs` have passed since the last, so a signal acts within about that time, at the cost of a
 * few microseconds per yield.
 *
 * @module Breather
 */
import * as Effect from "effect/Effect"

/** An Effect that yields to the event loop when `everyMs` (default 50) have passed since it last did. */
export const breather = (everyMs = 50): Effect.Effect<void> => {
  let last = performance.now()
  return Effect.suspend(() => {
    const now = performance.now()
    if (now - last < everyMs) return Effect.void
    last = now
    return Effect.async<void>((resume) => {
      const handle = setImmediate(() => resume(Effect.void))
      return Effect.sync(() => clearImmediate(handle))
    })
  })
}
