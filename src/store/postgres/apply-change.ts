/**
 * Applying a change set to the PostgreSQL mirror, inside the caller's transaction: set-wise statements
 * (a few per 500 files) rather than one per file, so a large change costs a few round trips to the server.
 */
import { skippedAfterChange } from "../skipped-after-change.js";
import type { BlobContent, ChangeSet, FileUpsert, SkippedFile } from "../store.js";
import type { SqlQueryable } from "./sql-client.js";
import { sweepUnnamedBlobs } from "./sweep-blobs.js";

/** Rows one statement carries at most, so a change of thousands of files never becomes one huge message. */
const ROWS_PER_STATEMENT = 500;

/** An upsert named a blob that is not stored: the change rolls back and reports a conflict. */
export class BlobMissing extends Error {}

function* chunksOf<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}

/** Stores contents not stored yet; a content stored already is kept as it is (its sha names it). */
export async function insertBlobs(tx: SqlQueryable, blobs: readonly BlobContent[]): Promise<void> {
  for (const chunk of chunksOf(blobs, ROWS_PER_STATEMENT)) {
    await tx.query("INSERT INTO blobs (sha, content) SELECT * FROM unnest($1::text[], $2::bytea[]) ON CONFLICT (sha) DO NOTHING", [
      chunk.map((blob) => blob.sha),
      chunk.map((blob) => blob.content),
    ]);
  }
}

/** Compare-and-set on the repository's row, locked for the transaction: changes to one repository apply one at a time. */
export async function applyChange(tx: SqlQueryable, repoId: number, change: ChangeSet): Promise<boolean> {
  const { rows } = await tx.query<{ sha: string | null; file_count: number; skipped: string }>(
    "SELECT sha, file_count, skipped FROM repos WHERE id = $1 FOR UPDATE",
    [repoId],
  );
  const current = rows[0];
  if (!current) return false;
  if (change.fromSha !== null && current.sha !== change.fromSha) return false;
  // Contents no file names any more, swept at the end of the transaction.
  const released: string[] = [];
  let fileCount = current.file_count;
  if (change.replaceAll) {
    const removed = await tx.query<{ sha: string }>("DELETE FROM files WHERE repo_id = $1 RETURNING sha", [repoId]);
    released.push(...removed.rows.map((row) => row.sha));
    fileCount = 0;
  }
  if (change.deletes.length > 0) {
    const removed = await tx.query<{ sha: string }>("DELETE FROM files WHERE repo_id = $1 AND path = ANY($2::text[]) RETURNING sha", [
      repoId,
      change.deletes,
    ]);
    released.push(...removed.rows.map((row) => row.sha));
    fileCount -= removed.rowCount;
  }
  fileCount += await upsertFiles(tx, repoId, change.upserts, released);
  await tx.query("UPDATE repos SET sha = $2, file_count = $3, skipped = $4 WHERE id = $1", [
    repoId,
    change.toSha,
    fileCount,
    JSON.stringify(skippedAfterChange(change, JSON.parse(current.skipped) as SkippedFile[])),
  ]);
  await sweepUnnamedBlobs(tx, released);
  return true;
}

/** Puts the files, adding to `released` the contents they replace; returns how many paths are new. */
async function upsertFiles(tx: SqlQueryable, repoId: number, upserts: readonly FileUpsert[], released: string[]): Promise<number> {
  // A path named twice takes its last content, as if applied in order; the earlier one names nothing.
  const byPath = new Map<string, FileUpsert>();
  for (const file of upserts) {
    const earlier = byPath.get(file.path);
    if (earlier) released.push(earlier.sha);
    byPath.set(file.path, file);
  }
  const files = [...byPath.values()];
  await insertBlobs(
    tx,
    files.flatMap((file) => (file.content ? [{ sha: file.sha, content: file.content }] : [])),
  );
  await assertBlobsStored(
    tx,
    files.filter((file) => !file.content).map((file) => file.sha),
  );
  let added = 0;
  for (const chunk of chunksOf(files, ROWS_PER_STATEMENT)) {
    const paths = chunk.map((file) => file.path);
    const previous = await tx.query<{ path: string; sha: string }>(
      "SELECT path, sha FROM files WHERE repo_id = $1 AND path = ANY($2::text[])",
      [repoId, paths],
    );
    const before = new Map(previous.rows.map((row) => [row.path, row.sha]));
    for (const file of chunk) {
      const sha = before.get(file.path);
      if (sha === undefined) added += 1;
      else if (sha !== file.sha) released.push(sha);
    }
    await tx.query(
      `INSERT INTO files (repo_id, path, sha, size) SELECT $1::bigint, * FROM unnest($2::text[], $3::text[], $4::bigint[])
       ON CONFLICT (repo_id, path) DO UPDATE SET sha = excluded.sha, size = excluded.size`,
      [repoId, paths, chunk.map((file) => file.sha), chunk.map((file) => file.size)],
    );
  }
  return added;
}

/** Contents a change names without carrying must be stored already (storeBlobs); locked, so no sweep removes them before the commit. */
async function assertBlobsStored(tx: SqlQueryable, shas: readonly string[]): Promise<void> {
  const wanted = [...new Set(shas)];
  for (const chunk of chunksOf(wanted, ROWS_PER_STATEMENT)) {
    const { rows } = await tx.query("SELECT sha FROM blobs WHERE sha = ANY($1::text[]) FOR KEY SHARE", [chunk]);
    if (rows.length < chunk.length) throw new BlobMissing();
  }
}
