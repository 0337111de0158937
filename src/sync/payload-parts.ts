/** Small checks for webhook payloads, which arrive as unchecked JSON. */
export type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

export interface RepoRef {
  id: number;
  owner: string;
  name: string;
}

/** A repository as installation payloads list it: `{ id, full_name: "owner/name" }`. */
function parseRepoRef(value: unknown): RepoRef | undefined {
  if (!isObject(value) || !Number.isSafeInteger(value.id) || typeof value.full_name !== "string") return undefined;
  const [owner, name, ...rest] = value.full_name.split("/");
  if (!owner || !name || rest.length > 0) return undefined;
  return { id: value.id as number, owner, name };
}

/** A list of repository references, or undefined when any entry is malformed. */
export function parseRepoRefs(value: unknown): RepoRef[] | undefined {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return undefined;
  const refs = value.map(parseRepoRef);
  return refs.every((ref) => ref !== undefined) ? (refs as RepoRef[]) : undefined;
}

/** The installation id of an event (a positive integer, as Probot needs to build its client), or undefined. */
export function installationIdOf(payload: Json): number | undefined {
  const installation = payload.installation;
  const id = isObject(installation) ? installation.id : undefined;
  return typeof id === "number" && Number.isSafeInteger(id) && id > 0 ? id : undefined;
}
