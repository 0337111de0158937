import type { CollectionConfig, RepoConfig } from "../config/repo-config.js";
import { NotFoundError } from "../errors.js";

/** The named collection of a repository's config; 404 when there is none by that name. */
export function findCollection(config: Pick<RepoConfig, "collections">, name: string): CollectionConfig {
  const collection = Object.hasOwn(config.collections, name) ? config.collections[name] : undefined;
  // The message names no other collection: what a repository collects is not the caller's to list.
  if (!collection) throw new NotFoundError(`no collection ${JSON.stringify(name.slice(0, 64))}`, { collection: name.slice(0, 64) });
  return collection;
}
