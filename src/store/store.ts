import type { RepoConfig } from "../config/repo-config.js";

/**
 * The seam between gitdisk and its storage. The embedded SQLite backend and the PostgreSQL
 * backend both implement it; nothing outside src/store knows which one is in use.
 */

/** A repository as GitHub identifies it: by its numeric id, which survives renames and transfers. */
export interface RepoIdentity {
  id: number;
  owner: string;
  name: string;
  private: boolean;
  defaultBranch: string;
  installationId: number | null;
}

export interface RepoState extends RepoIdentity {
  /** The branch being mirrored (config `branch`, else the default branch). */
  branch: string;
  /** The commit the mirror currently equals; null before the first sync. */
  sha: string | null;
  config: RepoConfig;
  /** Why the last config read was rejected; the previous valid config stays in force. */
  configError: string | null;
  lastSyncAt: string | null;
  lastError: string | null;
  /** Number of mirrored files. */
  files: number;
}

export type RepoPatch = Partial<
  Pick<RepoState, "owner" | "name" | "private" | "defaultBranch" | "installationId" | "branch" | "config" | "configError" | "lastSyncAt" | "lastError">
>;

export interface FileEntry {
  path: string;
  /** Git blob SHA-1 of the content. */
  sha: string;
  size: number;
}

export interface FileBody extends FileEntry {
  content: Buffer;
}

export interface ChangeSet {
  /** The commit the mirror must be at for this change to apply (compare-and-set); null = any. */
  fromSha: string | null;
  /** The commit the mirror equals afterwards; null when the branch is gone (with `replaceAll` and no upserts). */
  toSha: string | null;
  upserts: FileBody[];
  deletes: string[];
  /** Replace every file (full mirror): paths not in `upserts` are removed. */
  replaceAll?: boolean;
}

export interface ApplyOptions {
  /**
   * For a change readers cannot tell from what they see already (the write-back's own commit, whose
   * writes reads overlay until its batch completes): a large one may be applied a few dozen files per
   * turn of the event loop, so requests are served in between instead of waiting behind hundreds of
   * files. The repository reaches `toSha` only with the last step, and no other change applies to it
   * meanwhile. A crash between steps leaves some files applied at `fromSha`: reads still overlay them,
   * and the sync engine, which finds the mirror short of the branch head, fetches every path changed since.
   */
  inSteps?: boolean;
}

/** A page of a listing: at most `limit` files whose paths sort after `after` (from the start when undefined). */
export interface FilePage {
  after: string | undefined;
  limit: number;
}

export interface MirrorStore {
  /** Inserts the repository, or updates its identity if known; keeps its mirror and config. */
  upsertRepo(identity: RepoIdentity, initial: { branch: string; config: RepoConfig }): Promise<RepoState>;
  getRepo(id: number): Promise<RepoState | null>;
  /** Case-insensitive, as GitHub's owner/name are. */
  findRepo(owner: string, name: string): Promise<RepoState | null>;
  listRepos(): Promise<RepoState[]>;
  updateRepo(id: number, patch: RepoPatch): Promise<void>;
  /** Removes the repository and everything mirrored from it. */
  deleteRepo(id: number): Promise<void>;

  /**
   * Applies a change atomically and moves the repository to `toSha`. Returns false, changing
   * nothing, when the mirror is no longer at `fromSha` (another sync got there first).
   */
  applyChanges(repoId: number, change: ChangeSet, options?: ApplyOptions): Promise<boolean>;
  getFile(repoId: number, path: string): Promise<FileBody | null>;
  getFileEntry(repoId: number, path: string): Promise<FileEntry | null>;
  /** Files whose path starts with `prefix` (all when empty), sorted by path; with `page`, only that page of them. */
  listFiles(repoId: number, prefix?: string, page?: FilePage): Promise<FileEntry[]>;
  /** path → blob sha of every mirrored file, to diff against a Git tree. */
  fileIndex(repoId: number): Promise<Map<string, string>>;

  close(): Promise<void>;
}
