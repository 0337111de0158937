/**
 * A person editing the repository by hand while gitdisk (or the naive client) writes to the same
 * branch: one push every `intervalMs`, each adding a note and rewriting `notes/latest.md`. What they
 * pushed must survive every write-back commit.
 */
import type { Simulator } from "../../test/github-sim/start-simulator.js";

export interface PersonPushes {
  /** Path → content of every file the person pushed, as the branch must hold it at the end. */
  expectedFiles: Map<string, string>;
  pushes: number;
}

export interface RunningPerson {
  stop(): Promise<PersonPushes>;
}

export function startPerson(sim: Simulator, fullName: string, intervalMs: number): RunningPerson {
  const expectedFiles = new Map<string, string>();
  let pushes = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const note = `Note ${pushes} written by hand at ${new Date().toISOString()}\n`;
      const files = { [`notes/note-${String(pushes).padStart(4, "0")}.md`]: note, "notes/latest.md": note };
      await sim.push(fullName, { commits: [{ message: `Hand-written note ${pushes}`, files }] });
      for (const [filePath, content] of Object.entries(files)) expectedFiles.set(filePath, content);
      pushes++;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return { expectedFiles, pushes };
    },
  };
}
