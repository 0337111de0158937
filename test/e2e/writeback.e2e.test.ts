/**
 * End to end: user data written through the real gitdisk server lands in the simulator's repository
 * exactly once, coalesced, next to what a person pushes meanwhile — also across a lost response,
 * a SIGTERM and a kill -9.
 */
import { type Simulator, startSimulator } from "../github-sim/start-simulator.js";
import { type GitdiskProcess, startGitdisk } from "../helpers/gitdisk-process.js";
import { mirrorDifferences, type ServedStatus, servedStatus, waitForServedSha, waitForStatus } from "./mirror-check.js";

const OWNER = "octo";
const NAME = "blog";
const REPO = `${OWNER}/${NAME}`;
const TIMEOUT_MS = 120_000;
const FAST_FLUSH = { GITDISK_HEAL_INTERVAL_SECONDS: "0", GITDISK_FLUSH_WINDOW_MS: "300" };
/** Long enough that writes are still queued when the process is stopped. */
const SLOW_FLUSH = { GITDISK_HEAL_INTERVAL_SECONDS: "0", GITDISK_FLUSH_WINDOW_MS: "8000", GITDISK_WRITE_WAIT_SECONDS: "30" };

let sim: Simulator;
let gitdisk: GitdiskProcess;
let dataDir: string;

interface Accepted {
  writeId: string;
  path: string;
  /** What the record file must hold at the end; null when deleted. */
  data: Record<string, unknown> | null;
}

interface WriteAnswer {
  status: number;
  body: { id?: string; path?: string; writeId?: string; status?: string; commit?: string; error?: string };
  /** Who the write was made as: the record's author. */
  user: string;
}

async function write(method: "POST" | "PUT" | "DELETE", route: string, user: string, data?: unknown): Promise<WriteAnswer> {
  const response = await fetch(`${gitdisk.url}/v1/repos/${REPO}/collections/${route}`, {
    method,
    headers: { authorization: `Bearer ${gitdisk.apiKey}`, "x-gitdisk-user": user, "content-type": "application/json" },
    ...(data === undefined ? {} : { body: JSON.stringify(data) }),
  });
  return { status: response.status, body: (await response.json()) as WriteAnswer["body"], user };
}

function accepted(answer: WriteAnswer, data: Record<string, unknown> | null): Accepted {
  if (answer.status !== 202 && answer.status !== 201 && answer.status !== 200)
    throw new Error(`write refused: ${answer.status} ${JSON.stringify(answer.body)}`);
  // The file holds what was written, with the acting user stamped as its author.
  return { writeId: answer.body.writeId!, path: answer.body.path!, data: data && { ...data, _author: answer.user.toLowerCase() } };
}

function waitUntilNothingPending(): Promise<ServedStatus> {
  return waitForStatus(
    gitdisk,
    REPO,
    (status) => status.pendingWrites === 0,
    60_000,
    (status) => `${status.pendingWrites} writes still pending:\n${gitdisk.output().slice(-4000)}\n`,
  );
}

async function waitUntilFlushed(): Promise<void> {
  await waitUntilNothingPending();
  await sim.webhooks.settled();
  await waitForServedSha(gitdisk, REPO, sim.head(REPO)!, 30_000);
}

/** How many commits on the branch name each write id in their trailers. */
async function commitsPerWriteId(): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const commit of await sim.commits(REPO)) {
    for (const match of commit.message.matchAll(/^Gitdisk-Write: (\S+)$/gm)) counts.set(match[1]!, (counts.get(match[1]!) ?? 0) + 1);
  }
  return counts;
}

/** Every accepted write is in the repository as written (the last one per path wins) and named by exactly one commit. */
async function expectCommittedExactlyOnce(writes: readonly Accepted[]): Promise<void> {
  const files = await sim.files(REPO);
  const finalByPath = new Map(writes.map((entry) => [entry.path, entry.data]));
  for (const [path, data] of finalByPath) {
    if (data === null) expect(files.has(path)).toBe(false);
    else expect({ path, data: JSON.parse(files.get(path)?.toString("utf8") ?? "null") }).toEqual({ path, data });
  }
  const counts = await commitsPerWriteId();
  const notOnce = writes
    .filter((entry) => counts.get(entry.writeId) !== 1)
    .map((entry) => `${entry.writeId}: ${counts.get(entry.writeId) ?? 0} commits`);
  expect(notOnce).toEqual([]);
}

beforeAll(async () => {
  sim = await startSimulator();
  await sim.createRepo({ owner: OWNER, name: NAME, files: { "README.md": "# Blog\n", "content/post-1.md": "First post\n" } });
  gitdisk = await startGitdisk(sim, { env: FAST_FLUSH });
  dataDir = gitdisk.dataDir;
  sim.install(OWNER, [NAME]);
  await sim.webhooks.settled();
  await waitForServedSha(gitdisk, REPO, sim.head(REPO)!, 30_000);
}, TIMEOUT_MS);

afterAll(async () => {
  await gitdisk?.stop();
  await sim?.close();
});

describe("write-back against the simulator", () => {
  test(
    "300 writes from 20 concurrent clients while a person pushes: each committed once, the person's commits kept",
    async () => {
      const writes: Accepted[] = [];
      const personFiles: Record<string, string> = {};
      let writing = true;
      const person = (async () => {
        for (let n = 0; writing; n++) {
          const path = `content/person-${n}.md`;
          personFiles[path] = `edit ${n}\n`;
          await sim.push(REPO, { commits: [{ message: `Edit ${n}`, files: { [path]: personFiles[path]! } }] });
          await new Promise((resolve) => setTimeout(resolve, 300));
        }
      })();
      const client = async (clientNumber: number) => {
        const user = `Reader-${clientNumber}`; // logins are case-insensitive: stored lower-case
        for (let i = 0; i < 15; i++) {
          if (i % 3 === 0) {
            const like = { doc: `post-${i}` };
            writes.push(accepted(await write("POST", "likes", user, like), like));
          } else if (i % 3 === 1) {
            const message = { text: `message ${i} from ${user}`, n: i };
            writes.push(accepted(await write("POST", "messages", user, message), message));
          } else {
            const profile = { name: user, edits: i };
            writes.push(accepted(await write("PUT", `profiles/${user.toLowerCase()}`, user, profile), profile));
          }
        }
      };
      await Promise.all(Array.from({ length: 20 }, (_, n) => client(n)));
      await waitUntilNothingPending(); // the person keeps pushing while gitdisk commits
      writing = false;
      await person;
      await waitUntilFlushed();

      expect(writes).toHaveLength(300);
      expect(Object.keys(personFiles).length).toBeGreaterThanOrEqual(3);
      await expectCommittedExactlyOnce(writes);
      const files = await sim.files(REPO);
      for (const [path, content] of Object.entries(personFiles))
        expect({ path, content: files.get(path)?.toString("utf8") }).toEqual({ path, content });
      const gitdiskCommits = (await sim.commits(REPO)).filter((commit) => commit.message.startsWith("gitdisk:"));
      // Coalesced: far fewer commits than writes, none of them a merge.
      expect(gitdiskCommits.length).toBeLessThan(60);
      expect(gitdiskCommits.every((commit) => commit.parents.length === 1)).toBe(true);
      expect(await mirrorDifferences(sim, gitdisk, REPO, { branch: "main", exclude: [], maxFileBytes: 10 * 1024 * 1024 })).toEqual([]);
    },
    TIMEOUT_MS,
  );

  test(
    "a commit GitHub applied but whose response was lost is recognised, not made twice",
    async () => {
      sim.faults.inject({ endpoint: "graphql:createCommitOnBranch", kind: "lose-response", times: 1 });
      const answers = await Promise.all(
        [1, 2, 3].map((n) => {
          const message = { text: `after a lost response ${n}` };
          return write("POST", "messages?wait=1", "ada", message).then((answer) => ({ answer, message }));
        }),
      );
      expect(sim.faults.pending()).toEqual([]); // the fault did strike
      for (const { answer } of answers)
        expect(answer).toMatchObject({ status: 201, body: { status: "committed", commit: expect.any(String) } });
      await waitUntilFlushed();
      await expectCommittedExactlyOnce(answers.map(({ answer, message }) => accepted(answer, message)));
    },
    TIMEOUT_MS,
  );

  test(
    "SIGTERM: gitdisk stops accepting, commits what it acknowledged, then exits",
    async () => {
      await gitdisk.stop({ keepData: true });
      gitdisk = await startGitdisk(sim, { dataDir, env: SLOW_FLUSH });
      const writes: Accepted[] = [];
      for (let n = 0; n < 10; n++) {
        const message = { text: `before SIGTERM ${n}` };
        writes.push(accepted(await write("POST", "messages", "grace", message), message));
      }
      expect(await gitdisk.stop({ keepData: true })).toBe(0);
      await expectCommittedExactlyOnce(writes);
    },
    TIMEOUT_MS,
  );

  test(
    "kill -9 with writes acknowledged but not committed: a restart commits each of them once",
    async () => {
      gitdisk = await startGitdisk(sim, { dataDir, env: SLOW_FLUSH });
      const writes: Accepted[] = [];
      await Promise.all(
        Array.from({ length: 25 }, async (_, n) => {
          const like = { doc: `crash-${n}` };
          writes.push(accepted(await write("POST", "likes", "crash-test", like), like));
        }),
      );
      expect((await servedStatus(gitdisk, REPO)).pendingWrites).toBe(25);
      await gitdisk.stop({ keepData: true, crash: true });
      gitdisk = await startGitdisk(sim, { dataDir, env: FAST_FLUSH });
      await waitUntilFlushed();
      await expectCommittedExactlyOnce(writes);
    },
    TIMEOUT_MS,
  );

  test(
    "the push webhooks of a person's push and of gitdisk's commit on top of it both lost: the mirror heals without the periodic heal",
    async () => {
      await waitUntilFlushed();
      sim.webhooks.drop(2, { event: "push" });
      await sim.push(REPO, { commits: [{ message: "A push whose webhook is lost", files: { "content/unheard.md": "unheard\n" } }] });
      const like = { doc: "after-lost-webhooks" };
      const answer = await write("POST", "likes?wait=1", "lost", like);
      expect(answer).toMatchObject({ status: 201, body: { status: "committed" } });
      const head = sim.head(REPO)!;
      expect(answer.body.commit).toBe(head);
      // The heal interval is 0 here: only the write-back's catch-up (15 s after its commit) brings the mirror there.
      await waitForServedSha(gitdisk, REPO, head, 40_000);
      const record = await fetch(`${gitdisk.url}/v1/repos/${REPO}/collections/likes/after-lost-webhooks/lost`);
      expect(await record.json()).toMatchObject({ data: like });
      expect(await mirrorDifferences(sim, gitdisk, REPO, { branch: "main", exclude: [], maxFileBytes: 10 * 1024 * 1024 })).toEqual([]);
    },
    TIMEOUT_MS,
  );

  test("every request gitdisk made is one GitHub has, with a valid body", () => {
    expect(sim.violations()).toEqual([]);
  });
});
