import fs from "node:fs";

export interface ProcessMemory {
  rssBytes: number;
  /** VmHWM: the highest RSS since the process started (or since its peak was reset). */
  peakRssBytes: number;
}

/** Linux /proc figures; null elsewhere or once the process is gone. */
export function processMemory(pid: number | "self"): ProcessMemory | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, "m").exec(status)?.[1] ?? NaN) * 1024;
    const memory = { rssBytes: kib("VmRSS"), peakRssBytes: kib("VmHWM") };
    return Number.isNaN(memory.rssBytes) || Number.isNaN(memory.peakRssBytes) ? null : memory;
  } catch {
    return null;
  }
}
