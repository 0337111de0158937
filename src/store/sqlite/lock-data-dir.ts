import fs from "node:fs";
import path from "node:path";
import { ConfigError } from "../../errors.js";

const LOCK_FILE = "gitdisk.pid";

/** Lock files this process holds, removed when it exits. */
const held = new Set<string>();
let releaseOnExit = false;

const codeOf = (error: unknown) => (error as NodeJS.ErrnoException).code;

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return codeOf(error) === "EPERM";
  }
}

/** The pid a lock file names; undefined when it names none, or is gone already. */
function ownerOf(file: string): number | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if (codeOf(error) === "ENOENT") return undefined;
    throw error;
  }
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/**
 * Creates the lock file whole, or not at all (false: there is one). Written beside it and linked into
 * place, so no other process ever sees it empty, which it would take for a lock nobody holds.
 */
function createLock(file: string): boolean {
  const draft = `${file}.${process.pid}.new`;
  fs.writeFileSync(draft, `${process.pid}\n`);
  try {
    fs.linkSync(draft, file);
    return true;
  } catch (error) {
    if (codeOf(error) === "EEXIST") return false;
    throw error;
  } finally {
    fs.rmSync(draft, { force: true });
  }
}

/**
 * Removes a lock left by `stale` (a process no longer running). Moved aside first, atomically: when two
 * processes find the same stale lock, the one whose move catches the other's fresh lock instead puts it
 * back, rather than deleting it and leaving both believing they hold the folder.
 */
function removeStaleLock(file: string, stale: number | undefined): void {
  const aside = `${file}.${process.pid}.stale`;
  try {
    fs.renameSync(file, aside);
  } catch (error) {
    if (codeOf(error) === "ENOENT") return;
    throw error;
  }
  const moved = ownerOf(aside);
  if (moved !== stale && moved !== undefined && isRunning(moved)) {
    try {
      fs.linkSync(aside, file);
    } catch (error) {
      if (codeOf(error) !== "EEXIST") throw error;
    }
  }
  fs.rmSync(aside, { force: true });
}

/**
 * Claims `dataDir` for this process: two processes on one embedded database would each think they
 * own the write queue, and answer `database is locked` at random. The claim is a file holding the
 * pid; a file left by a process that no longer runs (killed, crashed) is taken over.
 */
export function lockDataDir(dataDir: string): void {
  const file = path.join(dataDir, LOCK_FILE);
  for (;;) {
    if (createLock(file)) break;
    const owner = ownerOf(file);
    if (owner === process.pid) return;
    if (owner !== undefined && isRunning(owner)) {
      throw new ConfigError(
        `DATA_DIR ${dataDir} is in use by another gitdisk process (pid ${owner}): stop it, or give this one another DATA_DIR ` +
          `(if no such gitdisk runs, delete ${file})`,
        { dataDir, pid: owner },
      );
    }
    removeStaleLock(file, owner);
  }
  held.add(file);
  if (!releaseOnExit) {
    releaseOnExit = true;
    process.once("exit", () => {
      for (const lock of held) fs.rmSync(lock, { force: true });
    });
  }
}
