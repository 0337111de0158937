import type { WriteOp, WriteRecord, WriteStatus } from "../write-store.js";
import { asBuffer, asNullableNumber, asNumber } from "./sql-values.js";

type Int8 = number | string;

export interface WriteRow {
  seq: Int8;
  id: string;
  repo_id: Int8;
  branch: string;
  collection: string;
  record_id: string;
  path: string;
  op: WriteOp;
  user_login: string;
  actor: string;
  content: Uint8Array | null;
  sha: string | null;
  status: WriteStatus;
  batch_id: string | null;
  commit_sha: string | null;
  error: string | null;
  accepted_at: Int8;
  finished_at: Int8 | null;
}

export const WRITE_COLUMNS =
  "seq, id, repo_id, branch, collection, record_id, path, op, user_login, actor, content, sha, status, batch_id, commit_sha, error, accepted_at, finished_at";

export function toWriteRecord(row: WriteRow): WriteRecord {
  return {
    seq: asNumber(row.seq),
    id: row.id,
    repoId: asNumber(row.repo_id),
    branch: row.branch,
    collection: row.collection,
    recordId: row.record_id,
    path: row.path,
    op: row.op,
    user: row.user_login,
    actor: row.actor,
    content: row.content === null ? null : asBuffer(row.content),
    sha: row.sha,
    status: row.status,
    batchId: row.batch_id,
    commitSha: row.commit_sha,
    error: row.error,
    acceptedAt: asNumber(row.accepted_at),
    finishedAt: asNullableNumber(row.finished_at),
  };
}
