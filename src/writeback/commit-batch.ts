import type { Logger } from "probot";
import type { WriteBatch, WriteStore } from "../store/write-store.js";
import type { BranchClient } from "./branch-client.js";
import { classifyCommitError, commitErrorReason } from "./classify-commit-error.js";
import { collapseWrites, type FileChanges, isEmptyChange } from "./collapse-writes.js";
import { commitMessage } from "./commit-message.js";

export type BatchOutcome =
  /** `parent` is the commit it was made on, when known; `changes` what it changed. */
  | { kind: "committed"; commit: string; parent: string | null; changes: FileChanges; recovered: boolean }
  /**
   * The branch already is what the batch asks for (it only deleted files someone else removed), so no
   * commit was made; `head` is the branch head that holds it, someone else's commit.
   */
  | { kind: "already-applied"; head: string }
  /** `contentRefused`: GitHub refused something in the commit; without the offending write the rest may pass. */
  | { kind: "failed"; reason: string; contentRefused?: boolean }
  /** Stopped between attempts (shutdown); the batch stays `committing` and is resumed on the next start. */
  | { kind: "interrupted" };

export interface CommitBatchDeps {
  client: BranchClient;
  writeStore: WriteStore;
  /** Waits until the content-creation limits allow one more commit, and counts it. */
  throttle(): Promise<void>;
  sleep(ms: number): Promise<void>;
  /** Wait before retry `n` (1, 2, …) after an unknown outcome or repeated head moves. */
  backoffMs(n: number): number;
  signal: AbortSignal;
  log: Logger;
  /** Told of each failed attempt that will be retried, for `/status` and the stats. */
  onRetry(kind: "stale-head" | "unknown", reason: string): void;
  /**
   * After a refusal for a moved head: the new head, when a push webhook announces it within a short
   * wait, so the retry costs no read; null to read it from GitHub.
   */
  announcedHead?(refused: string): Promise<string | null>;
  /**
   * Before a first attempt: waits for a moment a commit is unlikely to race a push (see
   * BranchHeads.retryMoment), then gives the newest head heard of meanwhile (null: keep the expected one).
   */
  settledHead?(): Promise<string | null>;
  /** Told each branch head learned from GitHub: a read, a history lookup, a commit of ours. */
  onHead?(head: string): void;
}

/** Head moves retried at once before backing off: someone pushing in a loop must not make us spin. */
const FREE_STALE_RETRIES = 3;
/**
 * A moved head means a busy branch, not an overloaded GitHub: waiting minutes would only let a
 * steady pusher win every race. The rate limiter still bounds the attempts.
 */
const MAX_STALE_BACKOFF_MS = 5_000;
/** GitHub refusing a deletion our probe said was possible twice over is not going to change. */
const MAX_DELETION_PROBES = 2;

/**
 * Commits one batch exactly once, on top of whatever the branch head is, changing only its paths.
 * One API call when the expected head is right. When the head moved, a retry on the new head, which
 * the push that moved it announces (else one read). When an outcome is unknown, a lookup of recent
 * history comes before any retry, so a commit whose response was lost is recognised by its trailers,
 * never repeated.
 */
export async function commitBatch(batch: WriteBatch, expectedHead: string | null, deps: CommitBatchDeps): Promise<BatchOutcome> {
  const message = commitMessage(batch.writes);
  const writeIds = new Set(batch.writes.map((write) => write.id));
  let changes = collapseWrites(batch.writes);
  let expected = expectedHead;
  let stopAt = batch.baseSha;
  // How to learn the head before the next attempt: "history" when an attempt of ours may already be on
  // the branch (sent before a crash, or of unknown outcome), so its trailers must be searched for;
  // "head" after a clean refusal for a moved head, when nothing of ours can be there; null to go on.
  let refresh: "history" | "head" | null = batch.attempts > 0 || expected === null ? "history" : null;
  let mustProbeDeletions = false;
  let deletionProbes = 0;
  let staleRetries = 0;
  let unknownRetries = 0;

  while (!deps.signal.aborted) {
    try {
      // Before the lookup, not between it and the commit: a head read a second ago is stale on a busy branch.
      await deps.throttle();
      if (refresh !== null) {
        let head: string | null;
        if (refresh === "history") {
          const found = await deps.client.lookup(writeIds, stopAt);
          if (found.own) return { kind: "committed", commit: found.own.oid, parent: found.own.parent, changes, recovered: true };
          head = found.head;
        } else {
          head = (expected === null ? null : await deps.announcedHead?.(expected)) ?? (await deps.client.head());
        }
        if (head === null) return { kind: "failed", reason: `branch ${batch.branch} does not exist` };
        deps.onHead?.(head);
        expected = head;
        refresh = null;
      } else if (deps.settledHead) {
        expected = (await deps.settledHead()) ?? expected;
      }
      if (mustProbeDeletions) {
        const existing = await deps.client.existingPaths(expected!, changes.deletions);
        changes = { ...changes, deletions: changes.deletions.filter((path) => existing.has(path)) };
        mustProbeDeletions = false;
      }
      // Only deletions of files already gone: the branch already is what the batch asks for.
      if (isEmptyChange(changes)) return { kind: "already-applied", head: expected! };

      await deps.writeStore.recordAttempt(batch.id, expected);
      stopAt ??= expected;
      const commit = await deps.client.createCommit(expected!, message, changes);
      deps.onHead?.(commit);
      return { kind: "committed", commit, parent: expected, changes, recovered: false };
    } catch (error) {
      const kind = classifyCommitError(error);
      const reason = commitErrorReason(error);
      if (kind === "permanent") return { kind: "failed", reason };
      // Halving puts writes back in the queue as new: only safe when no attempt of ours may still land.
      if (kind === "content-refused") return { kind: "failed", reason, contentRefused: unknownRetries === 0 };
      if (kind === "missing-deletion") {
        if (++deletionProbes > MAX_DELETION_PROBES) return { kind: "failed", reason };
        mustProbeDeletions = true;
        continue;
      }
      deps.onRetry(kind, reason);
      if (kind === "stale-head") {
        // A timed-out or crashed attempt may still land later; only its trailers in the history can tell.
        refresh = batch.attempts > 0 || unknownRetries > 0 ? "history" : "head";
        staleRetries += 1;
        deps.log.debug({ batch: batch.id, expected }, "branch head moved; refreshing and retrying");
        if (staleRetries > FREE_STALE_RETRIES)
          await deps.sleep(Math.min(MAX_STALE_BACKOFF_MS, deps.backoffMs(staleRetries - FREE_STALE_RETRIES)));
      } else {
        refresh = "history";
        unknownRetries += 1;
        deps.log.warn({ batch: batch.id, reason, retry: unknownRetries }, "commit outcome unknown; will look for it before retrying");
        await deps.sleep(deps.backoffMs(unknownRetries));
      }
    }
  }
  return { kind: "interrupted" };
}
