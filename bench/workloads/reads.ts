/** (c) 10,000 reads of mirrored files: gitdisk's read API vs GitHub's Contents API, same files, same concurrency. */
import type { ClientJobResult } from "../clients/client-job.js";
import type { RepoName } from "../naive/naive-github.js";
import { outcomeOf, runClientJob } from "../support/client-process.js";
import { processCpuMs } from "../support/measure.js";
import type { BenchRow } from "../support/report.js";
import { type BenchContext, fullName, gitdiskTarget, measureGitdisk, measureNaive, naiveTarget, rowOf } from "./bench-context.js";

export const READ_CONCURRENCY = 32;
/** GitHub's primary rate limit for a personal access token or an installation (at least; up to 12,500 for large organisations). */
export const REQUESTS_PER_HOUR = 5_000;

function percentOfWall(cpuMs: number | null, wallMs: number): string {
  return cpuMs === null ? "n/a" : `${Math.round((cpuMs / wallMs) * 100)}%`;
}

/** The client's and the server's CPU use show which side set the pace. */
function figures(client: ClientJobResult, serverCpuMs: number | null, serverLabel: string): Record<string, string | number> {
  const reads = outcomeOf(client, "reads").reads;
  return {
    "req/s": reads.requests / (reads.wallMs / 1000),
    p50: `${reads.latency.p50Ms.toFixed(2)} ms`,
    p99: `${reads.latency.p99Ms.toFixed(2)} ms`,
    "in flight": READ_CONCURRENCY,
    [`CPU ${serverLabel}`]: percentOfWall(serverCpuMs, client.wallMs),
    "CPU client": percentOfWall(client.cpuMs, client.wallMs),
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
  const serverPid = context.gitdisk.child.pid!;
  const gitdisk = await measureGitdisk(context, async () => {
    const cpuBefore = processCpuMs(serverPid);
    const client = await runClientJob({ kind: "gitdisk-reads", ...gitdiskTarget(context, repo), ...job });
    const cpuAfter = processCpuMs(serverPid);
    return { client, serverCpuMs: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore };
  });
  const gitdiskReads = outcomeOf(gitdisk.result.client, "reads").reads;
  checks.expect(
    `${label}: gitdisk answers every read with the right bytes`,
    gitdiskReads.mismatches === 0,
    `${gitdiskReads.mismatches} wrong of ${reads}`,
  );
  checks.expect(`${label}: gitdisk reads call GitHub 0 times`, gitdisk.usage.calls === 0, `${gitdisk.usage.calls} calls`);

  context.progress(`${label}: naive`);
  // The simulator runs in this process: its CPU use is this process's (its git helper processes not included).
  const simCpuBefore = processCpuMs("self");
  const naive = await measureNaive(context, { kind: "naive-reads", ...naiveTarget(context, repo), ...job });
  const simCpuMs = processCpuMs("self")! - simCpuBefore!;
  const naiveReads = outcomeOf(naive.result, "reads").reads;
  checks.expect(`${label}: naive reads intact`, naiveReads.mismatches === 0, `${naiveReads.mismatches} mismatches`);

  return [
    rowOf(label, "gitdisk", gitdisk, gitdiskReads.wallMs, figures(gitdisk.result.client, gitdisk.result.serverCpuMs, "server")),
    rowOf(label, "naive", naive, naiveReads.wallMs, {
      ...figures(naive.result, simCpuMs, "simulator"),
      "on real GitHub (computed)": `${(naive.usage.calls / REQUESTS_PER_HOUR).toFixed(1)} h of a ${REQUESTS_PER_HOUR.toLocaleString("en-US")}/h rate limit`,
    }),
  ];
}
