import { isObject } from "./payload-parts.js";
import { SyncError } from "./sync-error.js";

/** GitHub's limit on nodes per GraphQL query is generous, but 100 objects keeps each response small. */
export const BLOBS_PER_QUERY = 100;

const OBJECT_ID = /^[0-9a-f]{40}$/;

/** What one `object(oid:)` alias answered. */
export type BlobAnswer =
  | { kind: "missing" }
  /** Not a blob: a submodule's commit, or a tree. */
  | { kind: "not-blob" }
  /** `text` is null when GitHub will not give it as text: binary, or truncated because it is large. */
  | { kind: "blob"; byteSize: number; text: string | null };

export interface BlobBatch {
  blobs: Map<string, BlobAnswer>;
  /** The branch's live head, when asked for: null when the branch does not exist. */
  head?: string | null;
}

export interface BlobQuery {
  query: string;
  variables: Record<string, string>;
}

/**
 * One query for up to 100 blobs by oid (aliases `b0`, `b1`, …), optionally also asking for a branch
 * head (`head`) so a sync that must know the live head does not spend a call on it.
 */
export function buildBlobQuery(owner: string, name: string, oids: readonly string[], headBranch?: string): BlobQuery {
  if (oids.length > BLOBS_PER_QUERY) throw new RangeError(`at most ${BLOBS_PER_QUERY} blobs per query, got ${oids.length}`);
  const bad = oids.find((oid) => !OBJECT_ID.test(oid));
  if (bad !== undefined) throw new SyncError(`${JSON.stringify(bad)} is not a git object id`);
  const aliases = oids.map((oid, i) => `b${i}: object(oid: "${oid}") { ... on Blob { oid byteSize isBinary isTruncated text } }`);
  const withHead = headBranch !== undefined;
  if (withHead) aliases.push("head: ref(qualifiedName: $head) { target { oid } }");
  const parameters = withHead ? "$owner: String!, $name: String!, $head: String!" : "$owner: String!, $name: String!";
  return {
    query: `query(${parameters}) { repository(owner: $owner, name: $name) { ${aliases.join(" ")} } }`,
    variables: withHead ? { owner, name, head: `refs/heads/${headBranch}` } : { owner, name },
  };
}

function answerOf(node: unknown): BlobAnswer {
  if (!isObject(node)) return { kind: "missing" };
  if (typeof node.oid !== "string" || typeof node.byteSize !== "number") return { kind: "not-blob" };
  const asText = typeof node.text === "string" && node.isBinary !== true && node.isTruncated !== true;
  return { kind: "blob", byteSize: node.byteSize, text: asText ? (node.text as string) : null };
}

/** Reads the answer to `buildBlobQuery`. */
export function parseBlobAnswer(data: unknown, oids: readonly string[], withHead: boolean): BlobBatch {
  const repository = isObject(data) ? data.repository : undefined;
  if (!isObject(repository)) throw new SyncError("GraphQL answered without the repository");
  const blobs = new Map(oids.map((oid, i) => [oid, answerOf(repository[`b${i}`])] as const));
  if (!withHead) return { blobs };
  const head = repository.head;
  const target = isObject(head) && isObject(head.target) ? head.target.oid : null;
  return { blobs, head: typeof target === "string" ? target : null };
}
