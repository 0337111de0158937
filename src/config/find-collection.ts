import { NotFoundError } from "../errors.js";
import type { CollectionConfig, RepoConfig } from "./repo-config.js";
import { unknownCollectionError } from "./unknown-collection.js";

/**
 * The named collection of a repository's config; 404 when there is none by that name. The 404 says which
 * collections there are only when `explain`: what a repository collects is its config's to tell, so only
 * to callers who may read the config.
 */
export function findCollection(config: Pick<RepoConfig, "collections" | "mirror">, name: string, explain: boolean): CollectionConfig {
  const collection = Object.hasOwn(config.collections, name) ? config.collections[name] : undefined;
  if (collection) return collection;
  if (explain) throw unknownCollectionError(config, name);
  const shown = name.slice(0, 64);
  throw new NotFoundError(`no collection ${JSON.stringify(shown)}`, { collection: shown });
}
