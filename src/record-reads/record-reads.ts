import type { MirrorStore, RepoState } from "../store/store.js";
import { type ListQuery, listRecords, type RecordPage } from "./list-records.js";
import { locateRecord, type RecordLocation } from "./locate-record.js";
import { NO_PENDING_WRITES, type PendingWrites } from "./pending-writes.js";
import { type RecordView, readRecord } from "./read-record.js";

/**
 * The collections as the data API serves them: records found in the mirror, with the writes still
 * pending laid over it. It only reads, so collections are served whether or not writes are enabled.
 */
export interface RecordReads {
  /** Where a record lives; see locateRecord. */
  locate(repo: Pick<RepoState, "config">, collectionName: string, rawId: string, withKey: boolean): RecordLocation;
  read(repo: RepoState, location: RecordLocation): Promise<RecordView>;
  list(repo: RepoState, collectionName: string, query: ListQuery, canRead: (path: string) => boolean): Promise<RecordPage>;
}

export interface RecordReadsDeps {
  store: MirrorStore;
  /** The write queue's pending writes; none when writes are disabled. */
  pending?: PendingWrites;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
}

export function createRecordReads({ store, pending = NO_PENDING_WRITES, now = Date.now }: RecordReadsDeps): RecordReads {
  const deps = { store, pending, now };
  return {
    locate: locateRecord,
    read: (repo, location) => readRecord(deps, repo, location),
    list: (repo, collectionName, query, canRead) => listRecords(deps, repo, collectionName, query, canRead),
  };
}
