import { actingAccount } from "../core/principal.js";
import { identityOf } from "../core/sim-core.js";
import type { TreeWrite } from "../git/bare-repo.js";
import type { GitIdentity } from "../git/parse-commit.js";
import type { LsTreeEntry } from "../git/parse-git-output.js";
import { HttpError, jsonResponse } from "../http/sim-http.js";
import { gitCommitShape } from "../shapes/commit-shapes.js";
import type { SimUrls } from "../shapes/sim-urls.js";
import { nodeId } from "../state/node-id.js";
import type { RepoRecord } from "../state/world.js";
import { assertNotEmpty, resolveRef } from "./resolve.js";
import {
  bodyObject,
  type RestCall,
  type RestRoute,
  rawResponse,
  requireCommitId,
  requireRepo,
  wantsRaw,
  wrappedBase64,
} from "./rest-call.js";

/** GitHub stops listing a recursive tree after this many entries and sets `truncated`. */
export const TREE_ENTRY_LIMIT = 100_000;

function treeEntryShape(entry: LsTreeEntry, repo: RepoRecord, urls: SimUrls) {
  const api = urls.repoApi(repo);
  const url = entry.type === "blob" ? `${api}/git/blobs/${entry.oid}` : entry.type === "tree" ? `${api}/git/trees/${entry.oid}` : undefined;
  return {
    path: entry.path,
    mode: entry.mode,
    type: entry.type,
    sha: entry.oid,
    ...(entry.size !== undefined ? { size: entry.size } : {}),
    ...(url ? { url } : {}),
  };
}

async function treeAnswer(call: RestCall, repo: RepoRecord, treeish: string, recursive: boolean, status: number) {
  const object = await repo.git.readObject(`${treeish}^{tree}`);
  const entries = object ? await repo.git.listTree(object.oid, recursive) : null;
  if (!object || !entries) throw new HttpError(404, "Not Found");
  const truncated = entries.length > TREE_ENTRY_LIMIT;
  return jsonResponse(status, {
    sha: object.oid,
    url: `${call.core.urls.repoApi(repo)}/git/trees/${object.oid}`,
    tree: entries.slice(0, TREE_ENTRY_LIMIT).map((entry) => treeEntryShape(entry, repo, call.core.urls)),
    truncated,
  });
}

async function getTree(call: RestCall) {
  const repo = requireRepo(call, "read");
  assertNotEmpty(repo);
  const wanted = call.params.tree_sha ?? "";
  // GitHub also accepts a branch name or commit id here and lists that commit's tree.
  const treeish = /^[0-9a-f]{40}$/.test(wanted) ? wanted : await resolveRef(repo, wanted);
  if (!treeish) throw new HttpError(404, "Not Found");
  // GitHub recurses for any value of `recursive`, even "0" or "false".
  const recursive = call.query.has("recursive");
  return treeAnswer(call, repo, treeish, recursive, 200);
}

interface TreeInputEntry {
  path?: unknown;
  mode?: unknown;
  type?: unknown;
  sha?: unknown;
  content?: unknown;
}

async function createTree(call: RestCall) {
  const repo = requireRepo(call, "write");
  const body = bodyObject(call);
  if (!Array.isArray(body.tree)) throw new HttpError(422, 'Invalid request.\n\n"tree" wasn\'t supplied.');
  let base: string | null = null;
  if (body.base_tree !== undefined && body.base_tree !== null) {
    const object = typeof body.base_tree === "string" ? await repo.git.readObject(`${body.base_tree}^{tree}`) : null;
    if (!object) throw new HttpError(422, "Invalid request.\n\nbase_tree is not a valid tree oid");
    base = object.oid;
  }
  const writes: TreeWrite[] = [];
  for (const raw of body.tree as TreeInputEntry[]) {
    const entryPath = typeof raw.path === "string" ? raw.path.replace(/^\/+|\/+$/g, "") : "";
    const mode = typeof raw.mode === "string" ? raw.mode : "100644";
    if (!entryPath) throw new HttpError(422, 'Invalid request.\n\n"path" wasn\'t supplied.');
    if (raw.sha !== undefined && raw.content !== undefined) {
      throw new HttpError(422, 'Invalid request.\n\nOnly one of "content" or "sha" may be supplied for a tree entry.');
    }
    if (typeof raw.content === "string") {
      writes.push({ path: entryPath, mode, oid: await repo.git.writeBlob(Buffer.from(raw.content, "utf8")) });
    } else if (raw.sha === null) {
      writes.push({ path: entryPath, mode, oid: null });
    } else if (typeof raw.sha === "string") {
      const object = await repo.git.readObject(raw.sha);
      const expected = mode === "040000" ? "tree" : mode === "160000" ? "commit" : "blob";
      // Submodule entries point into another repository, so their commit need not exist here.
      if (expected !== "commit" && (!object || object.type !== expected)) {
        throw new HttpError(422, `GitRPC::BadObjectState`, { errors: [`tree.sha ${raw.sha} is not a valid ${expected}`] });
      }
      writes.push({ path: entryPath, mode, oid: raw.sha });
    } else {
      throw new HttpError(422, 'Invalid request.\n\nMust supply either "content" or "sha" for each tree entry.');
    }
  }
  const tree = await repo.git.writeTree(base, writes);
  return treeAnswer(call, repo, tree, false, 201);
}

async function getBlob(call: RestCall) {
  const repo = requireRepo(call, "read");
  const sha = call.params.file_sha ?? "";
  const object = /^[0-9a-f]{40}$/.test(sha) ? await repo.git.readObject(sha) : null;
  if (object?.type !== "blob") throw new HttpError(404, "Not Found");
  if (wantsRaw(call)) return rawResponse(object.content);
  return jsonResponse(200, {
    sha: object.oid,
    node_id: nodeId("Blob", `${repo.id}:${object.oid}`),
    size: object.size,
    url: `${call.core.urls.repoApi(repo)}/git/blobs/${object.oid}`,
    content: wrappedBase64(object.content),
    encoding: "base64",
  });
}

async function createBlob(call: RestCall) {
  const repo = requireRepo(call, "write");
  const body = bodyObject(call);
  if (typeof body.content !== "string") throw new HttpError(422, 'Invalid request.\n\n"content" wasn\'t supplied.');
  const encoding = body.encoding ?? "utf-8";
  if (encoding !== "utf-8" && encoding !== "utf8" && encoding !== "base64")
    throw new HttpError(422, `encoding must be one of utf-8 or base64`);
  const content = encoding === "base64" ? Buffer.from(body.content, "base64") : Buffer.from(body.content, "utf8");
  const sha = await repo.git.writeBlob(content);
  const url = `${call.core.urls.repoApi(repo)}/git/blobs/${sha}`;
  return jsonResponse(201, { url, sha }, { location: url });
}

function identityFrom(value: unknown, fallback: GitIdentity): GitIdentity {
  if (!value || typeof value !== "object") return fallback;
  const given = value as { name?: unknown; email?: unknown; date?: unknown };
  if (typeof given.name !== "string" || typeof given.email !== "string")
    throw new HttpError(422, "Invalid request.\n\nname and email are required for author and committer.");
  const timestamp = typeof given.date === "string" ? Math.floor(Date.parse(given.date) / 1000) : fallback.timestamp;
  if (!Number.isFinite(timestamp)) throw new HttpError(422, `Invalid request.\n\n${String(given.date)} is not a valid date-time.`);
  return { name: given.name, email: given.email, timestamp, timezone: "+0000" };
}

async function createCommit(call: RestCall) {
  const repo = requireRepo(call, "write");
  const body = bodyObject(call);
  if (typeof body.message !== "string") throw new HttpError(422, 'Invalid request.\n\n"message" wasn\'t supplied.');
  const tree = typeof body.tree === "string" ? await repo.git.readObject(body.tree) : null;
  if (tree?.type !== "tree") throw new HttpError(422, "Tree SHA does not exist");
  const parents = Array.isArray(body.parents) ? body.parents : [];
  for (const parent of parents) {
    if (!requireCommitId(parent) || !(await repo.git.readCommit(parent)))
      throw new HttpError(422, "Parent SHA does not exist or is not a commit object");
  }
  const acting = identityOf(actingAccount(call.core.world, call.principal!), call.core.now());
  const author = identityFrom(body.author, identityFrom(body.committer, acting));
  const committer = identityFrom(body.committer, author);
  const oid = await repo.git.commitTree({ tree: tree.oid, parents: parents as string[], message: body.message, author, committer });
  const commit = await repo.git.readCommit(oid);
  const shape = gitCommitShape(commit!, repo, call.core.urls);
  return jsonResponse(201, shape, { location: shape.url });
}

async function getGitCommit(call: RestCall) {
  const repo = requireRepo(call, "read");
  const sha = call.params.commit_sha ?? "";
  const commit = /^[0-9a-f]{40}$/.test(sha) ? await repo.git.readCommit(sha) : null;
  if (!commit) throw new HttpError(404, "Not Found");
  return jsonResponse(200, gitCommitShape(commit, repo, call.core.urls));
}

export const gitDataRoutes: Record<string, RestRoute> = {
  "GET /repos/{owner}/{repo}/git/trees/{tree_sha}": { auth: "token", handler: getTree },
  "POST /repos/{owner}/{repo}/git/trees": { auth: "token", handler: createTree },
  "GET /repos/{owner}/{repo}/git/blobs/{file_sha}": { auth: "token", handler: getBlob },
  "POST /repos/{owner}/{repo}/git/blobs": { auth: "token", handler: createBlob },
  "POST /repos/{owner}/{repo}/git/commits": { auth: "token", handler: createCommit },
  "GET /repos/{owner}/{repo}/git/commits/{commit_sha}": { auth: "token", handler: getGitCommit },
};
