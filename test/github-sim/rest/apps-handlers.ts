import { uninstall } from "../core/install-actions.js";
import { emptyResponse, HttpError, jsonResponse, paginate } from "../http/sim-http.js";
import { privateUserShape } from "../shapes/account-shapes.js";
import { appShape, installationShape } from "../shapes/installation-shapes.js";
import { isoDate } from "../shapes/iso-date.js";
import { fullRepositoryShape } from "../shapes/repository-shapes.js";
import type { Installation, Permission } from "../state/world.js";
import { bodyObject, type RestCall, type RestRoute } from "./rest-call.js";

function requireInstallation(call: RestCall): Installation {
  const installation = call.core.world.installations.get(Number(call.params.installation_id));
  if (!installation) throw new HttpError(404, "Not Found");
  return installation;
}

function listInstallations(call: RestCall) {
  const { world, urls } = call.core;
  const all = [...world.installations.values()].map((installation) => installationShape(installation, world.app, urls));
  const { page, headers } = paginate(all, call.query, call.request.url);
  return jsonResponse(200, page, headers);
}

/** Narrows requested permissions to what the app has; GitHub refuses anything more. */
function grantedPermissions(call: RestCall, requested: unknown): Record<string, Permission> {
  const app = call.core.world.app;
  if (!requested || typeof requested !== "object") return { ...app.permissions };
  const granted: Record<string, Permission> = {};
  for (const [name, level] of Object.entries(requested as Record<string, unknown>)) {
    const allowed = app.permissions[name];
    if (!allowed || (allowed === "read" && level === "write") || (level !== "read" && level !== "write")) {
      throw new HttpError(422, "The permissions requested are not granted to this installation.");
    }
    granted[name] = level;
  }
  return granted;
}

function createAccessToken(call: RestCall) {
  const { world, tokens } = call.core;
  const installation = requireInstallation(call);
  const body = bodyObject(call);
  const visible = world.installationRepos(installation);
  let scoped: typeof visible | undefined;
  if (Array.isArray(body.repositories) || Array.isArray(body.repository_ids)) {
    const names = new Set(((body.repositories as unknown[]) ?? []).map((name) => String(name).toLowerCase()));
    const ids = new Set(((body.repository_ids as unknown[]) ?? []).map(Number));
    scoped = visible.filter((repo) => names.has(repo.name.toLowerCase()) || ids.has(repo.id));
    if (scoped.length !== names.size + ids.size) {
      throw new HttpError(422, "There is at least one repository that does not exist or is not accessible to the parent installation.");
    }
  }
  const permissions = grantedPermissions(call, body.permissions);
  const record = tokens.issueInstallationToken(
    installation,
    permissions,
    call.core.now(),
    scoped ? new Set(scoped.map((repo) => repo.id)) : undefined,
  );
  return jsonResponse(201, {
    token: record.token,
    expires_at: isoDate(record.expiresAt!),
    permissions,
    repository_selection: scoped ? "selected" : installation.selection,
    ...(scoped
      ? {
          repositories: scoped.map((repo) => fullRepositoryShape(repo, call.core.urls, permissions.contents === "write" ? "push" : "pull")),
        }
      : {}),
  });
}

function installationRepositories(call: RestCall) {
  const principal = call.principal;
  if (principal?.kind !== "installation")
    throw new HttpError(403, "You must authenticate with an installation access token in order to list repositories for an installation.");
  const { world, urls } = call.core;
  const repos = world
    .installationRepos(principal.installation)
    .filter((repo) => !principal.token.repositoryIds || principal.token.repositoryIds.has(repo.id));
  const { page, headers } = paginate(repos, call.query, call.request.url);
  const role = principal.token.permissions.contents === "write" ? "push" : "pull";
  return jsonResponse(
    200,
    {
      total_count: repos.length,
      repository_selection: principal.token.repositoryIds ? "selected" : principal.installation.selection,
      repositories: page.map((repo) => fullRepositoryShape(repo, urls, role)),
    },
    headers,
  );
}

function authenticatedUser(call: RestCall) {
  const principal = call.principal;
  if (principal?.kind !== "user") throw new HttpError(403, "Resource not accessible by integration");
  const publicRepos = call.core.world.reposOf(principal.user).filter((repo) => !repo.private).length;
  return jsonResponse(200, privateUserShape(principal.user, call.core.urls, publicRepos));
}

function rateLimit(call: RestCall) {
  const bucket = call.principal && call.principal.kind !== "app" ? call.principal.token.token : "app";
  const now = call.core.now();
  const core = call.core.rateLimits.peek(bucket, "core", now);
  const graphql = call.core.rateLimits.peek(bucket, "graphql", now);
  const strip = ({ limit, used, remaining, reset }: typeof core) => ({ limit, used, remaining, reset });
  return jsonResponse(200, { resources: { core: strip(core), graphql: strip(graphql) }, rate: strip(core) });
}

export const appsRoutes: Record<string, RestRoute> = {
  "GET /app": { auth: "jwt", handler: (call) => jsonResponse(200, appShape(call.core.world.app, call.core.urls)) },
  "GET /app/installations": { auth: "jwt", handler: listInstallations },
  "GET /app/installations/{installation_id}": {
    auth: "jwt",
    handler: (call) => jsonResponse(200, installationShape(requireInstallation(call), call.core.world.app, call.core.urls)),
  },
  "DELETE /app/installations/{installation_id}": {
    auth: "jwt",
    handler: (call) => {
      uninstall(call.core, requireInstallation(call).account.login);
      return emptyResponse(204);
    },
  },
  "POST /app/installations/{installation_id}/access_tokens": { auth: "jwt", handler: createAccessToken },
  "GET /installation/repositories": { auth: "token", handler: installationRepositories },
  "DELETE /installation/token": {
    auth: "token",
    handler: (call) => {
      if (call.principal?.kind !== "installation") throw new HttpError(403, "Resource not accessible by integration");
      call.core.tokens.revoke(call.principal.token.token);
      return emptyResponse(204);
    },
  },
  "GET /user": { auth: "token", handler: authenticatedUser },
  "GET /rate_limit": { auth: "token", handler: rateLimit },
};
