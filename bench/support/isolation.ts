/**
 * The simulated GitHub stands in for a service on other machines, but here it shares the CPUs with
 * the server under test and its clients: during (d) it and its git commands use over half of the
 * machine (see "CPU used" in the printout), and every millisecond of theirs is one gitdisk waits for.
 * So, as GitHub would run on machines of its own:
 * - gitdisk gets the last CPU to itself, and the bench process (simulator, person, GraphQL tap), the
 *   client processes and the git commands they start share the others (CPU affinity; needs 2 CPUs);
 * - the bench process and its git commands run at the lowest priority, gitdisk and the client processes
 *   at the normal one, so the clients are not slowed by the simulator they share CPUs with;
 * - the simulator keeps its repositories in memory (tmpfs, /dev/shm), so its git writes do not queue
 *   before gitdisk's disk syncs; gitdisk's data folder stays on the disk, where its syncs mean something.
 *
 * Raising the priority of a child back needs root (CAP_SYS_NICE); without it everything stays at the
 * normal priority alike. BENCH_SHARED_CPUS=1, BENCH_SAME_PRIORITY=1 and BENCH_SHARED_DISK=1 turn each
 * off; the printout says what was in effect.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
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

/** Affinity is per thread too (`-a`: all of them); processes started later inherit it from the thread that starts them. */
function pinToCpus(pid: number, cpus: string): boolean {
  try {
    execFileSync("taskset", ["-a", "-p", "-c", cpus, String(pid)], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const MEMORY_FOLDER = "/dev/shm";

let niceSplit: "active" | "off" | "unprivileged" = "off";
let cpuSplit: { gitdiskCpu: number; othersCpus: string } | "off" | "one CPU" | "no taskset" = "off";

/** Called once, before anything is started: from then on this process and what it starts run on the other CPUs, at the lowest priority. */
export function isolateSimulator(): void {
  if (process.platform !== "linux") return;
  if (process.env.BENCH_SHARED_CPUS !== "1") {
    const cpus = os.availableParallelism();
    if (cpus < 2) cpuSplit = "one CPU";
    else {
      const others = cpus === 2 ? "0" : `0-${cpus - 2}`;
      cpuSplit = pinToCpus(process.pid, others) ? { gitdiskCpu: cpus - 1, othersCpus: others } : "no taskset";
    }
  }
  if (process.env.BENCH_SAME_PRIORITY === "1") return;
  // Without root the children could not be raised back: leave everything at the normal priority instead.
  if (process.getuid?.() !== 0) niceSplit = "unprivileged";
  else if (setNice("self", SIMULATOR_NICE)) niceSplit = "active";
}

let simulatorFolder: string | undefined;

/** Where the simulator keeps its repositories: a fresh folder in memory when the machine has one, else its default (undefined). */
export function simulatorDataDir(): string | undefined {
  if (process.env.BENCH_SHARED_DISK === "1" || simulatorFolder) return simulatorFolder;
  try {
    fs.accessSync(MEMORY_FOLDER, fs.constants.W_OK);
    simulatorFolder = fs.mkdtempSync(path.join(MEMORY_FOLDER, "gitdisk-bench-github-"));
    // tmpfs keeps it in memory until it is removed: remove it also when the bench ends early.
    process.once("exit", removeSimulatorDataDir);
  } catch {
    // No tmpfs here: the simulator uses the system's temporary folder, on the disk.
  }
  return simulatorFolder;
}

/** Removes the in-memory folder, once the simulator is closed. */
export function removeSimulatorDataDir(): void {
  if (simulatorFolder) fs.rmSync(simulatorFolder, { recursive: true, force: true });
}

/** Gives a process started from this one (so at the lowest priority) the normal priority back. */
export async function raiseToNormal(pid: number): Promise<void> {
  if (niceSplit !== "active") return;
  setNice(pid, NORMAL_NICE);
  // Again a moment later: threads the runtime starts while booting would otherwise keep the lowest priority.
  await delay(100);
  setNice(pid, NORMAL_NICE);
}

/** Moves gitdisk (started from this process, so on the others' CPUs) to the CPU kept for it. */
export async function giveGitdiskItsCpu(pid: number): Promise<void> {
  await raiseToNormal(pid);
  if (typeof cpuSplit === "object" && !pinToCpus(pid, String(cpuSplit.gitdiskCpu))) cpuSplit = "no taskset";
}

export function isolationNote(): string {
  const cpus =
    typeof cpuSplit === "object"
      ? `gitdisk alone on CPU ${cpuSplit.gitdiskCpu}, everything else on CPU ${cpuSplit.othersCpus}`
      : cpuSplit === "off"
        ? "gitdisk sharing every CPU with the rest (BENCH_SHARED_CPUS=1)"
        : `gitdisk sharing every CPU with the rest (${cpuSplit === "one CPU" ? "only one CPU" : "taskset failed"})`;
  const priorities =
    niceSplit === "active"
      ? `the simulated GitHub (the bench process and its git commands) at nice ${SIMULATOR_NICE}, gitdisk and the client processes at nice ${NORMAL_NICE}`
      : niceSplit === "unprivileged"
        ? "every process at the same priority (raising gitdisk and its clients above the simulated GitHub needs root)"
        : "every process at the same priority (BENCH_SAME_PRIORITY=1)";
  const disk = simulatorFolder ? "the simulator's repositories in memory" : "the simulator's repositories on the disk";
  return `${cpus}; ${priorities}; ${disk}`;
}
