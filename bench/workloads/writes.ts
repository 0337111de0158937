/**
 * (d) 1,000 writes from 50 concurrent clients (likes, messages, profile updates) while a person pushes
 * to the same branch (a push, a 200 ms pause, the next push): gitdisk's write API vs the naive
 * GET-then-PUT per write. Both are judged by reading the repository afterwards (verify-writes.ts).
 * The same visitors also write with nobody pushing, once with the site key and once signed in with
 * GitHub (their session cookies), side by side.
 */

import type { RepoName } from "../naive/naive-github.js";
import { outcomeOf, runClientJob } from "../support/client-process.js";
import { finishedChildrenCpuMs, type LatencySummary, now, processCpuMs, summarizeLatencies } from "../support/measure.js";
import { type PersonPushes, startPerson } from "../support/person-pusher.js";
import type { BenchRow } from "../support/report.js";
import { type AckedWrite, countWrites, type PlannedWrite, writePlan } from "../support/write-plan.js";
import { type BenchContext, fullName, gitdiskTarget, measureGitdisk, measureNaive, naiveTarget, rowOf } from "./bench-context.js";
import { SITE_CONFIG_FILES, signInVisitors } from "./sign-in-visitors.js";
import { commitMessages, verifyGitdiskWrites, verifyNaiveWrites, type WriteVerdict } from "./verify-writes.js";

export const PERSON_PUSH_INTERVAL_MS = 200;
/**
 * Each client pauses 0–200 ms (100 ms on average) before each write, as a visitor does between two
 * clicks: 50 of them offer about 500 writes a second. The same clients without any pause show where
 * the server saturates; both figures are printed.
 */
export const VISITOR_PAUSE_MAX_MS = 200;
/**
 * The person stops pushing after this long even if the writer has not finished: on a branch pushed
 * to every few hundred milliseconds a writer may get no commit in at all, and the bench must end.
 */
export const PERSON_MAX_MS = 30_000;
/** GitHub's secondary limits on content-creating requests (docs: "about 80 a minute and 500 an hour"). */
const CONTENT_REQUESTS_PER_MINUTE = 80;
const CONTENT_REQUESTS_PER_HOUR = 500;

const START_FILES = { "README.md": "# A site whose visitors write\n", "content/post-0.md": "---\ntitle: Post 0\n---\nHello.\n" };

export interface WriteSideFigures {
  planned: number;
  acknowledged: number;
  /** Writes the way could not carry out (refused by gitdisk; given up after conflicts by the naive client). */
  notAcknowledged: number;
  githubCalls: number;
  callsPerWrite: number;
  commits: number;
  ack: LatencySummary;
  allCommittedMs: number;
  verdict: WriteVerdict;
  person: { pushes: number; pushingMs: number; pushesAfterForeignCommits: number };
  /** Requests GitHub's secondary limit counts: gitdisk's commit attempts, the naive PUTs. */
  contentCreatingRequests: number;
}

/** gitdisk's figures for one run of the clients' writes. */
export type GitdiskRunFigures = WriteSideFigures & {
  acksDoneMs: number;
  cpu: CpuUse;
  writebackCalls: number;
  writebackCallsPerWrite: number;
  graphqlOperations: Record<string, number>;
  /** Every GitHub call during the span, per endpoint as the simulator counted them. */
  callsByEndpoint: Record<string, number>;
};

export interface WritesOutcome {
  rows: BenchRow[];
  gitdisk: GitdiskRunFigures & { unloadedAck: LatencySummary; saturatedAck: LatencySummary };
  /**
   * The same paced visitors with nobody pushing, side by side: written with the site key (X-Gitdisk-User),
   * and as visitors signed in with GitHub (session cookie and the site's Origin, no key). Nobody pushes so
   * that every GitHub call in the span is one the writes caused.
   */
  nobodyPushing: { key: GitdiskRunFigures; cookie: GitdiskRunFigures };
  naive: WriteSideFigures & { gets: number; puts: number; conflicts: number };
  /** Computed, not measured: how long the naive way's content-creating requests take under GitHub's limits. */
  naiveOnRealGitHub: { contentCreatingRequests: number; minutesAt80PerMinute: number; hoursAt500PerHour: number };
}

async function prepareRepo(context: BenchContext, repo: RepoName, extraFiles: Record<string, string> = {}): Promise<void> {
  await context.sim.createRepo({ ...repo, files: { ...START_FILES, ...extraFiles } });
}

/** How one gitdisk run is set up. */
interface GitdiskRun {
  /** A person pushes to the branch meanwhile; else nobody does. */
  personPushing: boolean;
  /** The visitors sign in first and write with their session cookies; else the clients write with the site key. */
  signedIn: boolean;
}

const NOBODY_PUSHED: PersonPushes = { expectedFiles: new Map(), pushes: 0, pushesAfterForeignCommits: 0, pushingMs: 0 };

const gitdiskCommitsIn = (messages: readonly string[]) => messages.filter((message) => message.includes("Gitdisk-Write:")).length;

async function gitdiskSide(context: BenchContext, repo: RepoName, plan: PlannedWrite[][], run: GitdiskRun) {
  const { sim, tap } = context;
  await prepareRepo(context, repo, run.signedIn ? SITE_CONFIG_FILES : {});
  sim.install(repo.owner, [repo.name]);
  const head = sim.head(fullName(repo));
  await context.clientFor(repo).waitForStatus((status) => status.sha === head, 60_000);
  await sim.webhooks.settled();
  const visitors = run.signedIn ? await signInVisitors(context, repo, plan) : undefined;
  // The sign-ins' profile commits are not the run's.
  const commitsBefore = gitdiskCommitsIn(await commitMessages(sim, fullName(repo)));
  const target = { ...gitdiskTarget(context, repo), ...(visitors ? { visitors } : {}) };

  const measured = await measureGitdisk(context, async () => {
    tap.reset();
    const cpuBefore = cpuNow(context);
    const person = run.personPushing ? startPerson(sim, fullName(repo), PERSON_PUSH_INTERVAL_MS, PERSON_MAX_MS) : null;
    const job = await runClientJob({ kind: "gitdisk-writes", ...target, plan, pauseMaxMs: VISITOR_PAUSE_MAX_MS });
    const cpu = cpuUsedSince(context, cpuBefore, job.cpuMs);
    const pushes = person ? await person.stop() : NOBODY_PUSHED;
    await sim.webhooks.settled();
    return { writes: outcomeOf(job, "gitdisk-writes").writes, pushes, operations: tap.operations(), cpu };
  });
  const { writes, pushes, operations, cpu } = measured.result;
  const messages = await commitMessages(sim, fullName(repo));
  const verdict = verifyGitdiskWrites(await sim.files(fullName(repo)), writes.acked, pushes, messages);
  const writebackCalls = Object.entries(operations).reduce(
    (sum, [operation, calls]) => sum + (operation.startsWith("gitdisk") ? calls : 0),
    0,
  );
  const runFigures: GitdiskRunFigures = {
    ...figures(
      countWrites(plan),
      writes.acked.length,
      measured.usage.calls,
      gitdiskCommitsIn(messages) - commitsBefore,
      writes.latenciesMs,
      writes.allCommittedMs,
      verdict,
      pushes,
      operations.gitdiskCommit ?? 0,
    ),
    acksDoneMs: writes.acksDoneMs,
    cpu,
    writebackCalls,
    writebackCallsPerWrite: writebackCalls / Math.max(1, writes.acked.length),
    graphqlOperations: operations,
    callsByEndpoint: Object.fromEntries(Object.entries(measured.usage.byEndpoint).map(([endpoint, { calls }]) => [endpoint, calls])),
  };
  return { measured, figures: runFigures, refusals: writes.refusals };
}

/** CPU the parties used while the clients wrote, until all was committed: who competed with gitdisk for the machine. */
export interface CpuUse {
  wallMs: number;
  gitdiskMs: number | null;
  clientsMs: number;
  /** The bench process: the simulated GitHub's JavaScript, the GraphQL tap and the person. */
  simulatorMs: number;
  /** The git commands the simulator ran. */
  simulatorGitMs: number | null;
}

function cpuNow(context: BenchContext) {
  return { at: now(), gitdisk: processCpuMs(context.gitdisk.child.pid!), self: processCpuMs("self")!, children: finishedChildrenCpuMs() };
}

/** The wall time is the same span as the CPU figures: from before the client process started until it ended. */
function cpuUsedSince(context: BenchContext, before: ReturnType<typeof cpuNow>, clientsMs: number): CpuUse {
  const after = cpuNow(context);
  const since = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);
  return {
    wallMs: after.at - before.at,
    gitdiskMs: since(after.gitdisk, before.gitdisk),
    clientsMs,
    simulatorMs: after.self - before.self,
    simulatorGitMs: since(after.children, before.children),
  };
}

async function naiveSide(context: BenchContext, repo: RepoName, plan: PlannedWrite[][]) {
  await prepareRepo(context, repo);
  const person = startPerson(context.sim, fullName(repo), PERSON_PUSH_INTERVAL_MS, PERSON_MAX_MS);
  const measured = await measureNaive(context, {
    kind: "naive-writes",
    ...naiveTarget(context, repo),
    plan,
    pauseMaxMs: VISITOR_PAUSE_MAX_MS,
  });
  const pushes = await person.stop();
  const writes = outcomeOf(measured.result, "naive-writes").writes;
  const acked: AckedWrite[] = writes.outcomes.filter((outcome) => outcome.ok).map(({ write, path, content }) => ({ write, path, content }));
  const verdict = verifyNaiveWrites(await context.sim.files(fullName(repo)), acked, pushes);
  return { measured, writes, acked, pushes, verdict };
}

function figures(
  planned: number,
  acked: number,
  githubCalls: number,
  commits: number,
  latencies: number[],
  allCommittedMs: number,
  verdict: WriteVerdict,
  pushes: PersonPushes,
  contentCreatingRequests: number,
): WriteSideFigures {
  return {
    planned,
    acknowledged: acked,
    notAcknowledged: planned - acked,
    githubCalls,
    callsPerWrite: githubCalls / Math.max(1, acked),
    commits,
    ack: summarizeLatencies(latencies),
    allCommittedMs,
    verdict,
    person: { pushes: pushes.pushes, pushingMs: pushes.pushingMs, pushesAfterForeignCommits: pushes.pushesAfterForeignCommits },
    contentCreatingRequests,
  };
}

function rowDetails(side: WriteSideFigures): Record<string, string | number> {
  return {
    acked: side.acknowledged,
    "calls/write": side.callsPerWrite.toFixed(3),
    commits: side.commits,
    "ack p50": `${side.ack.p50Ms.toFixed(1)} ms`,
    "ack p99": `${side.ack.p99Ms.toFixed(1)} ms`,
    lost: side.verdict.lost,
    duplicated: side.verdict.duplicated,
    "person pushes": side.person.pushes,
  };
}

/** One client, one write at a time: the acknowledgement latency without queueing behind 49 other clients. */
const UNLOADED_PLAN = { clients: 1, likesPerClient: 10, messagesPerClient: 60, profileUpdatesPerClient: 30 };

/** gitdisk's acknowledgement latency alone (no person pushing) for a plan and pacing, on a repository of its own. */
async function ackLatencyAlone(context: BenchContext, repo: RepoName, plan: PlannedWrite[][], pauseMaxMs: number): Promise<LatencySummary> {
  await prepareRepo(context, repo);
  context.sim.install(repo.owner, [repo.name]);
  const head = context.sim.head(fullName(repo));
  await context.clientFor(repo).waitForStatus((status) => status.sha === head, 60_000);
  const writes = outcomeOf(
    await runClientJob({ kind: "gitdisk-writes", ...gitdiskTarget(context, repo), plan, pauseMaxMs }),
    "gitdisk-writes",
  ).writes;
  if (writes.refusals.length > 0) throw new Error(`gitdisk refused a write: ${writes.refusals[0]}`);
  await context.sim.webhooks.settled();
  return summarizeLatencies(writes.latenciesMs);
}

export async function writesWorkload(context: BenchContext, owner: string, label: string): Promise<WritesOutcome> {
  const { checks } = context;
  const plan = writePlan();
  const planned = countWrites(plan);

  context.progress(`${label}: gitdisk, one client first (${countWrites(writePlan(UNLOADED_PLAN))} writes, not counted below)`);
  const unloaded = await ackLatencyAlone(context, { owner, name: "writes-one-client" }, writePlan(UNLOADED_PLAN), 0);
  context.progress(`${label}: gitdisk, ${planned} writes from 50 clients without pause (saturation; not counted below)`);
  const saturated = await ackLatencyAlone(context, { owner, name: "writes-saturated" }, plan, 0);
  context.progress(`${label}: gitdisk, the same visitors with nobody pushing (site key)`);
  const keyAlone = await gitdiskSide(context, { owner, name: "writes-paced-alone" }, plan, { personPushing: false, signedIn: false });
  // The runs above ran the key's path a thousand times before it was measured; the session's path (jose, the
  // write rules, the limits) is compiled by V8 on its first use, which alone put a p99 of 45 ms on a cold run.
  context.progress(
    `${label}: gitdisk, signed-in visitors once to warm the session's path, as the runs above warmed the key's (not counted below)`,
  );
  await gitdiskSide(context, { owner, name: "writes-cookie-warm-up" }, plan, { personPushing: false, signedIn: true });
  context.progress(`${label}: gitdisk, the same visitors signed in with GitHub, writing with their session cookies (nobody pushing)`);
  const cookie = await gitdiskSide(context, { owner, name: "writes-cookie" }, plan, { personPushing: false, signedIn: true });
  context.progress(`${label}: gitdisk`);
  const g = await gitdiskSide(context, { owner, name: "writes-gitdisk" }, plan, { personPushing: true, signedIn: false });
  const gitdisk = { ...g.figures, unloadedAck: unloaded, saturatedAck: saturated };

  context.progress(`${label}: naive (one GET + one PUT per write, retried on conflict)`);
  const n = await naiveSide(context, { owner, name: "writes-naive" }, plan);
  const naiveLatencies = n.writes.outcomes.filter((outcome) => outcome.ok).map((outcome) => outcome.latencyMs);
  const naiveCommits = n.acked.length;
  const naive = {
    ...figures(
      planned,
      n.acked.length,
      n.measured.usage.calls,
      naiveCommits,
      naiveLatencies,
      n.measured.result.wallMs,
      n.verdict,
      n.pushes,
      n.writes.puts,
    ),
    gets: n.writes.gets,
    puts: n.writes.puts,
    conflicts: n.writes.conflicts,
  };

  const gitdiskRuns = [
    { way: "gitdisk", side: gitdisk, refusals: g.refusals },
    { way: "gitdisk (site key, nobody pushing)", side: keyAlone.figures, refusals: keyAlone.refusals },
    { way: "gitdisk's signed-in visitors (cookie)", side: cookie.figures, refusals: cookie.refusals },
  ];
  for (const { way, side } of [...gitdiskRuns, { way: "naive", side: naive }]) {
    checks.expect(
      `${label}: ${way} loses no acknowledged write`,
      side.verdict.lost === 0,
      `${side.verdict.lost} lost${side.verdict.problems.length ? `: ${side.verdict.problems.join("; ")}` : ""}`,
    );
    checks.expect(`${label}: ${way} duplicates no write`, side.verdict.duplicated === 0, `${side.verdict.duplicated} duplicated`);
  }
  for (const [way, side] of [
    ["gitdisk", gitdisk],
    ["naive", naive],
  ] as const) {
    checks.expect(
      `${label}: ${way} keeps every file the person pushed`,
      side.verdict.personFilesDamaged === 0,
      `${side.person.pushes} pushes, ${side.verdict.personFilesDamaged} files damaged`,
    );
  }
  for (const { way, side, refusals } of gitdiskRuns) {
    checks.expect(
      `${label}: ${way} acknowledges every write`,
      side.notAcknowledged === 0,
      `${side.acknowledged} of ${planned}${refusals.length ? `; first refusal: ${refusals[0]}` : ""}`,
    );
  }

  const rows: BenchRow[] = [
    rowOf(label, "gitdisk", g.measured, gitdisk.allCommittedMs, rowDetails(gitdisk)),
    rowOf(label, "gitdisk, signed-in visitors (cookie)", cookie.measured, cookie.figures.allCommittedMs, rowDetails(cookie.figures)),
    rowOf(label, "naive", n.measured, naive.allCommittedMs, {
      ...rowDetails(naive),
      conflicts: naive.conflicts,
      "gave up": naive.notAcknowledged,
    }),
  ];
  return {
    rows,
    gitdisk,
    nobodyPushing: { key: keyAlone.figures, cookie: cookie.figures },
    naive,
    naiveOnRealGitHub: {
      contentCreatingRequests: naive.puts,
      minutesAt80PerMinute: naive.puts / CONTENT_REQUESTS_PER_MINUTE,
      hoursAt500PerHour: naive.puts / CONTENT_REQUESTS_PER_HOUR,
    },
  };
}
