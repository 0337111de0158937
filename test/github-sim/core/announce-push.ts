import { ZERO_OID } from "../git/bare-repo.js";
import type { ParsedCommit } from "../git/parse-commit.js";
import type { Account, RepoRecord } from "../state/world.js";
import { pushPayload } from "../webhooks/payloads.js";
import type { WebhookDelivery } from "../webhooks/webhook-dispatcher.js";
import { sendRepoEvent } from "./send-repo-event.js";
import { accountByEmail, type SimCore } from "./sim-core.js";

/** GitHub lists at most this many commits in one push payload. */
export const PUSH_PAYLOAD_COMMIT_LIMIT = 2048;

export interface BranchMove {
  branch: string;
  before: string | null;
  after: string | null;
  forced: boolean;
  /** Commit ids the push brought in, oldest first (capped like GitHub's payload). */
  commits: string[];
  deliveries: WebhookDelivery[];
}

/**
 * Tells the world a branch moved: stamps the repository's pushed_at and sends the `push` webhook
 * (to the app when it is installed on the repository, and to the repository's webhooks) with
 * GitHub's commit list and per-commit paths.
 */
export async function announcePush(
  core: SimCore,
  repo: RepoRecord,
  branch: string,
  before: string | null,
  after: string | null,
  pusher: Account,
): Promise<BranchMove> {
  const git = repo.git;
  const forced = before !== null && after !== null && !(await git.isAncestor(before, after));
  let commitIds: string[] = [];
  if (after) {
    const exclude = before ? [before] : [...git.branches()].filter(([name]) => name !== branch).map(([, oid]) => oid);
    commitIds = (await git.commitsBetween(exclude, after)).slice(-PUSH_PAYLOAD_COMMIT_LIMIT);
  }
  const wanted = after && !commitIds.includes(after) ? [...commitIds, after] : commitIds;
  const [parsed, changes] = await Promise.all([Promise.all(wanted.map((oid) => git.readCommit(oid))), git.pathChanges(wanted)]);
  const byId = new Map(parsed.filter((commit): commit is ParsedCommit => commit !== null).map((commit) => [commit.oid, commit]));
  repo.pushedAt = core.now();
  const deliveries = sendRepoEvent(core, repo, "push", (installation) =>
    pushPayload({
      repo,
      urls: core.urls,
      branch,
      before: before ?? ZERO_OID,
      after: after ?? ZERO_OID,
      forced,
      commits: commitIds.map((oid) => byId.get(oid)!),
      changes,
      headCommit: after ? (byId.get(after) ?? null) : null,
      headChanges: after ? changes.get(after) : undefined,
      pusher,
      installation,
      accountByEmail: (email) => accountByEmail(core.world, email),
    }),
  );
  return { branch, before, after, forced, commits: commitIds, deliveries };
}
