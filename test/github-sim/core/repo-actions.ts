import path from "node:path";
import { BareRepo } from "../git/bare-repo.js";
import type { CommitDraft, TreeChange } from "../git/fast-import-stream.js";
import type { Account, RepoRecord } from "../state/world.js";
import { WorldError } from "../state/world.js";
import { repositoryPayload } from "../webhooks/payloads.js";
import { announcePush, type BranchMove } from "./announce-push.js";
import { type CommitSpec, type CreateRepoOptions, contentBuffer, isFileSpec, type PushOptions } from "./control-types.js";
import { sendRepoEvent } from "./send-repo-event.js";
import { identityOf, type SimCore } from "./sim-core.js";

function draftsFor(core: SimCore, specs: readonly CommitSpec[], author: Account): CommitDraft[] {
  const now = core.now();
  return specs.map((spec, index) => {
    const changes: TreeChange[] = [];
    for (const [from, to] of Object.entries(spec.renames ?? {})) changes.push({ kind: "rename", from, to });
    for (const [filePath, value] of Object.entries(spec.files ?? {})) {
      if (value === null) changes.push({ kind: "delete", path: filePath });
      else if (isFileSpec(value))
        changes.push({ kind: "write", path: filePath, content: contentBuffer(value.content), mode: value.mode ?? "100644" });
      else changes.push({ kind: "write", path: filePath, content: contentBuffer(value) });
    }
    const identity = spec.author
      ? { ...identityOf(author, now), name: spec.author.name, email: spec.author.email }
      : identityOf(author, now);
    return { author: identity, committer: identity, message: spec.message ?? `Commit ${index + 1}`, changes };
  });
}

function personOrDefault(core: SimCore, login: string | undefined): Account {
  if (!login) return core.defaultUser;
  const account = core.world.account(login);
  if (!account) throw new WorldError(`no account ${login}`);
  return account;
}

export async function createRepo(core: SimCore, options: CreateRepoOptions): Promise<RepoRecord> {
  const owner = core.world.ensureAccount(options.owner, options.ownerType ?? "User");
  if (core.world.repoByName(owner.login, options.name)) throw new WorldError(`repository ${owner.login}/${options.name} already exists`);
  const id = core.world.newRepoId();
  const now = core.now();
  const repo: RepoRecord = {
    id,
    owner,
    name: options.name,
    private: options.private ?? false,
    defaultBranch: options.defaultBranch ?? "main",
    description: options.description ?? null,
    createdAt: now,
    updatedAt: now,
    pushedAt: null,
    git: await BareRepo.create(path.join(core.dataDir, `${id}.git`), options.defaultBranch ?? "main"),
  };
  core.world.addRepo(repo);
  if (options.files && Object.keys(options.files).length > 0) {
    const author = owner.type === "User" ? owner : core.defaultUser;
    const drafts = draftsFor(core, [{ message: options.message ?? "Initial commit", files: options.files }], author);
    await repo.git.commit(repo.defaultBranch, null, drafts, null);
    repo.pushedAt = now;
  }
  return repo;
}

/** Pushes commits as a person would with `git push` (forced when the result is not a fast-forward). */
export function pushCommits(core: SimCore, repo: RepoRecord, options: PushOptions): Promise<BranchMove> {
  const branch = options.branch ?? repo.defaultBranch;
  const pusher = personOrDefault(core, options.pusher);
  if (!Array.isArray(options.commits) || options.commits.length === 0) throw new WorldError("a push needs at least one commit");
  return core.world.repoLocks.run(repo.id, async () => {
    const before = repo.git.branchHead(branch) ?? null;
    const parent = options.parent === undefined ? before : options.parent;
    if (parent && !(await repo.git.readCommit(parent))) throw new WorldError(`no commit ${parent} in ${repo.owner.login}/${repo.name}`);
    const oids = await repo.git.writeCommits(parent, draftsFor(core, options.commits, pusher));
    const after = oids[oids.length - 1]!;
    await repo.git.updateBranch(branch, after, before);
    return announcePush(core, repo, branch, before, after, pusher);
  });
}

/**
 * Points a branch at an existing commit (creating it), or deletes it with `to: null`: a force
 * push back to an older commit, a branch created from a commit, a branch deletion.
 */
export function setBranch(
  core: SimCore,
  repo: RepoRecord,
  branch: string,
  to: string | null,
  options: { pusher?: string; allowDefault?: boolean } = {},
): Promise<BranchMove> {
  const pusher = personOrDefault(core, options.pusher);
  return core.world.repoLocks.run(repo.id, async () => {
    const before = repo.git.branchHead(branch) ?? null;
    if (to === null && before === null) throw new WorldError(`no branch ${branch}`);
    if (to === null && branch === repo.defaultBranch && !options.allowDefault) throw new WorldError(`${branch} is the default branch`);
    if (to !== null && !(await repo.git.readCommit(to))) throw new WorldError(`no commit ${to} in ${repo.owner.login}/${repo.name}`);
    await repo.git.updateBranch(branch, to, before);
    return announcePush(core, repo, branch, before, to, pusher);
  });
}

export function renameRepo(core: SimCore, repo: RepoRecord, newName: string, actor?: string): void {
  const from = repo.name;
  core.world.renameRepo(repo, newName);
  repo.updatedAt = core.now();
  sendRepositoryEvent(core, repo, "renamed", actor, { repository: { name: { from } } });
}

export function setVisibility(core: SimCore, repo: RepoRecord, makePrivate: boolean, actor?: string): void {
  if (repo.private === makePrivate) return;
  repo.private = makePrivate;
  repo.updatedAt = core.now();
  sendRepositoryEvent(core, repo, makePrivate ? "privatized" : "publicized", actor);
}

export async function setDefaultBranch(core: SimCore, repo: RepoRecord, branch: string, actor?: string): Promise<void> {
  if (!repo.git.branchHead(branch)) throw new WorldError(`no branch ${branch}`);
  const from = repo.defaultBranch;
  if (from === branch) return;
  await repo.git.setHead(branch);
  repo.defaultBranch = branch;
  repo.updatedAt = core.now();
  sendRepositoryEvent(core, repo, "edited", actor, { default_branch: { from } });
}

export function deleteRepo(core: SimCore, repo: RepoRecord, actor?: string): void {
  // The repository's webhooks go with it (GitHub sends repository.deleted to no repository webhook).
  core.hooks.removeRepo(repo.id);
  // The event describes the repository as it was, and reaches the installation that covered it.
  sendRepositoryEvent(core, repo, "deleted", actor);
  core.world.deleteRepo(repo);
  repo.git.close();
}

function sendRepositoryEvent(
  core: SimCore,
  repo: RepoRecord,
  action: "renamed" | "privatized" | "publicized" | "deleted" | "edited",
  actor: string | undefined,
  changes?: Record<string, unknown>,
): void {
  const sender = personOrDefault(core, actor);
  sendRepoEvent(core, repo, "repository", (installation) => repositoryPayload(action, repo, core.urls, sender, installation, changes));
}
