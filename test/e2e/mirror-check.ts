/**
 * The end-to-end oracle: what gitdisk serves must equal the repository at its branch head, file by
 * file and byte by byte, minus exactly what `.github/gitdisk.yml` leaves out of the mirror.
 */
import picomatch from "picomatch";
import { runPool } from "../../src/run-pool.js";
import type { Simulator } from "../github-sim/start-simulator.js";
import type { GitdiskProcess } from "../helpers/gitdisk-process.js";

/** The test's own statement of what the mirror should hold, written independently of gitdisk's filter. */
export interface ExpectedMirror {
  branch: string;
  exclude: string[];
  maxFileBytes: number;
}

export interface ServedStatus {
  sha: string | null;
  files: number;
  configError: string | null;
  lastError: string | null;
  pendingWrites: number;
}

export interface MirrorDifference {
  path: string;
  problem: string;
}

const READ_CONCURRENCY = 16;

export function encodeRepoPath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

export async function getJson<T>(gitdisk: GitdiskProcess, urlPath: string): Promise<T> {
  const response = await fetch(`${gitdisk.url}${urlPath}`, { headers: { authorization: `Bearer ${gitdisk.apiKey}` } });
  if (!response.ok) throw new Error(`GET ${urlPath} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

export function servedStatus(gitdisk: GitdiskProcess, fullName: string): Promise<ServedStatus> {
  return getJson<ServedStatus>(gitdisk, `/v1/repos/${fullName}/status`);
}

interface TreePage {
  sha: string | null;
  files: Array<{ path: string; sha: string }>;
  cursor: string | null;
}

/** Every file /tree lists, page after page; pages smaller than the default, so that a listing spans several. */
async function servedTree(gitdisk: GitdiskProcess, fullName: string): Promise<TreePage["files"]> {
  const files: TreePage["files"] = [];
  let cursor: string | null = null;
  do {
    const page: TreePage = await getJson<TreePage>(gitdisk, `/v1/repos/${fullName}/tree?limit=500${cursor ? `&cursor=${cursor}` : ""}`);
    files.push(...page.files);
    cursor = page.cursor;
  } while (cursor);
  return files;
}

/** Polls /status until `done` holds; `waitingFor` says what was awaited when it never does. */
export async function waitForStatus(
  gitdisk: GitdiskProcess,
  fullName: string,
  done: (status: ServedStatus) => boolean,
  timeoutMs: number,
  waitingFor: (status: ServedStatus) => string,
): Promise<ServedStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await servedStatus(gitdisk, fullName);
    if (done(status)) return status;
    if (Date.now() > deadline) throw new Error(`${waitingFor(status)} after ${timeoutMs} ms (${fullName})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Polls until the served commit is `sha` (healing is periodic, not instant). */
export function waitForServedSha(gitdisk: GitdiskProcess, fullName: string, sha: string | null, timeoutMs: number): Promise<ServedStatus> {
  return waitForStatus(
    gitdisk,
    fullName,
    (status) => status.sha === sha,
    timeoutMs,
    (status) => `gitdisk still serves ${status.sha}, not ${sha},`,
  );
}

/**
 * Every difference between the mirror served by gitdisk and the simulator's branch head: the status
 * commit, the tree listing (paths and blob ids) and every file's bytes. Empty means equal.
 */
export async function mirrorDifferences(
  sim: Simulator,
  gitdisk: GitdiskProcess,
  fullName: string,
  expected: ExpectedMirror,
): Promise<MirrorDifference[]> {
  const head = sim.head(fullName, expected.branch) ?? null;
  const differences: MirrorDifference[] = [];
  const status = await servedStatus(gitdisk, fullName);
  if (status.sha !== head) differences.push({ path: "(status)", problem: `serves commit ${status.sha}, branch head is ${head}` });

  const excluded = expected.exclude.length > 0 ? picomatch(expected.exclude, { dot: true }) : () => false;
  const repoFiles = head === null ? [] : await sim.tree(fullName, head);
  const wanted = new Map(
    repoFiles.filter((file) => !excluded(file.path) && file.size <= expected.maxFileBytes).map((file) => [file.path, file.sha]),
  );

  const served = new Map((await servedTree(gitdisk, fullName)).map((file) => [file.path, file.sha]));
  for (const [path, sha] of wanted) {
    if (!served.has(path)) differences.push({ path, problem: "missing from the tree listing" });
    else if (served.get(path) !== sha) differences.push({ path, problem: `listed with blob ${served.get(path)}, repository has ${sha}` });
  }
  for (const path of served.keys()) {
    if (!wanted.has(path)) differences.push({ path, problem: "listed but not in the repository (or excluded from the mirror)" });
  }

  const contents = head === null ? new Map<string, Buffer>() : await sim.files(fullName, head);
  await runPool([...wanted.keys()], READ_CONCURRENCY, async (path) => {
    const response = await fetch(`${gitdisk.url}/v1/repos/${fullName}/files/${encodeRepoPath(path)}`, {
      headers: { authorization: `Bearer ${gitdisk.apiKey}` },
    });
    const body = Buffer.from(await response.arrayBuffer());
    if (response.status !== 200) differences.push({ path, problem: `read answered ${response.status}` });
    else if (!body.equals(contents.get(path)!))
      differences.push({ path, problem: `served ${body.length} bytes that differ from the repository's` });
  });
  return differences;
}
