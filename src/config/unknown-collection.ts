import { NotFoundError } from "../errors.js";
import { collectionExcludedBy } from "./collection-excluded-by.js";
import { DEFAULT_COLLECTIONS, REPO_CONFIG_PATH, type RepoConfig } from "./repo-config.js";

const isDefault = (name: string) => Object.hasOwn(DEFAULT_COLLECTIONS, name);

/** Why a default collection is not offered: the mirror leaves its folder out, or the config turns it off. */
function whyDefaultIsOff(config: Pick<RepoConfig, "mirror">, name: string): string {
  const collection = DEFAULT_COLLECTIONS[name]!;
  const rule = collectionExcludedBy(config.mirror, collection);
  return rule
    ? `the default collection ${name} is off: ${rule} leaves its folder ${collection.path}/ out of the mirror`
    : `the default collection ${name} is turned off in ${REPO_CONFIG_PATH} (${name}: false)`;
}

/** The collections there are, each saying where it comes from. */
function listCollections(config: Pick<RepoConfig, "collections">): string {
  const names = Object.keys(config.collections);
  if (names.length === 0) return "this repository has no collections";
  const sameAsDefault = (name: string) =>
    isDefault(name) && JSON.stringify(config.collections[name]) === JSON.stringify(DEFAULT_COLLECTIONS[name]);
  const defaults = names.filter(sameAsDefault);
  const declared = names.filter((name) => !sameAsDefault(name));
  const groups = [
    ...(defaults.length > 0 ? [`${defaults.join(", ")} (default)`] : []),
    ...(declared.length > 0 ? [`${declared.join(", ")} (declared in ${REPO_CONFIG_PATH})`] : []),
  ];
  return `this repository has ${groups.join("; ")}`;
}

/**
 * The 404 for a collection name the repository's config does not offer, saying which collections
 * it has and where they come from, and why a default of that name is off. The one place this
 * message is built; it describes the config, so show it only to callers who may read the config.
 */
export function unknownCollectionError(config: Pick<RepoConfig, "collections" | "mirror">, name: string): NotFoundError {
  const shown = name.slice(0, 64);
  const reason = isDefault(name) ? `: ${whyDefaultIsOff(config, name)}` : "";
  return new NotFoundError(`no collection ${JSON.stringify(shown)}${reason}; ${listCollections(config)}`, { collection: shown });
}
