/** (c) 10,000 reads of mirrored files: gitdisk's read API vs GitHub's Contents API, same files, same concurrency. */
import { gitBlobSha } from "../../src/git/blob-sha.js";
import { now, runPool, summarizeLatencies } from "../support/measure.js";
import type { BenchRow } from "../support/report.js";
import type { RepoName } from "../naive/naive-github.js";
import { fullName, measureGitdisk, measureNaive, naiveCredentials, type BenchContext } from "./bench-context.js";

export const READ_CONCURRENCY = 32;

export async function readsWorkload(context: BenchContext, repo: RepoName, reads: number, label: string): Promise<BenchRow[]> {
  const { checks } = context;
  const tree = await context.sim.tree(fullName(repo));
  // A stride coprime with the file count visits files all over the tree, every one about equally often.
  const paths = Array.from({ length: reads }, (_, i) => tree[(i * 7919) % tree.length]!.path);
  const expected = new Map(tree.map((file) => [file.path, file.sha]));
  const client = context.clientFor(repo);

  context.progress(`${label}: gitdisk`);
  const gitdisk = await measureGitdisk(context, async () => {
    const latencies: number[] = new Array(paths.length);
    let wrong = 0;
    const start = now();
    await runPool(paths, READ_CONCURRENCY, async (filePath, index) => {
      const requestStart = now();
      const read = await client.readFile(filePath);
      latencies[index] = now() - requestStart;
      if (read.status !== 200 || gitBlobSha(read.body) !== expected.get(filePath)) wrong++;
    });
    return { wallMs: now() - start, latency: summarizeLatencies(latencies), wrong };
  });
  checks.expect(`${label}: gitdisk answers every read with the right bytes`, gitdisk.result.wrong === 0, `${gitdisk.result.wrong} wrong of ${reads}`);
  checks.expect(`${label}: gitdisk reads call GitHub 0 times`, gitdisk.usage.calls === 0, `${gitdisk.usage.calls} calls`);

  context.progress(`${label}: naive`);
  const naive = await measureNaive(context, { kind: "fetch-paths", ...naiveCredentials(context, repo), paths, concurrency: READ_CONCURRENCY });
  const fetched = naive.result.outcome.kind === "fetch" ? naive.result.outcome.fetch : null;
  checks.expect(`${label}: naive reads intact`, fetched?.mismatches === 0, `${fetched?.mismatches} mismatches`);

  const figures = (wallMs: number, latency: { p50Ms: number; p99Ms: number }) => ({
    "req/s": reads / (wallMs / 1000),
    p50: `${latency.p50Ms.toFixed(2)} ms`,
    p99: `${latency.p99Ms.toFixed(2)} ms`,
    "in flight": READ_CONCURRENCY,
  });
  return [
    { workload: label, way: "gitdisk", githubCalls: gitdisk.usage.calls, bytesFromGitHub: gitdisk.usage.bytesDownloaded, wallMs: gitdisk.result.wallMs, memory: gitdisk.memory, details: figures(gitdisk.result.wallMs, gitdisk.result.latency) },
    {
      workload: label,
      way: "naive",
      githubCalls: naive.usage.calls,
      bytesFromGitHub: naive.usage.bytesDownloaded,
      wallMs: naive.result.wallMs,
      memory: naive.memory,
      details: fetched ? figures(naive.result.wallMs, fetched.latency) : {},
    },
  ];
}
