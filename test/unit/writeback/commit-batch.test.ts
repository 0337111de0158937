import { pino } from "pino";
import type { Logger } from "probot";
import type { WriteBatch, WriteStore } from "../../../src/store/write-store.js";
import type { BranchClient, BranchLookup } from "../../../src/writeback/branch-client.js";
import { commitBatch } from "../../../src/writeback/commit-batch.js";
import { writeRecord } from "./write-fixtures.js";

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
      events.push(`lookup ${head}`);
      return { head, own: null };
    },
    async createCommit(expected: string): Promise<string> {
      events.push(`commit on ${expected}`);
      if (expected !== head) throw Object.assign(new Error("stale"), { errors: [{ type: "STALE_DATA", message: "Expected branch to point to x" }] });
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

describe("commitBatch", () => {
  it("waits its turn before reading the head, so the head it commits on is fresh", async () => {
    const branch = busyBranch();
    const batch: WriteBatch = { id: "b1", repoId: 7, branch: "main", baseSha: null, attempts: 0, writes: [writeRecord("data/likes/p/a.json", "{}\n")] };
    const outcome = await commitBatch(batch, "head-0", {
      client: branch.client,
      writeStore: { recordAttempt: async () => undefined } as unknown as WriteStore,
      throttle: branch.throttle,
      sleep: async () => undefined,
      backoffMs: () => 0,
      onRetry: () => undefined,
      signal: branch.signal,
      log: pino({ level: "silent" }) as unknown as Logger,
    });
    expect(outcome).toMatchObject({ kind: "committed", commit: "gitdisk-commit", parent: "head-2" });
    expect(branch.events).toEqual([
      "wait for the rate limiter",
      "commit on head-0", // the mirror's head, already stale: one retry
      "wait for the rate limiter",
      "lookup head-2",
      "commit on head-2",
    ]);
  });
});
