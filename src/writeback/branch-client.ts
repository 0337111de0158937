import { writeIdsIn } from "../git/commit-trailers.js";
import type { FileChanges } from "./collapse-writes.js";
import type { CommitMessage } from "./commit-message.js";

/** The one Octokit method the write-back uses: `octokit.graphql`, as Probot's installation clients have it. */
export type GraphqlRequest = <T>(query: string, parameters?: Record<string, unknown>) => Promise<T>;

export interface BranchRef {
  owner: string;
  name: string;
  branch: string;
}

/** A commit of ours found on the branch, with the parent it was made on (null when GitHub did not say). */
export interface OwnCommit {
  oid: string;
  parent: string | null;
}

export interface BranchLookup {
  /** The branch's head now; null when the branch does not exist. */
  head: string | null;
  /** The commit that already holds the batch, when an earlier attempt did land. */
  own: OwnCommit | null;
}

export interface BranchClientOptions {
  /** Aborts a request that hangs; its outcome is then unknown and looked up before any retry. */
  timeoutMs: number;
  /** Commits read per history page (GitHub allows at most 100). */
  historyPageSize: number;
  /** Pages searched for an earlier attempt before concluding it did not land. */
  maxHistoryPages: number;
}

const CREATE_COMMIT = `mutation gitdiskCommit($input: CreateCommitOnBranchInput!) {
  createCommitOnBranch(input: $input) { commit { oid } }
}`;

const BRANCH_HISTORY = `query gitdiskBranchHistory($owner: String!, $name: String!, $ref: String!, $first: Int!, $after: String) {
  repository(owner: $owner, name: $name) {
    ref(qualifiedName: $ref) {
      target {
        oid
        ... on Commit {
          history(first: $first, after: $after) {
            pageInfo { hasNextPage endCursor }
            nodes { oid message parents(first: 1) { nodes { oid } } }
          }
        }
      }
    }
  }
}`;

const BRANCH_HEAD = `query gitdiskBranchHead($owner: String!, $name: String!, $ref: String!) {
  repository(owner: $owner, name: $name) { ref(qualifiedName: $ref) { target { oid } } }
}`;

interface BranchHeadResult {
  repository: { ref: { target: { oid: string } } | null } | null;
}

interface CreateCommitResult {
  createCommitOnBranch: { commit: { oid: string } | null } | null;
}

interface HistoryNode {
  oid: string;
  message: string;
  parents: { nodes: Array<{ oid: string }> };
}

interface BranchHistoryResult {
  repository: {
    ref: {
      target: {
        oid: string;
        history?: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: HistoryNode[] };
      };
    } | null;
  } | null;
}

/** Thrown when GitHub answers without the data a successful call must carry. */
class UnexpectedGitHubResponse extends Error {
  override name = "UnexpectedGitHubResponse";
}

/**
 * GitHub's GraphQL API as the write-back needs it, for one branch: commit (one call), read the head
 * alone or with recent history (one call per 100 commits searched), and check which paths exist.
 */
export class BranchClient {
  readonly #graphql: GraphqlRequest;
  readonly #ref: BranchRef;
  readonly #options: BranchClientOptions;

  constructor(graphql: GraphqlRequest, ref: BranchRef, options: BranchClientOptions) {
    this.#graphql = graphql;
    this.#ref = ref;
    this.#options = options;
  }

  /** Makes one commit on top of `expectedHead` changing only `changes`' paths; returns its oid. */
  async createCommit(expectedHead: string, message: CommitMessage, changes: FileChanges): Promise<string> {
    const { owner, name, branch } = this.#ref;
    const result = await this.#graphql<CreateCommitResult>(CREATE_COMMIT, {
      input: {
        branch: { repositoryNameWithOwner: `${owner}/${name}`, branchName: branch },
        expectedHeadOid: expectedHead,
        message,
        fileChanges: {
          additions: changes.additions.map((file) => ({ path: file.path, contents: file.content.toString("base64") })),
          deletions: changes.deletions.map((path) => ({ path })),
        },
      },
      // Never retried behind our back: a retry after a lost response would be refused as stale, hiding
      // that the first attempt landed. Failures surface to commitBatch, which looks before retrying.
      request: { signal: AbortSignal.timeout(this.#options.timeoutMs), retries: 0 },
    });
    const oid = result.createCommitOnBranch?.commit?.oid;
    if (!oid) throw new UnexpectedGitHubResponse("createCommitOnBranch answered without a commit");
    return oid;
  }

  /** The branch head alone (null when the branch does not exist): the cheapest read, and the fastest. */
  async head(): Promise<string | null> {
    const { owner, name, branch } = this.#ref;
    const result = await this.#graphql<BranchHeadResult>(BRANCH_HEAD, {
      owner,
      name,
      ref: `refs/heads/${branch}`,
      request: { signal: AbortSignal.timeout(this.#options.timeoutMs) },
    });
    if (!result.repository) throw new UnexpectedGitHubResponse(`repository ${owner}/${name} was not returned`);
    return result.repository.ref?.target.oid ?? null;
  }

  /**
   * The branch head, and the commit holding any of `writeIds` if one is in recent history. The search
   * stops at `stopAt` (the head the batch's first attempt expected: its commit can only be newer).
   */
  async lookup(writeIds: ReadonlySet<string>, stopAt: string | null): Promise<BranchLookup> {
    let head: string | null = null;
    let after: string | null = null;
    for (let page = 0; page < this.#options.maxHistoryPages; page++) {
      const target = await this.#historyPage(after);
      if (!target) return { head: null, own: null };
      head ??= target.oid;
      const history = target.history;
      if (!history) return { head, own: null };
      for (const node of history.nodes) {
        if (writeIdsIn(node.message).some((id) => writeIds.has(id))) {
          return { head, own: { oid: node.oid, parent: node.parents.nodes[0]?.oid ?? null } };
        }
        if (node.oid === stopAt) return { head, own: null };
      }
      if (!history.pageInfo.hasNextPage || !history.pageInfo.endCursor) break;
      after = history.pageInfo.endCursor;
    }
    return { head, own: null };
  }

  async #historyPage(after: string | null) {
    const { owner, name, branch } = this.#ref;
    const result = await this.#graphql<BranchHistoryResult>(BRANCH_HISTORY, {
      owner,
      name,
      ref: `refs/heads/${branch}`,
      first: this.#options.historyPageSize,
      after,
      request: { signal: AbortSignal.timeout(this.#options.timeoutMs) },
    });
    if (!result.repository) throw new UnexpectedGitHubResponse(`repository ${owner}/${name} was not returned`);
    return result.repository.ref?.target ?? null;
  }

  /** Which of `paths` exist as files in `commit`: one call per 100 paths. */
  async existingPaths(commit: string, paths: readonly string[]): Promise<Set<string>> {
    const { owner, name } = this.#ref;
    const existing = new Set<string>();
    for (let start = 0; start < paths.length; start += 100) {
      const chunk = paths.slice(start, start + 100);
      // Expressions travel as variables: a path can never change the query's text.
      const declarations = chunk.map((_, i) => `$e${i}: String!`).join(", ");
      const fields = chunk.map((_, i) => `p${i}: object(expression: $e${i}) { oid }`).join("\n");
      const variables = Object.fromEntries(chunk.map((path, i) => [`e${i}`, `${commit}:${path}`]));
      const result = await this.#graphql<{ repository: Record<string, { oid: string } | null> | null }>(
        `query gitdiskPaths($owner: String!, $name: String!, ${declarations}) { repository(owner: $owner, name: $name) { ${fields} } }`,
        { owner, name, ...variables, request: { signal: AbortSignal.timeout(this.#options.timeoutMs) } },
      );
      chunk.forEach((path, i) => {
        if (result.repository?.[`p${i}`]) existing.add(path);
      });
    }
    return existing;
  }
}
