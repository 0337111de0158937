/**
 * What the bench asks of a client process, and what it answers (JSON both ways). Every load runs in
 * a client process of its own: its timers are not delayed by the simulator's work in the bench
 * process, and the naive client's memory is measured as a process, like gitdisk's server.
 */

import type { RepoName } from "../naive/naive-github.js";
import type { NaiveWritesResult } from "../naive/naive-writes.js";
import type { VisitorSessions } from "../support/gitdisk-client.js";
import type { AckedWrite, PlannedWrite } from "../support/write-plan.js";
import type { GitdiskWritesResult } from "./gitdisk-writes.js";
import type { ReadEachResult } from "./read-each.js";

/** The naive client talks to GitHub with a personal access token. */
export interface GitHubTarget {
  apiUrl: string;
  token: string;
  repo: RepoName;
}

/**
 * gitdisk's clients talk to its data API with the site key: reads, /status, and writes acting for the
 * user named in X-Gitdisk-User, unless `visitors` is given.
 */
export interface GitdiskTarget {
  url: string;
  apiKey: string;
  repo: RepoName;
  /** Signed-in visitors: each write sent with its user's session cookie from a listed origin, without the key. */
  visitors?: VisitorSessions;
}

export type ClientJob =
  | (GitHubTarget & { kind: "naive-download-branch"; branch: string; concurrency: number })
  | (GitHubTarget & { kind: "naive-reads"; paths: string[]; expectedShas: Record<string, string>; concurrency: number })
  | (GitHubTarget & { kind: "naive-writes"; plan: PlannedWrite[][]; pauseMaxMs: number })
  | (GitdiskTarget & { kind: "gitdisk-reads"; paths: string[]; expectedShas: Record<string, string>; concurrency: number })
  | (GitdiskTarget & { kind: "gitdisk-writes"; plan: PlannedWrite[][]; pauseMaxMs: number });

export type ClientOutcome =
  | { kind: "reads"; reads: ReadEachResult }
  | { kind: "naive-writes"; writes: NaiveWritesResult }
  | { kind: "gitdisk-writes"; writes: GitdiskWritesResult };

export interface ClientJobResult {
  outcome: ClientOutcome;
  /** The job alone, without the process's start-up. */
  wallMs: number;
  /** CPU time the client process used for the job: near wallMs means the client, not the server, set the pace. */
  cpuMs: number;
  /** The process's RSS before it did anything: node and the module loader alone. */
  rssAtStartBytes: number | null;
  peakRssBytes: number | null;
}

export type { AckedWrite };
