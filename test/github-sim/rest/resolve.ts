import { HttpError } from "../http/sim-http.js";
import type { RepoRecord } from "../state/world.js";

/** GitHub answers 409 for most git reads on a repository without any commit. */
export function assertNotEmpty(repo: RepoRecord): void {
  if (repo.git.branches().size === 0) throw new HttpError(409, "Git Repository is empty.");
}

/** A branch name, refs/heads/…, heads/…, a tag or a (short) commit id → a commit id, or null. */
export async function resolveRef(repo: RepoRecord, ref: string): Promise<string | null> {
  const cleaned = ref.replace(/^refs\//, "").replace(/^heads\//, "");
  return (await repo.git.resolveCommit(cleaned)) ?? (cleaned === ref ? null : repo.git.resolveCommit(ref));
}

/** Like resolveRef, defaulting to the default branch, failing the way the commits API does. */
export async function requireCommit(repo: RepoRecord, ref: string | null | undefined): Promise<string> {
  assertNotEmpty(repo);
  const wanted = ref || repo.defaultBranch;
  const oid = await resolveRef(repo, wanted);
  if (!oid) throw new HttpError(422, `No commit found for SHA: ${wanted}`);
  return oid;
}
