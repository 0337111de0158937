import type { FileBody, FileEntry, RepoState, SkippedFile } from "../store/store.js";
import { ByteBudget } from "./byte-budget.js";
import { fetchContents } from "./fetch-contents.js";
import { logSkipped } from "./log-skipped.js";
import type { MirrorContext } from "./repo-sync-context.js";
import type { SyncPlan } from "./sync-plan.js";

export type ApplyResult =
  | { kind: "applied"; touched: Set<string> }
  /** The mirror moved while this sync worked (a write-back commit): plan again from where it is. */
  | { kind: "conflict" }
  /** The branch's live head is not the target: a stale delivery, or the branch moved on. */
  | { kind: "moved"; head: string | null };

/** The files that fit the repository's byte cap beside what it keeps; the others join `skipped`. */
function withinCap(files: readonly FileBody[], kept: readonly FileEntry[], maxBytes: number, skipped: SkippedFile[]): FileBody[] {
  const budget = new ByteBudget(
    maxBytes,
    kept.map((file) => [file.sha, file.size] as const),
  );
  return files.filter((file) => {
    if (budget.admit(file.sha, file.size)) return true;
    skipped.push({ path: file.path, sha: file.sha, reason: budget.refusal, cause: "repo-full" });
    return false;
  });
}

/**
 * Fetches what the plan needs and applies it in one compare-and-set from the mirrored commit to
 * `goal`. With `checkHead`, the branch head is asked along with the first blob batch and nothing is
 * applied unless it is still `goal`. Files that cannot be mirrored are skipped, with the reason, and
 * their older content removed, while the rest of the change applies.
 */
export async function applyPlan(
  ctx: MirrorContext,
  repo: RepoState,
  goal: string,
  plan: SyncPlan,
  index: ReadonlyMap<string, string>,
  checkHead: boolean,
): Promise<ApplyResult> {
  const fetched = await fetchContents(plan.wanted, {
    source: ctx.reader,
    mirrored: (sha) => ctx.store.getBlob(sha),
    maxFileBytes: repo.config.mirror.maxFileBytes,
    ...(checkHead ? { expectHead: { branch: repo.branch, sha: goal } } : {}),
  });
  if (fetched.kind === "moved") return fetched;
  const settled = new Set([...plan.touched, ...plan.deletes, ...plan.wanted.map((blob) => blob.path)]);
  const skipped = [...repo.skipped.filter((file) => !settled.has(file.path)), ...fetched.skipped];
  const kept = fetched.files.length === 0 ? [] : (await ctx.store.listFiles(repo.id)).filter((file) => !settled.has(file.path));
  const upserts = withinCap(fetched.files, kept, ctx.store.maxRepoBytes, skipped);
  const unmirrored = [...fetched.dropped, ...skipped.map((file) => file.path)];
  const deletes = [...plan.deletes, ...unmirrored.filter((path) => index.has(path))];
  const applied = await ctx.store.applyChanges(repo.id, { fromSha: repo.sha, toSha: goal, upserts, deletes, skipped });
  if (!applied) return { kind: "conflict" };
  ctx.log.info({ from: repo.sha, to: goal, upserts: upserts.length, deletes: deletes.length }, "mirror updated");
  logSkipped(
    ctx,
    skipped.filter((file) => settled.has(file.path)),
  );
  return { kind: "applied", touched: plan.touched };
}
