import type { TreeChange } from "../git/fast-import-stream.js";
import type { GitIdentity } from "../git/parse-commit.js";
import type { Account, RepoRecord } from "../state/world.js";
import { announcePush, type BranchMove } from "./announce-push.js";
import type { SimCore } from "./sim-core.js";

export class BranchNotFoundError extends Error {
  constructor(readonly branch: string) {
    super(`Branch ${branch} not found`);
    this.name = "BranchNotFoundError";
  }
}

export interface BranchCommitInput {
  branch: string;
  changes: readonly TreeChange[];
  message: string;
  author: GitIdentity;
  committer: GitIdentity;
  pusher: Account;
  /** Runs under the repository lock with the current head, before anything is written; throw to refuse. */
  precondition?: (head: string) => Promise<void>;
}

/**
 * One commit on top of a branch head, made atomically the way GitHub's web and API writes are:
 * under the repository lock, checked, written, the branch moved, and the push announced.
 */
export function commitOnBranch(core: SimCore, repo: RepoRecord, input: BranchCommitInput): Promise<{ oid: string; move: BranchMove }> {
  return core.world.repoLocks.run(repo.id, async () => {
    const head = repo.git.branchHead(input.branch);
    if (!head) throw new BranchNotFoundError(input.branch);
    await input.precondition?.(head);
    const [oid] = await repo.git.writeCommits(head, [
      { author: input.author, committer: input.committer, message: input.message, changes: input.changes },
    ]);
    await repo.git.updateBranch(input.branch, oid!, head);
    const move = await announcePush(core, repo, input.branch, head, oid!, input.pusher);
    return { oid: oid!, move };
  });
}
