import { randomBytes } from "node:crypto";
import type { SimCore } from "../core/sim-core.js";
import { emptyResponse, HttpError, type SimResponse } from "../http/sim-http.js";
import type { RepoRecord } from "../state/world.js";
import { assertNotEmpty, resolveRef } from "./resolve.js";
import { type RestCall, type RestRoute, requireRepo } from "./rest-call.js";

const DOWNLOAD_TOKEN_LIFETIME_MS = 5 * 60 * 1000;
const ARCHIVE_CACHE_LIMIT = 4;

type ArchiveFormat = "tar.gz" | "zip";

/**
 * Archive downloads, GitHub style: the API answers 302 to a codeload URL on the same host
 * (`/_codeload/{owner}/{repo}/legacy.tar.gz/{sha}?token=…`, a short-lived token for private
 * repositories), which serves `git archive` output with the `{owner}-{repo}-{short sha}/` prefix.
 */
export class Codeload {
  private readonly downloadTokens = new Map<string, { repoId: number; expires: number }>();
  private readonly cache = new Map<string, Buffer>();

  constructor(private readonly core: SimCore) {}

  async redirect(call: RestCall, format: ArchiveFormat): Promise<SimResponse> {
    const repo = requireRepo(call, "read");
    assertNotEmpty(repo);
    const oid = await resolveRef(repo, call.params.ref || repo.defaultBranch);
    if (!oid) throw new HttpError(404, "Not Found");
    const token = randomBytes(20).toString("hex");
    this.downloadTokens.set(token, { repoId: repo.id, expires: this.core.now().getTime() + DOWNLOAD_TOKEN_LIFETIME_MS });
    const kind = format === "tar.gz" ? "legacy.tar.gz" : "legacy.zip";
    const location = `${this.core.urls.web}/_codeload/${repo.owner.login}/${repo.name}/${kind}/${oid}?token=${token}`;
    return emptyResponse(302, { location });
  }

  /** GET /_codeload/{owner}/{repo}/legacy.tar.gz|legacy.zip/{sha}?token=… */
  async download(pathname: string, query: URLSearchParams): Promise<SimResponse> {
    const match = /^\/_codeload\/([^/]+)\/([^/]+)\/(legacy\.tar\.gz|legacy\.zip)\/([0-9a-f]{40})$/.exec(pathname);
    const repo = match ? this.core.world.repoByName(match[1]!, match[2]!) : undefined;
    if (!match || !repo) throw new HttpError(404, "Not Found");
    if (repo.private && !this.validToken(repo, query.get("token"))) throw new HttpError(404, "Not Found");
    const format: ArchiveFormat = match[3] === "legacy.zip" ? "zip" : "tar.gz";
    const oid = match[4]!;
    const body = await this.archive(repo, oid, format);
    const name = `${repo.owner.login}-${repo.name}-${oid.slice(0, 7)}`;
    return {
      status: 200,
      headers: {
        "content-type": format === "zip" ? "application/zip" : "application/x-gzip",
        "content-disposition": `attachment; filename=${name}.${format}`,
        etag: `"${oid}"`,
      },
      body,
    };
  }

  private validToken(repo: RepoRecord, token: string | null): boolean {
    const entry = token ? this.downloadTokens.get(token) : undefined;
    return !!entry && entry.repoId === repo.id && entry.expires > this.core.now().getTime();
  }

  private async archive(repo: RepoRecord, oid: string, format: ArchiveFormat): Promise<Buffer> {
    const key = `${repo.id}:${oid}:${format}:${repo.owner.login}/${repo.name}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    if (!(await repo.git.readCommit(oid))) throw new HttpError(404, "Not Found");
    const body = await repo.git.archive(oid, format, `${repo.owner.login}-${repo.name}-${oid.slice(0, 7)}/`);
    if (this.cache.size >= ARCHIVE_CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, body);
    return body;
  }

  routes(): Record<string, RestRoute> {
    return {
      "GET /repos/{owner}/{repo}/tarball/{ref}": { auth: "token", handler: (call) => this.redirect(call, "tar.gz") },
      "GET /repos/{owner}/{repo}/zipball/{ref}": { auth: "token", handler: (call) => this.redirect(call, "zip") },
    };
  }
}
