import type { Env } from "./env-text.js";
import { envSecondsAsMs, envWholeNumber } from "./env-whole-number.js";

/**
 * At most `count` commits in any `perMs` window, `burst` of them back to back; the rest of the
 * allowance comes back evenly, at (count - burst) per `perMs`.
 */
export interface RateLimit {
  count: number;
  perMs: number;
  burst: number;
}

/**
 * GitHub's secondary limits on content creation: about 80 requests a minute and 500 an hour.
 * Staying under them matters more than speed, since crossing them blocks the app for minutes.
 * Sustained, this allows one commit every 9 s.
 */
export const GITHUB_CONTENT_LIMITS: readonly RateLimit[] = [
  { count: 80, perMs: 60_000, burst: 40 },
  { count: 500, perMs: 3_600_000, burst: 100 },
];

export interface WritebackOptions {
  /** Writes arriving within this time of the first queued one share its commit. */
  flushWindowMs: number;
  /** Distinct files in one commit. */
  maxFilesPerCommit: number;
  /** Writes in one commit (each is one trailer line). */
  maxWritesPerCommit: number;
  /** Content bytes in one commit. */
  maxBytesPerCommit: number;
  /** Longest a `?wait=1` request waits for its commit before answering 202. */
  maxWaitMs: number;
  /** Longest `stop()` spends flushing before it gives up (what is left stays queued, durably). */
  stopTimeoutMs: number;
  /** A GitHub request taking longer is aborted; its outcome is looked up before any retry. */
  requestTimeoutMs: number;
  /** How long reads keep overlaying committed writes the mirror could not take yet. */
  overlayGraceMs: number;
  /**
   * After a commit the mirror could not take at once (it was behind the branch), how long push webhooks
   * get to bring the mirror there before the sync engine is asked to heal the repository: well within
   * `overlayGraceMs`, so reads do not lose the commit's writes when a webhook was missed.
   */
  mirrorCatchUpMs: number;
  /** How long finished writes stay answerable at `/writes/{id}`. */
  retentionMs: number;
  /** Wait before the first retry of an unknown outcome; doubles per retry up to `maxBackoffMs`. */
  backoffMs: number;
  maxBackoffMs: number;
  /** Per installation: content-creation limits every commit attempt counts against. */
  rateLimits: readonly RateLimit[];
  /** Per installation: the least time between two commit attempts. */
  minCommitGapMs: number;
  /**
   * After a commit refused for a moved head: how long the push webhook announcing the new head may take
   * before it is read from GitHub instead; also how long a branch that moved recently is watched for its
   * next push, so the retry goes out right after one (BranchHeads.retryMoment).
   */
  announcedHeadWaitMs: number;
}

export const DEFAULT_WRITEBACK_OPTIONS: WritebackOptions = {
  flushWindowMs: 2_000,
  maxFilesPerCommit: 500,
  maxWritesPerCommit: 2_000,
  maxBytesPerCommit: 20 * 1024 * 1024,
  maxWaitMs: 10_000,
  stopTimeoutMs: 10_000,
  requestTimeoutMs: 60_000,
  overlayGraceMs: 120_000,
  mirrorCatchUpMs: 15_000,
  retentionMs: 24 * 3_600_000,
  backoffMs: 1_000,
  maxBackoffMs: 60_000,
  rateLimits: GITHUB_CONTENT_LIMITS,
  minCommitGapMs: 1_000,
  announcedHeadWaitMs: 1_000,
};

/** The write-back's settings from the environment; every one optional. */
export function readWritebackOptions(env: Env): WritebackOptions {
  const defaults = DEFAULT_WRITEBACK_OPTIONS;
  return {
    ...defaults,
    flushWindowMs: envWholeNumber(env, "GITDISK_FLUSH_WINDOW_MS", { fallback: defaults.flushWindowMs, min: 1, max: 3_600_000 }),
    // Every file of a commit travels in its one request: the cap keeps that request a sane size.
    maxFilesPerCommit: envWholeNumber(env, "GITDISK_MAX_FILES_PER_COMMIT", { fallback: defaults.maxFilesPerCommit, min: 1, max: 1_000 }),
    maxWaitMs: envSecondsAsMs(env, "GITDISK_WRITE_WAIT_SECONDS", { fallbackMs: defaults.maxWaitMs, min: 1, max: 300 }),
    stopTimeoutMs: envSecondsAsMs(env, "GITDISK_STOP_TIMEOUT_SECONDS", { fallbackMs: defaults.stopTimeoutMs, min: 1, max: 600 }),
  };
}
