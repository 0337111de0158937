/** Timing, latency percentiles, visitor pauses, peak-RSS resets and CPU time: what every workload measures with. */
import fs from "node:fs";
import { performance } from "node:perf_hooks";

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Nearest-rank percentile of an ascending list. */
function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank]!;
}

export function summarizeLatencies(latenciesMs: readonly number[]): LatencySummary {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return { count: sorted.length, p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99), maxMs: sorted.at(-1) ?? 0 };
}

export function now(): number {
  return performance.now();
}

/**
 * A visitor's pause between two writes (reading the page, typing): uniform in 0..maxMs, so 50
 * clients offer about 50 / (maxMs / 2) writes a second instead of hammering back to back.
 */
export function visitorPause(maxMs: number): Promise<void> {
  return maxMs > 0 ? new Promise((resolve) => setTimeout(resolve, Math.random() * maxMs)) : Promise.resolve();
}

/** A timed call: its result and how long it took. */
export async function timed<T>(work: () => Promise<T>): Promise<{ result: T; wallMs: number }> {
  const start = now();
  const result = await work();
  return { result, wallMs: now() - start };
}

/**
 * Resets a process's peak RSS to its current RSS (Linux clear_refs "5"), so one long-lived server's
 * peak can be read per workload instead of only since it started. False when not possible.
 */
export function resetPeakRss(pid: number | "self"): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

/** CPU time (user + system) a process has used so far, in ms; "self" without /proc. Null when unknown. */
export function processCpuMs(pid: number | "self"): number | null {
  if (pid === "self") {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  }
  // Fields 14 and 15 of /proc/PID/stat: utime and stime.
  return statTicksMs(pid, 11, 12);
}

/** CPU time of this process's finished children (the simulator's git commands): fields 16 and 17, cutime and cstime. */
export function finishedChildrenCpuMs(): number | null {
  return statTicksMs("self", 13, 14);
}

/**
 * The sum of two clock-tick fields of /proc/PID/stat, in ms (100 ticks a second on Linux); indexes
 * count from the field after the parenthesised name. Null without /proc.
 */
function statTicksMs(pid: number | "self", first: number, second: number): number | null {
  try {
    const fields = fs
      .readFileSync(`/proc/${pid}/stat`, "utf8")
      .replace(/^.*\) /s, "")
      .split(" ");
    return (Number(fields[first]) + Number(fields[second])) * 10;
  } catch {
    return null;
  }
}
