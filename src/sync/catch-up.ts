import { createMirrorFilter } from "../config/mirror-filter.js";
import type { RepoState } from "../store/store.js";
import { type ApplyResult, applyPlan } from "./apply-plan.js";
import { clearMirror } from "./clear-mirror.js";
import { mirrorFully } from "./mirror-fully.js";
import { planFromCompare } from "./plan-from-compare.js";
import { planFromTree } from "./plan-from-tree.js";
import type { RepoSyncContext, SyncOutcome } from "./repo-sync-context.js";
import { retrySkipped } from "./retry-skipped.js";
import { SyncError } from "./sync-error.js";
import type { SyncPlan } from "./sync-plan.js";

/** GitHub lists at most this many files in a comparison; a full list may have been cut. */
const COMPARE_FILE_CAP = 300;
/** Rounds of "the branch moved, try again" before giving up until the next delivery or heal. */
const MAX_ROUNDS = 4;

export interface SyncTarget {
  sha: string;
  /** Known to be the live head, or a descendant of the mirrored commit: applying it never rolls back. */
  safe: boolean;
}

export interface CatchUpHints {
  /** Go straight to the commit's tree: the push is big, or forced, so a comparison would not do. */
  preferTree: boolean;
  /** The push moved the branch from this commit without force: a fast-forward when the mirror is there. */
  fastForwardFrom: string | null;
}

export interface CatchUpResult {
  outcome: SyncOutcome;
  /** Paths the applied change touched. */
  touched: Set<string>;
}

const NO_HINTS: CatchUpHints = { preferTree: false, fastForwardFrom: null };

type Step =
  | { kind: "plan"; plan: SyncPlan; index: Map<string, string>; safe: boolean }
  | { kind: "tarball" }
  | { kind: "retarget"; head: string | null };

/** Picks the cheapest way from the mirrored commit to `goal`, costing one call (two when the head must be asked). */
async function nextStep(
  ctx: RepoSyncContext,
  repo: RepoState & { sha: string },
  goal: string,
  safe: boolean,
  preferTree: boolean,
): Promise<Step> {
  const filter = createMirrorFilter(repo.config.mirror);
  if (!preferTree) {
    const comparison = await ctx.reader.compare(repo.sha, goal);
    if (comparison?.status === "ahead" || comparison?.status === "identical") {
      // The merge base is the mirrored commit, so the listed files are exactly what changed.
      if (comparison.files !== null && comparison.files.length < COMPARE_FILE_CAP) {
        const index = await ctx.store.fileIndex(repo.id);
        return { kind: "plan", plan: planFromCompare(comparison.files, index, filter), index, safe: true };
      }
      safe = true;
    } else if (comparison) {
      // Behind or diverged: a stale delivery, or a force push. Only the live head can tell which.
      if (!safe) {
        const head = await ctx.reader.getBranchHead(repo.branch);
        if (head !== goal) return { kind: "retarget", head };
      }
      safe = true;
    }
    // No comparison (404): the mirrored commit is gone after a force push; the tree does not need it.
  }
  const tree = await ctx.reader.getTree(goal);
  if (!tree) {
    if (safe) throw new SyncError(`commit ${goal} is not on GitHub`, { sha: goal });
    return { kind: "retarget", head: await ctx.reader.getBranchHead(repo.branch) };
  }
  if (tree.truncated) {
    if (!safe) {
      const head = await ctx.reader.getBranchHead(repo.branch);
      if (head !== goal) return { kind: "retarget", head };
    }
    return { kind: "tarball" };
  }
  const index = await ctx.store.fileIndex(repo.id);
  return { kind: "plan", plan: planFromTree(tree.entries, index, filter), index, safe };
}

/**
 * Moves the mirror from its commit to `target`, diffing from what is mirrored (never from a
 * payload's `before`), so missed, duplicated and reordered deliveries are harmless: a target that
 * is not safe is applied only after the live head confirms it, else the live head is followed.
 */
export async function catchUp(
  ctx: RepoSyncContext,
  repoId: number,
  target: SyncTarget,
  hints: CatchUpHints = NO_HINTS,
): Promise<CatchUpResult> {
  let { sha: goal, safe } = target;
  let { preferTree } = hints;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const repo = await ctx.store.getRepo(repoId);
    if (!repo) return { outcome: "unchanged", touched: new Set() };
    if (repo.sha === goal) return { outcome: await retrySkipped(ctx, { ...repo, sha: goal }), touched: new Set() };
    let result: ApplyResult;
    if (repo.sha === null) {
      // Nothing mirrored, so nothing to roll back: any commit of the branch is a fine start.
      result = await mirrorFully(ctx, repo, goal);
    } else {
      const step = await nextStep(ctx, { ...repo, sha: repo.sha }, goal, safe || hints.fastForwardFrom === repo.sha, preferTree);
      if (step.kind === "plan") result = await applyPlan(ctx, repo, goal, step.plan, step.index, !step.safe);
      else if (step.kind === "tarball") result = await mirrorFully(ctx, repo, goal);
      else result = { kind: "moved", head: step.head };
    }
    if (result.kind === "applied") return { outcome: "applied", touched: result.touched };
    if (result.kind === "moved") {
      if (result.head === null) return { outcome: await clearMirror(ctx, repo), touched: new Set() };
      ctx.log.info({ stale: goal, head: result.head }, "the branch head is elsewhere: following it");
      goal = result.head;
      safe = true;
      preferTree = false;
    }
  }
  throw new SyncError(`the branch kept moving: gave up after ${MAX_ROUNDS} attempts`, { goal });
}
