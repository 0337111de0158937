import type { Account, RepoRecord } from "../state/world.js";

/** The simulator's URLs, laid out like GitHub Enterprise Server's (web root, /api/v3, /api/graphql). */
export class SimUrls {
  readonly api: string;
  readonly graphql: string;

  constructor(readonly web: string) {
    this.api = `${web}/api/v3`;
    this.graphql = `${web}/api/graphql`;
  }

  repoApi(repo: RepoRecord): string {
    return `${this.api}/repos/${repo.owner.login}/${repo.name}`;
  }

  repoHtml(repo: RepoRecord): string {
    return `${this.web}/${repo.owner.login}/${repo.name}`;
  }

  userApi(account: Account): string {
    return `${this.api}/${account.type === "Organization" ? "orgs" : "users"}/${encodeURIComponent(account.login)}`;
  }

  userHtml(account: Account): string {
    return `${this.web}/${account.type === "Bot" ? `apps/${account.login.replace(/\[bot\]$/, "")}` : encodeURIComponent(account.login)}`;
  }

  avatar(account: Account): string {
    return `${this.web}/avatars/u/${account.id}?v=4`;
  }
}
