import { pino } from "pino";
import { type Logger, ProbotOctokit } from "probot";
import { DEFAULT_WRITEBACK_OPTIONS } from "../../../src/config/writeback-options.js";
import { writeIdsIn } from "../../../src/git/commit-trailers.js";
import { createWriteback, type Writeback } from "../../../src/writeback/create-writeback.js";
import { keyLike } from "../../helpers/write-fixtures.js";
import {
  committed,
  createHarness,
  FAST,
  fakeGraphql,
  type Harness,
  HEAD,
  history,
  isMutation,
  mutationInput,
  REPO_ID,
} from "./writeback-harness.js";

const C1 = "c1".repeat(20);
const silent = pino({ level: "silent" }) as unknown as Logger;

const testOctokit = () =>
  new ProbotOctokit({ auth: { token: "test-token" }, retry: { enabled: false }, throttle: { enabled: false }, log: silent });

/** A second write-back on the same store, as another process sharing it would run. */
function otherProcess(h: Harness, owner: string): Writeback {
  const octokit = testOctokit();
  return createWriteback({
    store: h.store,
    writeStore: h.writeStore,
    graphqlFor: async () => octokit.graphql,
    log: silent,
    options: FAST,
    owner,
  });
}

describe("flushers claiming batches from one store", () => {
  let h: Harness;
  let other: Writeback;

  beforeEach(async () => {
    h = await createHarness();
    other = otherProcess(h, "process-b");
  });
  afterEach(async () => {
    await other.stop();
    await h.close();
  });

  const like = async (doc: string, user: string) => h.writeback.accept(keyLike(await h.repo(), doc, user));

  it("two owners flushing at once commit each batch once", async () => {
    const accepted = [await like("a", "alice"), await like("b", "bob")];
    // One commit is scripted: a second one, of the same batch, would find no answer and fail the test.
    const { calls, scope } = fakeGraphql([committed(C1)]);

    await Promise.all([h.writeback.flushNow(), other.flushNow()]);

    expect(scope.isDone()).toBe(true);
    expect(calls.map(isMutation)).toEqual([true]);
    expect(writeIdsIn(mutationInput(calls[0]!).message.body)).toEqual(accepted.map((write) => write.writeId));
    for (const write of accepted) expect(await h.writeback.write(write.writeId)).toMatchObject({ status: "committed", commit: C1 });
  });

  it("takes over a batch whose owner's lease lapsed, finds its attempt on the branch, and fences the stale owner out", async () => {
    const accepted = await like("a", "alice");
    // A process claimed the batch, sent it, and went silent past its lease; its commit did land.
    const stale = (await h.writeStore.claimBatch(
      REPO_ID,
      { owner: "process-c", leaseMs: 1 },
      { maxPaths: 10, maxWrites: 10, maxBytes: 1e6 },
      "B-stale",
      Date.now() - 10,
    ))!;
    await h.writeStore.recordAttempt(stale, HEAD, Date.now() - 10);
    const { calls } = fakeGraphql([
      history([{ oid: C1, message: `gitdisk: 1 like\n\nGitdisk-Write: ${accepted.writeId}\nGitdisk-User: alice`, parent: HEAD }]),
    ]);

    await other.flushNow();

    expect(calls.map(isMutation)).toEqual([false]);
    expect(await other.write(accepted.writeId)).toMatchObject({ status: "committed", commit: C1 });
    await expect(h.writeStore.failBatch(stale, "too late", Date.now())).rejects.toThrow("no longer claimed");
    expect(await other.write(accepted.writeId)).toMatchObject({ status: "committed", commit: C1 });
  });

  it("a scheduled flush (flushDue) commits what is due by its clock, as its own owner, and leaves the rest queued", async () => {
    const due = await like("a", "alice");
    const octokit = testOctokit();
    let at = Date.now();
    const scheduled = createWriteback({
      store: h.store,
      writeStore: h.writeStore,
      graphqlFor: async () => octokit.graphql,
      log: silent,
      options: FAST,
      owner: "scheduled-flush",
      now: () => at,
    });
    try {
      await scheduled.flushDue(); // within the flush window: nothing is due
      expect(await h.writeback.write(due.writeId)).toMatchObject({ status: "queued" });
      const { calls } = fakeGraphql([committed(C1)]);
      at += FAST.flushWindowMs ?? DEFAULT_WRITEBACK_OPTIONS.flushWindowMs;
      await scheduled.flushDue();

      expect(calls.map(isMutation)).toEqual([true]);
      expect(await h.writeback.write(due.writeId)).toMatchObject({ status: "committed", commit: C1 });
    } finally {
      await scheduled.stop();
    }
  });
});
