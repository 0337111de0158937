import { pino } from "pino";
import type { Logger } from "probot";
import { DEFAULT_REPO_CONFIG } from "../../../src/config/repo-config.js";
import { gitBlobSha } from "../../../src/git/blob-sha.js";
import { writeIdsIn } from "../../../src/git/commit-trailers.js";
import { openSqliteStore } from "../../../src/store/sqlite/sqlite-store.js";
import type { MirrorStore, Store } from "../../../src/store/store.js";
import type { WriteStore } from "../../../src/store/write-store.js";
import { createWriteback, type Writeback } from "../../../src/writeback/create-writeback.js";
import { tokenOctokit } from "../../github-sim/__tests__/helpers/sim-test-kit.js";
import { type Simulator, startSimulator } from "../../github-sim/start-simulator.js";
import { makeTempDir } from "../../helpers/temp-dir.js";

/** The engine against the local GitHub simulator: real git underneath, GraphQL checked against GitHub's schema. */
describe("write-back against the GitHub simulator", () => {
  let sim: Simulator;
  let temp: ReturnType<typeof makeTempDir>;
  let opened: Store;
  let store: MirrorStore;
  let writeStore: WriteStore;
  let writeback: Writeback;
  let repoId: number;

  beforeEach(async () => {
    sim = await startSimulator();
    const summary = await sim.createRepo({
      owner: "octo",
      name: "site",
      files: { "README.md": "hello\n", "data/likes/post-1/zed.json": '{\n  "doc": "post-1"\n}\n' },
    });
    repoId = summary.id;
    temp = makeTempDir("gitdisk-writeback-sim-");
    opened = openSqliteStore(temp.dir);
    ({ mirror: store, writes: writeStore } = opened);
    await store.upsertRepo(
      { id: repoId, owner: "octo", name: "site", private: false, defaultBranch: "main", installationId: null },
      { branch: "main", config: DEFAULT_REPO_CONFIG },
    );
    const files = await sim.files("octo/site");
    await store.applyChanges(repoId, {
      fromSha: null,
      toSha: sim.head("octo/site")!,
      upserts: [...files].map(([path, content]) => ({ path, content, sha: gitBlobSha(content), size: content.length })),
      deletes: [],
    });
    const octokit = tokenOctokit(sim, sim.personalAccessToken);
    writeback = createWriteback({
      store,
      writeStore,
      graphqlFor: async () => octokit.graphql,
      log: pino({ level: "silent" }) as unknown as Logger,
      options: { flushWindowMs: 60_000, backoffMs: 5, maxBackoffMs: 20, stopTimeoutMs: 500 },
    });
  });
  afterEach(async () => {
    await writeback.stop();
    await opened.close();
    await sim.close();
    temp.cleanup();
  });

  const repo = async () => (await store.getRepo(repoId))!;
  const like = async (doc: string, user: string) =>
    writeback.accept({
      actor: "key",
      repo: await repo(),
      collection: "likes",
      action: "create",
      data: { doc },
      writer: { kind: "key", user },
    });

  it("commits a batch on top of someone else's push without touching their files, once", async () => {
    const accepted = [];
    for (let i = 0; i < 30; i++) accepted.push(await like(`post-${i % 3}`, `user${i}`));
    await writeback.accept({
      actor: "key",
      repo: await repo(),
      collection: "profiles",
      action: "replace",
      id: "alice",
      data: { name: "Alice" },
      writer: { kind: "key", user: "alice" },
    });
    await writeback.accept({
      actor: "key",
      repo: await repo(),
      collection: "likes",
      action: "delete",
      id: "post-1/zed",
      writer: { kind: "key", user: "zed" },
    });
    // A person pushes meanwhile: the mirror's head is stale now.
    await sim.push("octo/site", {
      commits: [{ message: "Edit the readme", files: { "README.md": "edited by a person\n", "notes.md": "mine" } }],
    });
    sim.metrics.reset();

    await writeback.flushNow();

    const head = sim.head("octo/site")!;
    const files = await sim.files("octo/site");
    expect(files.get("README.md")?.toString()).toBe("edited by a person\n");
    expect(files.get("notes.md")?.toString()).toBe("mine");
    expect(files.get("data/users/alice.json")?.toString()).toBe('{\n  "_author": "alice",\n  "name": "Alice"\n}\n');
    expect(files.get("data/likes/post-2/user29.json")?.toString()).toBe('{\n  "_author": "user29",\n  "doc": "post-2"\n}\n');
    expect(files.has("data/likes/post-1/zed.json")).toBe(false);
    expect([...files.keys()].filter((path) => path.startsWith("data/likes/"))).toHaveLength(30);
    for (const { writeId } of accepted) expect(await writeback.write(writeId)).toMatchObject({ status: "committed", commit: head });
    expect(writeback.stats()).toMatchObject({ commits: 1, staleHeads: 1, apiCalls: 3 });
    expect(sim.violations()).toEqual([]);
  });

  it("recognises a commit whose response was lost and does not make it again", async () => {
    const accepted = await like("post-1", "amy");
    const before = sim.head("octo/site");
    sim.faults.inject({ endpoint: "graphql:createCommitOnBranch", kind: "lose-response" });

    await writeback.flushNow();

    const head = sim.head("octo/site")!;
    expect(await writeback.write(accepted.writeId)).toMatchObject({ status: "committed", commit: head });
    expect(writeback.stats()).toMatchObject({ recovered: 1, commits: 1 });
    const octokit = tokenOctokit(sim, sim.personalAccessToken);
    const { data: commits } = await octokit.request("GET /repos/{owner}/{repo}/commits", { owner: "octo", repo: "site" });
    const ours = commits.filter((commit) => writeIdsIn(commit.commit.message).includes(accepted.writeId));
    expect(ours.map((commit) => commit.sha)).toEqual([head]);
    expect(commits[1]?.sha).toBe(before);
    // The mirror took the commit itself: a push webhook for it has nothing to fetch.
    expect((await repo()).sha).toBe(head);
    expect(sim.violations()).toEqual([]);
  });
});
