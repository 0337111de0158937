import { isObject, type RepoRef } from "./payload-parts.js";

/** The repository a `repository` event names, and whether the payload calls it private. */
export function parseRepositoryEvent(payload: unknown): (RepoRef & { private: boolean }) | { problem: string } {
  const repository = isObject(payload) ? payload.repository : undefined;
  if (!isObject(repository) || !Number.isSafeInteger(repository.id)) return { problem: "repository is missing or has no id" };
  const owner = isObject(repository.owner) ? repository.owner.login : undefined;
  if (typeof owner !== "string" || owner === "") return { problem: "repository.owner has no login" };
  if (typeof repository.name !== "string" || repository.name === "") return { problem: "repository.name is not a string" };
  if (typeof repository.private !== "boolean") return { problem: "repository.private is not a boolean" };
  return { id: repository.id as number, owner, name: repository.name, private: repository.private };
}
