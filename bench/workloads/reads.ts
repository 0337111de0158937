/** (c) 10,000 reads of mirrored files: gitdisk's read API vs GitHub's Contents API, same files, same concurrency. */
import type { ReadEachResult } from "../clients/read-each.js";
import { outcomeOf, runClientJob } from "../support/client-process.js";
import type { BenchRow } from "../support/report.js";
import type { RepoName } from "../naive/naive-github.js";
import { fullName, gitdiskTarget, measureGitdisk, measureNaive, naiveTarget, type BenchContext } from "./bench-context.js";

export const READ_CONCURRENCY = 32;

function figures(reads: ReadEachResult): Record<string, string | number> {
  return {
    "req/s": reads.requests / (reads.wallMs / 1000),
    p50: `${reads.latency.p50Ms.toFixed(2)} ms`,
    p99: `${reads.latency.p99Ms.toFixed(2)} ms`,
    "in flight": READ_CONCURRENCY,
  };
}

export async function readsWorkload(context: BenchContext, repo: RepoName, reads: number, label: string): Promise<BenchRow[]> {
  const { checks } = context;
  const tree = await context.sim.tree(fullName(repo));
  // A stride coprime with the file count visits files all over the tree, every one about equally often.
  const paths = Array.from({ length: reads }, (_, i) => tree[(i * 7919) % tree.length]!.path);
  const expectedShas = Object.fromEntries(tree.map((file) => [file.path, file.sha]));
  const job = { paths, expectedShas, concurrency: READ_CONCURRENCY };

  context.progress(`${label}: gitdisk`);
  const gitdisk = await measureGitdisk(context, async () => outcomeOf(await runClientJob({ kind: "gitdisk-reads", ...gitdiskTarget(context, repo), ...job }), "reads").reads);
  checks.expect(`${label}: gitdisk answers every read with the right bytes`, gitdisk.result.mismatches === 0, `${gitdisk.result.mismatches} wrong of ${reads}`);
  checks.expect(`${label}: gitdisk reads call GitHub 0 times`, gitdisk.usage.calls === 0, `${gitdisk.usage.calls} calls`);

  context.progress(`${label}: naive`);
  const naive = await measureNaive(context, { kind: "naive-reads", ...naiveTarget(context, repo), ...job });
  const fetched = outcomeOf(naive.result, "reads").reads;
  checks.expect(`${label}: naive reads intact`, fetched.mismatches === 0, `${fetched.mismatches} mismatches`);

  return [
    { workload: label, way: "gitdisk", githubCalls: gitdisk.usage.calls, bytesFromGitHub: gitdisk.usage.bytesDownloaded, wallMs: gitdisk.result.wallMs, memory: gitdisk.memory, details: figures(gitdisk.result) },
    { workload: label, way: "naive", githubCalls: naive.usage.calls, bytesFromGitHub: naive.usage.bytesDownloaded, wallMs: fetched.wallMs, memory: naive.memory, details: figures(fetched) },
  ];
}
