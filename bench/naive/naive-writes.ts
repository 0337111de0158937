/**
 * The naive write path, per write: GET the file (for its sha), PUT the whole file back through the
 * Contents API (one commit each); on a conflict read again and retry. Likes live in one shared file
 * per document (`data/likes/{doc}.json` listing the users), as a naive site stores a counter.
 */
import { ulid } from "ulid";
import { stableJson } from "../../src/records/stable-json.js";
import { now, visitorPause } from "../support/measure.js";
import type { PlannedWrite } from "../support/write-plan.js";
import { type ContentsFile, type NaiveGitHub, type RepoName, StaleFileError } from "./naive-github.js";

/** A typical client's patience: after this many conflicting attempts the write is reported as failed to the visitor. */
export const MAX_ATTEMPTS = 10;

export interface NaiveLikesFile {
  doc: string;
  users: string[];
}

export interface NaiveWriteOutcome {
  write: PlannedWrite;
  path: string;
  /** The bytes the acknowledged PUT stored (for likes: the user is what must survive, not these bytes). */
  content: string;
  ok: boolean;
  attempts: number;
  latencyMs: number;
  error?: string;
}

export interface NaiveWritesResult {
  outcomes: NaiveWriteOutcome[];
  gets: number;
  puts: number;
  conflicts: number;
}

export function naiveLikesPath(doc: string): string {
  return `data/likes/${doc}.json`;
}

/** Where a write goes and what the file must hold afterwards, given what it holds now. */
function target(write: PlannedWrite, messageId: string): { path: string; next: (current: ContentsFile | null) => string } {
  switch (write.kind) {
    case "like":
      return {
        path: naiveLikesPath(write.doc),
        next: (current) => {
          const file: NaiveLikesFile = current
            ? (JSON.parse(current.content.toString("utf8")) as NaiveLikesFile)
            : { doc: write.doc, users: [] };
          if (!file.users.includes(write.user)) file.users.push(write.user);
          return stableJson(file);
        },
      };
    case "message":
      return { path: `data/messages/${messageId}.json`, next: () => stableJson({ text: write.text, user: write.user }) };
    case "profile":
      return { path: `data/users/${write.user}.json`, next: () => stableJson({ bio: write.bio, name: write.name }) };
  }
}

/** Runs every client's writes in order, the clients concurrently. */
export async function runNaiveWrites(
  github: NaiveGitHub,
  repo: RepoName,
  plan: readonly PlannedWrite[][],
  pauseMaxMs: number,
): Promise<NaiveWritesResult> {
  const counts = { gets: 0, puts: 0, conflicts: 0 };
  const outcomes: NaiveWriteOutcome[] = [];

  const writeOnce = async (write: PlannedWrite): Promise<NaiveWriteOutcome> => {
    const start = now();
    const { path, next } = target(write, ulid());
    let lastError = "";
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      counts.gets++;
      const current = await github.getFile(repo, path);
      const content = next(current);
      try {
        counts.puts++;
        await github.putFile(repo, path, Buffer.from(content, "utf8"), current?.sha ?? null, `${write.kind} by ${write.user}`);
        return { write, path, content, ok: true, attempts: attempt, latencyMs: now() - start };
      } catch (error) {
        if (!(error instanceof StaleFileError)) throw error;
        counts.conflicts++;
        lastError = error.message;
      }
    }
    return {
      write,
      path,
      content: "",
      ok: false,
      attempts: MAX_ATTEMPTS,
      latencyMs: now() - start,
      error: `gave up after ${MAX_ATTEMPTS} conflicts (${lastError})`,
    };
  };

  await Promise.all(
    plan.map(async (writes) => {
      for (const write of writes) {
        await visitorPause(pauseMaxMs);
        outcomes.push(await writeOnce(write));
      }
    }),
  );
  return { outcomes, ...counts };
}
