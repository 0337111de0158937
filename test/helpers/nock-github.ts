import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import nock from "nock";
import tar from "tar-stream";
import { gitBlobSha } from "../../src/git/blob-sha.js";

/**
 * GitHub faked with nock, one named builder per call of the sync contract (briefs/github-calls.md).
 * Every builder adds exactly one one-shot interceptor, so "all interceptors used and no request
 * unmatched" means the code made exactly the calls the test lists.
 */
export const API = "https://api.github.com";
export const CODELOAD = "https://codeload.github.com";

export const INSTALLATION_ID = 957387;
/** The repository of @octokit/webhooks-examples' payloads. */
export const REPO = { id: 186853002, owner: "Codertocat", name: "Hello-World", private: false, defaultBranch: "master" };
export type RepoInfo = typeof REPO;

export interface Symlink {
  symlink: string;
}
export interface Submodule {
  submodule: string;
}
export type FileSpec = string | Buffer | Symlink | Submodule;

type Entry = { kind: "blob"; content: Buffer; mode: "100644" | "120000"; sha: string } | { kind: "commit"; sha: string };

/** A commit of the fake repository: its id and its files. */
export interface Commit {
  sha: string;
  files: ReadonlyMap<string, Entry>;
}

/** Every blob any commit holds, for the GraphQL and REST blob answers. */
const blobs = new Map<string, Buffer>();
/** Commits of other repositories that submodule entries point at: GraphQL finds no blob there. */
const submoduleShas = new Set<string>();
let commitCounter = 0;

function entryOf(spec: FileSpec): Entry {
  if (typeof spec === "object" && "submodule" in spec) return { kind: "commit", sha: spec.submodule };
  const isLink = typeof spec === "object" && "symlink" in spec;
  const content = isLink ? Buffer.from(spec.symlink) : Buffer.isBuffer(spec) ? spec : Buffer.from(spec);
  const sha = gitBlobSha(content);
  blobs.set(sha, content);
  return { kind: "blob", content, mode: isLink ? "120000" : "100644", sha };
}

function newCommitSha(): string {
  return createHash("sha1").update(`fake commit ${++commitCounter} ${process.pid}`).digest("hex");
}

/** A submodule entry pointing at a commit of another repository. */
export function submodule(sha = newCommitSha()): Submodule {
  submoduleShas.add(sha);
  return { submodule: sha };
}

export function commit(files: Record<string, FileSpec>): Commit {
  return { sha: newCommitSha(), files: new Map(Object.entries(files).map(([path, spec]) => [path, entryOf(spec)])) };
}

/** A child commit: `null` removes a path. */
export function change(parent: Commit, changes: Record<string, FileSpec | null>): Commit {
  const files = new Map(parent.files);
  for (const [path, spec] of Object.entries(changes)) {
    if (spec === null) files.delete(path);
    else files.set(path, entryOf(spec));
  }
  return { sha: newCommitSha(), files };
}

/** A commit with `count` text files `dir/file-<i>.txt`. */
export function manyFiles(count: number, dir = "bulk", salt = ""): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`${dir}/file-${i}.txt`, `file ${i}${salt}\n`]));
}

/** The mirror a commit should give: path → content, for the blob files the filter keeps. */
export function expectedFiles(source: Commit, keep: (path: string, size: number) => boolean = () => true): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [path, entry] of source.files) {
    if (entry.kind === "blob" && keep(path, entry.content.length)) result[path] = entry.content.toString("latin1");
  }
  return result;
}

export interface CompareFileFixture {
  filename: string;
  status: string;
  sha: string | null;
  previous_filename?: string;
  additions: number;
  deletions: number;
  changes: number;
}

/** The files of a comparison, as GitHub lists them: exact renames detected by blob sha. */
export function diffFiles(from: Commit, to: Commit): CompareFileFixture[] {
  const removed = [...from.files.keys()].filter((path) => !to.files.has(path));
  const added = [...to.files.keys()].filter((path) => !from.files.has(path));
  const files: CompareFileFixture[] = [];
  const counts = { additions: 1, deletions: 1, changes: 2 };
  for (const path of added) {
    const sha = to.files.get(path)!.sha;
    const source = removed.findIndex((old) => from.files.get(old)!.sha === sha);
    if (source >= 0) {
      files.push({ filename: path, status: "renamed", sha, previous_filename: removed[source]!, ...counts });
      removed.splice(source, 1);
    } else {
      files.push({ filename: path, status: "added", sha, ...counts });
    }
  }
  for (const [path, entry] of to.files) {
    const before = from.files.get(path);
    if (before && before.sha !== entry.sha) files.push({ filename: path, status: "modified", sha: entry.sha, ...counts });
  }
  for (const path of removed) files.push({ filename: path, status: "removed", sha: null, ...counts });
  return files;
}

/** git's pax global header, which carries the commit id (tar-stream cannot write one). */
function paxGlobalHeader(commitId: string): Buffer {
  const record = `52 comment=${commitId}\n`;
  const header = Buffer.alloc(512);
  header.write("pax_global_header", 0, "latin1");
  header.write("0000666\0", 100, "latin1");
  header.write("0000000\0", 108, "latin1");
  header.write("0000000\0", 116, "latin1");
  header.write(`${record.length.toString(8).padStart(11, "0")}\0`, 124, "latin1");
  header.write("00000000000\0", 136, "latin1");
  header.write("        ", 148, "latin1");
  header.write("g", 156, "latin1");
  header.write("ustar\0" + "00", 257, "latin1");
  const checksum = header.reduce((sum, byte) => sum + byte, 0);
  header.write(`${checksum.toString(8).padStart(6, "0")}\0 `, 148, "latin1");
  const data = Buffer.alloc(512);
  data.write(record, "latin1");
  return Buffer.concat([header, data]);
}

/** A gzipped tarball of a commit as GitHub serves it: one top folder, directories, symlinks, submodules as folders. */
export async function tarballOf(
  repo: Pick<RepoInfo, "owner" | "name">,
  source: Commit,
  commitId: string | null = source.sha,
): Promise<Buffer> {
  const pack = tar.pack();
  const top = `${repo.owner}-${repo.name}-${source.sha.slice(0, 7)}/`;
  const chunks: Buffer[] = [];
  pack.on("data", (chunk) => chunks.push(chunk as Buffer));
  const finished = new Promise<void>((resolve) => pack.on("end", () => resolve()));
  pack.entry({ name: top, type: "directory" });
  const dirs = new Set<string>();
  for (const path of [...source.files.keys()].sort()) {
    const parts = path.split("/");
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join("/");
      if (!dirs.has(dir)) {
        dirs.add(dir);
        pack.entry({ name: `${top}${dir}/`, type: "directory" });
      }
    }
    const entry = source.files.get(path)!;
    if (entry.kind === "commit") pack.entry({ name: `${top}${path}/`, type: "directory" });
    else if (entry.mode === "120000") pack.entry({ name: top + path, type: "symlink", linkname: entry.content.toString() });
    else pack.entry({ name: top + path, size: entry.content.length }, entry.content);
  }
  pack.finalize();
  await finished;
  return gzipSync(Buffer.concat([...(commitId === null ? [] : [paxGlobalHeader(commitId)]), ...chunks]));
}

/** Above this size the contents API sends no content inline. */
const CONTENTS_INLINE_BYTES = 1024 * 1024;

function base64Wrapped(content: Buffer): string {
  return `${(content.toString("base64").match(/.{1,60}/g) ?? []).join("\n")}\n`;
}

/** What one GraphQL blob query asked for. */
export interface GraphqlRequest {
  oids: string[];
  head: string | undefined;
}

interface UnmatchedRequest {
  method?: string;
  path?: string;
  host?: string;
  hostname?: string;
  options?: UnmatchedRequest;
}

/** Requests to GitHub that matched no interceptor (each one is a call the test did not expect). */
const unmatched: string[] = [];
nock.emitter.on("no match", (request: UnmatchedRequest) => {
  const { method, path, host, hostname } = request.options ?? request;
  // Loopback traffic (a test's own server) passes through nock on purpose.
  if (/^(127\.0\.0\.1|localhost)(:\d+)?$/.test(hostname ?? host ?? "")) return;
  unmatched.push(`${method} ${path}`);
});

export function takeUnmatchedRequests(): string[] {
  return unmatched.splice(0);
}

/** The named builders for one repository. `textLimit`: bytes past which GraphQL truncates `text`. */
export class GitHubFake {
  readonly graphqlRequests: GraphqlRequest[] = [];
  readonly repo: RepoInfo;
  readonly #textLimit: number;

  constructor(repo: Partial<RepoInfo> = {}, options: { textLimit?: number } = {}) {
    this.repo = { ...REPO, ...repo };
    this.#textLimit = options.textLimit ?? 512 * 1024;
  }

  get #path() {
    return `/repos/${this.repo.owner}/${this.repo.name}`;
  }

  /** Probot's installation token (not one of the counted calls). */
  token(installationId = INSTALLATION_ID): this {
    nock(API)
      .post(`/app/installations/${installationId}/access_tokens`)
      .reply(201, {
        token: `ghs_test_${installationId}`,
        expires_at: new Date(Date.now() + 3600_000).toISOString(),
        permissions: { contents: "write" },
        repository_selection: "selected",
      });
    return this;
  }

  repository(status: 200 | 404 = 200): this {
    const { id, owner, name, private: isPrivate, defaultBranch } = this.repo;
    const body =
      status === 200
        ? {
            id,
            node_id: "R_1",
            name,
            full_name: `${owner}/${name}`,
            owner: { login: owner, id: 1, type: "User" },
            private: isPrivate,
            default_branch: defaultBranch,
          }
        : { message: "Not Found" };
    nock(API).get(this.#path).reply(status, body);
    return this;
  }

  /** `.github/gitdisk.yml` through Probot's loader; absent also asks the owner's `.github` repository. */
  config(yaml: string | null): this {
    const file = "/contents/.github%2Fgitdisk.yml";
    if (yaml === null) {
      nock(API)
        .get(this.#path + file)
        .reply(404, { message: "Not Found" });
      nock(API).get(`/repos/${this.repo.owner}/.github${file}`).reply(404, { message: "Not Found" });
    } else {
      nock(API)
        .get(this.#path + file)
        .reply(200, yaml, { "content-type": "text/plain; charset=utf-8" });
    }
    return this;
  }

  /**
   * `contents/{path}?ref=` in the object media type: the file as `at` holds it, its bytes inline up to 1 MB
   * (beyond, only its sha, as GitHub does), or 404 when `at` has no file there.
   */
  fileInfo(path: string, ref: string, at: Commit): this {
    const scope = nock(API)
      .get(`${this.#path}/contents/${encodeURIComponent(path)}`)
      .query({ ref });
    const entry = at.files.get(path);
    if (entry?.kind !== "blob" || entry.mode !== "100644") {
      scope.reply(404, { message: "Not Found" });
      return this;
    }
    const { content, sha } = entry;
    const inline = content.length <= CONTENTS_INLINE_BYTES;
    scope.reply(200, {
      type: "file",
      name: path.split("/").pop(),
      path,
      size: content.length,
      sha,
      content: inline ? base64Wrapped(content) : "",
      encoding: inline ? "base64" : "none",
    });
    return this;
  }

  head(branch: string, sha: string | null): this {
    const scope = nock(API).get(`${this.#path}/git/ref/heads%2F${encodeURIComponent(branch)}`);
    if (sha === null) scope.reply(404, { message: "Not Found" });
    else scope.reply(200, { ref: `refs/heads/${branch}`, node_id: "REF_1", object: { sha, type: "commit" } });
    return this;
  }

  /** The tarball call and the codeload download its redirect leads to. */
  tarball(source: Commit, options: { commitId?: string | null } = {}): this {
    const download = `/${this.repo.owner}/${this.repo.name}/legacy.tar.gz/${source.sha}`;
    nock(API)
      .get(`${this.#path}/tarball/${source.sha}`)
      .reply(302, "", { location: CODELOAD + download });
    nock(CODELOAD)
      .get(download)
      .reply(200, () => tarballOf(this.repo, source, options.commitId === undefined ? source.sha : options.commitId), {
        "content-type": "application/x-gzip",
      });
    return this;
  }

  /**
   * `compare/{base}...{head}`. With `from`, the files are the diff from that commit (for
   * "ahead", the merge base is the mirrored commit); `files` overrides them.
   */
  compare(base: string, head: Commit, options: { from?: Commit; status?: string; files?: CompareFileFixture[] | null } = {}): this {
    const scope = nock(API).get(`${this.#path}/compare/${base}...${head.sha}`);
    if (options.status === "404") {
      scope.reply(404, { message: "Not Found" });
      return this;
    }
    const files = options.files !== undefined ? options.files : options.from ? diffFiles(options.from, head) : [];
    const status = options.status ?? "ahead";
    scope.reply(200, {
      status,
      ahead_by: status === "behind" ? 0 : 1,
      behind_by: status === "ahead" ? 0 : 1,
      total_commits: 1,
      merge_base_commit: { sha: status === "ahead" ? base : head.sha },
      commits: [{ sha: head.sha }],
      ...(files === null ? {} : { files }),
    });
    return this;
  }

  tree(source: Commit | string, options: { truncated?: boolean } = {}): this {
    if (typeof source === "string") {
      nock(API).get(`${this.#path}/git/trees/${source}`).query({ recursive: "1" }).reply(404, { message: "Not Found" });
      return this;
    }
    const dirs = new Set<string>();
    for (const path of source.files.keys()) {
      const parts = path.split("/");
      for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join("/"));
    }
    const tree = [
      ...[...dirs].map((path) => ({ path, mode: "040000", type: "tree", sha: createHash("sha1").update(path).digest("hex") })),
      ...[...source.files].map(([path, entry]) =>
        entry.kind === "commit"
          ? { path, mode: "160000", type: "commit", sha: entry.sha }
          : { path, mode: entry.mode, type: "blob", sha: entry.sha, size: entry.content.length },
      ),
    ].sort((a, b) => (a.path < b.path ? -1 : 1));
    nock(API)
      .get(`${this.#path}/git/trees/${source.sha}`)
      .query({ recursive: "1" })
      .reply(200, { sha: source.sha, truncated: options.truncated ?? false, tree });
    return this;
  }

  /** One GraphQL blob batch; `head` answers the `ref(qualifiedName:)` alias when the query asks for it. */
  graphql(options: { head?: string | null } = {}): this {
    nock(API)
      .post("/graphql")
      .reply(200, (_uri, body) => {
        const { query, variables } = body as { query: string; variables: Record<string, string> };
        const aliases = [...query.matchAll(/b(\d+): object\(oid: "([0-9a-f]{40})"\)/g)];
        const asksHead = query.includes("head: ref(");
        this.graphqlRequests.push({ oids: aliases.map((match) => match[2]!), head: asksHead ? variables.head : undefined });
        const repository: Record<string, unknown> = {};
        for (const [, index, oid] of aliases) repository[`b${index}`] = this.#blobNode(oid!);
        if (asksHead) repository.head = options.head ? { target: { oid: options.head } } : null;
        return { data: { repository } };
      });
    return this;
  }

  /** A GraphQL query GitHub fails to answer. */
  graphqlFails(status: number): this {
    nock(API).post("/graphql").reply(status, { message: "GitHub is having a bad day" });
    return this;
  }

  /** A blob's raw bytes, as GitHub gives them for `Accept: application/vnd.github.raw` (its JSON form when not asked so); `status`: a failure instead. */
  blob(sha: string, options: { status?: number } = {}): this {
    const content = blobs.get(sha);
    if (!content) throw new Error(`no blob ${sha} in any fake commit`);
    nock(API)
      .get(`${this.#path}/git/blobs/${sha}`)
      .reply(function () {
        if (options.status !== undefined) return [options.status, { message: "GitHub is having a bad day" }];
        const accept = String(this.req.headers.accept ?? "");
        if (/application\/vnd\.github(\.v3)?\.raw/.test(accept)) return [200, content, { "content-type": "application/vnd.github.raw" }];
        return [200, { sha, node_id: "B_1", size: content.length, encoding: "base64", content: base64Wrapped(content) }];
      });
    return this;
  }

  #blobNode(oid: string): Record<string, unknown> | null {
    const content = blobs.get(oid);
    if (!content) return submoduleShas.has(oid) ? {} : null;
    const isBinary = content.includes(0);
    const isTruncated = !isBinary && content.length > this.#textLimit;
    const text = isBinary ? null : content.subarray(0, this.#textLimit).toString("utf8");
    return { oid, byteSize: content.length, isBinary, isTruncated, text };
  }
}

/** Every faked GitHub call was made, and no other: the code made exactly the calls the test lists. */
export function expectExactlyTheFakedCalls(): void {
  expect({ unused: nock.pendingMocks(), unexpected: takeUnmatchedRequests() }).toEqual({ unused: [], unexpected: [] });
}

export interface FakeInstallation {
  id?: number;
  repos: RepoInfo[];
  suspended?: boolean;
  /** The installation token is fetched first (Probot caches it once fetched). */
  token?: boolean;
}

/**
 * The app's installation list (`GET /app/installations`, one page, with the JWT) and each
 * non-suspended installation's `GET /installation/repositories`, as the heal reads them.
 */
export function installationList(installations: FakeInstallation[]): void {
  const listed = installations.map(({ id = INSTALLATION_ID, suspended = false }) => ({
    id,
    account: { login: REPO.owner, id: 1, type: "User" },
    app_id: 4242,
    target_type: "User",
    suspended_at: suspended ? "2026-01-01T00:00:00Z" : null,
  }));
  nock(API).get("/app/installations").query({ per_page: "100" }).reply(200, listed);
  for (const { id = INSTALLATION_ID, repos, suspended, token } of installations) {
    if (suspended) continue;
    if (token) new GitHubFake().token(id);
    const repositories = repos.map((repo) => ({
      id: repo.id,
      name: repo.name,
      full_name: `${repo.owner}/${repo.name}`,
      owner: { login: repo.owner },
      private: repo.private,
    }));
    nock(API).get("/installation/repositories").query({ per_page: "100" }).reply(200, { total_count: repositories.length, repositories });
  }
}
