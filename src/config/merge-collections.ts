import { collectionExcludedBy } from "./collection-excluded-by.js";
import { collectionProblems } from "./collection-problems.js";
import type { CollectionConfig, RepoConfig } from "./repo-config.js";

/**
 * The collections in force: the `defaults` the mirror holds, with those the file declares on top (a
 * declared name replaces the default of that name, `<name>: false` turns a default off), and what
 * is wrong with the declared ones. A default the mirror leaves out is simply not offered: limiting
 * the mirror should not oblige an owner to turn off collections they never asked for.
 */
export function mergeCollections(
  defaults: Record<string, CollectionConfig>,
  declared: Record<string, CollectionConfig | false> | undefined,
  mirror: RepoConfig["mirror"],
): { collections: Record<string, CollectionConfig>; problems: string[] } {
  const collections = Object.fromEntries(Object.entries(defaults).filter(([, collection]) => !collectionExcludedBy(mirror, collection)));
  const problems: string[] = [];
  for (const [name, collection] of Object.entries(declared ?? {})) {
    if (collection === false) {
      if (!Object.hasOwn(defaults, name)) {
        problems.push(
          `collections.${name}: false turns a default collection off, and ${name} is not one (they are ${Object.keys(defaults).join(", ")})`,
        );
      }
      delete collections[name];
      continue;
    }
    const trimmed = { ...collection, path: collection.path.replace(/\/+$/, "") };
    problems.push(...collectionProblems(name, trimmed, mirror));
    collections[name] = trimmed;
  }
  return { collections, problems };
}
