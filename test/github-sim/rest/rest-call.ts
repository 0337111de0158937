import type { Principal, RepoAccess } from "../core/principal.js";
import { repoAccess, repoRole } from "../core/principal.js";
import type { SimCore } from "../core/sim-core.js";
import { looksBinary } from "../git/looks-binary.js";
import type { SimRequest, SimResponse } from "../http/sim-http.js";
import { HttpError } from "../http/sim-http.js";
import type { Account, RepoRecord } from "../state/world.js";
import { roleAtLeast } from "../state/world.js";

export interface RestCall {
  core: SimCore;
  request: SimRequest;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  principal: Principal | null;
}

export type RestHandler = (call: RestCall) => Promise<SimResponse> | SimResponse;

/** What credential an endpoint takes: the app's JWT, or a token (installation, personal or user). */
export type RestAuth = "jwt" | "token";

export interface RestRoute {
  auth: RestAuth;
  handler: RestHandler;
}

/**
 * The repository named by {owner}/{repo}, if the caller may use it as asked: 404 when invisible
 * (GitHub hides what a token cannot see), 403 when visible but read-only, and a redirect for the
 * old name of a renamed repository.
 */
export function requireRepo(call: RestCall, need: Exclude<RepoAccess, "none">): RepoRecord {
  const { owner, repo: name } = call.params;
  const { world } = call.core;
  const repo = world.repoByName(owner ?? "", name ?? "");
  if (!repo) {
    const moved = world.redirectedRepo(owner ?? "", name ?? "");
    if (moved && repoAccess(world, call.principal, moved) !== "none") {
      const location = call.request.url.href.replace(`/repos/${owner}/${name}`, `/repos/${moved.owner.login}/${moved.name}`);
      const status = call.request.method === "GET" || call.request.method === "HEAD" ? 301 : 307;
      throw new HttpError(status, "Moved Permanently", { url: location }, { location });
    }
    throw new HttpError(404, "Not Found");
  }
  const access = repoAccess(world, call.principal, repo);
  if (access === "none") throw new HttpError(404, "Not Found");
  if (need === "write" && access !== "write") throw new HttpError(403, "Resource not accessible by integration");
  return repo;
}

/**
 * The repository named by {owner}/{repo}, when the caller administers it: a person whose role is
 * admin (its owner, an admin collaborator, the personal access token). An installation gets 403:
 * this app has no administration permission.
 */
export function requireRepoAdmin(call: RestCall): { repo: RepoRecord; admin: Account } {
  const repo = requireRepo(call, "read");
  const principal = call.principal;
  if (principal?.kind !== "user" || !roleAtLeast(repoRole(call.core.world, principal, repo), "admin"))
    throw new HttpError(403, "Resource not accessible by integration");
  return { repo, admin: principal.user };
}

export function bodyObject(call: RestCall): Record<string, unknown> {
  const body = call.body;
  return body && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

export function requireCommitId(value: unknown): value is string {
  return typeof value === "string" && /^[0-9a-f]{40}$/.test(value);
}

/** Base64 as GitHub prints it in JSON: wrapped every 60 characters, with a trailing newline. */
export function wrappedBase64(content: Buffer): string {
  const flat = content.toString("base64");
  if (flat.length === 0) return "";
  return `${flat.match(/.{1,60}/g)!.join("\n")}\n`;
}

/** Raw bytes as GitHub sends them: text as text/plain, anything binary as an octet stream. */
export function rawResponse(content: Buffer): SimResponse {
  return {
    status: 200,
    headers: { "content-type": looksBinary(content) ? "application/octet-stream" : "text/plain; charset=utf-8" },
    body: content,
  };
}

/** The Accept header asks for raw bytes (Octokit's mediaType: { format: "raw" }). */
export function wantsRaw(call: RestCall): boolean {
  const accept = call.request.headers.accept ?? "";
  return /application\/vnd\.github(\.v3)?\.raw/.test(accept);
}
