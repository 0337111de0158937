import type { Logger } from "probot";
import type { AppliedCommits } from "../applied-commits.js";
import type { BranchHeads } from "../branch-heads.js";
import { createMirrorFilter, type MirrorFilter } from "../config/mirror-filter.js";
import type { WritebackOptions } from "../config/writeback-options.js";
import { filterInTurns, nextTurn } from "../next-turn.js";
import { ClaimLostError } from "../store/claim-lost-error.js";
import type { MirrorStore, RepoState } from "../store/store.js";
import type { BatchClaim, WriteBatch, WriteStore } from "../store/write-store.js";
import type { BranchClient } from "./branch-client.js";
import { classifyCommitError, commitErrorReason } from "./classify-commit-error.js";
import { type BatchOutcome, commitBatch } from "./commit-batch.js";
import type { CommitRateLimiter } from "./commit-rate-limiter.js";
import type { WriteWaiters } from "./write-waiters.js";
import type { WritebackStats } from "./writeback-stats.js";

export interface FlusherDeps {
  store: MirrorStore;
  writeStore: WriteStore;
  /** A client for the repository's branch, authenticated as its installation. */
  clientFor(repo: RepoState, branch: string): Promise<BranchClient>;
  limiterFor(repo: RepoState): CommitRateLimiter;
  options: WritebackOptions;
  now(): number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  newBatchId(): string;
  /** Whom this flusher claims batches as: the store hands each batch to one owner at a time. */
  claim: BatchClaim;
  waiters: WriteWaiters;
  stats: WritebackStats;
  /** Branch heads heard of from push webhooks and our own commits. */
  heads: BranchHeads;
  /** Told of each commit applied to the mirror here, so its push webhook need not sync it. */
  appliedCommits: AppliedCommits;
  log: Logger;
  /** Aborted by shutdown: no new attempt starts after it. */
  signal: AbortSignal;
  /** Brings the repository's mirror to its branch head now (the sync engine's heal); none in tests that do not need it. */
  catchUpMirror?(repoId: number): Promise<unknown>;
}

/**
 * Why a drain runs: `now` commits everything queued, ignoring the flush window; `timer` fired once the
 * oldest write's window passed; `scheduled` (Writeback.flushDue) knows nothing of the window yet. Only the
 * in-process ones schedule the next flush when they end.
 */
type DrainMode = "now" | "timer" | "scheduled";

/** Writes (the newest of distinct paths) per commit whose files show whether the mirror has caught up with it. */
const CATCH_UP_SAMPLE = 20;

/** Commits the mirror could not take at once: the content it must show for a sample of their paths, the newest commit. */
interface PendingCatchUp {
  expected: Map<string, string | null>;
  commit: string;
}

/**
 * The head to expect for the next commit: the newest one heard of (our last commit, or a push webhook
 * that continued it, before the sync engine has mirrored it), else the mirror's. A wrong guess costs
 * one refused call, never a write.
 */
export function expectedHeadFor(repo: Pick<RepoState, "branch" | "sha">, branch: string, heard: string | null): string | null {
  return heard ?? (branch === repo.branch ? repo.sha : null);
}

/**
 * Flushes one repository's queue: waits a flush window from the oldest queued write (longer when the
 * rate limits say so), commits batches one at a time (so writes to a record land in acceptance order),
 * and applies each commit to the mirror itself, so the push webhook it causes costs no API call.
 */
export class RepoFlusher {
  readonly #repoId: number;
  readonly #deps: FlusherDeps;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  /**
   * Set while hunting for a write GitHub refuses: batches hold at most this many writes, halved at each
   * refusal, until the write is alone in its batch and fails by itself. Each refused write in a queue
   * of n costs about 2·log2(n) extra attempts, instead of failing every write that shared its batch.
   */
  #maxWritesWhileHunting: number | null = null;
  #catchUp: PendingCatchUp | null = null;

  constructor(repoId: number, deps: FlusherDeps) {
    this.#repoId = repoId;
    this.#deps = deps;
  }

  /** A write was queued: make sure a flush is coming. */
  notify(): void {
    if (this.#timer || this.#running || this.#deps.signal.aborted) return;
    this.#schedule(this.#deps.options.flushWindowMs);
  }

  /** Flushes everything queued now, ignoring the window (not the rate limits); resolves when the queue is empty or stopped. */
  async flushNow(): Promise<void> {
    while (this.#running) await this.#running;
    this.#clearTimer();
    await this.#run("now");
  }

  /**
   * Commits the batches due now (one left from before, queued writes whose window has passed), after
   * any flush in progress, and schedules nothing: the work of one scheduled flush (see Writeback.flushDue).
   */
  async flushDue(): Promise<void> {
    while (this.#running) await this.#running;
    await this.#run("scheduled");
  }

  /** Stops the timer and waits for a commit in flight; what is queued stays queued, durably. */
  async idle(): Promise<void> {
    this.#clearTimer();
    while (this.#running) await this.#running;
  }

  #clearTimer(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(delayMs: number): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      // A flush already running schedules the next one when it ends.
      if (!this.#running) void this.#run("timer");
    }, delayMs);
    this.#timer.unref?.();
  }

  /** One drain at a time; afterwards, writes that arrived meanwhile get their flush scheduled (not by a scheduled flush). */
  #run(mode: DrainMode): Promise<void> {
    const run = this.#drain(mode)
      .catch((error: unknown) => this.#deps.log.error({ err: error, repoId: this.#repoId }, "flushing writes failed"))
      .finally(() => {
        if (this.#running === run) this.#running = undefined;
        if (mode !== "scheduled") void this.#rescheduleIfQueued();
      });
    this.#running = run;
    return run;
  }

  /** The next flush: a window after the oldest queued write, or later when the rate limits want a pause. */
  async #rescheduleIfQueued(): Promise<void> {
    const { writeStore, store, options, now, signal, log } = this.#deps;
    try {
      if (signal.aborted || this.#timer || this.#running) return;
      const { oldestQueuedAt } = await writeStore.status(this.#repoId);
      const repo = await store.getRepo(this.#repoId);
      if (oldestQueuedAt === null || this.#timer || this.#running || signal.aborted) return;
      const limiterWait = repo ? this.#deps.limiterFor(repo).waitMs() : 0;
      this.#schedule(Math.max(0, oldestQueuedAt + options.flushWindowMs - now(), limiterWait));
    } catch (error) {
      log.error({ err: error, repoId: this.#repoId }, "could not schedule the next flush");
    }
  }

  /**
   * Commits batches while one is due: a batch left from before, or queued writes whose window has
   * passed (all of them in mode `now`). Writes that arrived during a commit wait for their window,
   * so under load each commit carries many writes.
   */
  async #drain(mode: DrainMode): Promise<void> {
    const { writeStore, store, options, now, signal, log } = this.#deps;
    for (let first = true; !signal.aborted; first = false) {
      if (mode === "scheduled" || (mode === "timer" && !first)) {
        const { oldestQueuedAt } = await writeStore.status(this.#repoId);
        if (oldestQueuedAt !== null && oldestQueuedAt + options.flushWindowMs > now()) return;
      }
      const repo = await store.getRepo(this.#repoId);
      const limits = {
        maxPaths: options.maxFilesPerCommit,
        maxWrites: Math.min(options.maxWritesPerCommit, this.#maxWritesWhileHunting ?? Infinity),
        maxBytes: options.maxBytesPerCommit,
      };
      // Null too when another owner (process) holds the repository's batch: it commits it.
      const batch = await writeStore.claimBatch(this.#repoId, this.#deps.claim, limits, this.#deps.newBatchId(), now());
      if (!batch) {
        this.#maxWritesWhileHunting = null;
        return;
      }
      try {
        if (!repo) {
          await this.#fail(batch, "the repository is no longer installed");
          continue;
        }
        const outcome = await this.#commit(repo, batch);
        if (outcome.kind === "interrupted") return;
        if (outcome.kind === "committed") await this.#committed(repo, batch, outcome);
        else if (outcome.kind === "already-applied") await this.#alreadyApplied(repo, batch, outcome.head);
        else if (outcome.contentRefused && batch.writes.length > 1) await this.#shrink(batch, outcome.reason);
        else {
          if (outcome.contentRefused) this.#maxWritesWhileHunting = null; // found: the rest may go in full batches again
          await this.#fail(batch, outcome.reason);
        }
      } catch (error) {
        if (error instanceof ClaimLostError) {
          // Our lease lapsed and another owner took the batch over: it finds any attempt of ours by its trailers.
          log.warn({ repoId: this.#repoId, batch: batch.id, owner: error.owner }, "another owner took over the batch");
          return;
        }
        // The store or the client factory failed; the batch stays `committing` and is retried next time.
        log.error({ err: error, repoId: this.#repoId, batch: batch.id }, "flushing writes failed");
        await writeStore.noteError(this.#repoId, commitErrorReason(error)).catch(() => undefined);
        await this.#deps.sleep(options.backoffMs, signal);
      }
    }
  }

  async #commit(repo: RepoState, batch: WriteBatch): Promise<BatchOutcome> {
    const { writeStore, options, signal, log, stats } = this.#deps;
    let client: BranchClient;
    try {
      client = await this.#deps.clientFor(repo, batch.branch);
    } catch (error) {
      if (classifyCommitError(error) !== "permanent") throw error;
      return { kind: "failed", reason: `no access to ${repo.owner}/${repo.name}: ${commitErrorReason(error)}` };
    }
    const limiter = this.#deps.limiterFor(repo);
    const { heads } = this.#deps;
    return commitBatch(batch, expectedHeadFor(repo, batch.branch, heads.get(repo.id, batch.branch)), {
      client,
      writeStore,
      now: this.#deps.now,
      signal,
      log,
      sleep: (ms) => this.#deps.sleep(ms, signal),
      backoffMs: (n) => Math.min(options.maxBackoffMs, options.backoffMs * 2 ** (n - 1)),
      throttle: async () => {
        for (let wait = limiter.waitMs(); wait > 0 && !signal.aborted; wait = limiter.waitMs()) await this.#deps.sleep(wait, signal);
        limiter.take();
      },
      onRetry: (kind, reason) => {
        if (kind === "stale-head") stats.staleHeads += 1;
        else stats.unknownOutcomes += 1;
        void writeStore.noteError(repo.id, reason).catch(() => undefined);
      },
      settledHead: async () => {
        await heads.retryMoment(repo.id, batch.branch, options.announcedHeadWaitMs, signal);
        return heads.get(repo.id, batch.branch);
      },
      announcedHead: async (refused) => {
        await heads.retryMoment(repo.id, batch.branch, options.announcedHeadWaitMs, signal);
        return heads.changedFrom(repo.id, batch.branch, refused, options.announcedHeadWaitMs, signal);
      },
      onHead: (head) => heads.set(repo.id, batch.branch, head),
    });
  }

  async #committed(repo: RepoState, batch: WriteBatch, outcome: Extract<BatchOutcome, { kind: "committed" }>): Promise<void> {
    const { store, writeStore, options, now, stats, log, waiters } = this.#deps;
    const { commit, parent, changes } = outcome;
    // A recovered commit of unknown parent waits for the sync engine.
    let mirrored = false;
    // The mirror keeps what the sync engine would have fetched for this commit, no more.
    const filter = createMirrorFilter(repo.config.mirror);
    if (parent !== null && batch.branch === repo.branch) {
      // A commit holds up to hundreds of files: requests get their turns while the filter, the mirror and the queue take them.
      const kept = await filterInTurns(
        changes.additions,
        (file) => filter.acceptsPath(file.path) && filter.acceptsSize(file.content.length),
      );
      const keptPaths = new Set(kept.map((file) => file.path));
      mirrored = await store.applyChanges(repo.id, {
        fromSha: parent,
        toSha: commit,
        upserts: kept.map(({ path, content, sha }) => ({ path, content, sha, size: content.length })),
        deletes: [...changes.deletions, ...changes.additions.filter((file) => !keptPaths.has(file.path)).map((file) => file.path)],
        // The batch's writes are still overlaid until it completes: readers cannot tell its files from what they see.
        origin: "writeback",
      });
      if (mirrored) this.#deps.appliedCommits.announce(repo.id, commit);
    }
    // Meanwhile reads still overlay the batch's writes, which hold what the mirror now holds.
    await nextTurn();
    await writeStore.completeBatch(batch, commit, now(), mirrored ? undefined : now() + options.overlayGraceMs);
    stats.commits += 1;
    if (outcome.recovered) stats.recovered += 1;
    stats.committedWrites += batch.writes.length;
    log.info(
      {
        repo: `${repo.owner}/${repo.name}`,
        branch: batch.branch,
        commit,
        writes: batch.writes.length,
        files: changes.additions.length + changes.deletions.length,
        recovered: outcome.recovered,
      },
      "committed writes",
    );
    waiters.settle(batch.writes.map((write) => write.id));
    this.#expectInMirror(repo, batch, commit, mirrored, filter);
  }

  /**
   * The branch already held everything the batch asks for: its writes are done, with no commit of
   * ours to name (the head that holds them is someone else's), and nothing for the mirror to take.
   */
  async #alreadyApplied(repo: RepoState, batch: WriteBatch, head: string): Promise<void> {
    const { writeStore, now, stats, log, waiters } = this.#deps;
    await writeStore.completeBatch(batch, null, now());
    stats.alreadyApplied += 1;
    stats.committedWrites += batch.writes.length;
    log.info(
      { repo: `${repo.owner}/${repo.name}`, branch: batch.branch, head, writes: batch.writes.length },
      "writes already applied on the branch: no commit needed",
    );
    waiters.settle(batch.writes.map((write) => write.id));
  }

  /**
   * A commit's own push webhook normally brings the mirror to it within seconds. When that webhook (or
   * one before it) was missed, reads would lose the commit's writes once their overlay ends, so the
   * mirror is checked `mirrorCatchUpMs` after the first commit it could not take, against the newest
   * content of a sample of paths of every commit since, and healed if it lacks any. A commit the mirror
   * took at once proves it has everything before it.
   */
  #expectInMirror(repo: RepoState, batch: WriteBatch, commit: string, mirrored: boolean, filter: MirrorFilter): void {
    if (!this.#deps.catchUpMirror || batch.branch !== repo.branch) return;
    if (mirrored) {
      this.#catchUp = null;
      return;
    }
    const catchUp = this.#catchUp ?? { expected: new Map<string, string | null>(), commit };
    catchUp.commit = commit;
    const sampled = new Set<string>();
    for (let index = batch.writes.length - 1; index >= 0 && sampled.size < CATCH_UP_SAMPLE; index--) {
      const write = batch.writes[index]!;
      if (sampled.has(write.path) || !filter.acceptsPath(write.path) || !filter.acceptsSize(write.content?.length ?? 0)) continue;
      sampled.add(write.path);
      catchUp.expected.set(write.path, write.op === "delete" ? null : write.sha);
    }
    if (this.#catchUp) return;
    this.#catchUp = catchUp;
    void this.#catchUpLater(repo.id, catchUp);
  }

  async #catchUpLater(repoId: number, catchUp: PendingCatchUp): Promise<void> {
    const { store, options, signal, log, catchUpMirror } = this.#deps;
    await this.#deps.sleep(options.mirrorCatchUpMs, signal);
    // Settled meanwhile: a later commit went into the mirror at once.
    if (this.#catchUp !== catchUp) return;
    this.#catchUp = null;
    try {
      for (const [path, sha] of catchUp.expected) {
        if (((await store.getFile(repoId, path))?.sha ?? null) === sha) continue;
        if (signal.aborted) return;
        log.info(
          { repoId, commit: catchUp.commit, path },
          "the mirror has not caught up with the write-back's commits: healing the repository",
        );
        await catchUpMirror!(repoId);
        return;
      }
    } catch (error) {
      log.warn(
        { err: error, repoId, commit: catchUp.commit },
        "could not bring the mirror up to the write-back's commits; the periodic heal will",
      );
    }
  }

  /** GitHub refused something in the batch: retry its first half, the rest waits in the queue, in order. */
  async #shrink(batch: WriteBatch, reason: string): Promise<void> {
    const keep = Math.ceil(batch.writes.length / 2);
    this.#maxWritesWhileHunting = keep;
    await this.#deps.writeStore.shrinkBatch(batch, keep);
    this.#deps.log.warn(
      { repoId: this.#repoId, batch: batch.id, writes: batch.writes.length, keep, reason },
      "GitHub refused the commit's content; retrying a smaller batch to find the write it refuses",
    );
  }

  async #fail(batch: WriteBatch, reason: string): Promise<void> {
    const { writeStore, now, stats, log, waiters } = this.#deps;
    await writeStore.failBatch(batch, reason, now());
    stats.failedWrites += batch.writes.length;
    log.warn({ repoId: this.#repoId, batch: batch.id, writes: batch.writes.length, reason }, "writes failed for good");
    waiters.settle(batch.writes.map((write) => write.id));
  }
}
