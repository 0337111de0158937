/** gitdisk's HTTP data API as a website uses it: status, file reads, collection writes. */
import { setTimeout as delay } from "node:timers/promises";
import { SESSION_COOKIE } from "../../test/helpers/sign-in.js";
import type { RepoName } from "../naive/naive-github.js";
import { httpGet, httpRequest } from "./http-request.js";

export interface RepoStatus {
  sha: string | null;
  files: number;
  pendingWrites?: number;
  lastCommit?: string | null;
  lastError?: string | null;
  lastWriteError?: string | null;
}

export interface WriteAnswer {
  status: number;
  body: { id?: string; path?: string; writeId?: string; status?: string; error?: { code: string; message: string } };
}

/** Sessions of visitors who signed in (test/helpers/sign-in.ts), as pages of the site on `origin` hold them. */
export interface VisitorSessions {
  /** The site's origin, listed in the repository's api.origins: a cookie write must carry it. */
  origin: string;
  /** login → the gitdisk_session cookie's value. */
  cookies: Record<string, string>;
}

export class GitdiskClient {
  readonly #repoUrl: string;
  readonly #apiKey: string;
  readonly #visitors: VisitorSessions | undefined;

  /** Writes act with the site key for the user they name, or, given `visitors`, as that user signed in (cookie). */
  constructor(baseUrl: string, apiKey: string, repo: RepoName, visitors?: VisitorSessions) {
    this.#repoUrl = `${baseUrl}/v1/repos/${repo.owner}/${repo.name}`;
    this.#apiKey = apiKey;
    this.#visitors = visitors;
  }

  /** null while gitdisk does not know the repository yet. */
  async status(): Promise<RepoStatus | null> {
    const response = await httpGet(`${this.#repoUrl}/status`, { authorization: `Bearer ${this.#apiKey}` });
    if (response.status === 404) return null;
    if (response.status !== 200) throw new Error(`status answered ${response.status}: ${response.body.toString("utf8")}`);
    return JSON.parse(response.body.toString("utf8")) as RepoStatus;
  }

  /** Polls /status until `done` holds; throws after `timeoutMs` with the last status seen. */
  async waitForStatus(done: (status: RepoStatus) => boolean, timeoutMs: number, pollMs = 20): Promise<RepoStatus> {
    const deadline = Date.now() + timeoutMs;
    let last: RepoStatus | null = null;
    while (Date.now() < deadline) {
      last = await this.status();
      if (last && done(last)) return last;
      await delay(pollMs);
    }
    throw new Error(`gitdisk status did not reach the expected state within ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
  }

  async readFile(filePath: string): Promise<{ status: number; body: Buffer }> {
    const { status, body } = await httpGet(`${this.#repoUrl}/files/${filePath.split("/").map(encodeURIComponent).join("/")}`);
    return { status, body };
  }

  /** POST (create, id from the template) when `id` is absent, else PUT (create or replace). */
  async write(collection: string, user: string, data: Record<string, unknown>, id?: string): Promise<WriteAnswer> {
    const url = `${this.#repoUrl}/collections/${collection}${id === undefined ? "" : `/${id.split("/").map(encodeURIComponent).join("/")}`}`;
    const headers = { ...this.#credentialsOf(user), "content-type": "application/json" };
    const response = await httpRequest(id === undefined ? "POST" : "PUT", url, headers, JSON.stringify(data));
    return { status: response.status, body: JSON.parse(response.body.toString("utf8")) as WriteAnswer["body"] };
  }

  /** A browser's cookie and Origin for a signed-in visitor (no key, no X-Gitdisk-User); else the site key acting for `user`. */
  #credentialsOf(user: string): Record<string, string> {
    if (!this.#visitors) return { authorization: `Bearer ${this.#apiKey}`, "x-gitdisk-user": user };
    const cookie = this.#visitors.cookies[user];
    if (cookie === undefined) throw new Error(`${user} has not signed in: no session cookie to write with`);
    return { cookie: `${SESSION_COOKIE}=${cookie}`, origin: this.#visitors.origin };
  }
}
