import { announcePush } from "../core/announce-push.js";
import { actingAccount } from "../core/principal.js";
import { emptyResponse, HttpError, jsonResponse } from "../http/sim-http.js";
import type { SimUrls } from "../shapes/sim-urls.js";
import { nodeId } from "../state/node-id.js";
import type { RepoRecord } from "../state/world.js";
import { assertNotEmpty } from "./resolve.js";
import { bodyObject, type RestCall, type RestRoute, requireCommitId, requireRepo } from "./rest-call.js";

function refShape(repo: RepoRecord, urls: SimUrls, branch: string, sha: string) {
  const api = urls.repoApi(repo);
  return {
    ref: `refs/heads/${branch}`,
    node_id: nodeId("Ref", `${repo.id}:refs/heads/${branch}`),
    url: `${api}/git/refs/heads/${branch}`,
    object: { sha, type: "commit", url: `${api}/git/commits/${sha}` },
  };
}

/** "heads/main" → "main"; anything else (tags, notes) is outside what the simulator keeps. */
function branchOf(ref: string): string | null {
  const cleaned = ref.replace(/^refs\//, "");
  return cleaned.startsWith("heads/") && cleaned.length > "heads/".length ? cleaned.slice("heads/".length) : null;
}

function getRef(call: RestCall) {
  const repo = requireRepo(call, "read");
  assertNotEmpty(repo);
  const branch = branchOf(call.params.ref ?? "");
  const sha = branch ? repo.git.branchHead(branch) : undefined;
  if (!branch || !sha) throw new HttpError(404, "Not Found");
  return jsonResponse(200, refShape(repo, call.core.urls, branch, sha));
}

function matchingRefs(call: RestCall) {
  const repo = requireRepo(call, "read");
  const prefix = `refs/${(call.params.ref ?? "").replace(/^refs\//, "")}`;
  const refs = [...repo.git.branches()]
    .filter(([name]) => `refs/heads/${name}`.startsWith(prefix))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, sha]) => refShape(repo, call.core.urls, name, sha));
  return jsonResponse(200, refs);
}

async function createRef(call: RestCall) {
  const repo = requireRepo(call, "write");
  const body = bodyObject(call);
  const ref = typeof body.ref === "string" ? body.ref : "";
  if (!ref.startsWith("refs/") || ref.split("/").length < 3)
    throw new HttpError(422, "Reference name must start with 'refs/' and have at least two slashes.");
  const branch = branchOf(ref);
  if (!branch) throw new HttpError(422, "The simulator only keeps branches (refs/heads/…)");
  if (!requireCommitId(body.sha) || !(await repo.git.readCommit(body.sha))) throw new HttpError(422, "Object does not exist");
  const sha = body.sha;
  const pusher = actingAccount(call.core.world, call.principal!);
  await call.core.world.repoLocks.run(repo.id, async () => {
    if (repo.git.branchHead(branch)) throw new HttpError(422, "Reference already exists");
    await repo.git.updateBranch(branch, sha, null);
    await announcePush(call.core, repo, branch, null, sha, pusher);
  });
  return jsonResponse(201, refShape(repo, call.core.urls, branch, sha), {
    location: `${call.core.urls.repoApi(repo)}/git/refs/heads/${branch}`,
  });
}

async function updateRef(call: RestCall) {
  const repo = requireRepo(call, "write");
  const body = bodyObject(call);
  const branch = branchOf(call.params.ref ?? "");
  if (!requireCommitId(body.sha) || !(await repo.git.readCommit(body.sha))) throw new HttpError(422, "Object does not exist");
  const sha = body.sha;
  const pusher = actingAccount(call.core.world, call.principal!);
  await call.core.world.repoLocks.run(repo.id, async () => {
    const before = branch ? repo.git.branchHead(branch) : undefined;
    if (!branch || !before) throw new HttpError(422, "Reference does not exist");
    if (before === sha) return;
    if (body.force !== true && !(await repo.git.isAncestor(before, sha))) throw new HttpError(422, "Update is not a fast forward");
    await repo.git.updateBranch(branch, sha, before);
    await announcePush(call.core, repo, branch, before, sha, pusher);
  });
  return jsonResponse(200, refShape(repo, call.core.urls, branch!, sha));
}

async function deleteRef(call: RestCall) {
  const repo = requireRepo(call, "write");
  const branch = branchOf(call.params.ref ?? "");
  const pusher = actingAccount(call.core.world, call.principal!);
  await call.core.world.repoLocks.run(repo.id, async () => {
    const before = branch ? repo.git.branchHead(branch) : undefined;
    if (!branch || !before) throw new HttpError(422, "Reference does not exist");
    if (branch === repo.defaultBranch) throw new HttpError(422, "Cannot delete the default branch");
    await repo.git.updateBranch(branch, null, before);
    await announcePush(call.core, repo, branch, before, null, pusher);
  });
  return emptyResponse(204);
}

export const refsRoutes: Record<string, RestRoute> = {
  "GET /repos/{owner}/{repo}/git/ref/{ref}": { auth: "token", handler: getRef },
  "GET /repos/{owner}/{repo}/git/matching-refs/{ref}": { auth: "token", handler: matchingRefs },
  "POST /repos/{owner}/{repo}/git/refs": { auth: "token", handler: createRef },
  "PATCH /repos/{owner}/{repo}/git/refs/{ref}": { auth: "token", handler: updateRef },
  "DELETE /repos/{owner}/{repo}/git/refs/{ref}": { auth: "token", handler: deleteRef },
};
