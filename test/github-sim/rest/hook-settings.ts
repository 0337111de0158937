import { HttpError } from "../http/sim-http.js";
import type { RepoHook, RepoHookSettings } from "../state/repo-hooks.js";

function invalid(field: string, message: string): HttpError {
  return new HttpError(422, "Validation Failed", { errors: [{ resource: "Hook", code: "custom", field, message }] });
}

function webUrl(value: unknown): string {
  if (typeof value !== "string") throw invalid("url", "url is missing");
  const url = URL.canParse(value) ? new URL(value) : null;
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:"))
    throw invalid("url", `url is not supported because it isn't http or https: ${value}`);
  return value;
}

function contentType(value: unknown): RepoHook["contentType"] {
  if (value === "json" || value === "form") return value;
  throw invalid("content_type", `content_type must be json or form, not ${JSON.stringify(value)}`);
}

function insecureSsl(value: unknown): RepoHook["insecureSsl"] {
  if (String(value) === "0" || String(value) === "1") return String(value) as RepoHook["insecureSsl"];
  throw invalid("insecure_ssl", `insecure_ssl must be "0" or "1", not ${JSON.stringify(value)}`);
}

function objectOr(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Settings from the body of `POST /repos/{owner}/{repo}/hooks`, with GitHub's defaults (form, events ["push"], active). */
export function newHookSettings(body: Record<string, unknown>): RepoHookSettings {
  if (body.name !== undefined && body.name !== "web") throw invalid("name", `name must be "web", not ${JSON.stringify(body.name)}`);
  const config = objectOr(body.config);
  return {
    url: webUrl(config.url),
    contentType: contentType(config.content_type ?? "form"),
    insecureSsl: insecureSsl(config.insecure_ssl ?? "0"),
    secret: typeof config.secret === "string" && config.secret !== "" ? config.secret : null,
    events: (body.events as string[] | undefined) ?? ["push"],
    active: body.active !== false,
  };
}

/**
 * Settings after `PATCH /repos/{owner}/{repo}/hooks/{hook_id}`: a `config` replaces the URL,
 * content type and TLS check it names, and the secret whether it names one or not (GitHub drops
 * a secret the update does not repeat); `events` replaces the list, `add_events`/`remove_events` edit it.
 */
export function updatedHookSettings(hook: RepoHook, body: Record<string, unknown>): RepoHookSettings {
  const config = body.config === undefined ? null : objectOr(body.config);
  const remove = new Set((body.remove_events as string[] | undefined) ?? []);
  const events = [
    ...new Set([...((body.events as string[] | undefined) ?? hook.events), ...((body.add_events as string[] | undefined) ?? [])]),
  ];
  return {
    url: config?.url === undefined ? hook.url : webUrl(config.url),
    contentType: config?.content_type === undefined ? hook.contentType : contentType(config.content_type),
    insecureSsl: config?.insecure_ssl === undefined ? hook.insecureSsl : insecureSsl(config.insecure_ssl),
    secret: config === null ? hook.secret : typeof config.secret === "string" && config.secret !== "" ? config.secret : null,
    events: events.filter((event) => !remove.has(event)),
    active: typeof body.active === "boolean" ? body.active : hook.active,
  };
}
