/** The write workload's own section of the printout: both ways side by side, the targets, and the computed real-GitHub cost. */

import os from "node:os";
import { duration, formatGrid, thousands } from "../support/report.js";
import { DEFAULT_WRITE_PLAN } from "../support/write-plan.js";
import { type CpuUse, PERSON_MAX_MS, PERSON_PUSH_INTERVAL_MS, VISITOR_PAUSE_MAX_MS, type WritesOutcome } from "./writes.js";

/** Issue 5's targets for gitdisk. */
export const WRITE_TARGETS = { maxCallsPerWrite: 0.01, maxAckP99Ms: 20 };

export interface Target {
  name: string;
  met: boolean;
  detail: string;
}

export function writeTargets(outcome: WritesOutcome): Target[] {
  const { gitdisk } = outcome;
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
  ];
}

export function formatWritesSection(outcome: WritesOutcome): string {
  const { gitdisk, naive, naiveOnRealGitHub } = outcome;
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
    both("  the same visitors, nobody pushing", `${latencies(gitdisk.pacedAloneAck)} (${gitdisk.pacedAloneAck.count} writes)`, ""),
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
  ].join("\n");
}

function person(side: WritesOutcome["gitdisk"] | WritesOutcome["naive"]): string {
  const stopped = side.person.pushingMs >= PERSON_MAX_MS ? `, then stopped (${duration(PERSON_MAX_MS)} limit)` : "";
  return `${duration(side.person.pushingMs)}${stopped}; the writer's commits landed between ${side.person.pushesAfterForeignCommits} of the pushes`;
}

function cpuUse(cpu: CpuUse): string {
  const seconds = (ms: number | null) => (ms === null ? "?" : `${(ms / 1000).toFixed(1)} s`);
  return `gitdisk ${seconds(cpu.gitdiskMs)}, clients ${seconds(cpu.clientsMs)}, simulated GitHub ${seconds(cpu.simulatorMs)} + its git ${seconds(cpu.simulatorGitMs)}, in ${seconds(cpu.wallMs)} on ${os.cpus().length} CPUs`;
}

function latencies(summary: { p50Ms: number; p99Ms: number; maxMs: number }): string {
  return `${duration(summary.p50Ms)} / ${duration(summary.p99Ms)} / ${duration(summary.maxMs)}`;
}

export function formatTargets(targets: readonly Target[]): string {
  return targets.map((target) => `${target.met ? "met   " : "MISSED"} ${target.name}: ${target.detail}`).join("\n");
}
