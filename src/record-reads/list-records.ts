import { findCollection } from "../config/find-collection.js";
import { type CollectionConfig, REPO_CONFIG_PATH } from "../config/repo-config.js";
import { BadRequestError } from "../errors.js";
import { pathProblem } from "../paths.js";
import { parseRecord, type RecordData } from "../records/record-format.js";
import { recordIdOf, recordPrefix } from "../records/record-path.js";
import type { RepoState } from "../store/store.js";
import type { ReadDeps } from "./read-deps.js";

export interface RecordItem {
  id: string;
  /** null when the file does not parse (it was edited by hand); `error` says why. */
  data: RecordData | null;
  error?: string;
}

export interface RecordPage {
  items: RecordItem[];
  /** Records under the prefix in all (readable ones), whatever the page size. */
  count: number;
  /** Pass back as `cursor` for the next page; null on the last one. */
  cursor: string | null;
}

export interface ListQuery {
  prefix: string;
  limit: number;
  cursor: string | undefined;
}

export const MAX_PAGE_SIZE = 1000;

/** A page of records whose id starts with `prefix`, sorted by id, with the total count under the prefix. */
export async function listRecords(
  deps: ReadDeps,
  repo: RepoState,
  collectionName: string,
  query: ListQuery,
  canRead: (path: string) => boolean,
): Promise<RecordPage> {
  const collection = findCollection(repo.config, collectionName, canRead(REPO_CONFIG_PATH));
  checkPrefix(query.prefix);
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const folder = recordPrefix(collection, query.prefix);

  // path → where its current content is: the mirror (sha only, loaded if on the page) or a pending write.
  const current = new Map<string, { content?: Buffer }>();
  for (const entry of await deps.store.listFiles(repo.id, folder)) current.set(entry.path, {});
  for (const write of await deps.pending.overlayUnder(repo.id, folder, deps.now())) {
    if (write.op === "delete" || !write.content) current.delete(write.path);
    else current.set(write.path, { content: write.content });
  }

  const records: Array<{ id: string; path: string; content?: Buffer }> = [];
  for (const [path, source] of current) {
    const id = recordIdOf(collection, path);
    if (id !== undefined && canRead(path)) records.push({ id, path, ...source });
  }
  records.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const start = after === undefined ? 0 : records.findIndex((record) => record.id > after);
  const remaining = start === -1 ? [] : records.slice(start);
  const page = remaining.slice(0, query.limit);
  const items = await Promise.all(page.map((record) => loadItem(deps, repo, collection, record)));
  const more = remaining.length > page.length && page.length > 0;
  return { items, count: records.length, cursor: more ? encodeCursor(page.at(-1)!.id) : null };
}

async function loadItem(
  deps: ReadDeps,
  repo: RepoState,
  collection: CollectionConfig,
  record: { id: string; path: string; content?: Buffer },
): Promise<RecordItem> {
  const content = record.content ?? (await deps.store.getFile(repo.id, record.path))?.content;
  // A sync may have removed the file since it was listed: report it as unreadable rather than fail the page.
  if (!content) return { id: record.id, data: null, error: "the record was removed while being read" };
  const parsed = parseRecord(collection.format, content);
  return parsed.ok ? { id: record.id, data: parsed.data } : { id: record.id, data: null, error: parsed.problem };
}

function checkPrefix(prefix: string): void {
  if (prefix === "") return;
  const problem = pathProblem(prefix.endsWith("/") ? prefix.slice(0, -1) : prefix);
  if (problem) throw new BadRequestError(`prefix: ${problem}`, { prefix: prefix.slice(0, 200) });
}

function encodeCursor(id: string): string {
  return Buffer.from(id, "utf8").toString("base64url");
}

function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, "base64url").toString("utf8");
  if (id === "" || encodeCursor(id) !== cursor) throw new BadRequestError("cursor is not one this API returned");
  return id;
}
