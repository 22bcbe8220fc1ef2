// Placeholder registry until the real pipelines land (the lead replaces this file).
import type * as Pipeline from "../src/engine/Pipeline.js"

export const pipelines: ReadonlyArray<Pipeline.Any> = []
