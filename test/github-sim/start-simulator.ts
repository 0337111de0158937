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
 * - OAuth web flow at `/login/oauth/authorize` and `/login/oauth/access_token`.
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
import { generateKeyPairSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { newTokenString, TokenRegistry } from "./auth/token-registry.js";
import type { BranchMove } from "./core/announce-push.js";
import type { CreateRepoOptions, PushOptions } from "./core/control-types.js";
import * as installActions from "./core/install-actions.js";
import * as repoActions from "./core/repo-actions.js";
import type { SimCore } from "./core/sim-core.js";
import { createControlHandler } from "./control/control-routes.js";
import { FaultInjector, type FaultSpec } from "./http/fault-injector.js";
import { RateLimits } from "./http/rate-limits.js";
import { RequestMetrics, type MetricsSnapshot } from "./http/request-metrics.js";
import { RequestPipeline, type Violation } from "./http/request-pipeline.js";
import { OAuthFlow } from "./oauth/oauth-flow.js";
import { GHES_VERSION, OpenApiCatalog } from "./openapi/openapi-catalog.js";
import { Codeload } from "./rest/archive-handlers.js";
import { restRoutes } from "./rest/rest-routes.js";
import { SimUrls } from "./shapes/sim-urls.js";
import type { Account, AppRegistration, Permission, RepoRecord } from "./state/world.js";
import { World } from "./state/world.js";
import { WebhookDispatcher } from "./webhooks/webhook-dispatcher.js";

export type { CommitSpec, CreateRepoOptions, FileContent, FileSpec, PushOptions } from "./core/control-types.js";
export type { FaultSpec } from "./http/fault-injector.js";
export type { MetricsSnapshot, EndpointStats } from "./http/request-metrics.js";
export type { Violation } from "./http/request-pipeline.js";
export type { WebhookDelivery, DeliveryFilter } from "./webhooks/webhook-dispatcher.js";
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
  /** The app's OAuth callback URL (redirect_uri must start with it when set). */
  oauthCallbackUrl?: string;
  /** GitHub gives up on a webhook delivery after 10 s. */
  webhookTimeoutMs?: number;
  /** For token-expiry tests. */
  clock?: () => Date;
}

export interface RepoSummary {
  id: number;
  owner: string;
  name: string;
  fullName: string;
  private: boolean;
  defaultBranch: string;
  /** Branch → head commit id. */
  branches: Record<string, string>;
}

export interface PushResult {
  branch: string;
  /** null when the branch was created. */
  before: string | null;
  /** null when the branch was deleted. */
  after: string | null;
  forced: boolean;
  /** New commits, oldest first. */
  commits: string[];
  /** X-GitHub-Delivery ids of the push webhook(s) sent (none when the app is not installed). */
  deliveries: string[];
}

export interface TreeFile {
  path: string;
  /** Git blob id. */
  sha: string;
  mode: string;
  size: number;
}

const DEFAULT_BLOB_TEXT_LIMIT = 512 * 1024;

function summary(repo: RepoRecord): RepoSummary {
  return {
    id: repo.id,
    owner: repo.owner.login,
    name: repo.name,
    fullName: `${repo.owner.login}/${repo.name}`,
    private: repo.private,
    defaultBranch: repo.defaultBranch,
    branches: Object.fromEntries(repo.git.branches()),
  };
}

function pushResult(move: BranchMove): PushResult {
  return {
    branch: move.branch,
    before: move.before,
    after: move.after,
    forced: move.forced,
    commits: move.commits,
    deliveries: move.deliveries.map((delivery) => delivery.guid),
  };
}

function registerApp(options: SimulatorOptions): AppRegistration {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const name = options.appName ?? "gitdisk";
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  const id = options.appId ?? 1;
  const botId = 41898282 + id;
  return {
    id,
    slug,
    name,
    clientId: `Iv1.${randomBytes(8).toString("hex")}`,
    clientSecret: randomBytes(20).toString("hex"),
    // PKCS#1, the format GitHub hands out for app keys.
    privateKeyPem: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
    publicKey,
    webhookSecret: randomBytes(16).toString("hex"),
    owner: { id: 900, login: "sim-apps", type: "Organization", name: "sim-apps", email: null },
    bot: { id: botId, login: `${slug}[bot]`, type: "Bot", name: `${slug}[bot]`, email: `${botId}+${slug}[bot]@users.noreply.github.com` },
    permissions: options.permissions ?? { contents: "write", metadata: "read" },
    events: options.events ?? ["push", "repository"],
  };
}

export class Simulator {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** 127.0.0.1:PORT — Probot's GHE_HOST. */
  readonly host: string;
  readonly apiUrl: string;
  readonly graphqlUrl: string;
  readonly app: { id: number; slug: string; name: string; clientId: string; clientSecret: string; privateKey: string; webhookSecret: string };
  readonly personalAccessToken: string;
  /** Login of the person acting through the control API. */
  readonly user: string;
  readonly webhooks: WebhookDispatcher;
  readonly faults: { inject(spec: FaultSpec): number; remove(id: number): void; clear(): void; pending(): ReturnType<FaultInjector["pending"]> };
  readonly metrics: { snapshot(): MetricsSnapshot; reset(): void };

  /** @internal use startSimulator() */
  constructor(
    private readonly core: SimCore,
    private readonly server: http.Server,
    private readonly pipeline: RequestPipeline,
    faults: FaultInjector,
    metrics: RequestMetrics,
    private readonly ownsDataDir: boolean,
  ) {
    this.url = core.urls.web;
    this.host = new URL(this.url).host;
    this.apiUrl = core.urls.api;
    this.graphqlUrl = core.urls.graphql;
    const app = core.world.app;
    this.app = { id: app.id, slug: app.slug, name: app.name, clientId: app.clientId, clientSecret: app.clientSecret, privateKey: app.privateKeyPem, webhookSecret: app.webhookSecret };
    this.personalAccessToken = core.personalAccessToken;
    this.user = core.defaultUser.login;
    this.webhooks = core.webhooks;
    this.faults = { inject: (spec) => faults.add(spec), remove: (id) => faults.remove(id), clear: () => faults.clear(), pending: () => faults.pending() };
    this.metrics = { snapshot: () => metrics.snapshot(), reset: () => metrics.reset() };
  }

  /** Environment for the gitdisk process: Probot's app settings pointing at this simulator. */
  env(): Record<string, string> {
    return {
      APP_ID: String(this.app.id),
      PRIVATE_KEY: this.app.privateKey,
      WEBHOOK_SECRET: this.app.webhookSecret,
      GHE_HOST: this.host,
      GHE_PROTOCOL: "http",
    };
  }

  setWebhookUrl(url: string | null): void {
    this.core.webhooks.setTarget(url);
  }

  async createRepo(options: CreateRepoOptions): Promise<RepoSummary> {
    return summary(await repoActions.createRepo(this.core, options));
  }

  repo(fullName: string): RepoSummary {
    return summary(this.core.world.requireRepo(fullName));
  }

  /** Head commit of a branch (default: the default branch); undefined if it does not exist. */
  head(fullName: string, branch?: string): string | undefined {
    const repo = this.core.world.requireRepo(fullName);
    return repo.git.branchHead(branch ?? repo.defaultBranch);
  }

  /** Pushes commits (adds, edits, deletes, renames, binary files; `parent` for force pushes). */
  async push(fullName: string, options: PushOptions): Promise<PushResult> {
    return pushResult(await repoActions.pushCommits(this.core, this.core.world.requireRepo(fullName), options));
  }

  /** Points a branch at an existing commit (creates it, or force-pushes back to an older commit). */
  async setBranch(fullName: string, branch: string, sha: string, options: { pusher?: string } = {}): Promise<PushResult> {
    return pushResult(await repoActions.setBranch(this.core, this.core.world.requireRepo(fullName), branch, sha, options));
  }

  /** Deletes a branch; the default branch only with `allowDefault` (GitHub itself refuses). */
  async deleteBranch(fullName: string, branch: string, options: { pusher?: string; allowDefault?: boolean } = {}): Promise<PushResult> {
    return pushResult(await repoActions.setBranch(this.core, this.core.world.requireRepo(fullName), branch, null, options));
  }

  renameRepo(fullName: string, newName: string): RepoSummary {
    const repo = this.core.world.requireRepo(fullName);
    repoActions.renameRepo(this.core, repo, newName);
    return summary(repo);
  }

  setPrivate(fullName: string, isPrivate: boolean): RepoSummary {
    const repo = this.core.world.requireRepo(fullName);
    repoActions.setVisibility(this.core, repo, isPrivate);
    return summary(repo);
  }

  async setDefaultBranch(fullName: string, branch: string): Promise<RepoSummary> {
    const repo = this.core.world.requireRepo(fullName);
    await repoActions.setDefaultBranch(this.core, repo, branch);
    return summary(repo);
  }

  deleteRepo(fullName: string): void {
    repoActions.deleteRepo(this.core, this.core.world.requireRepo(fullName));
  }

  /** Installs the app on an account (all repositories, or the named ones); adds to an existing installation. */
  install(account: string, repositories: "all" | readonly string[]): { installationId: number } {
    return { installationId: installActions.install(this.core, account, repositories).id };
  }

  removeFromInstallation(account: string, repositories: readonly string[]): void {
    installActions.removeFromInstallation(this.core, account, repositories);
  }

  uninstall(account: string): void {
    installActions.uninstall(this.core, account);
  }

  installationId(account: string): number | undefined {
    const found = this.core.world.account(account);
    return found ? this.core.world.installationFor(found)?.id : undefined;
  }

  /** Every file (blobs, symlinks; not folders or submodules) at a ref, sorted by path. */
  async tree(fullName: string, ref?: string): Promise<TreeFile[]> {
    const repo = this.core.world.requireRepo(fullName);
    const oid = await repo.git.resolveCommit(ref ?? repo.defaultBranch);
    if (!oid) return [];
    const entries = (await repo.git.listTree(oid, true)) ?? [];
    return entries.filter((entry) => entry.type === "blob").map((entry) => ({ path: entry.path, sha: entry.oid, mode: entry.mode, size: entry.size ?? 0 }));
  }

  /** Every file's bytes at a ref (default branch by default), keyed by path: what a full mirror must hold. */
  async files(fullName: string, ref?: string): Promise<Map<string, Buffer>> {
    const repo = this.core.world.requireRepo(fullName);
    const entries = await this.tree(fullName, ref);
    const objects = await Promise.all(entries.map((entry) => repo.git.readObject(entry.sha)));
    return new Map(entries.map((entry, index) => [entry.path, objects[index]!.content]));
  }

  /** A file's bytes at a ref (default branch by default); null when absent. */
  async readFile(fullName: string, filePath: string, ref?: string): Promise<Buffer | null> {
    const repo = this.core.world.requireRepo(fullName);
    const oid = await repo.git.resolveCommit(ref ?? repo.defaultBranch);
    const object = oid ? await repo.git.readObject(`${oid}:${filePath}`) : null;
    return object?.type === "blob" ? object.content : null;
  }

  /** Requests GitHub would not have served (unknown endpoints, invalid bodies) and simulator failures. */
  violations(): Violation[] {
    return this.pipeline.violations();
  }

  clearViolations(): void {
    this.pipeline.clearViolations();
  }

  /** Stops the server, waits for deliveries in flight, closes git processes, removes the temp data. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.core.webhooks.release();
    await this.core.webhooks.settled();
    for (const repo of this.core.world.repos.values()) repo.git.close();
    if (this.ownsDataDir) fs.rmSync(this.core.dataDir, { recursive: true, force: true });
  }
}

/** Starts a simulator; see the top of this file. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const ownsDataDir = !options.dataDir;
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "github-sim-"));
  fs.mkdirSync(dataDir, { recursive: true });
  const app = registerApp(options);
  const world = new World(app);
  const defaultUser: Account = world.ensureAccount(options.user ?? "monalisa", "User");
  const tokens = new TokenRegistry();
  const personalAccessToken = options.personalAccessToken ?? newTokenString("ghp");
  tokens.addPersonalToken(personalAccessToken, defaultUser);
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
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
  let simulator: Simulator | undefined;
  const pipeline = new RequestPipeline(
    core,
    restRoutes(codeload),
    codeload,
    new OAuthFlow(core, options.oauthCallbackUrl),
    faults,
    metrics,
    createControlHandler(() => simulator!),
    { validateBodies: options.validateBodies ?? true },
  );
  server.on("request", pipeline.listener);
  simulator = new Simulator(core, server, pipeline, faults, metrics, ownsDataDir);
  return simulator;
}
