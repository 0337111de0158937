import type { BatchLimits, WriteCondition, WriteOp } from "./write-store.js";

/**
 * The write queue's domain rules, the same for every backend: which queued writes form the next batch,
 * and whether a write's precondition holds. Pure, so each backend only gathers their inputs.
 */

/** A queued write as batch selection sees it, oldest first. */
export interface QueuedWrite {
  seq: number;
  path: string;
  /** Content bytes; null for a delete. */
  bytes: number | null;
}

/**
 * The queued writes (oldest first) a batch takes, by `seq`: once one write of a path does not fit,
 * none of its later ones may, so a record's writes stay in order. The first write always fits.
 */
export function chooseBatch(queued: readonly QueuedWrite[], limits: BatchLimits): number[] {
  const paths = new Set<string>();
  const held = new Set<string>();
  const chosen: number[] = [];
  let bytes = 0;
  for (const write of queued) {
    if (chosen.length >= limits.maxWrites) break;
    if (held.has(write.path)) continue;
    const size = write.bytes ?? 0;
    const fits = chosen.length === 0 || bytes + size <= limits.maxBytes;
    const room = paths.has(write.path) || paths.size < limits.maxPaths;
    if (!fits || !room) {
      held.add(write.path);
      continue;
    }
    paths.add(write.path);
    chosen.push(write.seq);
    bytes += size;
  }
  return chosen;
}

/** The newest write reads overlay at a path, as far as the record's state goes. */
export interface OverlaidWrite {
  op: WriteOp;
  sha: string | null;
}

/** The current blob sha of a record, null when it does not exist: its newest overlaid write, else the mirror. */
export function currentSha(overlay: OverlaidWrite | undefined, mirrored: { sha: string } | undefined): string | null {
  if (overlay) return overlay.op === "delete" ? null : overlay.sha;
  return mirrored?.sha ?? null;
}

/** Why `condition` does not hold for a record whose current blob sha is `sha`; undefined when it holds. */
export function violated(condition: WriteCondition, sha: string | null): "exists" | "missing" | "changed" | undefined {
  if (condition.exists === false && sha !== null) return "exists";
  if (condition.exists === true && sha === null) return "missing";
  if (condition.sha !== undefined && condition.sha !== sha) return sha === null ? "missing" : "changed";
  return undefined;
}
