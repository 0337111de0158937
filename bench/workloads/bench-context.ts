/**
 * What every workload gets, and the two ways of measuring one side of it: gitdisk (the long-running
 * server process, driven by the bench or by a client process) and the naive client (a client process
 * per job). Both count GitHub calls and bytes with the simulator's metrics and give the peak RSS
 * during the work of the process doing it.
 */

import type { Simulator } from "../../test/github-sim/start-simulator.js";
import type { GitdiskProcess } from "../../test/helpers/gitdisk-process.js";
import { processMemory } from "../../test/helpers/process-memory.js";
import type { ClientJob, ClientJobResult, GitdiskTarget, GitHubTarget } from "../clients/client-job.js";
import type { RepoName } from "../naive/naive-github.js";
import { runClientJob } from "../support/client-process.js";
import type { GitdiskClient } from "../support/gitdisk-client.js";
import { type GitHubUsage, withGitHubUsage } from "../support/github-usage.js";
import type { GraphqlTap } from "../support/graphql-tap.js";
import { resetPeakRss } from "../support/measure.js";
import type { BenchRow, Checks, MemoryFigure, Way } from "../support/report.js";

export interface BenchContext {
  sim: Simulator;
  gitdisk: GitdiskProcess;
  tap: GraphqlTap;
  checks: Checks;
  /** Progress lines on stderr, so stdout holds only the results. */
  progress(line: string): void;
  clientFor(repo: RepoName): GitdiskClient;
}

export function fullName(repo: RepoName): string {
  return `${repo.owner}/${repo.name}`;
}

export interface Measured<T> {
  result: T;
  usage: GitHubUsage;
  memory: MemoryFigure;
}

/** Runs `work` against the gitdisk server, its peak RSS reset first so the figure belongs to this workload. */
export async function measureGitdisk<T>(context: BenchContext, work: () => Promise<T>): Promise<Measured<T>> {
  const pid = context.gitdisk.child.pid!;
  const rssBeforeBytes = processMemory(pid)?.rssBytes ?? null;
  const peakIsPerWorkload = resetPeakRss(pid);
  const { result, usage } = await withGitHubUsage(context.sim, work);
  if (!peakIsPerWorkload) context.progress("  (could not reset the server's peak RSS: the figure is its peak since start)");
  return { result, usage, memory: { peakRssBytes: context.gitdisk.peakRssBytes(), rssBeforeBytes } };
}

/** Runs one naive job in a client process; the memory figure is that process's. */
export async function measureNaive(context: BenchContext, job: ClientJob): Promise<Measured<ClientJobResult>> {
  const { result, usage } = await withGitHubUsage(context.sim, () => runClientJob(job));
  return { result, usage, memory: { peakRssBytes: result.peakRssBytes, rssBeforeBytes: result.rssAtStartBytes } };
}

/** The naive side's credentials: the simulator's personal access token, which sees every repository. */
export function naiveTarget(context: BenchContext, repo: RepoName): GitHubTarget {
  return { apiUrl: context.sim.apiUrl, token: context.sim.personalAccessToken, repo };
}

/** Where gitdisk's client processes send their requests. */
export function gitdiskTarget(context: BenchContext, repo: RepoName): GitdiskTarget {
  return { url: context.gitdisk.url, apiKey: context.gitdisk.apiKey, repo };
}

/** A table row from a measured side: its GitHub usage and memory, with the wall time and figures the workload chose. */
export function rowOf(workload: string, way: Way, measured: Measured<unknown>, wallMs: number, details: BenchRow["details"]): BenchRow {
  return {
    workload,
    way,
    githubCalls: measured.usage.calls,
    bytesFromGitHub: measured.usage.bytesDownloaded,
    wallMs,
    memory: measured.memory,
    details,
  };
}
