import { pino } from "pino";
import type { Logger } from "probot";
import type { WriteBatch, WriteStore } from "../../../src/store/write-store.js";
import type { BranchClient, BranchLookup } from "../../../src/writeback/branch-client.js";
import { type CommitBatchDeps, commitBatch } from "../../../src/writeback/commit-batch.js";
import { writeRecord } from "../../helpers/write-fixtures.js";

/**
 * A branch someone pushes to while the commit waits for its turn under the rate limits: each wait
 * moves the head. A head read before the wait would always be stale by the time of the commit.
 */
function busyBranch() {
  const events: string[] = [];
  // Gives up after a few turns, so committing on a stale head fails the test instead of spinning forever.
  const patience = new AbortController();
  let turns = 0;
  let head = "head-0";
  let moves = 0;
  const client = {
    async lookup(): Promise<BranchLookup> {
      events.push(`history lookup ${head}`);
      return { head, own: null };
    },
    async head(): Promise<string> {
      events.push(`read head ${head}`);
      return head;
    },
    async createCommit(expected: string): Promise<string> {
      events.push(`commit on ${expected}`);
      if (expected !== head) throw staleHead();
      return "gitdisk-commit";
    },
  } as unknown as BranchClient;
  const throttle = async () => {
    events.push("wait for the rate limiter");
    if (++turns > 5) patience.abort();
    head = `head-${++moves}`; // a person pushed meanwhile
  };
  return { client, throttle, events, signal: patience.signal };
}

const staleHead = () => Object.assign(new Error("stale"), { errors: [{ type: "STALE_DATA", message: "Expected branch to point to x" }] });

function batchOf(path: string): WriteBatch {
  return { id: `batch-${path}`, repoId: 7, branch: "main", owner: "test", baseSha: null, attempts: 0, writes: [writeRecord(path, "{}\n")] };
}

function depsWith(overrides: Partial<CommitBatchDeps> & Pick<CommitBatchDeps, "client">): CommitBatchDeps {
  return {
    writeStore: { recordAttempt: async () => undefined } as unknown as WriteStore,
    now: () => 0,
    throttle: async () => undefined,
    sleep: async () => undefined,
    backoffMs: () => 0,
    onRetry: () => undefined,
    signal: new AbortController().signal,
    log: pino({ level: "silent" }) as unknown as Logger,
    ...overrides,
  };
}

describe("commitBatch", () => {
  it("waits its turn before reading the head, so the head it commits on is fresh", async () => {
    const branch = busyBranch();
    const outcome = await commitBatch(
      batchOf("data/likes/p/a.json"),
      "head-0",
      depsWith({ client: branch.client, throttle: branch.throttle, signal: branch.signal }),
    );
    expect(outcome).toMatchObject({ kind: "committed", commit: "gitdisk-commit", parent: "head-2" });
    expect(branch.events).toEqual([
      "wait for the rate limiter",
      "commit on head-0", // the mirror's head, already stale: one retry
      "wait for the rate limiter",
      "read head head-2", // a clean refusal: nothing of ours landed, the head alone will do
      "commit on head-2",
    ]);
  });

  it("searches the history after a head move when an earlier attempt's outcome is unknown", async () => {
    const branch = busyBranch();
    const resumed = { ...batchOf("data/likes/p/c.json"), attempts: 1 }; // sent before a crash
    const outcome = await commitBatch(
      resumed,
      "head-0",
      depsWith({ client: branch.client, throttle: branch.throttle, signal: branch.signal }),
    );
    expect(outcome).toMatchObject({ kind: "committed", parent: "head-1" });
    expect(branch.events).toEqual(["wait for the rate limiter", "history lookup head-1", "commit on head-1"]);
  });

  it("backs off after repeated head moves, but never longer than a few seconds", async () => {
    const sleeps: number[] = [];
    let attempts = 0;
    const client = {
      head: async () => `head-${attempts}`,
      async createCommit(): Promise<string> {
        if (++attempts <= 8) throw staleHead();
        return "gitdisk-commit";
      },
    } as unknown as BranchClient;
    const outcome = await commitBatch(
      batchOf("data/likes/p/b.json"),
      "head-0",
      depsWith({ client, sleep: async (ms) => void sleeps.push(ms), backoffMs: (n) => 1_000 * 2 ** (n - 1) }),
    );
    expect(outcome).toMatchObject({ kind: "committed", commit: "gitdisk-commit" });
    // Three free retries, then 1 s, 2 s, 4 s, and the cap.
    expect(sleeps).toEqual([1_000, 2_000, 4_000, 5_000, 5_000]);
  });

  it("takes the new head from the push that moved it, reading it only when no push is announced in time", async () => {
    const branch = busyBranch();
    const heads: string[] = [];
    const announced = async (refused: string) => {
      branch.events.push(`announced after ${refused}`);
      return refused === "head-0" ? "head-2" : null; // the first move is announced, the second is not
    };
    let commits = 0;
    const client = {
      ...branch.client,
      head: branch.client.head.bind(branch.client),
      async createCommit(expected: string): Promise<string> {
        branch.events.push(`commit on ${expected}`);
        if (++commits < 3) throw staleHead();
        return "gitdisk-commit";
      },
    } as unknown as BranchClient;
    const outcome = await commitBatch(
      batchOf("data/likes/p/d.json"),
      "head-0",
      depsWith({
        client,
        throttle: branch.throttle,
        signal: branch.signal,
        announcedHead: announced,
        onHead: (head) => void heads.push(head),
      }),
    );
    expect(outcome).toMatchObject({ kind: "committed", commit: "gitdisk-commit", parent: "head-3" });
    expect(branch.events).toEqual([
      "wait for the rate limiter",
      "commit on head-0",
      "wait for the rate limiter",
      "announced after head-0",
      "commit on head-2", // no read: the webhook told
      "wait for the rate limiter",
      "announced after head-2",
      "read head head-3", // nothing announced within the wait: read
      "commit on head-3",
    ]);
    expect(heads).toEqual(["head-2", "head-3", "gitdisk-commit"]);
  });

  it("sends a first attempt on the head heard of once the branch has settled, not on the one it started with", async () => {
    const branch = busyBranch();
    const outcome = await commitBatch(
      batchOf("data/likes/p/e.json"),
      "head-0",
      depsWith({
        client: branch.client,
        throttle: branch.throttle,
        signal: branch.signal,
        settledHead: async () => {
          branch.events.push("settled: head-1 heard of");
          return "head-1";
        },
      }),
    );
    expect(outcome).toMatchObject({ kind: "committed", commit: "gitdisk-commit", parent: "head-1" });
    expect(branch.events).toEqual(["wait for the rate limiter", "settled: head-1 heard of", "commit on head-1"]);
  });

  it("makes no commit for a batch the branch already holds, and says so instead of naming someone else's head", async () => {
    const events: string[] = [];
    const missingDeletion = Object.assign(new Error("missing"), {
      errors: [{ type: "UNPROCESSABLE", message: "A path was requested for deletion which does not exist as of commit oid `head-0`" }],
    });
    const client = {
      async createCommit(expected: string): Promise<string> {
        events.push(`commit on ${expected}`);
        throw missingDeletion;
      },
      async existingPaths(at: string, paths: string[]): Promise<Set<string>> {
        events.push(`which of ${paths.join(", ")} exist at ${at}`);
        return new Set();
      },
    } as unknown as BranchClient;
    const batch: WriteBatch = { ...batchOf("unused"), writes: [writeRecord("data/likes/p/gone.json", null)] };
    const outcome = await commitBatch(batch, "head-0", depsWith({ client }));
    expect(outcome).toEqual({ kind: "already-applied", head: "head-0" });
    expect(events).toEqual(["commit on head-0", "which of data/likes/p/gone.json exist at head-0"]);
  });
});
