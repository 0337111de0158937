import { repoRole } from "../core/principal.js";
import { renameRepo, setDefaultBranch, setVisibility } from "../core/repo-actions.js";
import { accountByEmail } from "../core/sim-core.js";
import { HttpError, jsonResponse, paginate } from "../http/sim-http.js";
import { restCommitShape } from "../shapes/commit-shapes.js";
import { installationShape } from "../shapes/installation-shapes.js";
import { fullRepositoryShape } from "../shapes/repository-shapes.js";
import { bodyObject, type RestCall, type RestRoute, requireRepo, requireRepoAdmin } from "./rest-call.js";

function repositoryAnswer(call: RestCall, status = 200) {
  const repo = requireRepo(call, "read");
  return jsonResponse(status, fullRepositoryShape(repo, call.core.urls, repoRole(call.core.world, call.principal, repo)));
}

async function updateRepository(call: RestCall) {
  // Renaming, visibility and the default branch are administration, which an installation of this app does not have.
  const { repo, admin } = requireRepoAdmin(call);
  const body = bodyObject(call);
  const actor = admin.login;
  if (typeof body.default_branch === "string") {
    if (!repo.git.branchHead(body.default_branch))
      throw new HttpError(422, "Validation Failed", { errors: [{ resource: "Repository", code: "invalid", field: "default_branch" }] });
    await setDefaultBranch(call.core, repo, body.default_branch, actor);
  }
  if (typeof body.private === "boolean") setVisibility(call.core, repo, body.private, actor);
  if (typeof body.visibility === "string") setVisibility(call.core, repo, body.visibility === "private", actor);
  if (typeof body.description === "string" || body.description === null) repo.description = body.description as string | null;
  if (typeof body.name === "string" && body.name !== repo.name) renameRepo(call.core, repo, body.name, actor);
  return jsonResponse(200, fullRepositoryShape(repo, call.core.urls, repoRole(call.core.world, call.principal, repo)));
}

function listBranches(call: RestCall) {
  const repo = requireRepo(call, "read");
  const api = call.core.urls.repoApi(repo);
  const branches = [...repo.git.branches()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, sha]) => ({ name, commit: { sha, url: `${api}/commits/${sha}` }, protected: false }));
  const { page, headers } = paginate(branches, call.query, call.request.url);
  return jsonResponse(200, page, headers);
}

async function getBranch(call: RestCall) {
  const repo = requireRepo(call, "read");
  const name = call.params.branch ?? "";
  const sha = repo.git.branchHead(name);
  if (!sha) throw new HttpError(404, "Branch not found");
  const commit = await repo.git.readCommit(sha);
  const api = call.core.urls.repoApi(repo);
  return jsonResponse(200, {
    name,
    commit: restCommitShape(commit!, repo, call.core.urls, (email) => accountByEmail(call.core.world, email)),
    _links: { self: `${api}/branches/${encodeURIComponent(name)}`, html: `${call.core.urls.repoHtml(repo)}/tree/${name}` },
    protected: false,
    protection: { enabled: false, required_status_checks: { enforcement_level: "off", contexts: [], checks: [] } },
    protection_url: `${api}/branches/${encodeURIComponent(name)}/protection`,
  });
}

function repoInstallation(call: RestCall) {
  const { world, urls } = call.core;
  const repo = world.repoByName(call.params.owner ?? "", call.params.repo ?? "");
  const installation = repo ? world.installationOfRepo(repo) : undefined;
  if (!installation) throw new HttpError(404, "Not Found");
  return jsonResponse(200, installationShape(installation, world.app, urls));
}

export const reposRoutes: Record<string, RestRoute> = {
  "GET /repos/{owner}/{repo}": { auth: "token", handler: (call) => repositoryAnswer(call) },
  "PATCH /repos/{owner}/{repo}": { auth: "token", handler: updateRepository },
  "GET /repos/{owner}/{repo}/branches": { auth: "token", handler: listBranches },
  "GET /repos/{owner}/{repo}/branches/{branch}": { auth: "token", handler: getBranch },
  "GET /repos/{owner}/{repo}/installation": { auth: "jwt", handler: repoInstallation },
};
