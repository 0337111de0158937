import { BranchNotFoundError, commitOnBranch } from "../core/commit-on-branch.js";
import { actingAccount, repoAccess } from "../core/principal.js";
import { identityOf, webFlowIdentity } from "../core/sim-core.js";
import type { TreeChange } from "../git/fast-import-stream.js";
import { parseNodeId } from "../state/node-id.js";
import type { RepoRecord } from "../state/world.js";
import type { GraphqlContext } from "./graphql-context.js";
import { GitHubGraphqlError } from "./graphql-errors.js";
import { commitModelById, refModel } from "./repository-model.js";

export interface CreateCommitOnBranchInput {
  clientMutationId?: string | null;
  branch: { id?: string | null; repositoryNameWithOwner?: string | null; branchName?: string | null };
  expectedHeadOid: string;
  message: { headline: string; body?: string | null };
  fileChanges?: { additions?: Array<{ path: string; contents: string }> | null; deletions?: Array<{ path: string }> | null } | null;
}

function locateBranch(context: GraphqlContext, branch: CreateCommitOnBranchInput["branch"]): { repo: RepoRecord; name: string } {
  const { world } = context.core;
  if (branch.id) {
    const parsed = parseNodeId(branch.id);
    const match = parsed?.type === "Ref" ? /^(\d+):refs\/heads\/(.+)$/.exec(parsed.id) : null;
    const repo = match ? world.repos.get(Number(match[1])) : undefined;
    if (!repo || !match) throw new GitHubGraphqlError("NOT_FOUND", `Could not resolve to a node with the global id of '${branch.id}'`);
    return { repo, name: match[2]! };
  }
  const [owner, name] = (branch.repositoryNameWithOwner ?? "").split("/");
  const repo = owner && name ? world.repoByName(owner, name) : undefined;
  if (!repo)
    throw new GitHubGraphqlError("NOT_FOUND", `Could not resolve to a Repository with the name '${branch.repositoryNameWithOwner ?? ""}'.`);
  if (!branch.branchName)
    throw new GitHubGraphqlError("UNPROCESSABLE", "A branch name is required when the branch is given by repository name.");
  return { repo, name: branch.branchName.replace(/^refs\/heads\//, "") };
}

/** What git (and so GitHub) refuses as a path inside a tree. */
function pathProblem(path: string): string | undefined {
  if (path.length === 0) return "path is empty";
  if (path.includes("\0")) return "path contains a NUL byte";
  for (const segment of path.split("/")) {
    if (segment === "" || segment === "." || segment === "..") return "path has an empty, '.' or '..' segment";
    if (segment.toLowerCase() === ".git") return "path may not contain .git";
  }
  return undefined;
}

function decodeBase64(path: string, contents: string): Buffer {
  if (!/^[A-Za-z0-9+/\r\n]*={0,2}\s*$/.test(contents))
    throw new GitHubGraphqlError("UNPROCESSABLE", `The contents of ${path} are not valid base64.`);
  return Buffer.from(contents, "base64");
}

/**
 * mutation createCommitOnBranch: one commit of additions (base64) and deletions on top of the
 * branch head, refused with GitHub's STALE_DATA error when the head is not `expectedHeadOid`.
 */
export async function createCommitOnBranch(input: CreateCommitOnBranchInput, context: GraphqlContext) {
  const { repo, name } = locateBranch(context, input.branch);
  const access = repoAccess(context.core.world, context.principal, repo);
  if (access === "none")
    throw new GitHubGraphqlError("NOT_FOUND", `Could not resolve to a Repository with the name '${repo.owner.login}/${repo.name}'.`);
  if (access !== "write") throw new GitHubGraphqlError("FORBIDDEN", "Resource not accessible by integration");
  const changes: TreeChange[] = [];
  for (const deletion of input.fileChanges?.deletions ?? []) changes.push({ kind: "delete", path: deletion.path });
  for (const addition of input.fileChanges?.additions ?? []) {
    const problem = pathProblem(addition.path);
    if (problem) throw new GitHubGraphqlError("UNPROCESSABLE", `Invalid path ${JSON.stringify(addition.path)}: ${problem}`);
    changes.push({ kind: "write", path: addition.path, content: decodeBase64(addition.path, addition.contents) });
  }
  const pusher = actingAccount(context.core.world, context.principal);
  const now = context.core.now();
  const body = input.message.body ? `\n\n${input.message.body}` : "";
  try {
    const { oid } = await commitOnBranch(context.core, repo, {
      branch: name,
      changes,
      message: `${input.message.headline}${body}`,
      author: identityOf(pusher, now),
      committer: webFlowIdentity(now),
      pusher,
      precondition: async (head) => {
        if (head !== input.expectedHeadOid) {
          throw new GitHubGraphqlError(
            "STALE_DATA",
            `Expected branch to point to "${input.expectedHeadOid}" but it did not. Pull and try again.`,
          );
        }
        for (const deletion of input.fileChanges?.deletions ?? []) {
          const existing = await repo.git.readObject(`${head}:${deletion.path}`);
          if (existing?.type !== "blob") {
            throw new GitHubGraphqlError(
              "UNPROCESSABLE",
              `A path was requested for deletion which does not exist as of commit oid \`${head}\``,
            );
          }
        }
      },
    });
    return {
      clientMutationId: input.clientMutationId ?? null,
      commit: () => commitModelById(repo, context, oid),
      ref: () => refModel(repo, context, name, oid),
    };
  } catch (error) {
    if (error instanceof BranchNotFoundError) throw new GitHubGraphqlError("NOT_FOUND", `A ref named "refs/heads/${name}" does not exist.`);
    throw error;
  }
}
