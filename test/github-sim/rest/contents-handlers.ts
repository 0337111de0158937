import { BranchNotFoundError, commitOnBranch } from "../core/commit-on-branch.js";
import { actingAccount } from "../core/principal.js";
import { identityOf } from "../core/sim-core.js";
import type { GitIdentity } from "../git/parse-commit.js";
import type { LsTreeEntry } from "../git/parse-git-output.js";
import { HttpError, jsonResponse } from "../http/sim-http.js";
import { gitCommitShape } from "../shapes/commit-shapes.js";
import type { SimUrls } from "../shapes/sim-urls.js";
import type { RepoRecord } from "../state/world.js";
import { resolveRef } from "./resolve.js";
import { bodyObject, type RestCall, type RestRoute, rawResponse, requireRepo, wantsRaw, wrappedBase64 } from "./rest-call.js";

/** Above this size the contents API sends no content inline (encoding "none"), as GitHub does. */
export const CONTENTS_INLINE_LIMIT = 1024 * 1024;

function encodePath(filePath: string): string {
  return filePath.split("/").map(encodeURIComponent).join("/");
}

function entryLinks(repo: RepoRecord, urls: SimUrls, filePath: string, type: "file" | "dir", sha: string, ref: string) {
  const api = `${urls.repoApi(repo)}/contents/${encodePath(filePath)}?ref=${encodeURIComponent(ref)}`;
  const html = `${urls.repoHtml(repo)}/${type === "dir" ? "tree" : "blob"}/${ref}/${encodePath(filePath)}`;
  const git = `${urls.repoApi(repo)}/git/${type === "dir" ? "trees" : "blobs"}/${sha}`;
  return {
    url: api,
    html_url: html,
    git_url: git,
    download_url: type === "file" ? `${urls.web}/${repo.owner.login}/${repo.name}/raw/${ref}/${encodePath(filePath)}` : null,
    _links: { self: api, git, html },
  };
}

function fileMetadata(repo: RepoRecord, urls: SimUrls, filePath: string, sha: string, size: number, ref: string) {
  return { name: filePath.split("/").pop() ?? filePath, path: filePath, sha, size, ...entryLinks(repo, urls, filePath, "file", sha, ref) };
}

function directoryEntry(repo: RepoRecord, urls: SimUrls, entry: LsTreeEntry, parent: string, ref: string) {
  const entryPath = parent ? `${parent}/${entry.path}` : entry.path;
  const type = entry.type === "tree" ? "dir" : entry.type === "commit" ? "submodule" : entry.mode === "120000" ? "symlink" : "file";
  return {
    type,
    size: entry.size ?? 0,
    name: entry.path,
    path: entryPath,
    sha: entry.oid,
    ...entryLinks(repo, urls, entryPath, type === "dir" ? "dir" : "file", entry.oid, ref),
  };
}

async function getContents(call: RestCall) {
  const repo = requireRepo(call, "read");
  if (repo.git.branches().size === 0) throw new HttpError(404, "This repository is empty.");
  const ref = call.query.get("ref") || repo.defaultBranch;
  const commit = await resolveRef(repo, ref);
  if (!commit) throw new HttpError(404, `No commit found for the ref ${ref}`);
  const filePath = (call.params.path ?? "").replace(/^\/+|\/+$/g, "");
  const object = await repo.git.readObject(filePath ? `${commit}:${filePath}` : `${commit}^{tree}`);
  if (!object) throw new HttpError(404, "Not Found");
  if (object.type === "tree") {
    const entries = (await repo.git.listTree(object.oid, false)) ?? [];
    return jsonResponse(
      200,
      entries.map((entry) => directoryEntry(repo, call.core.urls, entry, filePath, ref)),
    );
  }
  if (wantsRaw(call)) return rawResponse(object.content);
  const inline = object.size <= CONTENTS_INLINE_LIMIT;
  return jsonResponse(200, {
    type: "file",
    encoding: inline ? "base64" : "none",
    ...fileMetadata(repo, call.core.urls, filePath, object.oid, object.size, ref),
    content: inline ? wrappedBase64(object.content) : "",
  });
}

function personFrom(value: unknown, fallback: GitIdentity): GitIdentity {
  if (!value || typeof value !== "object") return fallback;
  const { name, email } = value as { name?: unknown; email?: unknown };
  if (typeof name !== "string" || typeof email !== "string")
    throw new HttpError(422, "Invalid request.\n\nname and email are required for author and committer.");
  return { ...fallback, name, email };
}

async function currentFile(repo: RepoRecord, head: string, filePath: string): Promise<{ oid: string; type: string } | null> {
  const object = await repo.git.readObject(`${head}:${filePath}`);
  return object ? { oid: object.oid, type: object.type } : null;
}

/** PUT or DELETE contents: one commit on the branch, refused with 409 when `sha` is not the file's current blob. */
async function writeContents(call: RestCall, remove: boolean) {
  const repo = requireRepo(call, "write");
  const body = bodyObject(call);
  const filePath = (call.params.path ?? "").replace(/^\/+|\/+$/g, "");
  if (typeof body.message !== "string") throw new HttpError(422, 'Invalid request.\n\n"message" wasn\'t supplied.');
  if (!remove && typeof body.content !== "string") throw new HttpError(422, 'Invalid request.\n\n"content" wasn\'t supplied.');
  if (remove && typeof body.sha !== "string") throw new HttpError(422, 'Invalid request.\n\n"sha" wasn\'t supplied.');
  const branch = typeof body.branch === "string" ? body.branch : repo.defaultBranch;
  const pusher = actingAccount(call.core.world, call.principal!);
  const acting = identityOf(pusher, call.core.now());
  const committer = personFrom(body.committer, acting);
  const author = personFrom(body.author, committer);
  let existed = false;
  const content = remove ? Buffer.alloc(0) : Buffer.from(body.content as string, "base64");
  try {
    const { oid } = await commitOnBranch(call.core, repo, {
      branch,
      changes: remove ? [{ kind: "delete", path: filePath }] : [{ kind: "write", path: filePath, content }],
      message: body.message,
      author,
      committer,
      pusher,
      precondition: async (head) => {
        const current = await currentFile(repo, head, filePath);
        existed = current?.type === "blob";
        if (current && current.type !== "blob") throw new HttpError(422, `Invalid request.\n\n${filePath} is a directory.`);
        if (remove && !current) throw new HttpError(404, "Not Found");
        if (!remove && current && typeof body.sha !== "string") throw new HttpError(422, 'Invalid request.\n\n"sha" wasn\'t supplied.');
        if (typeof body.sha === "string" && body.sha !== (current?.oid ?? ""))
          throw new HttpError(409, `${filePath} does not match ${body.sha}`);
      },
    });
    const commit = gitCommitShape((await repo.git.readCommit(oid))!, repo, call.core.urls);
    if (remove) return jsonResponse(200, { content: null, commit });
    const blob = await currentFile(repo, oid, filePath);
    return jsonResponse(existed ? 200 : 201, {
      content: { type: "file", ...fileMetadata(repo, call.core.urls, filePath, blob!.oid, content.length, branch) },
      commit,
    });
  } catch (error) {
    if (error instanceof BranchNotFoundError) throw new HttpError(404, `Branch ${branch} not found`);
    throw error;
  }
}

export const contentsRoutes: Record<string, RestRoute> = {
  "GET /repos/{owner}/{repo}/contents/{path}": { auth: "token", handler: getContents },
  "PUT /repos/{owner}/{repo}/contents/{path}": { auth: "token", handler: (call) => writeContents(call, false) },
  "DELETE /repos/{owner}/{repo}/contents/{path}": { auth: "token", handler: (call) => writeContents(call, true) },
};
