import { installationIdOf, isObject, parseRepoRefs, type RepoRef } from "./payload-parts.js";

/**
 * The installation id and the repository lists named by `listKeys` of an `installation`
 * (`repositories`) or `installation_repositories` (`repositories_added`, `repositories_removed`) event.
 */
export function parseInstallationEvent<K extends string>(
  payload: unknown,
  listKeys: readonly K[],
): { installationId: number; lists: Record<K, RepoRef[]> } | { problem: string } {
  if (!isObject(payload)) return { problem: "payload is not an object" };
  const installationId = installationIdOf(payload);
  if (installationId === undefined) return { problem: "installation.id is not a positive integer" };
  const lists = {} as Record<K, RepoRef[]>;
  for (const key of listKeys) {
    const repos = parseRepoRefs(payload[key]);
    if (repos === undefined) return { problem: `${key} is not a list of { id, full_name: "owner/name" }` };
    lists[key] = repos;
  }
  return { installationId, lists };
}
