/**
 * Whether the process behind a lock, a staging folder or a run registration is still alive. A
 * process is named by its host and pid: on this host a pid that no longer exists is dead at once
 * (`kill(pid, 0)`); on another host only time can tell (a heartbeat that stopped).
 *
 * @module Liveness
 */
import { hostname } from "node:os"

/** Who holds something: a process on a host. */
export interface Owner {
  readonly host: string
  readonly pid: number
}

/** This process. */
export const self = (): Owner => ({ host: hostname(), pid: process.pid })

/** Whether a process of this host with that pid exists (EPERM: it exists, owned by another user). */
export const pidAlive = (pid: number): boolean => {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM"
  }
}

/** True when the owner is known to be dead: on this host, and its pid is gone. */
export const knownDead = (owner: Owner): boolean => owner.host === hostname() && !pidAlive(owner.pid)
