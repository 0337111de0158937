import type { CollectionConfig, RepoConfig } from "../config/repo-config.js";
import { NotFoundError } from "../errors.js";

/** The named collection of a repository's config; 404 when there is none by that name. */
export function findCollection(config: Pick<RepoConfig, "collections">, name: string): CollectionConfig {
  const collection = Object.hasOwn(config.collections, name) ? config.collections[name] : undefined;
  if (!collection) {
    const known = Object.keys(config.collections).join(", ") || "none";
    throw new NotFoundError(`no collection ${JSON.stringify(name.slice(0, 64))}; this repository has: ${known}`, { collection: name.slice(0, 64) });
  }
  return collection;
}
