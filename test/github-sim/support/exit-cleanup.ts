import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const tasks: Array<() => void> = [];
let stopping = false;
let stoppingSince = 0;
/**
 * Ctrl-C reaches the script twice, from the terminal and relayed by npm and tsx: a signal this soon after the
 * first is that copy, not someone pressing Ctrl-C again.
 */
const RELAYED_SIGNAL_MS = 1_000;

function runTasks(): void {
  // Newest first: what was made last may live inside or depend on what was made before it.
  for (const task of tasks.splice(0).reverse()) {
    try {
      task();
    } catch {
      // One failed clean-up must not keep the others from running.
    }
  }
}

/**
 * Runs `task` (synchronous) when the process exits, on every path short of SIGKILL: a normal end,
 * process.exit, an uncaught error, and the signals stopOnSignals handles.
 */
export function atExit(task: () => void): void {
  if (tasks.length === 0) process.once("exit", runTasks);
  tasks.push(task);
}

/** A fresh folder under the system's temp folder, removed when the process exits. */
export function tempFolder(prefix: string): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  // A git child stopping at the same moment may still add a file: removing the folder is tried again then.
  atExit(() => fs.rmSync(folder, { recursive: true, force: true, maxRetries: 10, retryDelay: 20 }));
  return folder;
}

/**
 * Ctrl-C, SIGTERM and SIGHUP stop the script with `stop` (closing servers, letting children
 * finish), then exit 0; a second signal while it stops exits at once, the exit tasks still running.
 * Returns a function that stops the script the same way from within, saying why (ignored once stopping).
 */
export function stopOnSignals(stop: () => Promise<void>): (exitCode: number, reason?: string) => void {
  const stopThenExit = (exitCode: number, reason?: string) => {
    if (stopping) return;
    stopping = true;
    stoppingSince = Date.now();
    if (reason) process.stderr.write(`${reason}\n`);
    stop().then(
      () => process.exit(exitCode),
      (error: unknown) => {
        process.stderr.write(`stopping failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping && Date.now() - stoppingSince < RELAYED_SIGNAL_MS) return;
    if (stopping) process.exit(128 + os.constants.signals[signal]);
    stopThenExit(0);
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, onSignal);
  return stopThenExit;
}
