import { installationPayload } from "../../fixtures/events/github-examples.js";
import { type Commit, expectExactlyTheFakedCalls, type GitHubFake } from "../../helpers/nock-github.js";
import type { SyncHarness } from "../../helpers/test-probot.js";

/** Installs the fake's repository with `head` mirrored (and the installation token fetched), checking the calls. */
export async function mirrorAt(harness: SyncHarness, gh: GitHubFake, head: Commit, config: string | null = null): Promise<void> {
  gh.token().repository().config(config).head(gh.repo.defaultBranch, head.sha).tarball(head);
  await harness.receive("installation", installationPayload("created", [gh.repo]));
  expectExactlyTheFakedCalls();
  expect(await harness.store.getRepo(gh.repo.id)).toMatchObject({ sha: head.sha, lastError: null });
}
