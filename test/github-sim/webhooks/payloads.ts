import { ZERO_OID } from "../git/bare-repo.js";
import type { GitIdentity, ParsedCommit } from "../git/parse-commit.js";
import type { CommitPathChanges } from "../git/parse-git-output.js";
import { userShape } from "../shapes/account-shapes.js";
import { webhookInstallationShape } from "../shapes/installation-shapes.js";
import { repositoryRefShape, webhookRepositoryShape } from "../shapes/repository-shapes.js";
import type { SimUrls } from "../shapes/sim-urls.js";
import { nodeId } from "../state/node-id.js";
import type { Account, AppRegistration, Installation, RepoRecord } from "../state/world.js";

/** "2024-05-01T10:00:00+02:00": a commit time in its author's own offset, as push payloads print it. */
export function identityTimestamp(identity: GitIdentity): string {
  const sign = identity.timezone.startsWith("-") ? -1 : 1;
  const hours = Number(identity.timezone.slice(1, 3));
  const minutes = Number(identity.timezone.slice(3, 5));
  const offsetMs = sign * (hours * 60 + minutes) * 60000;
  const local = new Date(identity.timestamp * 1000 + offsetMs).toISOString().replace(/\.\d{3}Z$/, "");
  return `${local}${identity.timezone.slice(0, 3)}:${identity.timezone.slice(3)}`;
}

export function installationLite(installation: Installation) {
  return { id: installation.id, node_id: nodeId("Integration::Installation", installation.id) };
}

export interface PushPayloadInput {
  repo: RepoRecord;
  urls: SimUrls;
  branch: string;
  before: string;
  after: string;
  forced: boolean;
  /** The pushed commits, oldest first. */
  commits: ParsedCommit[];
  changes: Map<string, CommitPathChanges>;
  /** The after commit, for head_commit (it may not be among `commits`, e.g. moving back to an old commit). */
  headCommit: ParsedCommit | null;
  headChanges: CommitPathChanges | undefined;
  pusher: Account;
  installation: Installation | undefined;
  accountByEmail: (email: string) => Account | undefined;
}

export function pushPayload(input: PushPayloadInput): Record<string, unknown> {
  const { repo, urls, before, after } = input;
  const html = urls.repoHtml(repo);
  const created = before === ZERO_OID;
  const deleted = after === ZERO_OID;
  const actor = (identity: GitIdentity) => {
    const account = input.accountByEmail(identity.email);
    return { name: identity.name, email: identity.email, ...(account ? { username: account.login } : {}) };
  };
  const commitEntry = (commit: ParsedCommit, changes: CommitPathChanges | undefined) => ({
    id: commit.oid,
    tree_id: commit.tree,
    distinct: true,
    message: commit.message.replace(/\n$/, ""),
    timestamp: identityTimestamp(commit.committer),
    url: `${html}/commit/${commit.oid}`,
    author: actor(commit.author),
    committer: actor(commit.committer),
    added: changes?.added ?? [],
    removed: changes?.removed ?? [],
    modified: changes?.modified ?? [],
  });
  const short = (oid: string) => oid.slice(0, 12);
  return {
    ref: `refs/heads/${input.branch}`,
    before,
    after,
    repository: webhookRepositoryShape(repo, urls, "push"),
    pusher: { name: input.pusher.login, email: input.pusher.email },
    sender: userShape(input.pusher, urls),
    ...(input.installation ? { installation: installationLite(input.installation) } : {}),
    created,
    deleted,
    forced: input.forced,
    base_ref: null,
    compare: created ? `${html}/commit/${short(after)}` : `${html}/compare/${short(before)}...${short(after)}`,
    commits: input.commits.map((commit) => commitEntry(commit, input.changes.get(commit.oid))),
    head_commit: input.headCommit ? commitEntry(input.headCommit, input.headChanges) : null,
  };
}

export function installationPayload(
  action: "created" | "deleted",
  installation: Installation,
  repos: RepoRecord[],
  app: AppRegistration,
  urls: SimUrls,
  sender: Account,
): Record<string, unknown> {
  return {
    action,
    installation: webhookInstallationShape(installation, app, urls),
    repositories: repos.map(repositoryRefShape),
    // GitHub's schema allows a requester object on "created" and only null on "deleted".
    ...(action === "deleted" ? { requester: null } : {}),
    sender: userShape(sender, urls),
  };
}

export function installationRepositoriesPayload(
  action: "added" | "removed",
  installation: Installation,
  repos: RepoRecord[],
  app: AppRegistration,
  urls: SimUrls,
  sender: Account,
): Record<string, unknown> {
  return {
    action,
    installation: webhookInstallationShape(installation, app, urls),
    repository_selection: installation.selection,
    repositories_added: action === "added" ? repos.map(repositoryRefShape) : [],
    repositories_removed: action === "removed" ? repos.map(repositoryRefShape) : [],
    requester: null,
    sender: userShape(sender, urls),
  };
}

export function repositoryPayload(
  action: "renamed" | "privatized" | "publicized" | "deleted" | "edited",
  repo: RepoRecord,
  urls: SimUrls,
  sender: Account,
  installation: Installation | undefined,
  changes?: Record<string, unknown>,
): Record<string, unknown> {
  return {
    action,
    ...(changes ? { changes } : {}),
    repository: webhookRepositoryShape(repo, urls, "event"),
    sender: userShape(sender, urls),
    ...(installation ? { installation: installationLite(installation) } : {}),
  };
}
