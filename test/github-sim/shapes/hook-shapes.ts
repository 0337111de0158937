import type { RepoHook } from "../state/repo-hooks.js";
import type { RepoRecord } from "../state/world.js";
import { isoDate } from "./iso-date.js";
import type { SimUrls } from "./sim-urls.js";

/** A repository webhook as the REST API and the `ping` event show it; the secret itself is never shown. */
export function hookShape(hook: RepoHook, repo: RepoRecord, urls: SimUrls) {
  const self = `${urls.repoApi(repo)}/hooks/${hook.id}`;
  return {
    type: "Repository",
    id: hook.id,
    name: "web",
    active: hook.active,
    events: hook.events,
    config: {
      content_type: hook.contentType,
      insecure_ssl: hook.insecureSsl,
      url: hook.url,
      ...(hook.secret ? { secret: "********" } : {}),
    },
    updated_at: isoDate(hook.updatedAt),
    created_at: isoDate(hook.createdAt),
    url: self,
    test_url: `${self}/test`,
    ping_url: `${self}/pings`,
    deliveries_url: `${self}/deliveries`,
    last_response: hook.lastResponse,
  };
}
