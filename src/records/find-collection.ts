import type { CollectionConfig, RepoConfig } from "../config/repo-config.js";
import { unknownCollectionError } from "./unknown-collection.js";

/** The named collection of a repository's config; 404 when there is none by that name. */
export function findCollection(config: Pick<RepoConfig, "collections" | "mirror">, name: string): CollectionConfig {
  const collection = Object.hasOwn(config.collections, name) ? config.collections[name] : undefined;
  if (!collection) throw unknownCollectionError(config, name);
  return collection;
}
