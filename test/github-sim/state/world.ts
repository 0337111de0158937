import type { KeyObject } from "node:crypto";
import type { BareRepo } from "../git/bare-repo.js";
import { KeyedMutex } from "./keyed-mutex.js";

export type AccountType = "User" | "Organization" | "Bot";

export interface Account {
  id: number;
  login: string;
  type: AccountType;
  name: string;
  email: string | null;
}

export interface RepoRecord {
  id: number;
  owner: Account;
  name: string;
  private: boolean;
  defaultBranch: string;
  description: string | null;
  createdAt: Date;
  updatedAt: Date;
  pushedAt: Date | null;
  git: BareRepo;
}

export type Permission = "read" | "write";

/** A person's role on a repository, in the REST API's words (`PUT /repos/{owner}/{repo}/collaborators/{username}`). */
export const REPO_ROLES = ["pull", "triage", "push", "maintain", "admin"] as const;
export type RepoRole = (typeof REPO_ROLES)[number];

export function isRepoRole(value: unknown): value is RepoRole {
  return typeof value === "string" && (REPO_ROLES as readonly string[]).includes(value);
}

/** Whether a role includes another (admin ⊇ maintain ⊇ push ⊇ triage ⊇ pull). */
export function roleAtLeast(role: RepoRole | null, wanted: RepoRole): boolean {
  return role !== null && REPO_ROLES.indexOf(role) >= REPO_ROLES.indexOf(wanted);
}

export interface Installation {
  id: number;
  account: Account;
  selection: "all" | "selected";
  /** Only meaningful for "selected". */
  repositoryIds: Set<number>;
  createdAt: Date;
  updatedAt: Date;
}

export interface AppRegistration {
  id: number;
  slug: string;
  name: string;
  clientId: string;
  clientSecret: string;
  privateKeyPem: string;
  publicKey: KeyObject;
  webhookSecret: string;
  owner: Account;
  bot: Account;
  permissions: Record<string, Permission>;
  events: string[];
}

/** Thrown for a name that is already taken or an account that does not exist. */
export class WorldError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WorldError";
  }
}

function fullNameKey(owner: string, name: string): string {
  return `${owner}/${name}`.toLowerCase();
}

/** Everything the simulated GitHub knows: accounts, repositories, installations, the app. */
export class World {
  readonly accounts = new Map<string, Account>();
  readonly repos = new Map<number, RepoRecord>();
  readonly installations = new Map<number, Installation>();
  /** Serialises every change to one repository (pushes, API commits, ref updates). */
  readonly repoLocks = new KeyedMutex();
  private readonly byName = new Map<string, number>();
  /** Repository id → account id → the collaborator's role (owners are admins without an entry). */
  private readonly collaborators = new Map<number, Map<number, RepoRole>>();
  /** Old names of renamed repositories, which GitHub keeps redirecting. */
  private readonly redirects = new Map<string, number>();
  private nextAccountId = 1001;
  private nextRepoId = 500001;
  private nextInstallationId = 71;

  constructor(readonly app: AppRegistration) {
    this.accounts.set(app.owner.login.toLowerCase(), app.owner);
    this.accounts.set(app.bot.login.toLowerCase(), app.bot);
  }

  account(login: string): Account | undefined {
    return this.accounts.get(login.toLowerCase());
  }

  /** Finds or creates a user or organization. */
  ensureAccount(login: string, type: "User" | "Organization" = "User"): Account {
    const existing = this.account(login);
    if (existing) return existing;
    const account: Account = {
      id: this.nextAccountId++,
      login,
      type,
      name: login,
      email: type === "User" ? `${login}@users.noreply.sim` : null,
    };
    this.accounts.set(login.toLowerCase(), account);
    return account;
  }

  newRepoId(): number {
    return this.nextRepoId++;
  }

  addRepo(repo: RepoRecord): void {
    const key = fullNameKey(repo.owner.login, repo.name);
    if (this.byName.has(key)) throw new WorldError(`repository ${repo.owner.login}/${repo.name} already exists`);
    this.repos.set(repo.id, repo);
    this.byName.set(key, repo.id);
    this.redirects.delete(key);
  }

  repoByName(owner: string, name: string): RepoRecord | undefined {
    const id = this.byName.get(fullNameKey(owner, name));
    return id === undefined ? undefined : this.repos.get(id);
  }

  /** The repository a renamed repository's old name now points to. */
  redirectedRepo(owner: string, name: string): RepoRecord | undefined {
    const id = this.redirects.get(fullNameKey(owner, name));
    return id === undefined ? undefined : this.repos.get(id);
  }

  /** Finds a repository by "owner/name"; throws WorldError if there is none. */
  requireRepo(fullName: string): RepoRecord {
    const [owner, name] = fullName.split("/");
    const repo = owner && name ? this.repoByName(owner, name) : undefined;
    if (!repo) throw new WorldError(`no repository ${fullName}`);
    return repo;
  }

  renameRepo(repo: RepoRecord, newName: string): void {
    const oldKey = fullNameKey(repo.owner.login, repo.name);
    const newKey = fullNameKey(repo.owner.login, newName);
    if (newKey !== oldKey && this.byName.has(newKey)) throw new WorldError(`repository ${repo.owner.login}/${newName} already exists`);
    this.byName.delete(oldKey);
    this.redirects.set(oldKey, repo.id);
    repo.name = newName;
    this.byName.set(newKey, repo.id);
    this.redirects.delete(newKey);
  }

  /** Adds a collaborator with a role, changes their role, or (null) removes them. */
  setCollaborator(repo: RepoRecord, account: Account, role: RepoRole | null): void {
    const roles = this.collaborators.get(repo.id) ?? new Map<number, RepoRole>();
    if (role === null) roles.delete(account.id);
    else roles.set(account.id, role);
    this.collaborators.set(repo.id, roles);
  }

  /** A person's own role on a repository: admin for its owner, a collaborator's role, else null (public reading aside). */
  roleOf(repo: RepoRecord, account: Account): RepoRole | null {
    if (repo.owner.id === account.id) return "admin";
    return this.collaborators.get(repo.id)?.get(account.id) ?? null;
  }

  deleteRepo(repo: RepoRecord): void {
    this.repos.delete(repo.id);
    this.collaborators.delete(repo.id);
    this.byName.delete(fullNameKey(repo.owner.login, repo.name));
    for (const [key, id] of this.redirects) if (id === repo.id) this.redirects.delete(key);
    for (const installation of this.installations.values()) installation.repositoryIds.delete(repo.id);
  }

  installationFor(account: Account): Installation | undefined {
    for (const installation of this.installations.values()) if (installation.account.id === account.id) return installation;
    return undefined;
  }

  createInstallation(account: Account, selection: "all" | "selected", repositoryIds: Iterable<number>): Installation {
    const now = new Date();
    const installation: Installation = {
      id: this.nextInstallationId++,
      account,
      selection,
      repositoryIds: new Set(selection === "all" ? [] : repositoryIds),
      createdAt: now,
      updatedAt: now,
    };
    this.installations.set(installation.id, installation);
    return installation;
  }

  /** The repositories an installation can see right now. */
  installationRepos(installation: Installation): RepoRecord[] {
    return [...this.repos.values()]
      .filter((repo) => repo.owner.id === installation.account.id)
      .filter((repo) => installation.selection === "all" || installation.repositoryIds.has(repo.id))
      .sort((a, b) => a.id - b.id);
  }

  /** The installation of the app that covers a repository, if any. */
  installationOfRepo(repo: RepoRecord): Installation | undefined {
    const installation = this.installationFor(repo.owner);
    if (!installation) return undefined;
    return installation.selection === "all" || installation.repositoryIds.has(repo.id) ? installation : undefined;
  }

  reposOf(account: Account): RepoRecord[] {
    return [...this.repos.values()].filter((repo) => repo.owner.id === account.id);
  }
}
