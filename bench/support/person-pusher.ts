/**
 * A person editing the repository by hand while gitdisk (or the naive client) writes to the same
 * branch: a push, a pause of `intervalMs`, another push, each adding a note and rewriting
 * `notes/latest.md`. What they pushed must survive every write-back commit.
 */
import type { Simulator } from "../../test/github-sim/start-simulator.js";
import { now } from "./measure.js";

export interface PersonPushes {
  /** Path → content of every file the person pushed, as the branch must hold it at the end. */
  expectedFiles: Map<string, string>;
  pushes: number;
  /** Pushes that found the branch moved by someone else since the person's previous push: the writer got commits in between. */
  pushesAfterForeignCommits: number;
  /** From start until the person stopped (asked to, or at the time limit). */
  pushingMs: number;
}

export interface RunningPerson {
  stop(): Promise<PersonPushes>;
}

/** Pushes until stopped, or until `maxMs` has passed, so a writer that cannot commit meanwhile still gets to finish. */
export function startPerson(sim: Simulator, fullName: string, intervalMs: number, maxMs: number): RunningPerson {
  const expectedFiles = new Map<string, string>();
  const start = now();
  let pushes = 0;
  let pushesAfterForeignCommits = 0;
  let stopped = false;
  let pushingMs = 0;
  const loop = (async () => {
    let lastHead: string | null = null;
    while (!stopped && now() - start < maxMs) {
      const note = `Note ${pushes} written by hand at ${new Date().toISOString()}\n`;
      const files = { [`notes/note-${String(pushes).padStart(4, "0")}.md`]: note, "notes/latest.md": note };
      const pushed = await sim.push(fullName, { commits: [{ message: `Hand-written note ${pushes}`, files }] });
      if (lastHead !== null && pushed.before !== lastHead) pushesAfterForeignCommits++;
      lastHead = pushed.after;
      for (const [filePath, content] of Object.entries(files)) expectedFiles.set(filePath, content);
      pushes++;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
    pushingMs = now() - start;
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return { expectedFiles, pushes, pushesAfterForeignCommits, pushingMs };
    },
  };
}
