import { ConfigError } from "../errors.js";
import { GITHUB_CONTENT_LIMITS, type RateLimit } from "./commit-rate-limiter.js";

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

type Env = Record<string, string | undefined>;

function positive(env: Env, name: string, fallback: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new ConfigError(`${name} must be a whole number from 1 to ${max}, got ${JSON.stringify(raw)}`, { name });
  }
  return value;
}

/** The write-back's settings from the environment; every one optional. */
export function readWritebackOptions(env: Env = process.env): WritebackOptions {
  const defaults = DEFAULT_WRITEBACK_OPTIONS;
  return {
    ...defaults,
    flushWindowMs: positive(env, "GITDISK_FLUSH_WINDOW_MS", defaults.flushWindowMs, 3_600_000),
    // Every file of a commit travels in its one request: the cap keeps that request a sane size.
    maxFilesPerCommit: positive(env, "GITDISK_MAX_FILES_PER_COMMIT", defaults.maxFilesPerCommit, 1_000),
    maxWaitMs: positive(env, "GITDISK_WRITE_WAIT_SECONDS", defaults.maxWaitMs / 1000, 300) * 1000,
    stopTimeoutMs: positive(env, "GITDISK_STOP_TIMEOUT_SECONDS", defaults.stopTimeoutMs / 1000, 600) * 1000,
  };
}
