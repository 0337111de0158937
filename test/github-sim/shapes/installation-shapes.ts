import { nodeId } from "../state/node-id.js";
import type { AppRegistration, Installation } from "../state/world.js";
import { userShape } from "./account-shapes.js";
import { isoDate } from "./iso-date.js";
import type { SimUrls } from "./sim-urls.js";

/** An installation as webhook payloads carry it. */
export function webhookInstallationShape(installation: Installation, app: AppRegistration, urls: SimUrls) {
  return {
    id: installation.id,
    account: userShape(installation.account, urls),
    repository_selection: installation.selection,
    access_tokens_url: `${urls.api}/app/installations/${installation.id}/access_tokens`,
    repositories_url: `${urls.api}/installation/repositories`,
    html_url: `${urls.web}/${installation.account.type === "Organization" ? `organizations/${installation.account.login}/` : ""}settings/installations/${installation.id}`,
    app_id: app.id,
    app_slug: app.slug,
    target_id: installation.account.id,
    target_type: installation.account.type === "Organization" ? "Organization" : "User",
    permissions: app.permissions,
    events: app.events,
    created_at: isoDate(installation.createdAt),
    updated_at: isoDate(installation.updatedAt),
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [] as string[],
    suspended_by: null,
    suspended_at: null,
  };
}

/** GET /app/installations/{id} and friends. */
export function installationShape(installation: Installation, app: AppRegistration, urls: SimUrls) {
  return { ...webhookInstallationShape(installation, app, urls), client_id: app.clientId };
}

/** GET /app */
export function appShape(app: AppRegistration, urls: SimUrls) {
  return {
    id: app.id,
    slug: app.slug,
    client_id: app.clientId,
    node_id: nodeId("App", app.id),
    owner: userShape(app.owner, urls),
    name: app.name,
    description: "GitHub App registered in the local GitHub simulator",
    external_url: urls.web,
    html_url: `${urls.web}/apps/${app.slug}`,
    created_at: "2024-01-01T00:00:00Z",
    updated_at: "2024-01-01T00:00:00Z",
    permissions: app.permissions,
    events: app.events,
    installations_count: 0,
  };
}
