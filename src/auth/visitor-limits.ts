import type { RepoConfig } from "../config/repo-config.js";

export type VisitorLimitConfig = RepoConfig["api"]["visitorLimits"];

export type LimitDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * How many writes a signed-in visitor may make to a repository, a minute and a day. Asynchronous so
 * that a store-backed implementation, shared by several instances, can replace the in-memory one.
 */
export interface VisitorLimits {
  /** Counts one write of `login` to `repoId` if both windows allow it; else counts nothing and says when to retry. */
  take(repoId: number, login: string, limits: VisitorLimitConfig): Promise<LimitDecision>;
}

export interface MemoryVisitorLimitsOptions {
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
  /** Visitors remembered at most; the least recently active are forgotten first (forgiven). */
  maxVisitors?: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
const DEFAULT_MAX_VISITORS = 100_000;

/**
 * Per visitor and window, the "theoretical arrival time" of the generic cell rate algorithm: each write
 * moves it on by window/limit, and a write is allowed while that leaves it at most one window ahead
 * of now. So a visitor may spend a whole window's writes at once, then one per window/limit: no reset
 * at a window's edge lets twice the limit through. A time at or before now is an idle visitor.
 */
interface Arrivals {
  minute: number;
  day: number;
}

/**
 * Visitor limits kept in this process's memory: enough for the embedded store, which one process owns
 * (DATA_DIR is locked). Memory stays bounded: visitors idle long enough to have every write back are
 * swept out once a minute, and past `maxVisitors` the least recently active are forgotten.
 */
export function createMemoryVisitorLimits({
  now = Date.now,
  maxVisitors = DEFAULT_MAX_VISITORS,
}: MemoryVisitorLimitsOptions = {}): VisitorLimits {
  // In order of last activity, oldest first (a Map keeps insertion order; a write re-inserts).
  const visitors = new Map<string, Arrivals>();
  let nextSweep = 0;

  function sweep(at: number): void {
    nextSweep = at + MINUTE_MS;
    for (const [key, arrivals] of visitors) if (arrivals.minute <= at && arrivals.day <= at) visitors.delete(key);
  }

  return {
    async take(repoId, login, { writesPerMinute, writesPerDay }) {
      const at = now();
      if (at >= nextSweep) sweep(at);
      const key = `${repoId}\n${login}`;
      const arrivals = visitors.get(key) ?? { minute: at, day: at };
      const minute = Math.max(arrivals.minute, at) + MINUTE_MS / writesPerMinute;
      const day = Math.max(arrivals.day, at) + DAY_MS / writesPerDay;
      const waitMs = Math.max(minute - MINUTE_MS - at, day - DAY_MS - at);
      // Within a millisecond is on time: window/limit need not be a whole number, and its sums drift.
      if (waitMs >= 1) return { ok: false, retryAfterSeconds: Math.ceil(waitMs / 1000) };
      visitors.delete(key);
      visitors.set(key, { minute, day });
      if (visitors.size > maxVisitors) visitors.delete(visitors.keys().next().value!);
      return { ok: true };
    },
  };
}
