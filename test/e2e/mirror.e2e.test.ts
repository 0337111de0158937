/**
 * End to end: the real gitdisk server process against the local GitHub simulator. After every
 * scenario the mirror gitdisk serves must equal the tracked branch's head, file by file.
 * The scenarios build on each other, as a repository's life does; set E2E_SEED to replay a run.
 */
import fs from "node:fs";
import { type CommitSpec, type FileContent, type FileSpec, type Simulator, startSimulator } from "../github-sim/start-simulator.js";
import { type GitdiskProcess, startGitdisk } from "../helpers/gitdisk-process.js";
import { seededRandom } from "../helpers/seeded-random.js";
import { type ExpectedMirror, mirrorDifferences, servedStatus, waitForServedSha } from "./mirror-check.js";
import { between, randomCommit, randomFiles } from "./random-content.js";

const SEED = Number(process.env.E2E_SEED ?? 20261202);
const OWNER = "octo";
const NAME = "site";
const REPO = `${OWNER}/${NAME}`;
const CONFIG_PATH = ".github/gitdisk.yml";
const SCENARIO_TIMEOUT_MS = 120_000;
const SYNC_TIMEOUT_MS = 60_000;

const random = seededRandom(SEED);
const counter = { next: 0 };
let sim: Simulator;
let gitdisk: GitdiskProcess;
let dataDir: string | undefined;

const expected: ExpectedMirror = { branch: "main", exclude: ["drafts/**"], maxFileBytes: 100_000 };

function configYaml(mirror: ExpectedMirror): string {
  const branch = mirror.branch === "main" ? "" : `branch: ${mirror.branch}\n`;
  return `${branch}mirror:\n  exclude: ${JSON.stringify(mirror.exclude)}\n  maxFileBytes: ${mirror.maxFileBytes}\n`;
}

/**
 * Waits for gitdisk to reach the branch head, then compares. Waiting is needed: gitdisk answers a
 * webhook with 202 before GitHub's 10-second timeout and finishes a long sync in the background.
 */
async function expectMirrorEqualsHead(): Promise<void> {
  await waitForServedSha(gitdisk, REPO, sim.head(REPO, expected.branch) ?? null, SYNC_TIMEOUT_MS).catch(() => undefined);
  const differences = await mirrorDifferences(sim, gitdisk, REPO, expected);
  if (differences.length > 0) {
    throw new Error(
      `mirror differs from ${expected.branch} (seed ${SEED}), ${differences.length} differences:\n` +
        differences
          .slice(0, 20)
          .map((difference) => `  ${difference.path}: ${difference.problem}`)
          .join("\n") +
        `\nwebhook deliveries that failed:\n${failedDeliveries()}` +
        `\ngitdisk output:\n${gitdisk.output().slice(-4000)}`,
    );
  }
}

function failedDeliveries(): string {
  return sim.webhooks
    .deliveries()
    .filter((delivery) => delivery.state === "failed" || (delivery.statusCode ?? 200) >= 300)
    .map(
      (delivery) =>
        `  #${delivery.seq} ${delivery.event} ${delivery.guid} ${delivery.state} ${delivery.statusCode ?? ""} ${delivery.error ?? ""} ${delivery.durationMs ?? ""} ms`,
    )
    .join("\n");
}

async function pathsOn(branch: string): Promise<Set<string>> {
  return new Set((await sim.tree(REPO, branch)).map((file) => file.path));
}

/** `commits` random commits on top of the branch as it is on the simulator. */
async function randomCommits(branch: string, commits: number, changesPerCommit: () => number): Promise<CommitSpec[]> {
  const existing = await pathsOn(branch);
  return Array.from({ length: commits }, () => randomCommit(random, existing, counter, changesPerCommit()));
}

async function pushRandom(commits = between(random, 1, 3)): Promise<string> {
  const result = await sim.push(REPO, {
    branch: expected.branch,
    commits: await randomCommits(expected.branch, commits, () => between(random, 1, 8)),
  });
  return result.after!;
}

async function pushConfig(mirror: ExpectedMirror, extra: Record<string, FileContent | FileSpec | null> = {}): Promise<void> {
  await sim.push(REPO, {
    branch: "main",
    commits: [{ message: "Change gitdisk config", files: { [CONFIG_PATH]: configYaml(mirror), ...extra } }],
  });
  await sim.webhooks.settled();
}

beforeAll(async () => {
  sim = await startSimulator();
  const files = randomFiles(random, 2_000, counter);
  await sim.createRepo({
    owner: OWNER,
    name: NAME,
    files: {
      ...files,
      [CONFIG_PATH]: configYaml(expected),
      "drafts/plan.md": "excluded by the config\n",
      "assets/too-big.bin": new Uint8Array(150_000).fill(7),
    },
  });
  gitdisk = await startGitdisk(sim, { env: { GITDISK_HEAL_INTERVAL_SECONDS: "0" } });
}, SCENARIO_TIMEOUT_MS);

afterAll(async () => {
  await gitdisk?.stop();
  await sim?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe(`gitdisk against the simulator (seed ${SEED})`, () => {
  test(
    "installing mirrors a 2,000-file repository",
    async () => {
      expect((await sim.tree(REPO)).length).toBeGreaterThanOrEqual(2_000);
      sim.install(OWNER, [NAME]);
      await sim.webhooks.settled();
      await expectMirrorEqualsHead();
    },
    SCENARIO_TIMEOUT_MS,
  );

  test(
    "50 random pushes of adds, edits, deletes and renames keep the mirror equal",
    async () => {
      for (let push = 0; push < 50; push++) {
        if (push === 20) {
          // A whole folder deleted in one change.
          await sim.push(REPO, { commits: [{ message: "Drop the archive", files: { "archive/2019": null } }] });
        } else {
          await pushRandom();
        }
        if (push === 24) {
          await sim.webhooks.settled();
          await expectMirrorEqualsHead();
        }
      }
      await sim.webhooks.settled();
      await expectMirrorEqualsHead();
    },
    SCENARIO_TIMEOUT_MS,
  );

  test(
    "a push of 300+ files in 40 commits, beyond compare's 300-file cap",
    async () => {
      const commits = await randomCommits("main", 40, () => 9);
      const changed = new Set(commits.flatMap((commit) => [...Object.keys(commit.files ?? {}), ...Object.keys(commit.renames ?? {})]));
      expect(changed.size).toBeGreaterThan(300);
      await sim.push(REPO, { commits });
      await sim.webhooks.settled();
      await expectMirrorEqualsHead();
    },
    SCENARIO_TIMEOUT_MS,
  );

  test(
    "force pushes: back to an older commit, then onto an unrelated history",
    async () => {
      const older = sim.head(REPO)!;
      await pushRandom(2);
      await pushRandom(2);
      const rewound = await sim.push(REPO, { parent: older, commits: await randomCommits("main", 1, () => 5) });
      expect(rewound.forced).toBe(true);
      await sim.webhooks.settled();
      await expectMirrorEqualsHead();

      const unrelated = await sim.push(REPO, {
        parent: null,
        commits: [{ message: "Start over", files: { ...randomFiles(random, 300, counter), [CONFIG_PATH]: configYaml(expected) } }],
      });
      expect(unrelated.forced).toBe(true);
      await sim.webhooks.settled();
      await expectMirrorEqualsHead();
    },
    SCENARIO_TIMEOUT_MS,
  );

  test(
    "config changes in .github/gitdisk.yml: narrower mirror, an invalid file kept out, a wider mirror",
    async () => {
      await sim.push(REPO, {
        commits: [
          { files: { "archive/2020/a.md": "a\n", "archive/2020/b.json": "{}\n", "assets/medium.bin": new Uint8Array(60_000).fill(1) } },
        ],
      });
      expected.exclude = ["drafts/**", "archive/**"];
      expected.maxFileBytes = 50_000;
      await pushConfig(expected);
      await expectMirrorEqualsHead();

      // An invalid config is reported and the previous one kept; other changes in the push still sync.
      await sim.push(REPO, {
        commits: [
          { message: "Broken config", files: { [CONFIG_PATH]: "mirror: [unclosed\n", "content/after-broken.md": "still synced\n" } },
        ],
      });
      await sim.webhooks.settled();
      await expectMirrorEqualsHead();
      expect((await servedStatus(gitdisk, REPO)).configError).toEqual(expect.any(String));

      expected.exclude = ["drafts/**"];
      expected.maxFileBytes = 100_000;
      await pushConfig(expected);
      await expectMirrorEqualsHead();
      expect((await servedStatus(gitdisk, REPO)).configError).toBeNull();
    },
    SCENARIO_TIMEOUT_MS,
  );

  test(
    "switching the tracked branch, deleting it and creating it again",
    async () => {
      await sim.push(REPO, { branch: "staging", parent: sim.head(REPO)!, commits: await randomCommits("main", 2, () => 6) });
      await sim.webhooks.settled();
      await expectMirrorEqualsHead(); // a push to an untracked branch changes nothing

      expected.branch = "staging";
      await pushConfig(expected);
      await expectMirrorEqualsHead();

      await sim.deleteBranch(REPO, "staging");
      await sim.webhooks.settled();
      const deleted = await waitForServedSha(gitdisk, REPO, null, SYNC_TIMEOUT_MS);
      expect(deleted.files).toBe(0);
      await expectMirrorEqualsHead();

      await sim.push(REPO, { branch: "staging", parent: sim.head(REPO)!, commits: await randomCommits("main", 1, () => 4) });
      await sim.webhooks.settled();
      await expectMirrorEqualsHead();
    },
    SCENARIO_TIMEOUT_MS,
  );

  test(
    "duplicated deliveries, then deliveries arriving newest first",
    async () => {
      sim.webhooks.duplicate(3);
      sim.webhooks.duplicate(2, {}, { newGuid: true });
      for (let push = 0; push < 5; push++) await pushRandom();
      await sim.webhooks.settled();
      await expectMirrorEqualsHead();

      sim.webhooks.hold();
      for (let push = 0; push < 6; push++) await pushRandom();
      expect(sim.webhooks.release("reverse")).toBe(6);
      await sim.webhooks.settled();
      await expectMirrorEqualsHead();
    },
    SCENARIO_TIMEOUT_MS,
  );

  test(
    "pushes missed while gitdisk was down are healed after a restart; the mirror survives it",
    async () => {
      await gitdisk.stop({ keepData: true });
      dataDir = gitdisk.dataDir;
      for (let push = 0; push < 3; push++) await pushRandom();
      await sim.webhooks.settled(); // delivered to nobody, as GitHub does: no retry

      gitdisk = await startGitdisk(sim, { dataDir, env: { GITDISK_HEAL_INTERVAL_SECONDS: "1" } });
      expect((await servedStatus(gitdisk, REPO)).files).toBeGreaterThan(0);
      await waitForServedSha(gitdisk, REPO, sim.head(REPO, expected.branch)!, 15_000);
      await expectMirrorEqualsHead();
    },
    SCENARIO_TIMEOUT_MS,
  );

  test(
    "a dropped push delivery is repaired by the periodic heal",
    async () => {
      sim.webhooks.drop(1);
      const head = await pushRandom();
      await sim.webhooks.settled();
      expect(sim.webhooks.deliveries({ event: "push" }).at(-1)).toMatchObject({ state: "dropped", payload: { after: head } });
      await waitForServedSha(gitdisk, REPO, head, 15_000);
      await expectMirrorEqualsHead();
    },
    SCENARIO_TIMEOUT_MS,
  );

  test("every request gitdisk made is one GitHub has, with a valid body", () => {
    expect(sim.violations()).toEqual([]);
  });
});
