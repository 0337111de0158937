import type { RepoState } from "../store/store.js";
import { fetchContents } from "./fetch-contents.js";
import type { RepoSyncContext } from "./repo-sync-context.js";
import type { SyncPlan } from "./sync-plan.js";

export type ApplyResult =
  | { kind: "applied"; touched: Set<string> }
  /** The mirror moved while this sync worked (a write-back commit): plan again from where it is. */
  | { kind: "conflict" }
  /** The branch's live head is not the target: a stale delivery, or the branch moved on. */
  | { kind: "moved"; head: string | null };

/**
 * Fetches what the plan needs and applies it in one compare-and-set from the mirrored commit to
 * `goal`. With `checkHead`, the branch head is asked along with the first blob batch and nothing is
 * applied unless it is still `goal`.
 */
export async function applyPlan(
  ctx: RepoSyncContext,
  repo: RepoState,
  goal: string,
  plan: SyncPlan,
  index: ReadonlyMap<string, string>,
  checkHead: boolean,
): Promise<ApplyResult> {
  const pathOfSha = new Map([...index].map(([path, sha]) => [sha, path] as const));
  const fetched = await fetchContents(plan.wanted, {
    source: ctx.reader,
    mirrored: async (sha) => {
      const path = pathOfSha.get(sha);
      return path === undefined ? null : ((await ctx.store.getFile(repo.id, path))?.content ?? null);
    },
    maxFileBytes: repo.config.mirror.maxFileBytes,
    ...(checkHead ? { expectHead: { branch: repo.branch, sha: goal } } : {}),
  });
  if (fetched.kind === "moved") return fetched;
  const deletes = [...plan.deletes, ...fetched.dropped.filter((path) => index.has(path))];
  const applied = await ctx.store.applyChanges(repo.id, { fromSha: repo.sha, toSha: goal, upserts: fetched.files, deletes });
  if (!applied) return { kind: "conflict" };
  ctx.log.info({ from: repo.sha, to: goal, upserts: fetched.files.length, deletes: deletes.length }, "mirror updated");
  return { kind: "applied", touched: plan.touched };
}
