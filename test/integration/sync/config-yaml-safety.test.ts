import { pushPayload } from "../../fixtures/events/github-examples.js";
import { type Commit, change, commit, expectExactlyTheFakedCalls, GitHubFake, REPO } from "../../helpers/nock-github.js";
import { type SyncHarness, startSyncHarness } from "../../helpers/test-probot.js";
import { mirrorAt } from "./mirror-at.js";

const CONFIG = ".github/gitdisk.yml";

// Nine levels of ten aliases each: 10^9 nodes once expanded ("billion laughs").
function aliasBomb(): string {
  const lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
  for (let level = 1; level < 9; level++) {
    const [name, previous] = [String.fromCharCode(97 + level), String.fromCharCode(96 + level)];
    lines.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(", ")}]`);
  }
  return `${lines.join("\n")}\n`;
}

describe(".github/gitdisk.yml from hostile hands", () => {
  let harness: SyncHarness;
  let gh: GitHubFake;
  let c0: Commit;

  beforeEach(async () => {
    harness = await startSyncHarness();
    gh = new GitHubFake();
    c0 = commit({ "docs/a.md": "a" });
    await mirrorAt(harness, gh, c0);
  });
  afterEach(async () => {
    await harness.close();
  });

  const pushConfig = async (from: Commit, yaml: string): Promise<Commit> => {
    const next = change(from, { [CONFIG]: yaml });
    gh.compare(from.sha, next, { from }).graphql().config(yaml);
    await harness.receive("push", pushPayload({ before: from.sha, after: next.sha, commits: [{ added: [CONFIG] }] }));
    expectExactlyTheFakedCalls();
    return next;
  };
  const repo = async () => (await harness.store.getRepo(REPO.id))!;

  it("refuses an alias bomb at once, as YAML it cannot read, and keeps the config in force", async () => {
    const started = performance.now();
    await pushConfig(c0, aliasBomb());
    // Expanded, the bomb would take hours; refused, it takes what a push takes (the first one of a test file is slower).
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(await repo()).toMatchObject({
      configError: expect.stringMatching(/not valid YAML|invalid YAML/),
      config: { collections: { likes: { path: "data/likes" } } },
    });
  });

  it("keeps __proto__, constructor and prototype keys as data: refused or plain names, never prototypes", async () => {
    const c1 = await pushConfig(c0, "collections:\n  __proto__: { path: data/p, id: '{user}', write: user }\n");
    expect((await repo()).configError).toMatch(/collections/);

    const yaml =
      "collections:\n  constructor: { path: data/c, id: '{user}', write: user }\n  prototype: { path: data/p, id: '{user}', write: owner }\n";
    await pushConfig(c1, yaml);
    const { config, configError } = await repo();
    expect(configError).toBeNull();
    // Declared collections join the three defaults.
    expect(Object.keys(config.collections).sort()).toEqual(["constructor", "likes", "messages", "profiles", "prototype"]);
    expect(Object.getPrototypeOf(config.collections)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).path).toBeUndefined();
  });
});
