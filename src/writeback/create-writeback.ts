import { randomUUID } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import type { Logger } from "probot";
import { monotonicFactory } from "ulid";
import { AppliedCommits } from "../applied-commits.js";
import { BranchHeads } from "../branch-heads.js";
import { DEFAULT_WRITEBACK_OPTIONS, type WritebackOptions } from "../config/writeback-options.js";
import { UnavailableError } from "../errors.js";
import { pooledRandomFraction } from "../pooled-random.js";
import { RecordSchemas } from "../records/record-schemas.js";
import type { MirrorStore, RepoState } from "../store/store.js";
import type { WriteQueueStatus, WriteRecord, WriteStore } from "../store/write-store.js";
import { type AcceptedWrite, acceptWrite, type WriteRequest } from "./accept-write.js";
import { BranchClient, type GraphqlRequest } from "./branch-client.js";
import { CommitRateLimiter } from "./commit-rate-limiter.js";
import { newWriteId } from "./new-write-id.js";
import { RepoFlusher } from "./repo-flusher.js";
import { WriteWaiters } from "./write-waiters.js";
import { emptyStats, type WritebackStats } from "./writeback-stats.js";

export interface WritebackDeps {
  store: MirrorStore;
  writeStore: WriteStore;
  /**
   * `octokit.graphql` of the repository's installation (Probot: `(await app.auth(repo.installationId)).graphql`).
   * Its retry and throttling plugins handle GitHub's 5xx and rate limits; the write-back adds none.
   */
  graphqlFor(repo: RepoState): Promise<GraphqlRequest>;
  log: Logger;
  options?: Partial<WritebackOptions>;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
  /** The sync engine's heal of one repository, for when the mirror missed a commit of the write-back (see RepoFlusher). */
  catchUpMirror?(repoId: number): Promise<unknown>;
  /** Branch heads the sync engine hears of from push webhooks (shared with it); a private one when absent. */
  heads?: BranchHeads;
  /** Whom its flushers claim batches as (see WriteStore.claimBatch); unique to this write-back when absent. */
  owner?: string;
  /** Where to announce the commits the write-back applies to the mirror itself, for their push webhooks; a private one when absent. */
  appliedCommits?: AppliedCommits;
}

/** `/writes/{writeId}`: where a write is. */
export interface WriteView {
  writeId: string;
  repoId: number;
  id: string;
  path: string;
  /** Who made it; see NewWrite.actor. */
  actor: string;
  status: WriteRecord["status"];
  commit?: string;
  error?: string;
}

export interface Writeback {
  readonly options: WritebackOptions;
  /** Validates and durably queues a write (see acceptWrite); 503 once stopping. */
  accept(request: WriteRequest): Promise<AcceptedWrite>;
  write(writeId: string): Promise<WriteView | null>;
  /** The write once committed or failed, or as it is after `timeoutMs` (capped by `maxWaitMs`). */
  waitFor(writeId: string, timeoutMs?: number): Promise<WriteView | null>;
  status(repoId: number): Promise<WriteQueueStatus>;
  /** A repository that has written, by name: how `/writes` and `/status` find one whose mirror was purged. */
  repoIdByName(owner: string, name: string): Promise<number | null>;
  /** Commits everything queued now, ignoring the flush window; for tests, benchmarks and shutdown. */
  flushNow(): Promise<void>;
  /**
   * Claims every repository's due work from the store and does it (a batch left from before, queued writes
   * whose flush window has passed), then returns: what a scheduled function calls where no timer of this
   * process runs (AWS Lambda), or another process sharing the store. Batches another owner holds are theirs.
   */
  flushDue(): Promise<void>;
  stats(): WritebackStats;
  /** Resumes the writes a previous run left queued or half-committed. */
  start(): Promise<void>;
  /** Refuses new writes, flushes what is queued (at most `stopTimeoutMs`), and stops. */
  stop(): Promise<void>;
}

function view(write: WriteRecord): WriteView {
  return {
    writeId: write.id,
    repoId: write.repoId,
    id: write.recordId,
    path: write.path,
    actor: write.actor,
    status: write.status === "committing" ? "queued" : write.status,
    ...(write.commitSha ? { commit: write.commitSha } : {}),
    ...(write.error ? { error: write.error } : {}),
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return delay(ms, undefined, { signal }).catch(() => undefined);
}

/** How long `stop()` waits for a request in flight once its flush time is up. */
const STOP_GRACE_MS = 1_000;
/** Prunes finished writes at most this often. */
const PRUNE_EVERY_MS = 60_000;
/**
 * How long a claimed batch stays ours without an attempt: longer than any wait before one (rate limits,
 * back-off), so that another process takes a batch over only from an owner that is gone.
 */
const BATCH_LEASE_MS = 15 * 60_000;

/**
 * The write-back: accepts writes into the durable queue and commits them to GitHub, coalesced per
 * repository into one commit per flush window, each exactly once.
 */
export function createWriteback(deps: WritebackDeps): Writeback {
  const options: WritebackOptions = { ...DEFAULT_WRITEBACK_OPTIONS, ...deps.options };
  const now = deps.now ?? Date.now;
  const { store, writeStore, log } = deps;
  const stats = emptyStats();
  const waiters = new WriteWaiters();
  const schemas = new RecordSchemas();
  const flushers = new Map<number, RepoFlusher>();
  const limiters = new Map<string, CommitRateLimiter>();
  const shutdown = new AbortController();
  const random = pooledRandomFraction();
  const newBatchUlid = monotonicFactory(random);
  const newRecordUlid = monotonicFactory(random);
  let stopping = false;
  let stopped: Promise<void> | undefined;
  let lastPrune = 0;
  // Names stored by this process, with the id: a renamed repository is stored again.
  const namedRepos = new Set<string>();

  async function nameRepoOnce(repo: RepoState): Promise<void> {
    const key = `${repo.id} ${repo.owner}/${repo.name}`;
    if (namedRepos.has(key)) return;
    try {
      await writeStore.nameRepo(repo.id, `${repo.owner}/${repo.name}`);
      namedRepos.add(key);
    } catch (error) {
      // Only the write's lookup by name after an uninstall is at stake, not the write.
      log.warn({ err: error, repoId: repo.id }, "could not store the repository's name with its writes");
    }
  }

  const flusherDeps = {
    store,
    writeStore,
    options,
    now,
    sleep,
    waiters,
    stats,
    log,
    signal: shutdown.signal,
    newBatchId: () => newBatchUlid(now()),
    claim: { owner: deps.owner ?? `writeback-${randomUUID()}`, leaseMs: BATCH_LEASE_MS },
    heads: deps.heads ?? new BranchHeads(),
    appliedCommits: deps.appliedCommits ?? new AppliedCommits(),
    ...(deps.catchUpMirror ? { catchUpMirror: deps.catchUpMirror } : {}),
    async clientFor(repo: RepoState, branch: string) {
      const graphql = await deps.graphqlFor(repo);
      const counted: GraphqlRequest = (query, parameters) => {
        stats.apiCalls += 1;
        return graphql(query, parameters);
      };
      return new BranchClient(
        counted,
        { owner: repo.owner, name: repo.name, branch },
        {
          timeoutMs: options.requestTimeoutMs,
          historyPageSize: 100,
          maxHistoryPages: 5,
        },
      );
    },
    // The content-creation limits count per installation (token), not per repository.
    limiterFor(repo: RepoState) {
      const key = repo.installationId === null ? `repo:${repo.id}` : `installation:${repo.installationId}`;
      let limiter = limiters.get(key);
      if (!limiter) limiters.set(key, (limiter = new CommitRateLimiter(options.rateLimits, now, options.minCommitGapMs)));
      return limiter;
    },
  };

  function flusher(repoId: number): RepoFlusher {
    let found = flushers.get(repoId);
    if (!found) flushers.set(repoId, (found = new RepoFlusher(repoId, flusherDeps)));
    return found;
  }

  async function pruneNow(): Promise<void> {
    const at = now();
    if (at - lastPrune < PRUNE_EVERY_MS) return;
    lastPrune = at;
    const removed = await writeStore.prune(at - options.retentionMs, at);
    if (removed > 0) log.debug({ removed }, "pruned finished writes");
  }

  async function flushAll(): Promise<void> {
    const repoIds = new Set([...(await writeStore.pendingRepos()), ...flushers.keys()]);
    await Promise.all([...repoIds].map((repoId) => flusher(repoId).flushNow()));
  }

  /** Refuses new writes, flushes for at most stopTimeoutMs, then stops every flusher. */
  async function stopAll(): Promise<void> {
    stopping = true;
    const flushed = flushAll().then(
      () => true,
      (error: unknown) => {
        log.error({ err: error }, "flushing writes on shutdown failed");
        return true;
      },
    );
    const done = await Promise.race([flushed, delay(options.stopTimeoutMs, false, { ref: false })]);
    shutdown.abort();
    // A commit still in flight is not waited for long: if it lands, the next start finds it by its trailers.
    await Promise.race([Promise.all([...flushers.values()].map((f) => f.idle())), delay(STOP_GRACE_MS, undefined, { ref: false })]);
    const { length: left } = await writeStore.pendingRepos();
    if (!done || left > 0) log.warn({ repos: left }, "stopped with writes still queued; they are committed on the next start");
  }

  return {
    options,

    async accept(request) {
      if (stopping) throw new UnavailableError("gitdisk is shutting down; retry the write in a moment");
      // Before the write: its synced commit then makes the name durable too.
      await nameRepoOnce(request.repo);
      const accepted = await acceptWrite(request, {
        store,
        writeStore,
        schemas,
        newWriteId,
        newRecordUlid: () => newRecordUlid(now()),
        now,
      });
      stats.accepted += 1;
      flusher(request.repo.id).notify();
      void pruneNow().catch((error: unknown) => log.warn({ err: error }, "pruning finished writes failed"));
      return accepted;
    },

    async write(writeId) {
      const write = await writeStore.getWrite(writeId);
      return write ? view(write) : null;
    },

    async waitFor(writeId, timeoutMs = options.maxWaitMs) {
      const waiter = waiters.wait(writeId, Math.min(timeoutMs, options.maxWaitMs));
      try {
        const write = await writeStore.getWrite(writeId);
        if (!write || write.status === "committed" || write.status === "failed") return write ? view(write) : null;
        await waiter.settled;
      } finally {
        waiter.cancel();
      }
      const write = await writeStore.getWrite(writeId);
      return write ? view(write) : null;
    },

    status: (repoId) => writeStore.status(repoId),
    repoIdByName: (owner, name) => writeStore.repoIdByName(`${owner}/${name}`),
    flushNow: flushAll,
    async flushDue() {
      const repoIds = await writeStore.pendingRepos();
      await Promise.all(repoIds.map((repoId) => flusher(repoId).flushDue()));
    },
    stats: () => ({ ...stats }),

    async start() {
      const repoIds = await writeStore.pendingRepos();
      if (repoIds.length > 0) log.info({ repos: repoIds.length }, "resuming queued writes");
      for (const repoId of repoIds) flusher(repoId).notify();
    },

    stop() {
      stopped ??= stopAll();
      return stopped;
    },
  };
}
