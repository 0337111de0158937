/** What the bench asks of the naive child process, and what it answers (JSON both ways). */
import type { PlannedWrite } from "../support/write-plan.js";
import type { RepoName } from "./naive-github.js";
import type { FetchEachResult } from "./naive-reads.js";
import type { NaiveWritesResult } from "./naive-writes.js";

interface Credentials {
  apiUrl: string;
  token: string;
  repo: RepoName;
}

export type NaiveJob =
  | (Credentials & { kind: "download-branch"; branch: string; concurrency: number })
  | (Credentials & { kind: "fetch-paths"; paths: string[]; concurrency: number })
  | (Credentials & { kind: "writes"; plan: PlannedWrite[][] });

export interface NaiveJobResult {
  outcome: { kind: "fetch"; fetch: FetchEachResult } | { kind: "writes"; writes: NaiveWritesResult };
  /** The job alone, without the child's start-up. */
  wallMs: number;
  /** The child's RSS before it did anything: node and the module loader alone. */
  rssAtStartBytes: number | null;
  peakRssBytes: number | null;
}
