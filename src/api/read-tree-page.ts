import type { FileEntry, MirrorStore } from "../store/store.js";

export interface TreePage {
  files: FileEntry[];
  /** Whether readable files follow the page's last one. */
  more: boolean;
}

/**
 * Up to `limit` files under `prefix` after path `after` that the caller may read. The store is read a
 * page at a time, never whole: unreadable files are skipped in batches until the page is full.
 */
export async function readTreePage(
  store: MirrorStore,
  repoId: number,
  query: { prefix: string; after: string | undefined; limit: number },
  canRead: (path: string) => boolean,
): Promise<TreePage> {
  if (query.limit === 0) return { files: [], more: false };
  const files: FileEntry[] = [];
  // One more than the page, to learn whether another page follows without an empty last one.
  const batchSize = query.limit + 1;
  let after = query.after;
  for (;;) {
    const batch = await store.listFiles(repoId, query.prefix, { after, limit: batchSize });
    files.push(...batch.filter((file) => canRead(file.path)));
    if (files.length > query.limit || batch.length < batchSize) break;
    after = batch.at(-1)!.path;
  }
  return { files: files.slice(0, query.limit), more: files.length > query.limit };
}
