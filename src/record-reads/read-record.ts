import { AppError, NotFoundError } from "../errors.js";
import { parseRecord, type RecordData } from "../records/record-format.js";
import type { RepoState } from "../store/store.js";
import type { RecordLocation } from "./locate-record.js";
import type { ReadDeps } from "./read-deps.js";

export interface RecordView {
  id: string;
  data: RecordData;
  /** Blob sha of the record's file: what `If-Match` compares with. */
  sha: string;
}

/** A record's file as the mirror holds it, or as its newest pending write leaves it; null when there is none. */
export async function currentRecordFile(deps: ReadDeps, repoId: number, path: string): Promise<{ content: Buffer; sha: string } | null> {
  const overlay = await deps.pending.overlayAt(repoId, path, deps.now());
  if (!overlay) return deps.store.getFile(repoId, path);
  return overlay.op === "delete" || !overlay.content || !overlay.sha ? null : { content: overlay.content, sha: overlay.sha };
}

/** One record as the mirror holds it, or as its newest pending write leaves it; 404 when there is none. */
export async function readRecord(deps: ReadDeps, repo: RepoState, location: RecordLocation): Promise<RecordView> {
  const { collection, id, path } = location;
  const file = await currentRecordFile(deps, repo.id, path);
  if (!file) throw new NotFoundError(`record ${id} does not exist`, { id });
  const parsed = parseRecord(collection.format, file.content);
  if (!parsed.ok)
    throw new AppError("unreadable-record", `the file of record ${id} does not parse: ${parsed.problem}`, { context: { path } });
  return { id, data: parsed.data, sha: file.sha };
}
