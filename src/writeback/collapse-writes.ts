import type { WriteRecord } from "../store/write-store.js";

export interface FileAddition {
  path: string;
  content: Buffer;
  /** Git blob sha of `content`. */
  sha: string;
}

/** What one commit changes: each path once, sorted, so the same batch always builds the same commit. */
export interface FileChanges {
  additions: FileAddition[];
  deletions: string[];
}

/**
 * Collapses a batch's writes to one change per path: the last accepted write to a record wins,
 * which is what applying them one by one in acceptance order would have left.
 */
export function collapseWrites(writes: readonly WriteRecord[]): FileChanges {
  const last = new Map<string, WriteRecord>();
  for (const write of [...writes].sort((a, b) => a.seq - b.seq)) last.set(write.path, write);
  const additions: FileAddition[] = [];
  const deletions: string[] = [];
  for (const path of [...last.keys()].sort()) {
    const write = last.get(path)!;
    if (write.op === "delete" || write.content === null || write.sha === null) deletions.push(path);
    else additions.push({ path, content: write.content, sha: write.sha });
  }
  return { additions, deletions };
}

export function isEmptyChange(changes: FileChanges): boolean {
  return changes.additions.length === 0 && changes.deletions.length === 0;
}
