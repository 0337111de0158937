/** The naive read path: one Contents API GET per file, a fixed number in flight. */
import { gitBlobSha } from "../../src/git/blob-sha.js";
import { now, runPool, summarizeLatencies, type LatencySummary } from "../support/measure.js";
import type { NaiveGitHub, RepoName } from "./naive-github.js";

export interface FetchEachResult {
  requests: number;
  /** Decoded file bytes received. */
  fileBytes: number;
  /** Files missing, or whose bytes do not hash to the sha GitHub gave. */
  mismatches: number;
  latency: LatencySummary;
  wallMs: number;
}

export async function fetchEach(github: NaiveGitHub, repo: RepoName, paths: readonly string[], concurrency: number): Promise<FetchEachResult> {
  const latencies: number[] = new Array(paths.length);
  let fileBytes = 0;
  let mismatches = 0;
  const start = now();
  await runPool(paths, concurrency, async (filePath, index) => {
    const requestStart = now();
    const file = await github.getFile(repo, filePath);
    latencies[index] = now() - requestStart;
    if (!file || gitBlobSha(file.content) !== file.sha) mismatches++;
    fileBytes += file?.content.length ?? 0;
  });
  return { requests: paths.length, fileBytes, mismatches, latency: summarizeLatencies(latencies), wallMs: now() - start };
}
