import Bottleneck from "bottleneck";
import { ProbotOctokit } from "probot";

/** How many times a request is retried after GitHub says "slow down" before it fails for good. */
const RATE_LIMIT_RETRIES = 3;

/**
 * Probot's Octokit already carries the retry and throttling plugins; this only tunes them.
 * Probot's defaults retry rate-limited requests forever, which would hang a write flush or a
 * sync indefinitely; a bounded number of retries lets the caller record the failure and move on.
 */
type Octokit = InstanceType<typeof ProbotOctokit>;
type RateLimitHandler = (retryAfter: number, options: { method: string; url: string }, octokit: Octokit, retryCount: number) => boolean;

const retryABoundedNumberOfTimes =
  (what: string): RateLimitHandler =>
  (retryAfter, options, octokit, retryCount) => {
    octokit.log.warn(`GitHub ${what} hit on ${options.method} ${options.url}: retry ${retryCount + 1} in ${retryAfter}s`);
    return retryCount < RATE_LIMIT_RETRIES;
  };

/**
 * The throttling plugin spaces every GraphQL request 1 s apart, reads included, in one queue shared
 * by all installations: a sync fetching blobs in batches would wait a second per batch, and one busy
 * repository would slow every other. This group lets them through. Content creation stays paced by
 * the write-back's CommitRateLimiter, which can tell a mutation from a query (at least 1 s apart,
 * within GitHub's per-minute and per-hour limits, per installation); gitdisk makes no REST writes.
 */
const unspacedGraphql = new Bottleneck.Group({ id: "gitdisk-graphql" });

/**
 * A function, not an object: Probot merges its own throttle options over object defaults,
 * which would silently put its retry-forever handlers back.
 */
export const GitdiskOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  throttle: {
    ...(options.throttle as object | undefined),
    write: unspacedGraphql,
    onRateLimit: retryABoundedNumberOfTimes("rate limit"),
    onSecondaryRateLimit: retryABoundedNumberOfTimes("secondary rate limit"),
  },
}));
