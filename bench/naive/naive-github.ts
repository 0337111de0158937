/**
 * The naive way to use a repository as a database: GitHub's REST API with a personal access token,
 * one Contents API request per file, as most small sites and scripts do it.
 */

import { httpGet, httpRequest } from "../support/http-request.js";

export interface RepoName {
  owner: string;
  name: string;
}

export interface ContentsFile {
  /** The file's blob sha: what a PUT must name to replace it. */
  sha: string;
  content: Buffer;
}

/** A PUT refused because the file is not (or no longer) the version the writer read. */
export class StaleFileError extends Error {
  override name = "StaleFileError";
}

function encodePath(filePath: string): string {
  return filePath.split("/").map(encodeURIComponent).join("/");
}

export class NaiveGitHub {
  readonly #apiUrl: string;
  readonly #headers: Record<string, string>;

  constructor(apiUrl: string, token: string) {
    this.#apiUrl = apiUrl;
    this.#headers = { authorization: `Bearer ${token}`, accept: "application/vnd.github+json", "x-github-api-version": "2022-11-28" };
  }

  #contentsUrl(repo: RepoName, filePath: string): string {
    return `${this.#apiUrl}/repos/${repo.owner}/${repo.name}/contents/${encodePath(filePath)}`;
  }

  /** Every file at the branch head with its blob sha: one recursive tree read. */
  async listFiles(repo: RepoName, branch: string): Promise<Array<{ path: string; sha: string }>> {
    const response = await fetch(`${this.#apiUrl}/repos/${repo.owner}/${repo.name}/git/trees/${encodeURIComponent(branch)}?recursive=1`, {
      headers: this.#headers,
    });
    if (!response.ok) throw new Error(`listing the tree answered ${response.status}`);
    const tree = (await response.json()) as { truncated: boolean; tree: Array<{ path: string; type: string; sha: string }> };
    if (tree.truncated) throw new Error("the tree listing was truncated");
    return tree.tree.filter((entry) => entry.type === "blob").map(({ path, sha }) => ({ path, sha }));
  }

  /** One Contents API GET; null when the file does not exist. */
  async getFile(repo: RepoName, filePath: string): Promise<ContentsFile | null> {
    const response = await httpGet(this.#contentsUrl(repo, filePath), this.#headers);
    if (response.status === 404) return null;
    if (response.status !== 200) throw new Error(`GET contents ${filePath} answered ${response.status}`);
    const file = JSON.parse(response.body.toString("utf8")) as { sha: string; content: string; encoding: string };
    if (file.encoding !== "base64") throw new Error(`GET contents ${filePath}: encoding ${file.encoding}`);
    return { sha: file.sha, content: Buffer.from(file.content, "base64") };
  }

  /**
   * One Contents API PUT: a commit replacing the whole file. `sha` names the version it replaces
   * (absent for a new file). A stale sha, or a file created meanwhile, throws StaleFileError.
   */
  async putFile(repo: RepoName, filePath: string, content: Buffer, sha: string | null, message: string): Promise<void> {
    const body = JSON.stringify({ message, content: content.toString("base64"), ...(sha === null ? {} : { sha }) });
    const response = await httpRequest(
      "PUT",
      this.#contentsUrl(repo, filePath),
      { ...this.#headers, "content-type": "application/json" },
      body,
    );
    const text = response.body.toString("utf8");
    // 409: the sha is not the file's current one. 422 "sha wasn't supplied": someone created the file meanwhile.
    if (response.status === 409 || (response.status === 422 && sha === null && text.includes("sha")))
      throw new StaleFileError(`${filePath}: ${response.status}`);
    if (response.status !== 200 && response.status !== 201)
      throw new Error(`PUT contents ${filePath} answered ${response.status}: ${text.slice(0, 200)}`);
  }
}
