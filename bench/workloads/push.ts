/** (b) A push changing 500 files in 30 commits: gitdisk's incremental sync vs one GET per changed file. */
import { gitBlobSha } from "../../src/git/blob-sha.js";
import type { RepoName } from "../naive/naive-github.js";
import { outcomeOf } from "../support/client-process.js";
import { now } from "../support/measure.js";
import type { BenchRow } from "../support/report.js";
import { bigPush } from "../support/site-fixture.js";
import { type BenchContext, fullName, measureGitdisk, measureNaive, naiveTarget, rowOf } from "./bench-context.js";
import { NAIVE_DOWNLOAD_CONCURRENCY } from "./install.js";

export async function pushWorkload(context: BenchContext, repo: RepoName, existingPages: number, label: string): Promise<BenchRow[]> {
  const { sim, checks } = context;
  const push = bigPush(existingPages, 500, 30);
  const client = context.clientFor(repo);

  context.progress(`${label}: gitdisk`);
  // The webhook is held while the simulator builds the 30 commits, so the clock starts when GitHub would send it.
  sim.webhooks.hold();
  const pushed = await sim.push(fullName(repo), { commits: push.commits });
  const head = pushed.after!;
  const gitdisk = await measureGitdisk(context, async () => {
    const start = now();
    sim.webhooks.release();
    await client.waitForStatus((current) => current.sha === head, 120_000);
    const wallMs = now() - start;
    await sim.webhooks.settled();
    return { wallMs };
  });
  const expectedShas = Object.fromEntries((await sim.tree(fullName(repo))).map((file) => [file.path, file.sha]));
  let wrong = 0;
  for (const filePath of push.writtenPaths) {
    const read = await client.readFile(filePath);
    if (read.status !== 200 || gitBlobSha(read.body) !== expectedShas[filePath]) wrong++;
  }
  for (const filePath of push.deletedPaths) if ((await client.readFile(filePath)).status !== 404) wrong++;
  checks.expect(
    `${label}: gitdisk serves the pushed state`,
    wrong === 0,
    `${push.writtenPaths.length} written and ${push.deletedPaths.length} deleted paths checked, ${wrong} wrong`,
  );

  // The naive client learns the changed paths from the push webhook's payload, which costs no call.
  context.progress(`${label}: naive`);
  const naive = await measureNaive(context, {
    kind: "naive-reads",
    ...naiveTarget(context, repo),
    paths: push.writtenPaths,
    expectedShas,
    concurrency: NAIVE_DOWNLOAD_CONCURRENCY,
  });
  const fetched = outcomeOf(naive.result, "reads").reads;
  checks.expect(
    `${label}: naive downloads every changed file intact`,
    fetched.mismatches === 0,
    `${fetched.requests} files, ${fetched.mismatches} mismatches`,
  );

  const changed = { "files changed": push.writtenPaths.length + push.deletedPaths.length, commits: pushed.commits.length };
  return [
    rowOf(label, "gitdisk", gitdisk, gitdisk.result.wallMs, changed),
    rowOf(label, "naive", naive, naive.result.wallMs, { ...changed, "in flight": NAIVE_DOWNLOAD_CONCURRENCY }),
  ];
}
