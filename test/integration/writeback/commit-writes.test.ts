import { gitBlobSha } from "../../../src/git/blob-sha.js";
import { writeIdsIn } from "../../../src/git/commit-trailers.js";
import { keyLike } from "../../helpers/write-fixtures.js";
import {
  committed,
  createHarness,
  decodedAdditions,
  FAST,
  fakeGraphql,
  file,
  type GraphqlCall,
  graphqlError,
  type Harness,
  HEAD,
  history,
  isMutation,
  mutationInput,
  REPO_ID,
  staleHead,
} from "./writeback-harness.js";

const C1 = "c1".repeat(20);
const C2 = "c2".repeat(20);
const THEIRS = "b".repeat(40);
/** The process that claimed a batch and died: its claim ends with it. */
const CRASHED = { owner: "crashed-process", leaseMs: 60_000 };

describe("committing writes to GitHub", () => {
  let h: Harness;

  beforeEach(async () => {
    h = await createHarness(undefined, [file("data/likes/old/zed.json", "{}\n"), file("README.md", "hi")]);
  });
  afterEach(async () => {
    await h.close();
  });

  const like = async (doc: string, user: string) => h.writeback.accept(keyLike(await h.repo(), doc, user));

  it("coalesces 100 writes into one commit made with one API call, and updates the mirror itself", async () => {
    const accepted = [];
    for (let i = 0; i < 100; i++) accepted.push(await like(`post-${i % 10}`, `user${i}`));
    const { calls, scope } = fakeGraphql([committed(C1)]);

    await h.writeback.flushNow();

    expect(scope.isDone()).toBe(true);
    expect(calls).toHaveLength(1);
    const input = mutationInput(calls[0]!);
    expect(input.branch).toEqual({ repositoryNameWithOwner: "octo/site", branchName: "main" });
    expect(input.expectedHeadOid).toBe(HEAD);
    expect(input.message.headline).toBe("gitdisk: 100 likes");
    expect(writeIdsIn(input.message.body)).toEqual(accepted.map((a) => a.writeId));
    expect(input.message.body).toContain("Gitdisk-User: user42");
    expect(input.fileChanges.deletions).toEqual([]);
    const files = decodedAdditions(calls[0]!);
    expect(Object.keys(files)).toHaveLength(100);
    expect(files["data/likes/post-3/user13.json"]).toBe('{\n  "_author": "user13",\n  "doc": "post-3"\n}\n');

    // The mirror is at the new commit, so the push webhook for it costs nothing.
    const repo = await h.repo();
    expect(repo.sha).toBe(C1);
    expect((await h.store.getFile(REPO_ID, "data/likes/post-3/user13.json"))?.sha).toBe(
      gitBlobSha(Buffer.from('{\n  "_author": "user13",\n  "doc": "post-3"\n}\n')),
    );
    expect(await h.store.getFile(REPO_ID, "README.md")).not.toBeNull();
    for (const { writeId } of accepted) expect(await h.writeback.write(writeId)).toMatchObject({ status: "committed", commit: C1 });
    expect(await h.writeback.status(REPO_ID)).toMatchObject({ pendingWrites: 0, lastCommit: C1, lastError: null });
    expect(h.writeback.stats()).toMatchObject({ accepted: 100, commits: 1, apiCalls: 1, committedWrites: 100 });
  });

  it("announces the commit it applied to the mirror, so that the commit's push webhook need not sync it", async () => {
    await like("a", "alice");
    fakeGraphql([committed(C1)]);

    await h.writeback.flushNow();

    expect(await h.appliedCommits.waitFor(REPO_ID, C1, 0)).toBe(true);
  });

  it("keeps out of the mirror what its include/exclude settings keep out", async () => {
    const repo = await h.repo();
    await h.store.updateRepo(REPO_ID, { config: { ...repo.config, mirror: { ...repo.config.mirror, exclude: ["data/likes/**"] } } });
    await like("a", "alice");
    await h.writeback.accept({
      actor: "key",
      repo: await h.repo(),
      collection: "profiles",
      action: "replace",
      id: "alice",
      data: { name: "A" },
      writer: { kind: "key", user: "alice" },
    });
    fakeGraphql([committed(C1)]);
    await h.writeback.flushNow();
    expect((await h.repo()).sha).toBe(C1);
    expect(await h.store.getFile(REPO_ID, "data/likes/a/alice.json")).toBeNull();
    expect(await h.store.getFile(REPO_ID, "data/users/alice.json")).not.toBeNull();
  });

  it("expects the head it committed last, with no lookup, for the next batch", async () => {
    await like("a", "alice");
    const { calls } = fakeGraphql([committed(C1), committed(C2)]);
    await h.writeback.flushNow();
    await like("b", "alice");
    await h.writeback.flushNow();
    expect(calls.map((c) => mutationInput(c).expectedHeadOid)).toEqual([HEAD, C1]);
    expect((await h.repo()).sha).toBe(C2);
  });

  it("on a moved head, looks up the live head once and commits on top of it, changing only its own paths", async () => {
    await like("a", "alice");
    const { calls } = fakeGraphql([
      staleHead(HEAD),
      history([
        { oid: THEIRS, message: "Someone else's edit", parent: HEAD },
        { oid: HEAD, message: "Before" },
      ]),
      committed(C1),
    ]);

    await h.writeback.flushNow();

    expect(calls.map(isMutation)).toEqual([true, false, true]);
    expect(calls[1]!.variables).toMatchObject({ owner: "octo", name: "site", ref: "refs/heads/main" });
    const retry = mutationInput(calls[2]!);
    expect(retry.expectedHeadOid).toBe(THEIRS);
    expect(retry.fileChanges).toEqual({ additions: [{ path: "data/likes/a/alice.json", contents: expect.any(String) }], deletions: [] });
    expect(h.writeback.stats()).toMatchObject({ commits: 1, staleHeads: 1, apiCalls: 3 });
    // The mirror is not at THEIRS yet, so it cannot take C1; reads keep showing the write meanwhile.
    expect((await h.repo()).sha).toBe(HEAD);
    const location = { collection: (await h.repo()).config.collections.likes!, id: "a/alice", path: "data/likes/a/alice.json" };
    expect((await h.records.read(await h.repo(), location)).data).toEqual({ _author: "alice", doc: "a" });
  });

  it("does not announce a commit the mirror could not take: its push webhook syncs it", async () => {
    await like("a", "alice");
    fakeGraphql([staleHead(HEAD), history([{ oid: THEIRS, message: "Someone else's edit", parent: HEAD }]), committed(C1)]);

    await h.writeback.flushNow();

    expect((await h.repo()).sha).toBe(HEAD);
    expect(await h.appliedCommits.waitFor(REPO_ID, C1, 0)).toBe(false);
  });

  describe("when the mirror could not take the commit at once", () => {
    const LIKE = "data/likes/a/alice.json";

    async function commitOnTheirs(catchUpMirror: (repoId: number) => Promise<unknown>, mirrorCatchUpMs = 300): Promise<void> {
      await h.close();
      h = await createHarness({ ...FAST, mirrorCatchUpMs }, [], { catchUpMirror });
      await like("a", "alice");
      fakeGraphql([staleHead(HEAD), history([{ oid: THEIRS, message: "Someone else's edit", parent: HEAD }]), committed(C1)]);
      await h.writeback.flushNow();
      expect((await h.repo()).sha).toBe(HEAD);
    }

    it("asks the sync engine to heal the repository if no webhook brought the mirror there in time", async () => {
      const healed: number[] = [];
      await commitOnTheirs(async (repoId) => healed.push(repoId));
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(healed).toEqual([REPO_ID]);
    });

    it("heals once for several such commits in a row", async () => {
      const healed: number[] = [];
      await commitOnTheirs(async (repoId) => healed.push(repoId), 1_500);
      await like("b", "bob");
      fakeGraphql([committed(C2)]);
      await h.writeback.flushNow();
      expect(h.writeback.stats()).toMatchObject({ commits: 2 });
      expect((await h.repo()).sha).toBe(HEAD);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(healed).toEqual([REPO_ID]);
    });

    it("does not, when the webhooks brought the mirror to the commit", async () => {
      const healed: number[] = [];
      await commitOnTheirs(async (repoId) => healed.push(repoId));
      const content = (await h.writeStore.overlayAt(REPO_ID, LIKE, Date.now()))!.content!;
      await h.store.applyChanges(REPO_ID, { fromSha: HEAD, toSha: C1, upserts: [file(LIKE, content.toString("utf8"))], deletes: [] });
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(healed).toEqual([]);
    });
  });

  it("recognises its own commit by the trailers when the response was lost, and never commits twice", async () => {
    const accepted = await like("a", "alice");
    const second = await like("b", "bob");
    const { calls, scope } = fakeGraphql([
      [502, { message: "Bad Gateway" }],
      (call) => {
        // GitHub did apply the first attempt: its message carries our write ids.
        const { headline, body } = mutationInput(calls[0]!).message;
        expect(call.variables.ref).toBe("refs/heads/main");
        return history([
          { oid: C1, message: `${headline}\n\n${body}`, parent: HEAD },
          { oid: HEAD, message: "Before" },
        ]);
      },
    ]);

    await h.writeback.flushNow();

    expect(scope.isDone()).toBe(true);
    expect(calls.filter(isMutation)).toHaveLength(1);
    expect(await h.writeback.write(accepted.writeId)).toMatchObject({ status: "committed", commit: C1 });
    expect(await h.writeback.write(second.writeId)).toMatchObject({ status: "committed", commit: C1 });
    expect((await h.repo()).sha).toBe(C1);
    expect(h.writeback.stats()).toMatchObject({ recovered: 1, unknownOutcomes: 1, commits: 1 });
  });

  it("retries an unknown outcome that did not land, on top of the head it finds", async () => {
    await like("a", "alice");
    const { calls } = fakeGraphql([[500, { message: "Internal error" }], history([{ oid: HEAD, message: "Before" }]), committed(C1)]);
    await h.writeback.flushNow();
    expect(calls.map(isMutation)).toEqual([true, false, true]);
    expect(mutationInput(calls[2]!).expectedHeadOid).toBe(HEAD);
    expect((await h.repo()).sha).toBe(C1);
  });

  it("resumes after a crash: looks for a batch that was being sent before committing it again", async () => {
    const accepted = await like("a", "alice");
    // The previous process formed the batch and sent it, then died before the answer.
    const batch = await h.writeStore.claimBatch(REPO_ID, CRASHED, { maxPaths: 10, maxWrites: 10, maxBytes: 1e6 }, "B-crashed", Date.now());
    await h.writeStore.recordAttempt(batch!, HEAD, Date.now());
    const queuedLater = await like("b", "bob");
    const writeback = await h.crashAndRestart();
    const { calls } = fakeGraphql([history([{ oid: HEAD, message: "Before" }]), committed(C1), committed(C2)]);

    await writeback.start();
    await writeback.flushNow();

    expect(calls.map(isMutation)).toEqual([false, true, true]);
    expect(Object.keys(decodedAdditions(calls[1]!))).toEqual(["data/likes/a/alice.json"]);
    expect(Object.keys(decodedAdditions(calls[2]!))).toEqual(["data/likes/b/bob.json"]);
    expect(await writeback.write(accepted.writeId)).toMatchObject({ status: "committed", commit: C1 });
    expect(await writeback.write(queuedLater.writeId)).toMatchObject({ status: "committed", commit: C2 });
  });

  it("resumes after a crash: a batch that was sent and landed is marked committed without a new commit", async () => {
    const accepted = await like("a", "alice");
    const batch = await h.writeStore.claimBatch(REPO_ID, CRASHED, { maxPaths: 10, maxWrites: 10, maxBytes: 1e6 }, "B-crashed", Date.now());
    await h.writeStore.recordAttempt(batch!, HEAD, Date.now());
    const writeback = await h.crashAndRestart();
    const { calls } = fakeGraphql([
      history([
        { oid: THEIRS, message: "later push", parent: C1 },
        { oid: C1, message: `gitdisk: 1 like\n\nGitdisk-Write: ${accepted.writeId}\nGitdisk-User: alice`, parent: HEAD },
      ]),
    ]);
    await writeback.start();
    await writeback.flushNow();
    expect(calls).toHaveLength(1);
    expect(await writeback.write(accepted.writeId)).toMatchObject({ status: "committed", commit: C1 });
    expect((await h.repo()).sha).toBe(C1);
  });

  it("ends writes failed with the reason when GitHub refuses for good, and reports it", async () => {
    const accepted = await like("a", "alice");
    fakeGraphql([graphqlError("FORBIDDEN", "Resource not accessible by integration")]);
    await h.writeback.flushNow();
    const reason = "Resource not accessible by integration";
    expect(await h.writeback.write(accepted.writeId)).toEqual({
      writeId: accepted.writeId,
      repoId: REPO_ID,
      id: "a/alice",
      path: "data/likes/a/alice.json",
      actor: "key",
      status: "failed",
      error: reason,
    });
    expect(await h.writeback.status(REPO_ID)).toMatchObject({ pendingWrites: 0, lastError: reason, lastCommitAt: null });
    // A failed write no longer shows in reads, and the record may be written again.
    const again = await like("a", "alice");
    expect(again.status).toBe("queued");
  });

  it("fails writes on branch protection and when the branch is gone", async () => {
    const first = await like("a", "alice");
    fakeGraphql([graphqlError("UNPROCESSABLE", "Repository rule violations found\n\nChanges must be made through a pull request.")]);
    await h.writeback.flushNow();
    expect(await h.writeback.write(first.writeId)).toMatchObject({ status: "failed", error: expect.stringContaining("pull request") });

    const second = await like("b", "alice");
    fakeGraphql([staleHead(C1), [200, { data: { repository: { ref: null } } }]]);
    await h.writeback.flushNow();
    expect(await h.writeback.write(second.writeId)).toMatchObject({ status: "failed", error: "branch main does not exist" });
  });

  it("applies writes to one record in the order accepted, within a commit and across commits", async () => {
    const repo = await h.repo();
    const put = (name: string) =>
      h.writeback.accept({
        actor: "key",
        repo,
        collection: "profiles",
        action: "replace",
        id: "alice",
        data: { name },
        writer: { kind: "key", user: "alice" },
      });
    await put("v1");
    await put("v2");
    await put("v3");
    const { calls } = fakeGraphql([committed(C1), committed(C2)]);
    await h.writeback.flushNow();
    expect(decodedAdditions(calls[0]!)["data/users/alice.json"]).toBe('{\n  "_author": "alice",\n  "name": "v3"\n}\n');

    await put("v4");
    await h.writeback.accept({
      actor: "key",
      repo: await h.repo(),
      collection: "profiles",
      action: "delete",
      id: "alice",
      writer: { kind: "key", user: "alice" },
    });
    await h.writeback.flushNow();
    expect(mutationInput(calls[1]!).fileChanges).toEqual({ additions: [], deletions: [{ path: "data/users/alice.json" }] });
    expect(await h.store.getFile(REPO_ID, "data/users/alice.json")).toBeNull();
  });

  it("drops deletions of files someone else already removed, after checking which exist", async () => {
    const repo = await h.repo();
    await h.writeback.accept({
      actor: "key",
      repo,
      collection: "likes",
      action: "delete",
      id: "old/zed",
      writer: { kind: "key", user: "zed" },
    });
    await like("a", "alice");
    const { calls } = fakeGraphql([
      graphqlError("UNPROCESSABLE", `A path was requested for deletion which does not exist as of commit oid \`${HEAD}\``),
      (call) => {
        expect(Object.values(call.variables)).toContain(`${HEAD}:data/likes/old/zed.json`);
        return [200, { data: { repository: { p0: null } } }];
      },
      committed(C1),
    ]);
    await h.writeback.flushNow();
    expect(mutationInput(calls[2]!).fileChanges.deletions).toEqual([]);
    expect(Object.keys(decodedAdditions(calls[2]!))).toEqual(["data/likes/a/alice.json"]);
  });

  it("makes no commit when every write is already on the branch, and names none of its writes' commit", async () => {
    const deleted = await h.writeback.accept({
      actor: "key",
      repo: await h.repo(),
      collection: "likes",
      action: "delete",
      id: "old/zed",
      writer: { kind: "key", user: "zed" },
    });
    const { calls } = fakeGraphql([
      graphqlError("UNPROCESSABLE", `A path was requested for deletion which does not exist as of commit oid \`${HEAD}\``),
      [200, { data: { repository: { p0: null } } }],
    ]);
    await h.writeback.flushNow();
    expect(calls).toHaveLength(2);
    // Done, but in no commit of ours: the head that holds it is someone else's.
    const write = await h.writeback.write(deleted.writeId);
    expect(write).toMatchObject({ status: "committed" });
    expect(write).not.toHaveProperty("commit");
    expect(h.writeback.stats()).toMatchObject({ commits: 0, alreadyApplied: 1, committedWrites: 1 });
    expect(await h.writeback.status(REPO_ID)).toMatchObject({ pendingWrites: 0, lastCommit: null, lastError: null });
  });

  it("splits a queue larger than the file cap into several commits, oldest first", async () => {
    const small = await createHarness({ flushWindowMs: 60_000, maxFilesPerCommit: 3 });
    try {
      const repo = await small.repo();
      for (let i = 0; i < 7; i++) await small.writeback.accept(keyLike(repo, `d${i}`, "alice"));
      const { calls } = fakeGraphql([committed(C1), committed(C2), committed(THEIRS)]);
      await small.writeback.flushNow();
      expect(calls.map((c) => Object.keys(decodedAdditions(c)).length)).toEqual([3, 3, 1]);
      expect(calls.map((c) => mutationInput(c).expectedHeadOid)).toEqual([HEAD, C1, C2]);
    } finally {
      await small.close();
    }
  });

  it("when GitHub refuses one write's file, finds it by halving the batch: only that write fails, the rest commit in order", async () => {
    const repo = await h.repo();
    const accepted = [];
    for (let i = 0; i < 9; i++) accepted.push(await h.writeback.accept(keyLike(repo, `d${i}`, "alice")));
    const poison = accepted[5]!.path;
    let head = HEAD;
    let commits = 0;
    // GitHub as it would answer: the branch head for a lookup; a refusal for any commit holding the poison file.
    const github = (call: GraphqlCall): [number, unknown] => {
      if (!isMutation(call)) return history([{ oid: head, message: "earlier" }]);
      const paths = Object.keys(decodedAdditions(call));
      if (paths.includes(poison)) return graphqlError("UNPROCESSABLE", `The file ${poison} could not be processed`);
      head = `${++commits}`.repeat(40).slice(0, 40);
      return committed(head);
    };
    const { calls } = fakeGraphql(Array.from({ length: 9 }, () => github));
    await h.writeback.flushNow();

    const committedPaths = calls
      .filter((call) => isMutation(call) && !Object.keys(decodedAdditions(call)).includes(poison))
      .map((call) => Object.keys(decodedAdditions(call)).sort());
    const others = accepted.filter((write) => write.path !== poison).map((write) => write.path);
    expect(committedPaths.flat().sort()).toEqual([...others].sort());
    // Oldest first: the writes before the refused one went in before the writes after it.
    expect(committedPaths[0]).toEqual(others.slice(0, 5).sort());
    expect(await h.writeback.write(accepted[5]!.writeId)).toMatchObject({
      status: "failed",
      error: expect.stringContaining("could not be processed"),
    });
    for (const write of accepted.filter((w) => w.path !== poison))
      expect((await h.writeback.write(write.writeId))?.status).toBe("committed");
    // 9 writes: 4 refused attempts, 3 lookups (a refused batch is retried as one that may have been sent), 2 commits.
    expect(calls).toHaveLength(9);
    expect(await h.writeback.status(REPO_ID)).toMatchObject({ pendingWrites: 0 });
  });

  it("answers a waiting request as soon as its write is committed", async () => {
    const accepted = await like("a", "alice");
    fakeGraphql([committed(C1)]);
    const waiting = h.writeback.waitFor(accepted.writeId, 5_000);
    await h.writeback.flushNow();
    expect(await waiting).toMatchObject({ status: "committed", commit: C1 });
    // A wait that runs out answers with the current state.
    const pending = await like("b", "alice");
    expect(await h.writeback.waitFor(pending.writeId, 20)).toMatchObject({ status: "queued" });
    expect(await h.writeback.waitFor("01J00000000000000000000000", 20)).toBeNull();
  });

  it("flushes on its own when the window has passed", async () => {
    const quick = await createHarness({ flushWindowMs: 30 });
    try {
      const accepted = await quick.writeback.accept({
        actor: "key",
        repo: await quick.repo(),
        collection: "likes",
        action: "create",
        data: { doc: "a" },
        writer: { kind: "key", user: "alice" },
      });
      fakeGraphql([committed(C1)]);
      expect(await quick.writeback.waitFor(accepted.writeId, 5_000)).toMatchObject({ status: "committed", commit: C1 });
    } finally {
      await quick.close();
    }
  });

  it("gives writes accepted during a commit their own flush", async () => {
    const quick = await createHarness({ flushWindowMs: 30 });
    try {
      const accept = async (doc: string) =>
        quick.writeback.accept({
          actor: "key",
          repo: await quick.repo(),
          collection: "likes",
          action: "create",
          data: { doc },
          writer: { kind: "key", user: "alice" },
        });
      const first = await accept("a");
      let during: Promise<{ writeId: string }> | undefined;
      const { calls } = fakeGraphql([
        () => {
          during = accept("b");
          return committed(C1);
        },
        committed(C2),
      ]);
      expect(await quick.writeback.waitFor(first.writeId, 5_000)).toMatchObject({ status: "committed", commit: C1 });
      const late = await during!;
      expect(await quick.writeback.waitFor(late.writeId, 5_000)).toMatchObject({ status: "committed", commit: C2 });
      expect(calls).toHaveLength(2);
    } finally {
      await quick.close();
    }
  });

  it("on stop, refuses new writes, flushes what is queued, and resolves", async () => {
    const accepted = await like("a", "alice");
    const { calls } = fakeGraphql([committed(C1)]);
    await h.writeback.stop();
    expect(calls).toHaveLength(1);
    expect(await h.writeback.write(accepted.writeId)).toMatchObject({ status: "committed" });
    await expect(like("b", "bob")).rejects.toMatchObject({ code: "unavailable" });
  });

  it("on stop, gives up after its bounded wait and leaves the writes queued for the next start", async () => {
    const slow = await createHarness({ flushWindowMs: 60_000, stopTimeoutMs: 50, backoffMs: 10_000, maxBackoffMs: 10_000 });
    try {
      const accepted = await slow.writeback.accept({
        actor: "key",
        repo: await slow.repo(),
        collection: "likes",
        action: "create",
        data: { doc: "a" },
        writer: { kind: "key", user: "alice" },
      });
      fakeGraphql([[503, { message: "unavailable" }]]);
      const started = Date.now();
      await slow.writeback.stop();
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(await slow.writeback.write(accepted.writeId)).toMatchObject({ status: "queued" });
      expect(await slow.writeStore.pendingRepos()).toEqual([REPO_ID]);
    } finally {
      await slow.close();
    }
  });
});
