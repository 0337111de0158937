import type { VisitorLimitConfig } from "../../auth/visitor-limits.js";
import { BadRequestError, ForbiddenError } from "../../errors.js";
import { MAX_PAGE_SIZE } from "../../record-reads/list-records.js";
import { normalizeLogin } from "../../records/normalize-login.js";
import type { AcceptedWrite, WriteAction, Writer } from "../../writeback/accept-write.js";
import type { WriteView } from "../../writeback/create-writeback.js";
import { actorOf } from "../actor-of.js";
// Record data comes from JSON.parse or a YAML mapping, so it is JSON already; the casts only say so.
import type { Access, ApiResponse, JsonValue, Route, RouteContext } from "../api-types.js";
import { keyNeeded } from "../auth.js";
import { etagOf, ifNoneMatchMatches } from "../etag.js";
import { TooManyRequestsError } from "../http-errors.js";
import { loadRepo } from "../load-repo.js";
import { pageLimit } from "../page-limit.js";
import { parseJsonBody } from "../parse-json-body.js";
import { readPolicy } from "../read-policy.js";
import { keyReaches } from "../site-keys.js";
import { writebackOf } from "../writeback-of.js";

const DEFAULT_PAGE_SIZE = 100;
const NO_STORE = { "cache-control": "no-store" };
// A git object id: SHA-1, or SHA-256 in repositories that use it.
const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** If-Match carries the record's sha as an entity tag (`"<sha>"`, as the record's ETag) or bare, or `*`. */
function parseIfMatch(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (value === "*") return value;
  const sha = value.replace(/^"(.*)"$/, "$1").toLowerCase();
  if (!OBJECT_ID.test(sha)) throw new BadRequestError('If-Match must be "*" or the record\'s sha, as GET returned it');
  return sha;
}

/** If-None-Match: `*` makes a PUT create only (412 when the record exists); it means nothing else on a write. */
function parseIfNoneMatch(header: string | undefined, action: WriteAction): "*" | undefined {
  if (header === undefined || action === "create") return undefined;
  if (header.trim() !== "*" || action !== "replace")
    throw new BadRequestError('a write takes If-None-Match only as "*", on PUT: create the record only if it does not exist');
  return "*";
}

function wantsWait(raw: string | undefined): boolean {
  if (raw === undefined || raw === "0" || raw === "false") return false;
  if (raw === "" || raw === "1" || raw === "true") return true;
  throw new BadRequestError('wait must be "1" or "0"');
}

async function listCollection(context: RouteContext): Promise<ApiResponse> {
  const repo = await loadRepo(context);
  const { query } = context;
  const page = await context.deps.records.list(
    repo,
    context.params.name ?? "",
    {
      prefix: query.get("prefix") ?? "",
      limit: pageLimit(query.get("limit"), DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
      cursor: query.get("cursor") || undefined,
    },
    readPolicy(repo, context.access),
  );
  // Pending writes change a listing without changing the mirror, so a listing is never cached.
  return { status: 200, headers: { ...NO_STORE, vary: "Authorization" }, body: page as unknown as JsonValue };
}

async function getRecord(context: RouteContext): Promise<ApiResponse> {
  const repo = await loadRepo(context);
  const location = context.deps.records.locate(
    repo,
    context.params.name ?? "",
    context.params.id ?? "",
    keyReaches(context.access, repo.id),
  );
  if (!readPolicy(repo, context.access)(location.path)) {
    throw keyNeeded(context.deps.config.apiKey, `reading ${location.path} of ${repo.owner}/${repo.name}`);
  }
  const record = await context.deps.records.read(repo, location);
  const headers = { etag: etagOf(record.sha), "cache-control": "no-cache" };
  if (ifNoneMatchMatches(context.request.headers["if-none-match"], headers.etag)) return { status: 304, headers };
  return { status: 200, headers, body: { id: record.id, data: record.data as JsonValue, sha: record.sha } };
}

/**
 * Who writes: a key acts for the user X-Gitdisk-User names (or none); a signed-in visitor only as
 * themselves, so a session naming another user there is refused rather than ignored.
 */
function writerOf(access: Access, userHeader: string | undefined): Writer {
  if (!access.session || access.key || access.repoKey) return { kind: "key", ...(userHeader === undefined ? {} : { user: userHeader }) };
  const { login } = access.session;
  if (userHeader !== undefined && normalizeLogin(userHeader) !== login) {
    throw new ForbiddenError(`X-Gitdisk-User is honoured only with a key: this session writes as ${login}`, { login });
  }
  return { kind: "visitor", login };
}

/**
 * Counts a visitor's write attempt against the repository's limits before it is judged: refused attempts
 * count too, so a visitor cannot probe others' records or the schema at any rate either.
 */
async function takeVisitorWrite(context: RouteContext, repoId: number, login: string, limits: VisitorLimitConfig): Promise<void> {
  const decision = await context.deps.visitorLimits?.take(repoId, login, limits);
  if (decision && !decision.ok) {
    throw new TooManyRequestsError(
      `${login} has written too much to this repository (at most ${limits.writesPerMinute} a minute and ${limits.writesPerDay} a day); retry in ${decision.retryAfterSeconds} s`,
      decision.retryAfterSeconds,
    );
  }
}

function writeRoute(action: WriteAction): Route["handle"] {
  return async (context) => {
    const repo = await loadRepo(context);
    const actor = actorOf(context.access, repo.id);
    if (actor === null) throw keyNeeded(context.deps.config.apiKey, `writing to ${repo.owner}/${repo.name}`);
    const writeback = writebackOf(context);
    const { headers } = context.request;
    const writer = writerOf(context.access, headers["x-gitdisk-user"]);
    if (writer.kind === "visitor") await takeVisitorWrite(context, repo.id, writer.login, repo.config.api.visitorLimits);
    const wait = wantsWait(context.query.get("wait"));
    const ifMatch = action === "create" ? undefined : parseIfMatch(headers["if-match"]);
    // A POST whose record exists is answered 409 with the id beside the error (RecordExistsError's details),
    // so that a like is not counted twice: the client learns which record already stands for it.
    const accepted = await writeback.accept({
      repo,
      collection: context.params.name ?? "",
      action,
      ...(action === "create" ? {} : { id: context.params.id ?? "" }),
      ...(action === "delete" ? {} : { data: await parseJsonBody(context) }),
      writer,
      actor,
      ...(ifMatch === undefined ? {} : { ifMatch }),
      ...(parseIfNoneMatch(headers["if-none-match"], action) ? { ifNoneMatch: "*" as const } : {}),
    });
    const location = `/v1/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}/writes/${accepted.writeId}`;
    if (!wait) return { status: 202, headers: { ...writtenHeaders(accepted), location }, body: writeBody(accepted, accepted.status) };
    const settled = await writeback.waitFor(accepted.writeId);
    return settledResponse(accepted, settled, location);
  };
}

/** The sha the record will have, in the body and as its ETag, so that the next If-Match needs no read first. */
function writtenHeaders(accepted: AcceptedWrite): Record<string, string> {
  return { ...NO_STORE, ...(accepted.sha ? { etag: etagOf(accepted.sha) } : {}) };
}

function writeBody(accepted: AcceptedWrite, status: string): { [key: string]: JsonValue } {
  return { id: accepted.id, path: accepted.path, writeId: accepted.writeId, sha: accepted.sha, status };
}

function settledResponse(accepted: AcceptedWrite, write: WriteView | null, location: string): ApiResponse {
  if (write?.status === "committed") {
    return {
      status: accepted.created ? 201 : 200,
      headers: writtenHeaders(accepted),
      body: { ...writeBody(accepted, "committed"), commit: write.commit ?? null },
    };
  }
  // GitHub refused the commit for good: the write did not happen, and waiting longer will not change that.
  if (write?.status === "failed") {
    const message = `the write was not committed: ${write.error ?? "GitHub refused the commit"}`;
    return {
      status: 502,
      headers: NO_STORE,
      body: { ...writeBody(accepted, "failed"), sha: null, error: { code: "write_failed", message } },
    };
  }
  return { status: 202, headers: { ...writtenHeaders(accepted), location }, body: writeBody(accepted, write?.status ?? "queued") };
}

const COLLECTION = "/v1/repos/{owner}/{repo}/collections/{name}";
const RECORD = `${COLLECTION}/{id...}`;

export const collectionRoutes: Route[] = [
  { method: "GET", pattern: COLLECTION, handle: listCollection },
  { method: "POST", pattern: COLLECTION, handle: writeRoute("create") },
  { method: "GET", pattern: RECORD, handle: getRecord },
  { method: "PUT", pattern: RECORD, handle: writeRoute("replace") },
  { method: "DELETE", pattern: RECORD, handle: writeRoute("delete") },
];
