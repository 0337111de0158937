import type { DiffFile } from "../git/bare-repo.js";
import { type GitIdentity, identityDate, type ParsedCommit } from "../git/parse-commit.js";
import { nodeId } from "../state/node-id.js";
import type { Account, RepoRecord } from "../state/world.js";
import { userShape } from "./account-shapes.js";
import type { SimUrls } from "./sim-urls.js";

const UNSIGNED = { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null };

function gitActor(identity: GitIdentity) {
  return { name: identity.name, email: identity.email, date: identityDate(identity) };
}

/** GET /repos/{o}/{r}/git/commits/{sha} ("git-commit"). */
export function gitCommitShape(commit: ParsedCommit, repo: RepoRecord, urls: SimUrls) {
  const api = urls.repoApi(repo);
  return {
    sha: commit.oid,
    node_id: nodeId("Commit", commit.oid),
    url: `${api}/git/commits/${commit.oid}`,
    html_url: `${urls.repoHtml(repo)}/commit/${commit.oid}`,
    author: gitActor(commit.author),
    committer: gitActor(commit.committer),
    tree: { sha: commit.tree, url: `${api}/git/trees/${commit.tree}` },
    message: commit.message,
    parents: commit.parents.map((sha) => ({ sha, url: `${api}/git/commits/${sha}`, html_url: `${urls.repoHtml(repo)}/commit/${sha}` })),
    verification: UNSIGNED,
  };
}

/** The "commit" of the REST commits and compare APIs; `accountByEmail` links authors to accounts. */
export function restCommitShape(
  commit: ParsedCommit,
  repo: RepoRecord,
  urls: SimUrls,
  accountByEmail: (email: string) => Account | undefined,
) {
  const api = urls.repoApi(repo);
  const html = urls.repoHtml(repo);
  const linked = (identity: GitIdentity) => {
    const account = accountByEmail(identity.email);
    return account ? userShape(account, urls) : null;
  };
  return {
    sha: commit.oid,
    node_id: nodeId("Commit", commit.oid),
    url: `${api}/commits/${commit.oid}`,
    html_url: `${html}/commit/${commit.oid}`,
    comments_url: `${api}/commits/${commit.oid}/comments`,
    commit: {
      url: `${api}/git/commits/${commit.oid}`,
      author: gitActor(commit.author),
      committer: gitActor(commit.committer),
      message: commit.message.replace(/\n$/, ""),
      comment_count: 0,
      tree: { sha: commit.tree, url: `${api}/git/trees/${commit.tree}` },
      verification: UNSIGNED,
    },
    author: linked(commit.author),
    committer: linked(commit.committer),
    parents: commit.parents.map((sha) => ({ sha, url: `${api}/commits/${sha}`, html_url: `${html}/commit/${sha}` })),
  };
}

const STATUS_NAMES = { A: "added", D: "removed", M: "modified", R: "renamed", C: "copied", T: "changed" } as const;

/** One changed file ("diff-entry"); `ref` is the commit the file URLs point into. */
export function diffEntryShape(file: DiffFile, repo: RepoRecord, urls: SimUrls, ref: string) {
  const api = urls.repoApi(repo);
  const html = urls.repoHtml(repo);
  const removed = file.status === "D";
  const encoded = file.path.split("/").map(encodeURIComponent).join("/");
  return {
    sha: removed ? file.oldOid : file.newOid,
    filename: file.path,
    status: STATUS_NAMES[file.status],
    additions: file.additions,
    deletions: file.deletions,
    changes: file.additions + file.deletions,
    blob_url: `${html}/blob/${ref}/${encoded}`,
    raw_url: `${html}/raw/${ref}/${encoded}`,
    contents_url: `${api}/contents/${encoded}?ref=${ref}`,
    ...(file.previousPath !== undefined ? { previous_filename: file.previousPath } : {}),
  };
}
