import type { Env } from "./env-text.js";
import { envSecondsAsMs } from "./env-whole-number.js";

export interface SyncConfig {
  /** How often every mirror is compared with its branch head, to repair missed webhooks. 0 turns it off. */
  healIntervalMs: number;
}

export function readSyncConfig(env: Env): SyncConfig {
  return { healIntervalMs: envSecondsAsMs(env, "GITDISK_HEAL_INTERVAL_SECONDS", { fallbackMs: 300_000 }) };
}
