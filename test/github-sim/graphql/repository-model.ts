import { isoDate } from "../shapes/iso-date.js";
import { nodeId } from "../state/node-id.js";
import type { Account, RepoRecord } from "../state/world.js";
import { connection } from "./connection.js";
import { commitModel, gitObjectModel } from "./git-object-models.js";
import type { GraphqlContext } from "./graphql-context.js";

export function actorModel(account: Account, context: GraphqlContext): Record<string, unknown> {
  const typename = account.type === "Organization" ? "Organization" : account.type === "Bot" ? "Bot" : "User";
  return {
    __typename: typename,
    id: nodeId(typename, account.id),
    databaseId: account.id,
    login: account.login,
    name: account.name,
    email: account.email ?? "",
    avatarUrl: context.core.urls.avatar(account),
    url: context.core.urls.userHtml(account),
    resourcePath: `/${account.login}`,
  };
}

export function refModel(repo: RepoRecord, context: GraphqlContext, branch: string, oid: string): Record<string, unknown> {
  return {
    __typename: "Ref",
    id: nodeId("Ref", `${repo.id}:refs/heads/${branch}`),
    name: branch,
    prefix: "refs/heads/",
    repository: () => context.repositoryModel(repo),
    target: async () => {
      const commit = await repo.git.readCommit(oid);
      return commit ? commitModel(repo, context, commit) : null;
    },
  };
}

/** A qualified or short ref name ("refs/heads/main", "main") → branch name, when it names a branch. */
function branchName(qualifiedName: string): string {
  return qualifiedName.replace(/^refs\/heads\//, "");
}

export function repositoryModel(repo: RepoRecord, context: GraphqlContext): Record<string, unknown> {
  const html = context.core.urls.repoHtml(repo);
  return {
    __typename: "Repository",
    id: nodeId("Repository", repo.id),
    databaseId: repo.id,
    name: repo.name,
    nameWithOwner: `${repo.owner.login}/${repo.name}`,
    owner: actorModel(repo.owner, context),
    description: repo.description,
    isPrivate: repo.private,
    visibility: repo.private ? "PRIVATE" : "PUBLIC",
    isEmpty: repo.git.branches().size === 0,
    isFork: false,
    isArchived: false,
    isDisabled: false,
    isLocked: false,
    isTemplate: false,
    url: html,
    resourcePath: `/${repo.owner.login}/${repo.name}`,
    createdAt: isoDate(repo.createdAt),
    updatedAt: isoDate(repo.updatedAt),
    pushedAt: repo.pushedAt ? isoDate(repo.pushedAt) : null,
    defaultBranchRef: () => {
      const oid = repo.git.branchHead(repo.defaultBranch);
      return oid ? refModel(repo, context, repo.defaultBranch, oid) : null;
    },
    ref: (args: { qualifiedName: string }) => {
      const branch = branchName(args.qualifiedName);
      const oid = repo.git.branchHead(branch);
      return oid ? refModel(repo, context, branch, oid) : null;
    },
    refs: (args: { refPrefix: string; first?: number; after?: string }) => {
      const branches = args.refPrefix === "refs/heads/" ? [...repo.git.branches()].sort(([a], [b]) => (a < b ? -1 : 1)) : [];
      return connection(branches.length, args, async (offset, limit) =>
        branches.slice(offset, offset + limit).map(([name, oid]) => refModel(repo, context, name, oid)),
      );
    },
    object: async (args: { oid?: string; expression?: string }) => {
      const spec = args.oid ?? args.expression;
      if (!spec) return null;
      // "main:docs" lists a folder whose entries should carry paths from the root.
      const colon = args.expression?.indexOf(":") ?? -1;
      const treePath = colon >= 0 ? args.expression!.slice(colon + 1).replace(/^\/+|\/+$/g, "") : "";
      const model = await gitObjectModel(repo, context, spec, treePath);
      return model;
    },
  };
}

/** The commit a model wraps, for mutation payloads. */
export async function commitModelById(repo: RepoRecord, context: GraphqlContext, oid: string) {
  const commit = await repo.git.readCommit(oid);
  return commit ? commitModel(repo, context, commit) : null;
}
