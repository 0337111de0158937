import type { Logger } from "probot";
import type { GithubSignIn } from "../auth/github-sign-in.js";
import type { RefreshProfile } from "../auth/refresh-profile.js";
import type { UsedNonces } from "../auth/sign-in-state.js";
import type { VisitorLimits } from "../auth/visitor-limits.js";
import type { VisitorSession } from "../auth/visitor-session.js";
import type { ApiConfig } from "../config/api-config.js";
import type { SignInConfig } from "../config/sign-in-config.js";
import type { RecordReads } from "../record-reads/record-reads.js";
import type { KeyStore } from "../store/key-store.js";
import type { MirrorStore, RepoState } from "../store/store.js";
import type { Writeback } from "../writeback/create-writeback.js";

/**
 * The data API's own request and response shapes, what routes see. They carry neither `node:http` nor
 * Hono types: the Hono app (api-app.ts) builds them, so routes stay the same behind any adapter.
 */
export interface ApiRequest {
  method: string;
  /** The URL path exactly as received, still percent-encoded. */
  path: string;
  /** The raw query string without its `?` ("" when absent), still percent-encoded. */
  query: string;
  /** Header names in lower case; repeated headers joined with ", ". */
  headers: Record<string, string | undefined>;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface ApiResponse {
  status: number;
  headers?: Record<string, string>;
  /**
   * A Buffer or a string is sent as is (set `content-type`); any other value is sent as JSON.
   * Absent for 204 and 304.
   */
  body?: Buffer | string | JsonValue;
  /** Full `Set-Cookie` values, each sent as a header of its own. */
  cookies?: string[];
}

/** What routes need from the rest of gitdisk. */
export interface ApiDeps {
  store: MirrorStore;
  config: ApiConfig;
  log: Logger;
  /** The collections' records, read: served whether or not writes are enabled. */
  records: RecordReads;
  /** The write queue behind the collection writes and `/writes`; without it they answer 503. */
  writeback?: Writeback;
  /** Whether GitHub accepted gitdisk's credentials at start-up (`/status`'s `githubAuth`). */
  githubAuth?: { readonly summary: string };
  /** The repositories' site keys; without it only the operator's key authenticates and `/keys` answers 503. */
  keys?: KeyStore;
  /** Signed-in visitors' writes counted per repository; without it they are not limited. */
  visitorLimits?: VisitorLimits;
  /** Sign in with GitHub; without it `/v1/auth/*` answers 503 and no session authenticates. */
  signIn?: SignInDeps;
}

/** What sign-in needs (createSignInDeps builds it from the config). */
export interface SignInDeps {
  config: SignInConfig;
  /** GitHub's side of the web flow. */
  github: GithubSignIn;
  /** Writes or refreshes the visitor's `profiles` record; its refusals are its own to log, never the sign-in's. */
  refreshProfile: RefreshProfile;
  /** Sign-in states already used, refused if replayed. */
  usedNonces: UsedNonces;
  /** The clock sessions and states are signed and checked by (ms). */
  now: () => number;
}

/**
 * Who is asking: `key` is true only when the request carried the operator's key (GITDISK_API_KEY), which
 * reaches every repository; `repoKey` is a live site key of one repository, which reaches that one only
 * (`keyReaches` in site-keys.ts); `session` a visitor signed in to one repository. None: anonymous.
 */
export interface Access {
  key: boolean;
  repoKey?: { id: string; repoId: number };
  session?: VisitorSession;
}

export interface RouteContext {
  request: ApiRequest;
  /** Pattern parameters, percent-decoded. */
  params: Record<string, string>;
  /** Query parameters, percent-decoded; the last value wins when a name repeats. */
  query: Map<string, string>;
  access: Access;
  deps: ApiDeps;
  /**
   * The request body, read on the first call (after routing and authentication, so a refused request's
   * body is never buffered) and refused with 413 past GITDISK_MAX_BODY_BYTES. `parseJsonBody` reads it.
   */
  body(): Promise<Buffer>;
  /** Tells the API layer which repository the route serves, so that the answer's CORS need not read it again. */
  served?(repo: RepoState): void;
}

export interface Route {
  /** GET routes answer HEAD too. */
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /**
   * Literal segments and parameters: `{name}` matches one non-empty segment, `{name...}` (last only)
   * the rest of the path, one segment or more. E.g. `/v1/repos/{owner}/{repo}/files/{path...}`.
   */
  pattern: string;
  /**
   * The route reads no credentials (its access is always anonymous): sign-in's own steps, which a
   * stale or rotated-out session cookie must not stop with a 401.
   */
  ignoresCredentials?: true;
  handle(context: RouteContext): Promise<ApiResponse>;
}
