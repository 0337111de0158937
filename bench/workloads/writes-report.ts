/** The write workload's own section of the printout: both ways side by side, the targets, and the computed real-GitHub cost. */

import os from "node:os";
import { SESSION_COOKIE } from "../../test/helpers/sign-in.js";
import { duration, formatGrid, thousands } from "../support/report.js";
import { DEFAULT_WRITE_PLAN } from "../support/write-plan.js";
import { SITE_ORIGIN } from "./sign-in-visitors.js";
import {
  type CpuUse,
  type GitdiskRunFigures,
  PERSON_MAX_MS,
  PERSON_PUSH_INTERVAL_MS,
  VISITOR_PAUSE_MAX_MS,
  type WritesOutcome,
} from "./writes.js";

/** Issue 5's targets for gitdisk. */
export const WRITE_TARGETS = { maxCallsPerWrite: 0.01, maxAckP99Ms: 20 };

export interface Target {
  name: string;
  met: boolean;
  detail: string;
}

export function writeTargets(outcome: WritesOutcome): Target[] {
  const { gitdisk } = outcome;
  const { cookie } = outcome.nobodyPushing;
  return [
    {
      name: `write-back GitHub calls per write ≤ ${WRITE_TARGETS.maxCallsPerWrite}`,
      met: gitdisk.writebackCallsPerWrite <= WRITE_TARGETS.maxCallsPerWrite,
      detail: `${gitdisk.writebackCallsPerWrite.toFixed(4)} (${gitdisk.writebackCalls} calls for ${gitdisk.acknowledged} writes)`,
    },
    {
      name: `ack p99 < ${WRITE_TARGETS.maxAckP99Ms} ms (50 clients, 0–${VISITOR_PAUSE_MAX_MS} ms pauses)`,
      met: gitdisk.ack.p99Ms < WRITE_TARGETS.maxAckP99Ms,
      detail: `${gitdisk.ack.p99Ms.toFixed(1)} ms`,
    },
    {
      name: "0 lost, 0 duplicated",
      met: gitdisk.verdict.lost === 0 && gitdisk.verdict.duplicated === 0,
      detail: `${gitdisk.verdict.lost} lost, ${gitdisk.verdict.duplicated} duplicated`,
    },
    {
      name: `signed-in visitors (cookie): all GitHub calls during the span per write ≤ ${WRITE_TARGETS.maxCallsPerWrite} (nobody pushing)`,
      met: cookie.callsPerWrite <= WRITE_TARGETS.maxCallsPerWrite,
      detail: `${cookie.callsPerWrite.toFixed(4)} (${cookie.githubCalls} calls for ${cookie.acknowledged} writes: ${endpoints(cookie)})`,
    },
    {
      name: `signed-in visitors (cookie): ack p99 < ${WRITE_TARGETS.maxAckP99Ms} ms (50 clients, 0–${VISITOR_PAUSE_MAX_MS} ms pauses, nobody pushing)`,
      met: cookie.ack.p99Ms < WRITE_TARGETS.maxAckP99Ms,
      detail: `${cookie.ack.p99Ms.toFixed(1)} ms (site key, same conditions: ${outcome.nobodyPushing.key.ack.p99Ms.toFixed(1)} ms)`,
    },
    {
      name: "signed-in visitors (cookie): every write acknowledged, 0 lost, 0 duplicated",
      met: cookie.notAcknowledged === 0 && cookie.verdict.lost === 0 && cookie.verdict.duplicated === 0,
      detail: `${cookie.acknowledged} of ${cookie.planned} acknowledged, ${cookie.verdict.lost} lost, ${cookie.verdict.duplicated} duplicated`,
    },
  ];
}

export function formatWritesSection(outcome: WritesOutcome): string {
  const { gitdisk, nobodyPushing, naive, naiveOnRealGitHub } = outcome;
  const shape = DEFAULT_WRITE_PLAN;
  const both = (name: string, g: string, n: string) => [name, g, n];
  const grid = formatGrid([
    both("", "gitdisk", "naive (GET sha + PUT file per write)"),
    both(
      "writes acknowledged / planned",
      `${gitdisk.acknowledged} / ${gitdisk.planned}`,
      `${naive.acknowledged} / ${naive.planned} (${naive.notAcknowledged} gave up after 10 conflicts)`,
    ),
    both(
      "GitHub calls (per write)",
      `${thousands(gitdisk.githubCalls)} (${gitdisk.callsPerWrite.toFixed(3)}); write-back alone ${gitdisk.writebackCalls} (${gitdisk.writebackCallsPerWrite.toFixed(4)})`,
      `${thousands(naive.githubCalls)} (${naive.callsPerWrite.toFixed(2)}): ${thousands(naive.gets)} GET, ${thousands(naive.puts)} PUT`,
    ),
    both(
      "commits made",
      `${gitdisk.commits} (${gitdisk.contentCreatingRequests} createCommitOnBranch calls)`,
      `${thousands(naive.commits)}`,
    ),
    both(
      "ack latency p50 / p99 / max",
      `${latencies(gitdisk.ack)} (each client pausing 0–${VISITOR_PAUSE_MAX_MS} ms between writes)`,
      latencies(naive.ack),
    ),
    both("  the same visitors, nobody pushing", `${latencies(nobodyPushing.key.ack)} (${nobodyPushing.key.ack.count} writes)`, ""),
    both(
      "  50 clients, no pause (saturation)",
      `${latencies(gitdisk.saturatedAck)} (${gitdisk.saturatedAck.count} writes, no person pushing)`,
      "",
    ),
    both("  one client alone", `${latencies(gitdisk.unloadedAck)} (${gitdisk.unloadedAck.count} writes, one at a time)`, ""),
    both("all acknowledged after", duration(gitdisk.acksDoneMs), `${duration(naive.allCommittedMs)} (each acknowledgement is its commit)`),
    both("all writes committed after", `${duration(gitdisk.allCommittedMs)} (/status: pendingWrites 0)`, duration(naive.allCommittedMs)),
    both(
      "lost / duplicated writes",
      `${gitdisk.verdict.lost} / ${gitdisk.verdict.duplicated}`,
      `${naive.verdict.lost} / ${naive.verdict.duplicated}`,
    ),
    both(
      "conflicts retried",
      `${gitdisk.contentCreatingRequests - gitdisk.commits} commit attempts refused (the person had moved the head)`,
      `${thousands(naive.conflicts)} PUTs refused (the file changed since its GET)`,
    ),
    both(
      "person's pushes / their files damaged",
      `${gitdisk.person.pushes} / ${gitdisk.verdict.personFilesDamaged}`,
      `${naive.person.pushes} / ${naive.verdict.personFilesDamaged}`,
    ),
    both("person pushed for", person(gitdisk), person(naive)),
    both("CPU used meanwhile", cpuUse(gitdisk.cpu), ""),
  ]);
  return [
    `(d) writes: ${shape.clients} concurrent clients × (${shape.likesPerClient} likes + ${shape.messagesPerClient} messages + ${shape.profileUpdatesPerClient} profile updates), each pausing 0–${VISITOR_PAUSE_MAX_MS} ms before each write as a visitor does, a person pushing to the same branch (a push, then ${PERSON_PUSH_INTERVAL_MS} ms pause) until the way is done or for at most ${duration(PERSON_MAX_MS)}`,
    grid,
    `gitdisk's calls include mirroring the person's ${gitdisk.person.pushes} pushes (compare + blob fetch each) and installation tokens; "write-back alone" counts its own GraphQL operations (${Object.entries(
      gitdisk.graphqlOperations,
    )
      .map(([operation, calls]) => `${operation} ${calls}`)
      .join(", ")}).`,
    `Naive on real GitHub (computed from its ${thousands(naiveOnRealGitHub.contentCreatingRequests)} PUTs, each a content-creating request under GitHub's secondary limits, not measured): ` +
      `≥ ${naiveOnRealGitHub.minutesAt80PerMinute.toFixed(1)} min at 80 per minute, ≥ ${naiveOnRealGitHub.hoursAt500PerHour.toFixed(1)} h at 500 per hour. gitdisk made ${gitdisk.contentCreatingRequests}.`,
    "",
    formatSignedInSection(outcome),
  ].join("\n");
}

/** Signed-in visitors' writes (cookie) beside the site key's, with and without the person pushing. */
function formatSignedInSection({ gitdisk, nobodyPushing: { key, cookie } }: WritesOutcome): string {
  const row = (name: string, show: (run: GitdiskRunFigures) => string) => [name, show(gitdisk), show(key), show(cookie)];
  const grid = formatGrid([
    ["", "site key, person pushing", "site key, nobody pushing", "signed-in visitors (cookie), nobody pushing"],
    row("writes acknowledged / planned", (run) => `${run.acknowledged} / ${run.planned}`),
    row("GitHub calls during the span (per write)", (run) => `${run.githubCalls} (${run.callsPerWrite.toFixed(4)})`),
    row("  by endpoint", endpoints),
    row("commits made (attempts)", (run) => `${run.commits} (${run.contentCreatingRequests})`),
    row("ack latency p50 / p99 / max", (run) => latencies(run.ack)),
    row("all acknowledged after", (run) => duration(run.acksDoneMs)),
    row("all writes committed after", (run) => duration(run.allCommittedMs)),
    row("lost / duplicated writes", (run) => `${run.verdict.lost} / ${run.verdict.duplicated}`),
    row("gitdisk's CPU meanwhile", (run) => `${seconds(run.cpu.gitdiskMs)} in ${seconds(run.cpu.wallMs)}`),
  ]);
  return [
    `(d) signed-in visitors' writes: the same 50 clients and pauses, each client a visitor who signed in with GitHub before the span (its profile committed), ` +
      `each write sent with Cookie: ${SESSION_COOKIE}=… and Origin: ${SITE_ORIGIN} (listed in api.origins), no key and no X-Gitdisk-User; ` +
      "nobody pushing, so every GitHub call in the span is one the writes caused. Beside them the site key's writes (Authorization + X-Gitdisk-User).",
    grid,
  ].join("\n");
}

/** GitHub calls per endpoint, most first. */
function endpoints(run: GitdiskRunFigures): string {
  const counted = Object.entries(run.callsByEndpoint).sort(([, a], [, b]) => b - a);
  return counted.length === 0 ? "none" : counted.map(([endpoint, calls]) => `${endpoint} ${calls}`).join(", ");
}

function person(side: WritesOutcome["gitdisk"] | WritesOutcome["naive"]): string {
  const stopped = side.person.pushingMs >= PERSON_MAX_MS ? `, then stopped (${duration(PERSON_MAX_MS)} limit)` : "";
  return `${duration(side.person.pushingMs)}${stopped}; the writer's commits landed between ${side.person.pushesAfterForeignCommits} of the pushes`;
}

function seconds(ms: number | null): string {
  return ms === null ? "?" : `${(ms / 1000).toFixed(1)} s`;
}

function cpuUse(cpu: CpuUse): string {
  return `gitdisk ${seconds(cpu.gitdiskMs)}, clients ${seconds(cpu.clientsMs)}, simulated GitHub ${seconds(cpu.simulatorMs)} + its git ${seconds(cpu.simulatorGitMs)}, in ${seconds(cpu.wallMs)} on ${os.cpus().length} CPUs`;
}

function latencies(summary: { p50Ms: number; p99Ms: number; maxMs: number }): string {
  return `${duration(summary.p50Ms)} / ${duration(summary.p99Ms)} / ${duration(summary.maxMs)}`;
}

export function formatTargets(targets: readonly Target[]): string {
  return targets.map((target) => `${target.met ? "met   " : "MISSED"} ${target.name}: ${target.detail}`).join("\n");
}
