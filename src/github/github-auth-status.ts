import type { GithubAuthCheck } from "./check-github-auth.js";

/** The start-up credentials check as `/status` reports it: "checking", "ok", "refused: …" or "unreachable: …". */
export class GithubAuthStatus {
  #summary = "checking";

  get summary(): string {
    return this.#summary;
  }

  record(check: GithubAuthCheck): void {
    this.#summary = check.outcome === "ok" ? "ok" : `${check.outcome}: ${check.reason}`;
  }
}
