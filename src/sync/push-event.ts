import { installationIdOf, isObject } from "./payload-parts.js";

/** The parts of a `push` webhook the sync engine relies on, checked: payloads are input like any other. */
export interface PushEvent {
  repository: { id: number; owner: string; name: string; private: boolean };
  installationId: number | null;
  ref: string;
  before: string;
  after: string;
  created: boolean;
  deleted: boolean;
  forced: boolean;
  commits: PushCommit[];
  /** The message of the commit the branch now points at (null when absent, e.g. a deletion). */
  headCommitMessage: string | null;
}

export interface PushCommit {
  added: string[];
  removed: string[];
  modified: string[];
}

const COMMIT_ID = /^[0-9a-f]{40}$/;
const REF = /^refs\/[^\s~^:?*[\\]+$/;

const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === "string");

function parseCommit(value: unknown): PushCommit | undefined {
  if (!isObject(value)) return undefined;
  const lists = [value.added ?? [], value.removed ?? [], value.modified ?? []];
  if (!lists.every(isStringList)) return undefined;
  const [added, removed, modified] = lists as [string[], string[], string[]];
  return { added, removed, modified };
}

/** The push, or why the payload cannot be one (then it is logged and ignored). */
export function parsePushEvent(payload: unknown): PushEvent | { problem: string } {
  if (!isObject(payload)) return { problem: "payload is not an object" };
  const { repository, ref, before, after } = payload;
  if (!isObject(repository) || !Number.isSafeInteger(repository.id) || typeof repository.name !== "string") {
    return { problem: "repository is missing or has no id and name" };
  }
  const owner = isObject(repository.owner) ? (repository.owner.login ?? repository.owner.name) : undefined;
  if (typeof owner !== "string" || owner === "") return { problem: "repository.owner has no login" };
  if (typeof repository.private !== "boolean") return { problem: "repository.private is not a boolean" };
  if (typeof ref !== "string" || !REF.test(ref)) return { problem: `ref ${JSON.stringify(ref)} is not a git ref` };
  if (typeof before !== "string" || !COMMIT_ID.test(before)) return { problem: "before is not a 40-hex commit id" };
  if (typeof after !== "string" || !COMMIT_ID.test(after)) return { problem: "after is not a 40-hex commit id" };
  const commits = payload.commits ?? [];
  if (!Array.isArray(commits)) return { problem: "commits is not a list" };
  const parsedCommits = commits.map(parseCommit);
  if (parsedCommits.some((commit) => commit === undefined)) return { problem: "a commit has malformed added/removed/modified lists" };
  return {
    repository: { id: repository.id as number, owner, name: repository.name, private: repository.private },
    installationId: installationIdOf(payload) ?? null,
    ref,
    before,
    after,
    created: payload.created === true,
    deleted: payload.deleted === true,
    forced: payload.forced === true,
    commits: parsedCommits as PushCommit[],
    headCommitMessage:
      isObject(payload.head_commit) && typeof payload.head_commit.message === "string" ? payload.head_commit.message : null,
  };
}
