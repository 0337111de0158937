/** (a) Installing on a 5,000-file repository: gitdisk's mirror vs listing the tree and GETting every file. */

import type { RepoName } from "../naive/naive-github.js";
import { outcomeOf } from "../support/client-process.js";
import { now } from "../support/measure.js";
import type { BenchRow } from "../support/report.js";
import { type BenchContext, fullName, measureGitdisk, measureNaive, naiveTarget, rowOf } from "./bench-context.js";

/** Requests a naive downloader keeps in flight (GitHub advises against many concurrent requests). */
export const NAIVE_DOWNLOAD_CONCURRENCY = 8;

export async function installWorkload(context: BenchContext, repo: RepoName, label: string): Promise<BenchRow[]> {
  const { sim, checks } = context;
  const head = sim.head(fullName(repo))!;
  const files = (await sim.tree(fullName(repo))).length;
  const client = context.clientFor(repo);

  context.progress(`${label}: gitdisk`);
  const gitdisk = await measureGitdisk(context, async () => {
    const start = now();
    sim.install(repo.owner, [repo.name]);
    // Measured until the mirror answers at the head: the moment a website could read it.
    const status = await client.waitForStatus((current) => current.sha === head, 120_000);
    const wallMs = now() - start;
    await sim.webhooks.settled();
    return { wallMs, status };
  });
  checks.expect(
    `${label}: gitdisk mirrors every file`,
    gitdisk.result.status.files === files,
    `${gitdisk.result.status.files} of ${files} files at ${head.slice(0, 7)}`,
  );

  context.progress(`${label}: naive`);
  const naive = await measureNaive(context, {
    kind: "naive-download-branch",
    ...naiveTarget(context, repo),
    branch: "main",
    concurrency: NAIVE_DOWNLOAD_CONCURRENCY,
  });
  const fetched = outcomeOf(naive.result, "reads").reads;
  checks.expect(
    `${label}: naive downloads every file intact`,
    fetched.requests === files && fetched.mismatches === 0,
    `${fetched.requests} files, ${fetched.mismatches} mismatches`,
  );

  return [
    rowOf(label, "gitdisk", gitdisk, gitdisk.result.wallMs, { files }),
    rowOf(label, "naive", naive, naive.result.wallMs, { files, "in flight": NAIVE_DOWNLOAD_CONCURRENCY }),
  ];
}
