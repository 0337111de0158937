import { ProbotOctokit } from "probot";

/** How many times a request is retried after GitHub says "slow down" before it fails for good. */
const RATE_LIMIT_RETRIES = 3;

/**
 * Probot's Octokit already carries the retry and throttling plugins; this only tunes them.
 * Probot's defaults retry rate-limited requests forever, which would hang a write flush or a
 * sync indefinitely; a bounded number of retries lets the caller record the failure and move on.
 */
export const GitdiskOctokit = ProbotOctokit.defaults({
  throttle: {
    onRateLimit: (retryAfter: number, options: { method: string; url: string }, octokit: InstanceType<typeof ProbotOctokit>, retryCount: number) => {
      octokit.log.warn(`GitHub rate limit hit on ${options.method} ${options.url}: retry ${retryCount + 1} in ${retryAfter}s`);
      return retryCount < RATE_LIMIT_RETRIES;
    },
    onSecondaryRateLimit: (retryAfter: number, options: { method: string; url: string }, octokit: InstanceType<typeof ProbotOctokit>, retryCount: number) => {
      octokit.log.warn(`GitHub secondary rate limit hit on ${options.method} ${options.url}: retry ${retryCount + 1} in ${retryAfter}s`);
      return retryCount < RATE_LIMIT_RETRIES;
    },
  },
});
