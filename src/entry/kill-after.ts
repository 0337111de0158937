import { Worker } from "node:worker_threads";

/**
 * Kills this process (SIGKILL) after `ms`, from a thread of its own: a timer on the main thread cannot
 * fire while that thread is stuck, and it can be, for good: pino's synchronous flush of stdout retries
 * forever once the pipe's reader has gone (EPIPE) or stopped reading. The worker does not keep the
 * process alive, and dies with it.
 */
export function killAfter(ms: number): void {
  new Worker(`setTimeout(() => process.kill(process.pid, "SIGKILL"), ${Math.max(0, Math.round(ms))});`, { eval: true }).unref();
}
