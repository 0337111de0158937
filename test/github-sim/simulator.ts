import fs from "node:fs";
import type http from "node:http";
import type { BranchMove } from "./core/announce-push.js";
import type { CreateRepoOptions, PushOptions } from "./core/control-types.js";
import * as installActions from "./core/install-actions.js";
import * as repoActions from "./core/repo-actions.js";
import type { SimCore } from "./core/sim-core.js";
import type { ParsedCommit } from "./git/parse-commit.js";
import type { FaultInjector, FaultSpec } from "./http/fault-injector.js";
import type { MetricsSnapshot, RequestMetrics } from "./http/request-metrics.js";
import type { RequestPipeline, Violation } from "./http/request-pipeline.js";
import type { OAuthFlow } from "./oauth/oauth-flow.js";
import type { RepoRecord, RepoRole } from "./state/world.js";
import type { WebhookDispatcher } from "./webhooks/webhook-dispatcher.js";

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

/** A running simulator: its URLs and app, the control API, faults, counting. Made by startSimulator(). */
export class Simulator {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** 127.0.0.1:PORT — Probot's GHE_HOST. */
  readonly host: string;
  readonly apiUrl: string;
  readonly graphqlUrl: string;
  readonly app: {
    id: number;
    slug: string;
    name: string;
    clientId: string;
    clientSecret: string;
    privateKey: string;
    webhookSecret: string;
  };
  readonly personalAccessToken: string;
  /** Login of the person acting through the control API. */
  readonly user: string;
  readonly webhooks: WebhookDispatcher;
  readonly faults: {
    inject(spec: FaultSpec): number;
    remove(id: number): void;
    clear(): void;
    pending(): ReturnType<FaultInjector["pending"]>;
  };
  readonly metrics: { snapshot(): MetricsSnapshot; reset(): void };

  /** @internal use startSimulator() */
  constructor(
    private readonly core: SimCore,
    private readonly server: http.Server,
    private readonly pipeline: RequestPipeline,
    private readonly oauth: OAuthFlow,
    faults: FaultInjector,
    metrics: RequestMetrics,
    private readonly ownsDataDir: boolean,
  ) {
    this.url = core.urls.web;
    this.host = new URL(this.url).host;
    this.apiUrl = core.urls.api;
    this.graphqlUrl = core.urls.graphql;
    const app = core.world.app;
    this.app = {
      id: app.id,
      slug: app.slug,
      name: app.name,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      privateKey: app.privateKeyPem,
      webhookSecret: app.webhookSecret,
    };
    this.personalAccessToken = core.personalAccessToken;
    this.user = core.defaultUser.login;
    this.webhooks = core.webhooks;
    this.faults = {
      inject: (spec) => faults.add(spec),
      remove: (id) => faults.remove(id),
      clear: () => faults.clear(),
      pending: () => faults.pending(),
    };
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

  /** The app's OAuth client id and secret under the names Probot's manifest flow writes into .env. */
  oauthEnv(): Record<string, string> {
    return { GITHUB_CLIENT_ID: this.app.clientId, GITHUB_CLIENT_SECRET: this.app.clientSecret };
  }

  /** The app's registered callback URL: authorize refuses a redirect_uri outside it (null: any). */
  setOAuthCallbackUrl(url: string | null): void {
    this.oauth.setCallbackUrl(url ?? undefined);
  }

  /** Gives a person a role on a repository (creating the account if needed), or (null) removes them. */
  setCollaborator(fullName: string, login: string, role: RepoRole | null): void {
    const { world } = this.core;
    world.setCollaborator(world.requireRepo(fullName), world.ensureAccount(login), role);
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
    return entries
      .filter((entry) => entry.type === "blob")
      .map((entry) => ({ path: entry.path, sha: entry.oid, mode: entry.mode, size: entry.size ?? 0 }));
  }

  /** Every file's bytes at a ref (default branch by default), keyed by path: what a full mirror must hold. */
  async files(fullName: string, ref?: string): Promise<Map<string, Buffer>> {
    const repo = this.core.world.requireRepo(fullName);
    const entries = await this.tree(fullName, ref);
    const objects = await Promise.all(entries.map((entry) => repo.git.readObject(entry.sha)));
    return new Map(entries.map((entry, index) => [entry.path, objects[index]!.content]));
  }

  /** Commits reachable from a ref (default branch by default), newest first: what `git log` shows. */
  async commits(fullName: string, options: { ref?: string; limit?: number } = {}): Promise<ParsedCommit[]> {
    const repo = this.core.world.requireRepo(fullName);
    const head = await repo.git.resolveCommit(options.ref ?? repo.defaultBranch);
    if (!head) return [];
    const ids = await repo.git.history(head, options.limit === undefined ? {} : { limit: options.limit });
    const commits = await Promise.all(ids.map((id) => repo.git.readCommit(id)));
    return commits.filter((commit): commit is ParsedCommit => commit !== null);
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
