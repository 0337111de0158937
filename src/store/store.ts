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
  /** Files of the mirrored commit that the mirror does not hold, and why. */
  skipped: SkippedFile[];
}

/** A file of the branch the mirror does not hold: over a limit, or GitHub would not give its content. */
export interface SkippedFile {
  path: string;
  /** Its git blob sha at the mirrored commit. */
  sha: string;
  reason: string;
  /**
   * `fetch-failed`: GitHub did not give it, so the next heal fetches it again. Over `maxFileBytes`
   * (`file-too-big`) or GITDISK_MAX_REPO_BYTES (`repo-full`), it waits for a change or a full mirror.
   */
  cause: "fetch-failed" | "file-too-big" | "repo-full";
}

export type RepoPatch = Partial<
  Pick<
    RepoState,
    "owner" | "name" | "private" | "defaultBranch" | "installationId" | "branch" | "config" | "configError" | "lastSyncAt" | "lastError"
  >
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

/** A file to put in the mirror; without `content`, its blob must be stored already (`storeBlobs`). */
export type FileUpsert = FileEntry & { content?: Buffer };

/** A content named by its git blob sha. */
export interface BlobContent {
  sha: string;
  content: Buffer;
}

export interface ChangeSet {
  /** The commit the mirror must be at for this change to apply (compare-and-set); null = any. */
  fromSha: string | null;
  /** The commit the mirror equals afterwards; null when the branch is gone (with `replaceAll` and no upserts). */
  toSha: string | null;
  upserts: FileUpsert[];
  deletes: string[];
  /** Replace every file (full mirror): paths not in `upserts` are removed. */
  replaceAll?: boolean;
  /** The repository's skipped files after this change; when left out, those the change upserts or deletes are dropped from the list. */
  skipped?: SkippedFile[];
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

/** A repository may hold this many bytes of distinct blobs unless the operator says otherwise. */
export const DEFAULT_MAX_REPO_BYTES = 1024 ** 3;

export interface MirrorStore {
  /**
   * The most bytes of distinct blobs one repository's mirror may hold (GITDISK_MAX_REPO_BYTES): the
   * sync engine leaves the files beyond it out.
   */
  readonly maxRepoBytes: number;

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
   * nothing, when the mirror is no longer at `fromSha` (another sync got there first), or when an
   * upsert without content names a blob that is not stored (swept meanwhile: fetch it again).
   */
  applyChanges(repoId: number, change: ChangeSet, options?: ApplyOptions): Promise<boolean>;
  /**
   * Stores contents ahead of the change that will name them, so a large change need not hold them all
   * in memory. Not durable on their own: the change's commit makes them so.
   */
  storeBlobs(blobs: readonly BlobContent[]): Promise<void>;
  /** Removes those of these blobs that no file names (stored for a change that did not happen). */
  sweepBlobs(shas: Iterable<string>): Promise<void>;
  /** A stored content by its sha, whichever repository holds it. */
  getBlob(sha: string): Promise<Buffer | null>;
  getFile(repoId: number, path: string): Promise<FileBody | null>;
  getFileEntry(repoId: number, path: string): Promise<FileEntry | null>;
  /** Files whose path starts with `prefix` (all when empty), sorted by path; with `page`, only that page of them. */
  listFiles(repoId: number, prefix?: string, page?: FilePage): Promise<FileEntry[]>;
  /** path → blob sha of every mirrored file, to diff against a Git tree. */
  fileIndex(repoId: number): Promise<Map<string, string>>;

  /**
   * Remembers a webhook delivery id (X-GitHub-Delivery, which GitHub's redeliveries keep); false,
   * changing nothing, when it is remembered already. Forgets the ids received before
   * `retention.since` and all but the newest `retention.atMost`.
   */
  recordDelivery(id: string, receivedAt: number, retention: DeliveryRetention): Promise<boolean>;

  close(): Promise<void>;
}

export interface DeliveryRetention {
  /** Epoch milliseconds. */
  since: number;
  atMost: number;
}
