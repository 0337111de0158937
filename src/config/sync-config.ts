import type { Env } from "./env-text.js";
import { envSecondsAsMs } from "./env-whole-number.js";

export interface SyncConfig {
  /** How often every mirror is compared with its branch head, to repair missed webhooks. 0 turns it off. */
  healIntervalMs: number;
}

/** A week: beyond about 24.8 days Node's timers overflow and fire at once, which would heal without pause. */
const MAX_HEAL_INTERVAL_SECONDS = 7 * 24 * 3600;

export function readSyncConfig(env: Env): SyncConfig {
  return {
    healIntervalMs: envSecondsAsMs(env, "GITDISK_HEAL_INTERVAL_SECONDS", { fallbackMs: 300_000, max: MAX_HEAL_INTERVAL_SECONDS }),
  };
}
