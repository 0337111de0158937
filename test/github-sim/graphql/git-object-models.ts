import { accountByEmail } from "../core/sim-core.js";
import { EMPTY_TREE_OID } from "../git/bare-repo.js";
import type { GitObject } from "../git/cat-file.js";
import { looksBinary } from "../git/looks-binary.js";
import { type GitIdentity, identityDate, type ParsedCommit, parseCommit, splitMessage } from "../git/parse-commit.js";
import type { LsTreeEntry } from "../git/parse-git-output.js";
import { nodeId } from "../state/node-id.js";
import type { RepoRecord } from "../state/world.js";
import { connection } from "./connection.js";
import type { GraphqlContext } from "./graphql-context.js";

function objectCommon(repo: RepoRecord, context: GraphqlContext, typename: string, oid: string) {
  const html = context.core.urls.repoHtml(repo);
  return {
    __typename: typename,
    id: nodeId(typename, `${repo.id}:${oid}`),
    oid,
    abbreviatedOid: oid.slice(0, 7),
    commitUrl: `${html}/commit/${oid}`,
    commitResourcePath: `/${repo.owner.login}/${repo.name}/commit/${oid}`,
    repository: () => context.repositoryModel(repo),
  };
}

export function blobModel(repo: RepoRecord, context: GraphqlContext, object: GitObject) {
  const binary = looksBinary(object.content);
  const truncated = object.size > context.core.blobTextLimit;
  return {
    ...objectCommon(repo, context, "Blob", object.oid),
    byteSize: object.size,
    isBinary: binary,
    isTruncated: truncated,
    text: binary ? null : (truncated ? object.content.subarray(0, context.core.blobTextLimit) : object.content).toString("utf8"),
  };
}

function entryModel(repo: RepoRecord, context: GraphqlContext, entry: LsTreeEntry, prefix: string | null) {
  const fullPath = prefix === null ? entry.path : prefix ? `${prefix}/${entry.path}` : entry.path;
  const dot = entry.path.lastIndexOf(".");
  return {
    __typename: "TreeEntry",
    name: entry.path,
    nameRaw: Buffer.from(entry.path).toString("base64"),
    path: fullPath,
    pathRaw: Buffer.from(fullPath).toString("base64"),
    type: entry.type,
    mode: parseInt(entry.mode, 8),
    oid: entry.oid,
    size: entry.size ?? 0,
    extension: entry.type === "blob" && dot > 0 ? entry.path.slice(dot) : null,
    isGenerated: false,
    lineCount: null,
    language: null,
    submodule: null,
    repository: () => context.repositoryModel(repo),
    object: () => (entry.type === "commit" ? null : gitObjectModel(repo, context, entry.oid, entry.type === "tree" ? fullPath : null)),
  };
}

export function treeModel(repo: RepoRecord, context: GraphqlContext, oid: string, path: string | null) {
  return {
    ...objectCommon(repo, context, "Tree", oid),
    entries: async () => ((await repo.git.listTree(oid, false)) ?? []).map((entry) => entryModel(repo, context, entry, path)),
  };
}

function gitActor(context: GraphqlContext, identity: GitIdentity) {
  const account = accountByEmail(context.core.world, identity.email);
  return {
    name: identity.name,
    email: identity.email,
    date: identityDate(identity),
    avatarUrl: `${context.core.urls.web}/avatars/${encodeURIComponent(identity.email)}`,
    user: account && account.type !== "Organization" ? context.actorModel(account) : null,
  };
}

export function commitModel(repo: RepoRecord, context: GraphqlContext, commit: ParsedCommit) {
  const { headline, body } = splitMessage(commit.message);
  const html = context.core.urls.repoHtml(repo);
  const api = context.core.urls.repoApi(repo);
  let stats: Promise<{ additions: number; deletions: number; changedFiles: number }> | undefined;
  const diffStats = () =>
    (stats ??= repo.git.diff(commit.parents[0] ?? EMPTY_TREE_OID, commit.oid).then((files) => ({
      additions: files.reduce((sum, file) => sum + file.additions, 0),
      deletions: files.reduce((sum, file) => sum + file.deletions, 0),
      changedFiles: files.length,
    })));
  return {
    ...objectCommon(repo, context, "Commit", commit.oid),
    message: commit.message.replace(/\n$/, ""),
    messageHeadline: headline,
    messageBody: body,
    committedDate: identityDate(commit.committer),
    authoredDate: identityDate(commit.author),
    pushedDate: null,
    committedViaWeb: commit.committer.email === "noreply@github.com",
    authoredByCommitter: commit.author.email === commit.committer.email,
    author: gitActor(context, commit.author),
    committer: gitActor(context, commit.committer),
    signature: null,
    url: `${html}/commit/${commit.oid}`,
    resourcePath: `/${repo.owner.login}/${repo.name}/commit/${commit.oid}`,
    tarballUrl: `${api}/tarball/${commit.oid}`,
    zipballUrl: `${api}/zipball/${commit.oid}`,
    treeUrl: `${html}/tree/${commit.oid}`,
    treeResourcePath: `/${repo.owner.login}/${repo.name}/tree/${commit.oid}`,
    tree: () => treeModel(repo, context, commit.tree, ""),
    additions: async () => (await diffStats()).additions,
    deletions: async () => (await diffStats()).deletions,
    changedFiles: async () => (await diffStats()).changedFiles,
    changedFilesIfAvailable: async () => (await diffStats()).changedFiles,
    parents: async (args: { first?: number; after?: string }) =>
      connection(commit.parents.length, args, async (offset, limit) => {
        const parents = await Promise.all(commit.parents.slice(offset, offset + limit).map((oid) => repo.git.readCommit(oid)));
        return parents.map((parent) => commitModel(repo, context, parent!));
      }),
    history: async (args: { first?: number; after?: string; path?: string }) => {
      const total = await repo.git.countCommits(commit.oid, args.path);
      return connection(total, args, async (offset, limit) => {
        const oids = await repo.git.history(commit.oid, { skip: offset, limit, ...(args.path ? { path: args.path } : {}) });
        const commits = await Promise.all(oids.map((oid) => repo.git.readCommit(oid)));
        return commits.map((item) => commitModel(repo, context, item!));
      });
    },
    file: async (args: { path: string }) => {
      const parent = args.path.includes("/") ? args.path.slice(0, args.path.lastIndexOf("/")) : "";
      const name = args.path.slice(parent ? parent.length + 1 : 0);
      const folder = await repo.git.readObject(parent ? `${commit.oid}:${parent}` : `${commit.tree}`);
      if (folder?.type !== "tree") return null;
      const entry = ((await repo.git.listTree(folder.oid, false)) ?? []).find((item) => item.path === name);
      return entry ? entryModel(repo, context, entry, parent) : null;
    },
  };
}

/** A git object by id or revision expression ("main:docs/readme.md"), or null when absent. */
export async function gitObjectModel(repo: RepoRecord, context: GraphqlContext, spec: string, treePath: string | null) {
  const object = await repo.git.readObject(spec);
  if (!object) return null;
  if (object.type === "blob") return blobModel(repo, context, object);
  if (object.type === "tree") return treeModel(repo, context, object.oid, treePath);
  if (object.type === "commit") return commitModel(repo, context, parseCommit(object.oid, object.content));
  return null;
}
