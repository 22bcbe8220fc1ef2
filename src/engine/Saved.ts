/**
 * What this process saved for a later run to resume: the checkpoints its stages flushed and did not
 * clear (a stage that finished clears its own). The CLI reads it when a run is interrupted, so its
 * message says what was saved only if something was.
 *
 * @module Saved
 */

/** Key → node name of each checkpoint this process wrote and has not cleared. */
export const checkpoints = new Map<string, string>()

/** The node names of the saved checkpoints, in the order they were first saved. */
export const checkpointNames = (): ReadonlyArray<string> => [...new Set(checkpoints.values())]
