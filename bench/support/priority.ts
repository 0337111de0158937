/**
 * The simulated GitHub stands in for a service on other machines, but here it shares two CPUs with
 * the server under test and its clients: during (d) it and its git commands use over half of the
 * machine (see "CPU used" in the printout), and every millisecond of theirs is one gitdisk waits for.
 * So the bench process (simulator, person, GraphQL tap, and the git commands they start) runs at the
 * lowest priority, and gitdisk and the client processes at the normal one: GitHub's work still gets
 * every CPU cycle they leave, as it would get its own machines.
 *
 * Raising the priority of a child back needs root (CAP_SYS_NICE); without it everything stays at the
 * normal priority alike, and the printout says so. BENCH_SAME_PRIORITY=1 turns the split off.
 */
import fs from "node:fs";
import os from "node:os";
import { setTimeout as delay } from "node:timers/promises";

const SIMULATOR_NICE = 19;
const NORMAL_NICE = 0;

/** Linux priorities are per thread: every thread of the process, those it starts later inherit from its main thread. */
function setNice(pid: number | "self", nice: number): boolean {
  try {
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) os.setPriority(Number(tid), nice);
    return true;
  } catch {
    return false;
  }
}

let split: "active" | "off" | "unprivileged" = "off";

/** Called once, before anything is started: from then on this process and the git commands it starts run at the lowest priority. */
export function lowerSimulatorPriority(): void {
  if (process.env.BENCH_SAME_PRIORITY === "1" || process.platform !== "linux") return;
  // Without root the children could not be raised back: leave everything at the normal priority instead.
  if (process.getuid?.() !== 0) {
    split = "unprivileged";
    return;
  }
  if (setNice("self", SIMULATOR_NICE)) split = "active";
}

/** Gives a process started from this one (so at the lowest priority) the normal priority back. */
export async function raiseToNormal(pid: number): Promise<void> {
  if (split !== "active") return;
  setNice(pid, NORMAL_NICE);
  // Again a moment later: threads the runtime starts while booting would otherwise keep the lowest priority.
  await delay(100);
  setNice(pid, NORMAL_NICE);
}

export function priorityNote(): string {
  switch (split) {
    case "active":
      return `the simulated GitHub (the bench process and its git commands) at nice ${SIMULATOR_NICE}, gitdisk and the client processes at nice ${NORMAL_NICE}`;
    case "unprivileged":
      return "every process at the same priority (raising gitdisk and its clients above the simulated GitHub needs root)";
    case "off":
      return "every process at the same priority (BENCH_SAME_PRIORITY=1)";
  }
}
