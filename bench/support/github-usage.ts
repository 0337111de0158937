/** What a workload cost on GitHub, as the simulator counted it: requests and response bytes, per endpoint. */
import type { Simulator } from "../../test/github-sim/start-simulator.js";

export interface GitHubUsage {
  calls: number;
  /** Response body bytes GitHub sent: what the client downloaded. */
  bytesDownloaded: number;
  byEndpoint: Record<string, { calls: number; bytes: number }>;
}

/**
 * Counts only the requests made while `work` runs. Workloads run one after another and the bench
 * keeps nothing else talking to the simulator, so a reset before and a snapshot after isolate them.
 */
export async function withGitHubUsage<T>(sim: Simulator, work: () => Promise<T>): Promise<{ result: T; usage: GitHubUsage }> {
  sim.metrics.reset();
  const result = await work();
  const snapshot = sim.metrics.snapshot();
  const byEndpoint = Object.fromEntries(
    Object.entries(snapshot.byEndpoint).map(([key, stats]) => [key, { calls: stats.requests, bytes: stats.bytesOut }]),
  );
  return { result, usage: { calls: snapshot.requests, bytesDownloaded: snapshot.bytesOut, byEndpoint } };
}

/** Calls to endpoints whose key matches, e.g. /^PUT \/repos\/.*\/contents\// . */
export function callsTo(usage: GitHubUsage, endpoint: RegExp): number {
  return Object.entries(usage.byEndpoint).reduce((sum, [key, stats]) => sum + (endpoint.test(key) ? stats.calls : 0), 0);
}
