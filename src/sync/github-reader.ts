import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import type { ReadableStream } from "node:stream/web";
import type { ProbotOctokit } from "probot";
import { REPO_CONFIG_PATH } from "../config/repo-config.js";
import { ConfigError, httpStatusOf } from "../errors.js";
import { type BlobBatch, buildBlobQuery, parseBlobAnswer } from "./blob-query.js";
import type { BlobSource } from "./fetch-contents.js";
import type { CompareFile } from "./plan-from-compare.js";
import type { TreeEntry } from "./plan-from-tree.js";

/** A repository as `GET /repos/{owner}/{repo}` describes it. */
export interface GitHubRepository {
  id: number;
  owner: string;
  name: string;
  private: boolean;
  defaultBranch: string;
}

export interface Comparison {
  status: "ahead" | "behind" | "diverged" | "identical";
  /** Null when GitHub left the list out. */
  files: CompareFile[] | null;
}

/** A file as the contents API describes it: its bytes come inline up to 1 MB, and by blob sha beyond. */
export interface RepoFile {
  size: number;
  sha: string;
  /** Null when GitHub did not send the bytes inline. */
  content: Buffer | null;
}

export interface GitTree {
  truncated: boolean;
  entries: TreeEntry[];
}

/** Whether an error is the answer to an installation-token request that preceded the actual call. */
function isTokenFailure(error: unknown): boolean {
  const url = (error as { request?: { url?: unknown } }).request?.url;
  return typeof url === "string" && url.includes("/access_tokens");
}

/**
 * 404 (and 409, an empty repository) mean "not there"; anything else is a failure to report. A 404
 * for the installation token (the app was uninstalled) is a failure too, not an absent branch.
 */
async function orNull<T>(request: Promise<T>, absent: readonly number[] = [404]): Promise<T | null> {
  try {
    return await request;
  } catch (error) {
    const status = httpStatusOf(error);
    if (status !== undefined && absent.includes(status) && !isTokenFailure(error)) return null;
    throw error;
  }
}

/** A GraphQL answer with errors for some aliases still carries the data of the others. */
function partialData(error: unknown): unknown {
  if (typeof error === "object" && error !== null && (error as { name?: unknown }).name === "GraphqlResponseError") {
    return (error as { data?: unknown }).data;
  }
  return undefined;
}

/**
 * Every GitHub call the sync engine makes for one repository, and nothing else: the same short
 * list the local GitHub simulator (test/github-sim) implements.
 */
export class GitHubReader implements BlobSource {
  readonly #octokit: ProbotOctokit;
  readonly owner: string;
  readonly name: string;

  constructor(octokit: ProbotOctokit, owner: string, name: string) {
    this.#octokit = octokit;
    this.owner = owner;
    this.name = name;
  }

  get #repo() {
    return { owner: this.owner, repo: this.name };
  }

  async getRepository(): Promise<GitHubRepository | null> {
    const response = await orNull(this.#octokit.request("GET /repos/{owner}/{repo}", this.#repo));
    if (!response) return null;
    const { id, owner, name, private: isPrivate, default_branch } = response.data;
    return { id: Number(id), owner: owner.login, name, private: isPrivate, defaultBranch: default_branch };
  }

  async getBranchHead(branch: string): Promise<string | null> {
    const response = await orNull(
      this.#octokit.request("GET /repos/{owner}/{repo}/git/ref/{ref}", { ...this.#repo, ref: `heads/${branch}` }),
      [404, 409],
    );
    return response?.data.object.sha ?? null;
  }

  /** Three-dot comparison (from the merge base); null when either commit is unknown or unrelated. */
  async compare(base: string, head: string): Promise<Comparison | null> {
    const response = await orNull(
      this.#octokit.request("GET /repos/{owner}/{repo}/compare/{basehead}", { ...this.#repo, basehead: `${base}...${head}` }),
    );
    if (!response) return null;
    const files = response.data.files?.map(({ filename, status, sha, previous_filename }) => ({
      filename,
      status,
      sha,
      ...(previous_filename === undefined ? {} : { previous_filename }),
    }));
    return { status: response.data.status, files: files ?? null };
  }

  async getTree(sha: string): Promise<GitTree | null> {
    const response = await orNull(
      this.#octokit.request("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", { ...this.#repo, tree_sha: sha, recursive: "1" }),
    );
    if (!response) return null;
    const entries = response.data.tree.flatMap((entry) =>
      entry.path !== undefined && entry.type !== undefined && entry.sha !== undefined
        ? [{ path: entry.path, type: entry.type, sha: entry.sha, ...(entry.size === undefined ? {} : { size: entry.size }) }]
        : [],
    );
    return { truncated: response.data.truncated, entries };
  }

  async queryBlobs(oids: readonly string[], headBranch?: string): Promise<BlobBatch> {
    const { query, variables } = buildBlobQuery(this.owner, this.name, oids, headBranch);
    let data: unknown;
    try {
      data = await this.#octokit.graphql<unknown>(query, variables);
    } catch (error) {
      data = partialData(error);
      if (data === undefined || data === null) throw error;
    }
    return parseBlobAnswer(data, oids, headBranch !== undefined);
  }

  /**
   * A blob's bytes as they are (the raw media type, up to 100 MB): its JSON form would carry them in
   * base64, which Octokit's JSON parser overflows its stack on from a few MB, and a text media type
   * would be decoded as UTF-8. So the body is read as bytes, whatever type GitHub gives it.
   */
  async getBlob(sha: string): Promise<Buffer> {
    const response = await this.#octokit.request("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", {
      ...this.#repo,
      file_sha: sha,
      mediaType: { format: "raw" },
      request: { parseSuccessResponseBody: false },
    });
    return buffer(response.data as unknown as ReadableStream<Uint8Array>);
  }

  /** The gzipped tarball of a commit, streamed (GitHub answers with a redirect that fetch follows). */
  async openTarball(sha: string): Promise<Readable> {
    const response = await this.#octokit.request("GET /repos/{owner}/{repo}/tarball/{ref}", {
      ...this.#repo,
      ref: sha,
      request: { parseSuccessResponseBody: false },
    });
    return Readable.fromWeb(response.data as ReadableStream<Uint8Array>);
  }

  /** The file at `path` on `ref`; null when there is none (absent, or a folder, symlink or submodule). */
  async fileAt(ref: string, path: string): Promise<RepoFile | null> {
    // The object media type describes files of up to 100 MB (the default one refuses those over 1 MB).
    const response = await orNull(
      this.#octokit.request("GET /repos/{owner}/{repo}/contents/{path}", { ...this.#repo, path, ref, mediaType: { format: "object" } }),
    );
    const entry = response?.data;
    if (!entry || Array.isArray(entry) || entry.type !== "file") return null;
    return { size: entry.size, sha: entry.sha, content: entry.encoding === "base64" ? Buffer.from(entry.content, "base64") : null };
  }

  /**
   * `.github/gitdisk.yml` from the default branch, through Probot's config loader (which also honours
   * an organisation's `.github` repository and `_extends`). Null when there is no such file.
   */
  async readConfig(): Promise<unknown> {
    const { config, files } = await this.#octokit.config.get({ ...this.#repo, path: REPO_CONFIG_PATH });
    const foreign = files.find((file) => file.config !== null && !this.#mayConfigureFrom(file));
    if (foreign) {
      // Its keys would show in this repository's configError, which its /status serves to anyone it is public to.
      throw new ConfigError(
        `${REPO_CONFIG_PATH}: _extends may name only ${this.owner}/.github's ${REPO_CONFIG_PATH}, not ${foreign.owner}/${foreign.repo}:${foreign.path}`,
      );
    }
    return files.some((file) => file.config !== null) ? config : null;
  }

  /** The repository itself, or its owner's `.github` repository's gitdisk.yml (the loader's own fallback). */
  #mayConfigureFrom(file: { owner: string; repo: string; path: string }): boolean {
    const owner = file.owner.toLowerCase();
    if (owner !== this.owner.toLowerCase()) return false;
    const repo = file.repo.toLowerCase();
    return repo === this.name.toLowerCase() || (repo === ".github" && file.path === REPO_CONFIG_PATH);
  }
}
