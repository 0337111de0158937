import nock from "nock";
import { AppliedCommits } from "../../../src/applied-commits.js";
import { gitBlobSha } from "../../../src/git/blob-sha.js";
import { commitTrailers } from "../../../src/git/commit-trailers.js";
import { pushPayload } from "../../fixtures/events/github-examples.js";
import {
  API,
  type Commit,
  change,
  commit,
  expectExactlyTheFakedCalls,
  expectedFiles,
  GitHubFake,
  manyFiles,
  REPO,
  submodule,
} from "../../helpers/nock-github.js";
import { mirroredFiles, type SyncHarness, startSyncHarness } from "../../helpers/test-probot.js";
import { mirrorAt } from "./mirror-at.js";

const ZERO = "0".repeat(40);

describe("push: incremental sync from the mirrored commit", () => {
  let harness: SyncHarness;
  let gh: GitHubFake;
  let c0: Commit;

  beforeEach(async () => {
    harness = await startSyncHarness();
    gh = new GitHubFake({}, { textLimit: 100 });
    c0 = commit({ "a.md": "a0", "b.md": "b0", "docs/c.md": "c0", "keep.md": "keep" });
    await mirrorAt(harness, gh, c0);
  });
  afterEach(async () => {
    await harness.close();
  });

  const push = (before: Commit | string, after: Commit | string, extra: Partial<Parameters<typeof pushPayload>[0]> = {}) =>
    harness.receive(
      "push",
      pushPayload({
        before: typeof before === "string" ? before : before.sha,
        after: typeof after === "string" ? after : after.sha,
        ...extra,
      }),
    );
  const mirror = () => mirroredFiles(harness.store, REPO.id);
  const repo = async () => (await harness.store.getRepo(REPO.id))!;

  it("applies adds, modifications, removals and renames across several commits: 1 compare + 1 GraphQL batch", async () => {
    const c1 = change(c0, { "new.md": "new", "a.md": "a1" });
    const c2 = change(c1, { "b.md": null, "docs/c.md": null, "docs/renamed-c.md": "c0" });
    gh.compare(c0.sha, c2, { from: c0 }).graphql();

    await push(c0, c2, {
      commits: [
        { added: ["new.md"], modified: ["a.md"] },
        { removed: ["b.md", "docs/c.md"], added: ["docs/renamed-c.md"] },
      ],
    });

    expectExactlyTheFakedCalls();
    expect(await mirror()).toEqual(expectedFiles(c2));
    // The renamed file's content was already mirrored: only the two new blobs were fetched, without asking the head.
    expect(gh.graphqlRequests).toEqual([{ oids: [c2.files.get("new.md")!.sha, c2.files.get("a.md")!.sha], head: undefined }]);
    expect(await repo()).toMatchObject({ sha: c2.sha, lastError: null });
  });

  it("costs 1 call when a push only removes files", async () => {
    const c1 = change(c0, { "a.md": null });
    gh.compare(c0.sha, c1, { from: c0 });
    await push(c0, c1, { commits: [{ removed: ["a.md"] }] });
    expectExactlyTheFakedCalls();
    expect(await mirror()).toEqual(expectedFiles(c1));
  });

  it("ignores pushes to other branches and tags: 0 calls, nothing changes", async () => {
    const other = change(c0, { "a.md": "elsewhere" });
    await push(c0, other, { ref: "refs/heads/feature" });
    await push(ZERO, other, { ref: "refs/tags/v1.0.0" });
    await push(c0, ZERO, { ref: "refs/heads/feature", deleted: true });
    expectExactlyTheFakedCalls();
    expect(await repo()).toMatchObject({ sha: c0.sha });
    expect(await mirror()).toEqual(expectedFiles(c0));
  });

  it("treats a duplicate delivery as done: 0 calls", async () => {
    const c1 = change(c0, { "a.md": "a1" });
    gh.compare(c0.sha, c1, { from: c0 }).graphql();
    await push(c0, c1);
    await push(c0, c1);
    await push(c0, c1);
    expectExactlyTheFakedCalls();
    expect(await mirror()).toEqual(expectedFiles(c1));
  });

  it("never rolls back for a stale delivery: the older push is checked against the live head", async () => {
    const c1 = change(c0, { "a.md": "a1" });
    const c2 = change(c1, { "a.md": "a2", "b.md": "b2" });
    gh.compare(c0.sha, c2, { from: c0 }).graphql();
    await push(c1, c2);
    // The delivery for c0 → c1 arrives late: c1 is behind the mirror, and the branch is at c2.
    gh.compare(c2.sha, c1, { status: "behind", files: [] }).head("master", c2.sha);
    await push(c0, c1);

    expectExactlyTheFakedCalls();
    expect(await repo()).toMatchObject({ sha: c2.sha, lastError: null });
    expect(await mirror()).toEqual(expectedFiles(c2));
  });

  it("ignores a replayed delivery (same X-GitHub-Delivery id) before anything: an old push replayed after a newer one costs 0 calls and rolls nothing back", async () => {
    const c1 = change(c0, { "a.md": "a1" });
    const c2 = change(c1, { "a.md": "a2" });
    gh.compare(c0.sha, c1, { from: c0 }).graphql().compare(c1.sha, c2, { from: c1 }).graphql();
    const older = pushPayload({ before: c0.sha, after: c1.sha });
    await harness.receive("push", older, "delivery-older");
    await push(c1, c2);
    await harness.receive("push", older, "delivery-older");
    expectExactlyTheFakedCalls();
    expect(await repo()).toMatchObject({ sha: c2.sha, lastError: null });
    expect(await mirror()).toEqual(expectedFiles(c2));
    expect(harness.logs.filter((line) => line.id === "delivery-older" && /handled before/.test(line.msg))).toHaveLength(1);
  });

  it("follows a force push: the tree of the new commit, the head asked with the first blob batch", async () => {
    const c1 = change(c0, { "a.md": "a1" });
    gh.compare(c0.sha, c1, { from: c0 }).graphql();
    await push(c0, c1);
    const rewritten = change(c0, { "b.md": "rewritten", "z.md": null, "keep.md": null, "fresh.md": "fresh" });
    gh.tree(rewritten).graphql({ head: rewritten.sha });

    await push(c1, rewritten, { forced: true });

    expectExactlyTheFakedCalls();
    expect(gh.graphqlRequests.at(-1)).toEqual({
      oids: expect.arrayContaining([rewritten.files.get("b.md")!.sha]),
      head: "refs/heads/master",
    });
    expect(await mirror()).toEqual(expectedFiles(rewritten));
  });

  it("follows a force push back to an older commit", async () => {
    const c1 = change(c0, { "a.md": "a1", "new.md": "new" });
    gh.compare(c0.sha, c1, { from: c0 }).graphql();
    await push(c0, c1);
    gh.tree(c0).graphql({ head: c0.sha });

    await push(c1, c0, { forced: true });

    expectExactlyTheFakedCalls();
    expect(await repo()).toMatchObject({ sha: c0.sha });
    expect(await mirror()).toEqual(expectedFiles(c0));
  });

  it("asks the head with one call when a force push needs no blob, and ignores a stale force push", async () => {
    const removed = change(c0, { "a.md": null });
    gh.tree(removed).head("master", removed.sha);
    await push(c0, removed, { forced: true });
    expect(await mirror()).toEqual(expectedFiles(removed));

    // A force push that was already overwritten: its blobs' query says the branch is elsewhere, which is the mirror.
    const overwritten = change(c0, { "a.md": "lost" });
    gh.tree(overwritten).graphql({ head: removed.sha });
    await push(removed, overwritten, { forced: true });

    expectExactlyTheFakedCalls();
    expect(await repo()).toMatchObject({ sha: removed.sha, lastError: null });
    expect(await mirror()).toEqual(expectedFiles(removed));
  });

  it("uses the tree when the base is gone (compare 404) even without the forced flag", async () => {
    const unrelated = commit({ "only.md": "only" });
    gh.compare(c0.sha, unrelated, { status: "404" }).tree(unrelated).graphql({ head: unrelated.sha });
    await push(c0, unrelated);
    expectExactlyTheFakedCalls();
    expect(await mirror()).toEqual({ "only.md": "only" });
  });

  it("diffs a large push (≥ 20 commits) with one tree call instead of a comparison", async () => {
    const big = change(c0, manyFiles(30));
    gh.tree(big).graphql();
    const commits = Array.from({ length: 20 }, (_, i) => ({ added: [`bulk/file-${i}.txt`] }));
    await push(c0, big, { commits });
    expectExactlyTheFakedCalls();
    expect(await mirror()).toEqual(expectedFiles(big));
    expect(gh.graphqlRequests).toHaveLength(1);
  });

  it("diffs a push listing ≥ 250 paths with the tree, in ceil(K/100) blob batches", async () => {
    const big = change(c0, manyFiles(260));
    gh.tree(big).graphql().graphql().graphql();
    await push(c0, big, { commits: [{ added: Object.keys(manyFiles(260)) }] });
    expectExactlyTheFakedCalls();
    expect(gh.graphqlRequests.map((request) => request.oids.length)).toEqual([100, 100, 60]);
    expect(await mirror()).toEqual(expectedFiles(big));
  });

  it("switches to the tree when a comparison hits GitHub's 300-file cap", async () => {
    const merge = change(c0, manyFiles(320));
    const capped = Array.from({ length: 300 }, (_, i) => ({
      filename: `bulk/file-${i}.txt`,
      status: "added",
      sha: merge.files.get(`bulk/file-${i}.txt`)!.sha,
      additions: 1,
      deletions: 0,
      changes: 1,
    }));
    gh.compare(c0.sha, merge, { files: capped }).tree(merge).graphql().graphql().graphql().graphql();
    await push(c0, merge, { commits: [{ modified: ["a.md"] }] });
    expectExactlyTheFakedCalls();
    expect(await mirror()).toEqual(expectedFiles(merge));
  });

  it("meets the call target: K = 250 changed files cost 1 compare + 3 GraphQL batches", async () => {
    const k250 = change(c0, manyFiles(250, "k"));
    gh.compare(c0.sha, k250, { from: c0 }).graphql().graphql().graphql();
    await push(c0, k250, { commits: [{ added: Object.keys(manyFiles(249, "k")) }] });
    expectExactlyTheFakedCalls();
    expect(gh.graphqlRequests.map((request) => request.oids.length)).toEqual([100, 100, 50]);
    expect(await mirror()).toEqual(expectedFiles(k250));
  });

  it("fetches binary, truncated and non-UTF-8 blobs over REST, and skips files over maxFileBytes and submodules", async () => {
    const c1 = change(c0, {
      "img/logo.png": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]),
      "big.txt": "x".repeat(150),
      "latin1.txt": Buffer.from([0x63, 0x61, 0x66, 0xe9]),
      "vendor/lib": submodule(),
      "plain.md": "plain",
    });
    gh.compare(c0.sha, c1, { from: c0 })
      .graphql()
      .blob(c1.files.get("img/logo.png")!.sha)
      .blob(c1.files.get("big.txt")!.sha)
      .blob(c1.files.get("latin1.txt")!.sha);
    await push(c0, c1);
    expectExactlyTheFakedCalls();
    expect(await mirror()).toEqual(expectedFiles(c1));
    expect(await mirror()).not.toHaveProperty("vendor/lib");
  });

  it("clears the mirror when the branch is deleted (checked live), and mirrors it in full when re-created", async () => {
    gh.head("master", null).repository();
    await push(c0, ZERO, { deleted: true });
    expect(await repo()).toMatchObject({ sha: null, files: 0, lastError: 'branch "master" does not exist on GitHub' });

    const reborn = commit({ "again.md": "again" });
    gh.tarball(reborn);
    await push(ZERO, reborn, { created: true });

    expectExactlyTheFakedCalls();
    expect(await repo()).toMatchObject({ sha: reborn.sha, lastError: null });
    expect(await mirror()).toEqual({ "again.md": "again" });
  });

  it("a push saying private closes keyless reads before anything else, then asks GitHub; a failed check keeps them closed", async () => {
    const c1 = change(c0, { "a.md": "a1" });
    nock(API).get(`/repos/${REPO.owner}/${REPO.name}`).delay(300).reply(502, { message: "Bad gateway" });
    gh.compare(c0.sha, c1, { from: c0 }).graphql();
    const delivered = push(c0, c1, { repo: { ...REPO, private: true } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await repo()).toMatchObject({ private: true, sha: c0.sha });
    await delivered;
    expectExactlyTheFakedCalls();
    expect(await repo()).toMatchObject({ private: true, sha: c1.sha });
    expect(await mirror()).toEqual(expectedFiles(c1));
  });

  it("a push saying public for a repository held private is checked with GitHub, which alone opens it", async () => {
    await harness.store.updateRepo(REPO.id, { private: true });
    const c1 = change(c0, { "a.md": "a1" });
    new GitHubFake({ private: true }).repository();
    gh.compare(c0.sha, c1, { from: c0 }).graphql();
    await push(c0, c1);
    expect(await repo()).toMatchObject({ private: true, sha: c1.sha });

    const c2 = change(c1, { "a.md": "a2" });
    gh.repository().compare(c1.sha, c2, { from: c1 }).graphql();
    await push(c1, c2);
    expectExactlyTheFakedCalls();
    expect(await repo()).toMatchObject({ private: false, sha: c2.sha });
  });

  it("does not wipe the mirror for a stale deletion of a branch that exists again", async () => {
    gh.repository().head("master", c0.sha);
    await push(c0, ZERO, { deleted: true });
    expectExactlyTheFakedCalls();
    expect(await repo()).toMatchObject({ sha: c0.sha, lastError: null });
  });

  it("serialises concurrent deliveries for one repository", async () => {
    const c1 = change(c0, { "a.md": "a1" });
    const c2 = change(c1, { "b.md": "b2" });
    gh.compare(c0.sha, c1, { from: c0 }).graphql().compare(c1.sha, c2, { from: c1 }).graphql();
    await Promise.all([push(c0, c1), push(c1, c2)]);
    expectExactlyTheFakedCalls();
    expect(await mirror()).toEqual(expectedFiles(c2));
  });

  it("records a GitHub failure as lastError and keeps the mirror; the next delivery repairs it", async () => {
    const c1 = change(c0, { "a.md": "a1" });
    gh.compare(c0.sha, c1, { from: c0 }).graphqlFails(502);
    await push(c0, c1);
    expect(await repo()).toMatchObject({ sha: c0.sha, lastError: expect.stringMatching(/GitHub answered 502/) });
    expect(await mirror()).toEqual(expectedFiles(c0));

    gh.compare(c0.sha, c1, { from: c0 }).graphql();
    await push(c0, c1);
    expectExactlyTheFakedCalls();
    expect(await repo()).toMatchObject({ sha: c1.sha, lastError: null });
  });

  it("ignores malformed payloads with a warning: 0 calls", async () => {
    const good = pushPayload({ before: c0.sha, after: "1".repeat(40) });
    const broken = [
      { ...good, repository: undefined },
      { ...good, ref: 42 },
      { ...good, ref: "refs/heads/bad name" },
      { ...good, after: "not-a-sha" },
      { ...good, commits: [{ added: "a.md" }] },
    ];
    for (const payload of broken) await harness.receive("push", payload);
    expectExactlyTheFakedCalls();
    const ignored = harness.logs.filter((line) => line.msg === "ignored a webhook delivery whose payload gitdisk cannot use");
    expect(ignored.map((line) => line.problem)).toEqual([
      "repository is missing or has no id and name",
      "ref 42 is not a git ref",
      'ref "refs/heads/bad name" is not a git ref',
      "after is not a 40-hex commit id",
      "a commit has malformed added/removed/modified lists",
    ]);
    expect(await repo()).toMatchObject({ sha: c0.sha, lastError: null });
  });
});

describe("push from a repository not mirrored yet", () => {
  let harness: SyncHarness;
  beforeEach(async () => {
    harness = await startSyncHarness();
  });
  afterEach(async () => {
    await harness.close();
  });

  it("mirrors it in full as if installed, when the payload has an installation", async () => {
    const head = commit({ "x.md": "x" });
    new GitHubFake().token().repository().config(null).head("master", head.sha).tarball(head);
    await harness.receive("push", pushPayload({ before: "1".repeat(40), after: head.sha }));
    expectExactlyTheFakedCalls();
    expect(await mirroredFiles(harness.store, REPO.id)).toEqual({ "x.md": "x" });
    expect(await harness.store.getRepo(REPO.id)).toMatchObject({ installationId: 957387 });
  });

  it("ignores it without an installation", async () => {
    await harness.receive("push", pushPayload({ before: "1".repeat(40), after: "2".repeat(40), installationId: null }));
    expectExactlyTheFakedCalls();
    expect(await harness.store.listRepos()).toEqual([]);
  });
});

/** Announcements the push handler is known to be waiting on: the test announces only once it waits. */
class ObservedAppliedCommits extends AppliedCommits {
  #waitBegan!: () => void;
  readonly waiting = new Promise<void>((resolve) => (this.#waitBegan = resolve));

  override waitFor(repoId: number, sha: string, timeoutMs: number): Promise<boolean> {
    const applied = super.waitFor(repoId, sha, timeoutMs);
    this.#waitBegan();
    return applied;
  }
}

describe("push of the write-back's own commit", () => {
  it("waits for the write-back to announce it applied the commit, then costs 0 calls", async () => {
    const applied = new ObservedAppliedCommits();
    const harness = await startSyncHarness({ appliedCommits: applied });
    try {
      const c0 = commit({ "a.md": "a0" });
      await mirrorAt(harness, new GitHubFake(), c0);
      const like = Buffer.from('{\n  "doc": "x"\n}\n');
      const c1 = change(c0, { "data/likes/x/ada.json": like.toString() });
      const payload = pushPayload({ before: c0.sha, after: c1.sha, commits: [{ added: ["data/likes/x/ada.json"] }] });
      (payload.head_commit as { message: string }).message = `gitdisk: 1 like\n\n${commitTrailers(["w1"], ["ada"])}`;

      const delivery = harness.receive("push", payload);
      await applied.waiting;
      // What the write-back does with its commit: the mirror takes it, then the commit is announced.
      const upserts = [{ path: "data/likes/x/ada.json", content: like, sha: gitBlobSha(like), size: like.length }];
      await harness.store.applyChanges(REPO.id, { fromSha: c0.sha, toSha: c1.sha, upserts, deletes: [] });
      applied.announce(REPO.id, c1.sha);
      await delivery;

      expectExactlyTheFakedCalls();
      expect(await harness.store.getRepo(REPO.id)).toMatchObject({ sha: c1.sha, lastError: null });
    } finally {
      await harness.close();
    }
  });
});
