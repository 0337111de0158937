import type { RecordFormat } from "./record-format.js";

/** What record paths are made of: a collection's folder and the format of its files (JSON when absent). */
export interface RecordFolder {
  path: string;
  format?: RecordFormat;
}

/** File extension of a collection's records. */
function recordExtension(collection: Pick<RecordFolder, "format">): string {
  return collection.format === "markdown" ? ".md" : ".json";
}

/** Repository path of a record: `<collection.path>/<id>.json` (or `.md`). */
export function recordPath(collection: Pick<RecordFolder, "path" | "format">, id: string): string {
  return `${collection.path}/${id}${recordExtension(collection)}`;
}

/** The folder prefix (with trailing slash) under which a collection's records, or those under an id prefix, live. */
export function recordPrefix(collection: Pick<RecordFolder, "path">, idPrefix = ""): string {
  return `${collection.path}/${idPrefix}`;
}

/** The record id of a repository path, or undefined when the path is not one of the collection's records. */
export function recordIdOf(collection: Pick<RecordFolder, "path" | "format">, path: string): string | undefined {
  const prefix = recordPrefix(collection);
  const extension = recordExtension(collection);
  if (!path.startsWith(prefix) || !path.endsWith(extension)) return undefined;
  const id = path.slice(prefix.length, path.length - extension.length);
  return id === "" ? undefined : id;
}
