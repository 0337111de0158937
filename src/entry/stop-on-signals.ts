import type { Logger } from "probot";
import { killAfter } from "./kill-after.js";

export interface StopOnSignalsOptions {
  /** Stops taking requests, flushes and closes; may hang (GitHub, a log write that cannot finish). */
  stop: () => Promise<void>;
  log: Logger;
  /** The process ends by then, stopped cleanly or not (exit code 1; killed if even exiting hangs). */
  hardLimitMs: number;
  exit?: (code: number) => void;
}

/** Exiting runs exit handlers (pino flushes stdout there), which can hang as well: the kill comes after them. */
const KILL_AFTER_EXIT_MS = 1_000;

/**
 * SIGTERM and SIGINT stop gitdisk gracefully, within `hardLimitMs` whatever happens: timers armed before
 * anything else is tried (even the first log line) end the process with code 1 when the graceful stop
 * has not, and kill it if exiting hangs too. What is still queued then is durable and goes out after
 * the next start.
 */
export function stopOnSignals({ stop, log, hardLimitMs, exit = (code) => process.exit(code) }: StopOnSignalsOptions): void {
  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => exit(1), Math.max(0, hardLimitMs - KILL_AFTER_EXIT_MS)).unref();
    killAfter(hardLimitMs);
    try {
      log.info({ signal }, "gitdisk stopping: no new requests, flushing pending work");
      await stop();
      log.info("gitdisk stopped");
      exit(0);
    } catch (error) {
      log.error({ err: error }, "gitdisk did not stop cleanly");
      exit(1);
    }
  };
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, (received) => void shutdown(received));
}
