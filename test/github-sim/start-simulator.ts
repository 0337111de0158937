/**
 * # A local GitHub for gitdisk's end-to-end tests and benchmarks
 *
 * `startSimulator()` starts a GitHub Enterprise Server look-alike on 127.0.0.1 (a free port by
 * default). The unmodified app reaches it with Probot's own settings:
 *
 * ```ts
 * const sim = await startSimulator({ webhookUrl: "http://127.0.0.1:3000/api/github/webhooks" });
 * spawn("node", ["lib/entry/server.js"], { env: { ...process.env, ...sim.env() } }); // APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, GHE_HOST, GHE_PROTOCOL
 * await sim.createRepo({ owner: "octo", name: "site", files: { "README.md": "hi" } });
 * sim.install("octo", ["site"]);                       // → installation.created webhook
 * await sim.push("octo/site", { commits: [{ files: { "a.txt": "1", "README.md": null }, renames: { "b": "c" } }] });
 * await sim.webhooks.settled();                         // every delivery answered (Probot answers once its handlers finish)
 * const files = await sim.tree("octo/site");            // what the mirror must equal
 * const log = await sim.commits("octo/site");           // newest first, with messages (trailers)
 * await sim.close();
 * ```
 *
 * What it serves (all of it checked against GitHub's OpenAPI description for GHES 3.19):
 * - REST under `/api/v3`: repository, branches, git refs (fast-forward check), commits, compare
 *   (300-file and 250-commit caps), git trees / blobs / commits, contents (GET/PUT/DELETE with
 *   `sha` checks), tarball/zipball (302 to `/_codeload/…`), apps and installations, `/user`,
 *   `/rate_limit`. Every 200 GET carries an ETag; a matching If-None-Match gets a free 304.
 *   A request to a path GitHub does not have is answered 404 and recorded in
 *   `violations()`; so is a JSON body that fails the operation's schema (422), an endpoint the
 *   simulator lacks, and any simulator crash. An e2e run should end with `violations()` empty.
 * - GraphQL at `/api/graphql`, validated against GitHub's schema: `repository { object(oid|expression)
 *   (Blob, Tree, Commit), ref, refs, defaultBranchRef }`, `viewer`, `rateLimit`, and the
 *   `createCommitOnBranch` mutation with GitHub's STALE_DATA error on a head mismatch.
 * - Auth like GitHub: the app's RS256 JWT on `/app/…`, installation tokens (1 h) scoped to the
 *   installation's repositories, a personal access token (`sim.personalAccessToken`) that sees
 *   everything, OAuth user tokens. 401 for bad credentials, 404 for repositories a token cannot see.
 * - Webhooks (`push`, `installation`, `installation_repositories`, `repository`) signed with
 *   the app's secret, one attempt each, 10 s timeout, recorded in `sim.webhooks.deliveries()`.
 * - Repository webhooks (`/repos/{owner}/{repo}/hooks`, managed with a person's token, as in
 *   token mode): each its own URL, secret, content type and events, pinged on creation; they get
 *   `push` and `repository` events without an `installation`, whether or not the app is installed.
 * - OAuth web flow at `/login/oauth/authorize` and `/login/oauth/access_token` (oauth-flow.ts: who
 *   signs in is chosen with the simulator-only `sim_user`, a refusal with `sim_deny=true`). User
 *   tokens (ghu_…) reach what both the person and the app reach; `permissions` in
 *   `GET /repos/{owner}/{repo}` is the person's role (owner → admin; `sim.setCollaborator`).
 *
 * Control: the methods below, and the same over HTTP JSON under `/_sim/…` (see control-routes.ts
 * and `npm run sim`). Faults: `sim.faults.inject({ endpoint, kind, times })` (5xx, primary and
 * secondary rate limits, latency, lose-response) and `sim.webhooks.drop / duplicate / hold /
 * release`. Counting: `sim.metrics.snapshot()` / `reset()` — requests and bytes per endpoint key
 * ("GET /repos/{owner}/{repo}/contents/{path}", "graphql:repository", "GET /_codeload/…").
 *
 * Not simulated: tags, pull requests, issues, checks, merges of branches, repository transfer,
 * symlink resolution in the contents API, HTTP git (clone/fetch), the `distinct` flag of pushed
 * commits (always true).
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { newTokenString, TokenRegistry } from "./auth/token-registry.js";
import { createControlHandler } from "./control/control-handler.js";
import type { SimCore } from "./core/sim-core.js";
import { FaultInjector } from "./http/fault-injector.js";
import { RateLimits } from "./http/rate-limits.js";
import { RequestMetrics } from "./http/request-metrics.js";
import { RequestPipeline } from "./http/request-pipeline.js";
import { OAuthFlow } from "./oauth/oauth-flow.js";
import { GHES_VERSION, OpenApiCatalog } from "./openapi/openapi-catalog.js";
import { Codeload } from "./rest/archive-handlers.js";
import { restRoutes } from "./rest/rest-routes.js";
import { SimUrls } from "./shapes/sim-urls.js";
import { Simulator } from "./simulator.js";
import { registerApp } from "./state/register-app.js";
import { RepoHooks } from "./state/repo-hooks.js";
import type { Account, Permission } from "./state/world.js";
import { World } from "./state/world.js";
import { WebhookDispatcher } from "./webhooks/webhook-dispatcher.js";

export type { CommitSpec, CreateRepoOptions, FileContent, FileSpec, PushOptions } from "./core/control-types.js";
export type { ParsedCommit } from "./git/parse-commit.js";
export type { FaultSpec } from "./http/fault-injector.js";
export type { EndpointStats, MetricsSnapshot } from "./http/request-metrics.js";
export type { Violation } from "./http/request-pipeline.js";
export type { PushResult, RepoSummary, TreeFile } from "./simulator.js";
export { Simulator } from "./simulator.js";
export type { RepoRole } from "./state/world.js";
export type { DeliveryFilter, WebhookDelivery } from "./webhooks/webhook-dispatcher.js";
export { signPayload } from "./webhooks/webhook-dispatcher.js";

export interface SimulatorOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default "127.0.0.1". */
  host?: string;
  /** Where bare repositories live; default a fresh temp folder, removed by close(). */
  dataDir?: string;
  /** Where webhooks go (the app's /api/github/webhooks); settable later with setWebhookUrl. */
  webhookUrl?: string;
  /** The registered app: name (slug and bot login derive from it), id, permissions, events. */
  appName?: string;
  appId?: number;
  permissions?: Record<string, Permission>;
  events?: string[];
  /** The app's webhook secret; default a random one. */
  webhookSecret?: string;
  /** The person acting through the control API (pushes, installs); default "monalisa". */
  user?: string;
  /** Default: a generated ghp_… token with access to every repository. */
  personalAccessToken?: string;
  /** Blob.text is truncated (isTruncated) above this many bytes; default 512 KiB. */
  blobTextLimit?: number;
  /** Per-credential hourly budget, reported in x-ratelimit-*; refused only if `enforce`. */
  rateLimit?: { limit?: number; enforce?: boolean };
  /** @octokit/openapi description to check requests against; default "ghes-3.19". */
  openapi?: string;
  /** Validate JSON request bodies against the operation's schema (default true). */
  validateBodies?: boolean;
  /** The app's OAuth callback URL (redirect_uri must start with it when set); settable later with setOAuthCallbackUrl. */
  oauthCallbackUrl?: string;
  /** GitHub gives up on a webhook delivery after 10 s. */
  webhookTimeoutMs?: number;
  /** For token-expiry tests. */
  clock?: () => Date;
}

const DEFAULT_BLOB_TEXT_LIMIT = 512 * 1024;

/** Starts a simulator; see the top of this file. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const app = registerApp(options);
  const world = new World(app);
  const defaultUser: Account = world.ensureAccount(options.user ?? "monalisa", "User");
  const tokens = new TokenRegistry();
  const personalAccessToken = options.personalAccessToken ?? newTokenString("ghp");
  tokens.addPersonalToken(personalAccessToken, defaultUser);
  // Node's 5-second keep-alive closes idle connections while clients may be reusing them (ECONNRESET
  // under load); GitHub keeps them open far longer.
  const server = http.createServer();
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  // Made once listening, so that a port in use leaves no folder behind.
  const ownsDataDir = !options.dataDir;
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "github-sim-"));
  fs.mkdirSync(dataDir, { recursive: true });
  const address = server.address() as AddressInfo;
  const urls = new SimUrls(`http://${options.host ?? "127.0.0.1"}:${address.port}`);
  const webhooks = new WebhookDispatcher({
    secret: app.webhookSecret,
    hookId: 1000 + app.id,
    appId: app.id,
    timeoutMs: options.webhookTimeoutMs ?? 10000,
    extraHeaders: { "x-github-enterprise-host": urls.web.replace(/^https?:\/\//, ""), "x-github-enterprise-version": `${GHES_VERSION}.0` },
  });
  webhooks.setTarget(options.webhookUrl ?? null);
  const core: SimCore = {
    world,
    tokens,
    urls,
    webhooks,
    hooks: new RepoHooks(),
    catalog: OpenApiCatalog.load(options.openapi),
    rateLimits: new RateLimits(options.rateLimit?.limit ?? 5000, options.rateLimit?.enforce ?? false),
    dataDir,
    defaultUser,
    personalAccessToken,
    blobTextLimit: options.blobTextLimit ?? DEFAULT_BLOB_TEXT_LIMIT,
    now: options.clock ?? (() => new Date()),
  };
  const codeload = new Codeload(core);
  const faults = new FaultInjector();
  const metrics = new RequestMetrics();
  const oauth = new OAuthFlow(core, options.oauthCallbackUrl);
  let simulator: Simulator | undefined;
  const pipeline = new RequestPipeline(
    core,
    restRoutes(codeload),
    codeload,
    oauth,
    faults,
    metrics,
    createControlHandler(() => simulator!),
    { validateBodies: options.validateBodies ?? true },
  );
  server.on("request", pipeline.listener);
  simulator = new Simulator(core, server, pipeline, oauth, faults, metrics, ownsDataDir);
  return simulator;
}
