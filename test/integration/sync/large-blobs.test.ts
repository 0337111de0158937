import { pushPayload } from "../../fixtures/events/github-examples.js";
import { type Commit, change, commit, expectExactlyTheFakedCalls, expectedFiles, GitHubFake, REPO } from "../../helpers/nock-github.js";
import { mirroredFiles, type SyncHarness, startSyncHarness } from "../../helpers/test-probot.js";
import { mirrorAt } from "./mirror-at.js";

const MiB = 1024 * 1024;

/** Bytes GraphQL calls binary, different per seed. */
function binary(bytes: number, seed: number): Buffer {
  const content = Buffer.alloc(bytes, seed);
  content[0] = 0;
  return content;
}

describe("push: large and unfetchable files", () => {
  let harness: SyncHarness;
  let gh: GitHubFake;
  let c0: Commit;

  beforeEach(async () => {
    harness = await startSyncHarness();
    gh = new GitHubFake();
    c0 = commit({ "secret.md": "delete me", "page.md": "p0", "photo.bin": binary(100, 1) });
    await mirrorAt(harness, gh, c0);
  });
  afterEach(async () => {
    await harness.close();
  });

  const push = (before: Commit, after: Commit) => harness.receive("push", pushPayload({ before: before.sha, after: after.sha }));
  const repo = async () => (await harness.store.getRepo(REPO.id))!;

  it("fetches an 8 MiB binary raw and applies the deletion beside it; a file over maxFileBytes is skipped with the reason", async () => {
    const c1 = change(c0, { "secret.md": null, "big.bin": binary(8 * MiB, 2), "huge.bin": binary(11 * MiB, 3) });
    gh.compare(c0.sha, c1, { from: c0 }).graphql().blob(c1.files.get("big.bin")!.sha);

    await push(c0, c1);

    expectExactlyTheFakedCalls();
    expect(await mirroredFiles(harness.store, REPO.id)).toEqual(expectedFiles(c1, (path) => path !== "huge.bin"));
    expect(await repo()).toMatchObject({
      sha: c1.sha,
      lastError: null,
      skipped: [
        {
          path: "huge.bin",
          sha: c1.files.get("huge.bin")!.sha,
          reason: `${11 * MiB} bytes, over maxFileBytes (${10 * MiB})`,
          cause: "file-too-big",
        },
      ],
    });
  });

  it("applies the rest of a push when one file cannot be fetched, names it, and fetches it again at the next heal", async () => {
    const c1 = change(c0, { "secret.md": null, "page.md": "p1", "photo.bin": binary(100, 4) });
    const photo = c1.files.get("photo.bin")!.sha;
    gh.compare(c0.sha, c1, { from: c0 }).graphql().blob(photo, { status: 502 });

    await push(c0, c1);

    expectExactlyTheFakedCalls();
    // The old photo is not served either: the mirror never shows content the branch no longer has.
    expect(await mirroredFiles(harness.store, REPO.id)).toEqual({ "page.md": "p1" });
    expect(await repo()).toMatchObject({
      sha: c1.sha,
      skipped: [
        {
          path: "photo.bin",
          sha: photo,
          cause: "fetch-failed",
          reason: expect.stringMatching(/could not be fetched: GitHub answered 502/),
        },
      ],
    });
    expect(harness.logs).toContainEqual(
      expect.objectContaining({ msg: "1 files not mirrored", files: [{ path: "photo.bin", reason: expect.any(String) }] }),
    );

    // A heal checks the repository with GitHub, then its head, and fetches what it could not before.
    gh.repository().head("master", c1.sha).graphql().blob(photo);
    await harness.sync.syncRepo(REPO.id);

    expectExactlyTheFakedCalls();
    expect(await mirroredFiles(harness.store, REPO.id)).toEqual(expectedFiles(c1));
    expect(await repo()).toMatchObject({ sha: c1.sha, skipped: [], lastError: null });
  });
});
