import type { RepoConfig } from "../config/repo-config.js";
import type { KeyStore } from "./key-store.js";
import type { WriteStore } from "./write-store.js";

/**
 * The seam between gitdisk and its storage; nothing outside src/store knows which backend is in use.
 * Two implement it: the embedded SQLite backend (src/store/sqlite), which gitdisk runs on, and a
 * PostgreSQL backend (src/store/postgres) over any driver behind its SqlClient. The contract suite
 * (test/contract/) runs both through the same tests, PostgreSQL in process (PGlite); DATABASE_URL does
 * not select it yet, as gitdisk ships no driver for a PostgreSQL server.
 */

/** One open store: the mirror, the write queue and the repository keys on one database, and the one handle that closes it. */
export interface Store {
  readonly mirror: MirrorStore;
  /** Shares the mirror's database: accepting a write checks the mirror and queues in one transaction. */
  readonly writes: WriteStore;
  /** The site keys of each repository, hashed. */
  readonly keys: KeyStore;
  /** Closes the database under both; neither may be used afterwards. */
  close(): Promise<void>;
}

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
  /**
   * Who made the commit. `writeback`: the write-back's own commit, whose writes reads overlay until its
   * batch completes, so readers cannot tell its files from what they see already. A backend may apply
   * such a change in parts (to keep serving requests meanwhile) as long as the repository reaches
   * `toSha` only with the last part and no other change to it applies in between; a crash between
   * parts leaves some files applied at `fromSha`, which reads still overlay and the sync engine, finding
   * the mirror short of the branch head, fetches again. Any other change applies all at once.
   */
  origin?: "sync" | "writeback";
}

/** A page of a listing: at most `limit` files whose paths sort after `after` (from the start when undefined). */
export interface FilePage {
  after: string | undefined;
  limit: number;
}

/** A page of the files under `prefix` that `accepts` lets through (all when absent), in path order. */
export interface SnapshotQuery extends FilePage {
  prefix: string;
  accepts?: (path: string) => boolean;
}

/** A listing page together with the commit it belongs to, read at one moment. */
export interface MirrorSnapshot {
  /** The commit the mirror was at when the page was read; null before the first sync. */
  sha: string | null;
  files: FileEntry[];
  /** Whether accepted files follow the page's last one. */
  more: boolean;
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
  applyChanges(repoId: number, change: ChangeSet): Promise<boolean>;
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
  /**
   * A page of files and the commit they belong to, consistently: no change applies between reading
   * the one and the other, however many files `accepts` skips. Null when the repository is not mirrored.
   */
  snapshot(repoId: number, query: SnapshotQuery): Promise<MirrorSnapshot | null>;
  /** path → blob sha of every mirrored file, to diff against a Git tree. */
  fileIndex(repoId: number): Promise<Map<string, string>>;

  /**
   * Remembers a webhook delivery id (X-GitHub-Delivery, which GitHub's redeliveries keep); false,
   * changing nothing, when it is remembered already. Forgets the ids received before
   * `retention.since` and all but the newest `retention.atMost`.
   */
  recordDelivery(id: string, receivedAt: number, retention: DeliveryRetention): Promise<boolean>;

  /**
   * Claims the repository's periodic heal for `owner` until `now + leaseMs`; false when another owner
   * holds an unexpired claim (it healed the repository lately, or is healing it). Its owner claims again
   * freely, and a claim is never released: it lapses, so a heal is due again `leaseMs` after it began,
   * whichever process (or scheduled function) takes it then. Atomic, as `WriteStore.claimBatch`.
   */
  claimHeal(repoId: number, owner: string, leaseMs: number, now: number): Promise<boolean>;
}

export interface DeliveryRetention {
  /** Epoch milliseconds. */
  since: number;
  atMost: number;
}
