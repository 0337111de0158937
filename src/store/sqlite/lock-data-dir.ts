import fs from "node:fs";
import path from "node:path";
import { ConfigError } from "../../errors.js";

const LOCK_FILE = "gitdisk.pid";

/** Lock files this process holds, removed when it exits. */
const held = new Set<string>();
let releaseOnExit = false;

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function ownerOf(file: string): number | undefined {
  const pid = Number(fs.readFileSync(file, "utf8").trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/**
 * Claims `dataDir` for this process: two processes on one embedded database would each think they
 * own the write queue, and answer `database is locked` at random. The claim is a file holding the
 * pid; a file left by a process that no longer runs (killed, crashed) is taken over.
 */
export function lockDataDir(dataDir: string): void {
  const file = path.join(dataDir, LOCK_FILE);
  for (;;) {
    try {
      fs.writeFileSync(file, `${process.pid}\n`, { flag: "wx" });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const owner = ownerOf(file);
    if (owner === process.pid) return;
    if (owner !== undefined && isRunning(owner)) {
      throw new ConfigError(
        `DATA_DIR ${dataDir} is in use by another gitdisk process (pid ${owner}): stop it, or give this one another DATA_DIR ` +
          `(if no such gitdisk runs, delete ${file})`,
        { dataDir, pid: owner },
      );
    }
    fs.rmSync(file, { force: true });
  }
  held.add(file);
  if (!releaseOnExit) {
    releaseOnExit = true;
    process.once("exit", () => {
      for (const lock of held) fs.rmSync(lock, { force: true });
    });
  }
}
