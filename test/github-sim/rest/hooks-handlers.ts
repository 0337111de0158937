import { emptyResponse, HttpError, jsonResponse, paginate } from "../http/sim-http.js";
import { hookShape } from "../shapes/hook-shapes.js";
import { type RepoHook, receives } from "../state/repo-hooks.js";
import type { Account, RepoRecord } from "../state/world.js";
import { hookDeletedPayload, pingPayload } from "../webhooks/hook-payloads.js";
import { newHookSettings, updatedHookSettings } from "./hook-settings.js";
import { bodyObject, type RestCall, type RestRoute, requireRepoAdmin } from "./rest-call.js";

function requireHook(call: RestCall): { repo: RepoRecord; admin: Account; hook: RepoHook } {
  const { repo, admin } = requireRepoAdmin(call);
  const hook = call.core.hooks.get(repo.id, Number(call.params.hook_id));
  if (!hook) throw new HttpError(404, "Not Found");
  return { repo, admin, hook };
}

function ping(call: RestCall, hook: RepoHook, repo: RepoRecord, sender: Account): void {
  call.core.webhooks.send("ping", pingPayload(hook, repo, call.core.urls, sender), hook);
}

function createHook(call: RestCall) {
  const { repo, admin } = requireRepoAdmin(call);
  const settings = newHookSettings(bodyObject(call));
  if (call.core.hooks.list(repo.id).some((hook) => hook.url === settings.url)) {
    throw new HttpError(422, "Validation Failed", {
      errors: [{ resource: "Hook", code: "custom", message: "Hook already exists on this repository" }],
    });
  }
  const hook = call.core.hooks.add(repo.id, settings, call.core.now());
  // GitHub pings a new webhook at once, whatever events it subscribed to.
  if (hook.active) ping(call, hook, repo, admin);
  return jsonResponse(201, hookShape(hook, repo, call.core.urls), { location: `${call.core.urls.repoApi(repo)}/hooks/${hook.id}` });
}

function updateHook(call: RestCall) {
  const { repo, hook } = requireHook(call);
  Object.assign(hook, updatedHookSettings(hook, bodyObject(call)), { updatedAt: call.core.now() });
  return jsonResponse(200, hookShape(hook, repo, call.core.urls));
}

function deleteHook(call: RestCall) {
  const { repo, admin, hook } = requireHook(call);
  call.core.hooks.remove(repo.id, hook.id);
  if (hook.active && receives(hook, "meta")) call.core.webhooks.send("meta", hookDeletedPayload(hook, repo, call.core.urls, admin), hook);
  return emptyResponse(204);
}

export const hooksRoutes: Record<string, RestRoute> = {
  "GET /repos/{owner}/{repo}/hooks": {
    auth: "token",
    handler: (call) => {
      const { repo } = requireRepoAdmin(call);
      const { page, headers } = paginate(
        call.core.hooks.list(repo.id).map((hook) => hookShape(hook, repo, call.core.urls)),
        call.query,
        call.request.url,
      );
      return jsonResponse(200, page, headers);
    },
  },
  "POST /repos/{owner}/{repo}/hooks": { auth: "token", handler: createHook },
  "GET /repos/{owner}/{repo}/hooks/{hook_id}": {
    auth: "token",
    handler: (call) => {
      const { repo, hook } = requireHook(call);
      return jsonResponse(200, hookShape(hook, repo, call.core.urls));
    },
  },
  "PATCH /repos/{owner}/{repo}/hooks/{hook_id}": { auth: "token", handler: updateHook },
  "DELETE /repos/{owner}/{repo}/hooks/{hook_id}": { auth: "token", handler: deleteHook },
  "POST /repos/{owner}/{repo}/hooks/{hook_id}/pings": {
    auth: "token",
    handler: (call) => {
      const { repo, admin, hook } = requireHook(call);
      ping(call, hook, repo, admin);
      return emptyResponse(204);
    },
  },
};
