import fs from "node:fs";
import path from "node:path";
import { CatFile, type GitObject } from "./cat-file.js";
import { buildFastImportStream, type CommitDraft } from "./fast-import-stream.js";
import { type GitIdentity, type ParsedCommit, parseCommit } from "./parse-commit.js";
import {
  type CommitPathChanges,
  type LineCounts,
  type LsTreeEntry,
  parseDiffTreeNameStatus,
  parseLsTree,
  parseNumstat,
  parseRawDiff,
  type RawDiffEntry,
} from "./parse-git-output.js";
import { runGit } from "./run-git.js";

export const ZERO_OID = "0000000000000000000000000000000000000000";
export const EMPTY_TREE_OID = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

/** The ref update did not happen because the ref was not where the caller expected. */
export class RefConflictError extends Error {
  constructor(
    readonly ref: string,
    readonly expected: string | null,
    readonly actual: string | null,
  ) {
    super(`${ref} is at ${actual ?? "nothing"}, expected ${expected ?? "nothing"}`);
    this.name = "RefConflictError";
  }
}

export interface DiffFile extends RawDiffEntry, LineCounts {}

/** One entry of a tree to write: a blob or submodule at `path`, or `oid: null` to remove the path. */
export interface TreeWrite {
  path: string;
  mode: string;
  oid: string | null;
}

const TREE_CACHE_LIMIT = 64;

/**
 * A bare git repository driven by the git CLI. Branch heads are cached in memory because every
 * ref change goes through this class; everything else is read from git itself, so SHAs, trees,
 * diffs and archives are exactly git's.
 */
export class BareRepo {
  private readonly catFile: CatFile;
  private readonly heads = new Map<string, string>();
  private readonly treeCache = new Map<string, LsTreeEntry[]>();
  private indexCounter = 0;

  private constructor(readonly gitDir: string) {
    this.catFile = new CatFile(gitDir);
  }

  static async create(gitDir: string, defaultBranch: string): Promise<BareRepo> {
    fs.mkdirSync(gitDir, { recursive: true });
    await runGit(gitDir, ["init", "--bare", "--quiet", `--initial-branch=${defaultBranch}`]);
    return new BareRepo(gitDir);
  }

  /** Points HEAD at the default branch, so `HEAD:path` expressions mean what they mean on GitHub. */
  async setHead(branch: string): Promise<void> {
    await runGit(this.gitDir, ["symbolic-ref", "HEAD", `refs/heads/${branch}`]);
  }

  /** Branch name → head commit id. */
  branches(): ReadonlyMap<string, string> {
    return this.heads;
  }

  branchHead(branch: string): string | undefined {
    return this.heads.get(branch);
  }

  readObject(spec: string): Promise<GitObject | null> {
    return this.catFile.read(spec);
  }

  async readCommit(oid: string): Promise<ParsedCommit | null> {
    const object = await this.catFile.read(oid);
    if (object?.type !== "commit") return null;
    return parseCommit(object.oid, object.content);
  }

  /** Resolves a branch name, `refs/heads/…`, a full or abbreviated commit id, or a tag to a commit id. */
  async resolveCommit(ref: string): Promise<string | null> {
    const short = ref.replace(/^refs\/heads\//, "");
    const head = this.heads.get(short);
    if (head) return head;
    if (/^[0-9a-f]{4,40}$/i.test(ref) || ref.startsWith("refs/tags/")) {
      const object = await this.catFile.read(`${ref}^{commit}`);
      return object?.oid ?? null;
    }
    return null;
  }

  /**
   * Writes a chain of commits with one `git fast-import` run, then moves `branch` to the last one
   * in a single ref transaction that fails with RefConflictError if the branch is no longer at
   * `expectedHead` (null: the branch must not exist). Returns the new commit ids in order.
   */
  async commit(branch: string, parent: string | null, drafts: readonly CommitDraft[], expectedHead: string | null): Promise<string[]> {
    const oids = await this.writeCommits(parent, drafts);
    await this.updateBranch(branch, oids[oids.length - 1]!, expectedHead);
    return oids;
  }

  /** Creates commit objects without moving any branch. */
  async writeCommits(parent: string | null, drafts: readonly CommitDraft[]): Promise<string[]> {
    if (drafts.length === 0) throw new Error("no commits to write");
    const scratch = "refs/sim/import";
    const stream = buildFastImportStream(scratch, parent, drafts);
    const { stdout } = await runGit(this.gitDir, ["fast-import", "--quiet", "--done", "--force", "--date-format=raw"], { input: stream });
    const oids = stdout
      .toString("utf8")
      .split("\n")
      .filter((line) => /^[0-9a-f]{40}$/.test(line));
    if (oids.length !== drafts.length) throw new Error(`fast-import reported ${oids.length} commits for ${drafts.length}`);
    return oids;
  }

  /** Moves (or creates, or with `to: null` deletes) a branch, compare-and-set on `expectedHead`. */
  async updateBranch(branch: string, to: string | null, expectedHead: string | null): Promise<void> {
    const current = this.heads.get(branch) ?? null;
    if (current !== expectedHead) throw new RefConflictError(`refs/heads/${branch}`, expectedHead, current);
    const ref = `refs/heads/${branch}`;
    const line = to === null ? `delete ${ref} ${current ?? ZERO_OID}\n` : `update ${ref} ${to} ${current ?? ZERO_OID}\n`;
    await runGit(this.gitDir, ["update-ref", "--stdin"], { input: line });
    if (to === null) this.heads.delete(branch);
    else this.heads.set(branch, to);
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    const { exitCode } = await runGit(this.gitDir, ["merge-base", "--is-ancestor", ancestor, descendant], { okExitCodes: [1] });
    return exitCode === 0;
  }

  async mergeBase(a: string, b: string): Promise<string | null> {
    const { stdout, exitCode } = await runGit(this.gitDir, ["merge-base", a, b], { okExitCodes: [1] });
    return exitCode === 0 ? stdout.toString("utf8").trim() : null;
  }

  /** Commit ids reachable from `head` but not from any of `exclude`, oldest first. */
  async commitsBetween(exclude: readonly string[], head: string): Promise<string[]> {
    const { stdout } = await runGit(this.gitDir, ["rev-list", "--reverse", "--topo-order", head, ...exclude.map((oid) => `^${oid}`)]);
    return stdout.toString("utf8").split("\n").filter(Boolean);
  }

  /** Commit ids reachable from `head`, newest first, optionally only those touching `filePath`. */
  async history(head: string, options: { skip?: number; limit?: number; path?: string } = {}): Promise<string[]> {
    const args = ["rev-list", head];
    if (options.skip) args.push(`--skip=${options.skip}`);
    if (options.limit !== undefined) args.push(`--max-count=${options.limit}`);
    if (options.path) args.push("--", options.path);
    const { stdout } = await runGit(this.gitDir, args);
    return stdout.toString("utf8").split("\n").filter(Boolean);
  }

  async countCommits(head: string, filePath?: string): Promise<number> {
    const args = ["rev-list", "--count", head];
    if (filePath) args.push("--", filePath);
    const { stdout } = await runGit(this.gitDir, args);
    return Number(stdout.toString("utf8").trim());
  }

  /** Entries of a tree (trees are immutable, so listings are cached by id). */
  async listTree(treeish: string, recursive: boolean): Promise<LsTreeEntry[] | null> {
    const object = await this.catFile.read(`${treeish}^{tree}`);
    if (!object) return null;
    const key = `${object.oid}:${recursive}`;
    const cached = this.treeCache.get(key);
    if (cached) return cached;
    const args = ["ls-tree", "-l", "-z", ...(recursive ? ["-r", "-t"] : []), object.oid];
    const entries = parseLsTree((await runGit(this.gitDir, args)).stdout);
    if (this.treeCache.size >= TREE_CACHE_LIMIT) this.treeCache.delete(this.treeCache.keys().next().value!);
    this.treeCache.set(key, entries);
    return entries;
  }

  /** Files changed from `base` to `head` (renames detected), with line counts. */
  async diff(base: string, head: string): Promise<DiffFile[]> {
    const [raw, numstat] = await Promise.all([
      runGit(this.gitDir, ["diff", "--raw", "-z", "-M", "--no-abbrev", base, head]),
      runGit(this.gitDir, ["diff", "--numstat", "-z", "-M", base, head]),
    ]);
    const counts = parseNumstat(numstat.stdout);
    return parseRawDiff(raw.stdout).map((entry) => ({ ...entry, ...(counts.get(entry.path) ?? { additions: 0, deletions: 0 }) }));
  }

  /** Added/removed/modified paths of each commit against its first parent, as push payloads list them. */
  async pathChanges(oids: readonly string[]): Promise<Map<string, CommitPathChanges>> {
    if (oids.length === 0) return new Map();
    const { stdout } = await runGit(this.gitDir, ["diff-tree", "--stdin", "-r", "--root", "--no-renames", "--name-status", "-z"], {
      input: `${oids.join("\n")}\n`,
    });
    const parsed = parseDiffTreeNameStatus(stdout);
    for (const oid of oids) if (!parsed.has(oid)) parsed.set(oid, { added: [], removed: [], modified: [] });
    return parsed;
  }

  async archive(commit: string, format: "tar.gz" | "zip", prefix: string): Promise<Buffer> {
    const { stdout } = await runGit(this.gitDir, ["archive", `--format=${format}`, `--prefix=${prefix}`, commit]);
    return stdout;
  }

  async writeBlob(content: Buffer): Promise<string> {
    const { stdout } = await runGit(this.gitDir, ["hash-object", "-w", "--stdin"], { input: content });
    return stdout.toString("utf8").trim();
  }

  /**
   * Writes a tree: `base` (a tree id, or null for an empty start) with `writes` applied. The
   * result goes through a throwaway index, so nested paths create or prune their parent trees
   * exactly as git does. A write with mode 040000 grafts a whole existing tree at `path`.
   */
  async writeTree(base: string | null, writes: readonly TreeWrite[]): Promise<string> {
    const files = new Map<string, { mode: string; oid: string }>();
    const addTree = async (treeOid: string, prefix: string) => {
      const entries = await this.listTree(treeOid, true);
      if (!entries) throw new Error(`tree ${treeOid} does not exist`);
      for (const entry of entries) if (entry.type !== "tree") files.set(prefix + entry.path, { mode: entry.mode, oid: entry.oid });
    };
    const removeUnder = (target: string) => {
      files.delete(target);
      for (const key of [...files.keys()]) if (key.startsWith(`${target}/`)) files.delete(key);
    };
    if (base) await addTree(base, "");
    for (const write of writes) {
      removeUnder(write.path);
      if (write.oid === null) continue;
      // A file where a folder is needed gives way, as in git.
      const segments = write.path.split("/");
      for (let i = 1; i < segments.length; i++) files.delete(segments.slice(0, i).join("/"));
      if (write.mode === "040000") await addTree(write.oid, `${write.path}/`);
      else files.set(write.path, { mode: write.mode, oid: write.oid });
    }
    const indexFile = path.join(this.gitDir, `sim-index-${process.pid}-${this.indexCounter++}`);
    const env = { GIT_INDEX_FILE: indexFile };
    try {
      await runGit(this.gitDir, ["read-tree", "--empty"], { env });
      if (files.size > 0) {
        const info = [...files].map(([p, f]) => `${f.mode} ${f.mode === "160000" ? "commit" : "blob"} ${f.oid}\t${p}\0`).join("");
        await runGit(this.gitDir, ["update-index", "--add", "-z", "--index-info"], { env, input: info });
      }
      const { stdout } = await runGit(this.gitDir, ["write-tree"], { env });
      return stdout.toString("utf8").trim();
    } finally {
      fs.rmSync(indexFile, { force: true });
    }
  }

  async commitTree(input: {
    tree: string;
    parents: readonly string[];
    message: string;
    author: GitIdentity;
    committer: GitIdentity;
  }): Promise<string> {
    const args = ["commit-tree", input.tree, ...input.parents.flatMap((parent) => ["-p", parent])];
    const env = {
      GIT_AUTHOR_NAME: input.author.name,
      GIT_AUTHOR_EMAIL: input.author.email,
      GIT_AUTHOR_DATE: `${input.author.timestamp} ${input.author.timezone}`,
      GIT_COMMITTER_NAME: input.committer.name,
      GIT_COMMITTER_EMAIL: input.committer.email,
      GIT_COMMITTER_DATE: `${input.committer.timestamp} ${input.committer.timezone}`,
    };
    const { stdout } = await runGit(this.gitDir, args, { env, input: input.message });
    return stdout.toString("utf8").trim();
  }

  close(): void {
    this.catFile.close();
  }
}
