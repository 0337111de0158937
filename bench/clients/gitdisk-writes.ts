/**
 * gitdisk's write clients: each sends its writes one after another through the collections API
 * (after a visitor's pause, when asked), all clients at once; then, like a site waiting for its data to reach the repository, polls
 * /status until nothing is pending.
 */
import { stampAuthor } from "../../src/records/authorship.js";
import { normalizeLogin } from "../../src/records/normalize-login.js";
import { serializeRecord } from "../../src/records/record-format.js";
import type { GitdiskClient } from "../support/gitdisk-client.js";
import { now, visitorPause } from "../support/measure.js";
import type { AckedWrite, PlannedWrite } from "../support/write-plan.js";

export interface GitdiskWritesResult {
  acked: AckedWrite[];
  /** Acknowledgement latency of every write, acknowledged or refused. */
  latenciesMs: number[];
  /** Answers other than 202, for the failure message. */
  refusals: string[];
  /** From the first write until the last acknowledgement. */
  acksDoneMs: number;
  /** From the first write until /status reported no pending write. */
  allCommittedMs: number;
}

/** How gitdisk's API takes each planned write: the default collections' id templates decide the paths. */
function requestFor(write: PlannedWrite): { collection: string; data: Record<string, unknown>; id?: string } {
  switch (write.kind) {
    case "like":
      return { collection: "likes", data: { doc: write.doc } };
    case "message":
      return { collection: "messages", data: { text: write.text } };
    case "profile":
      return { collection: "profiles", data: { bio: write.bio, name: write.name }, id: write.user };
  }
}

export async function runGitdiskWrites(
  client: GitdiskClient,
  plan: readonly PlannedWrite[][],
  pauseMaxMs: number,
): Promise<GitdiskWritesResult> {
  const acked: AckedWrite[] = [];
  const latenciesMs: number[] = [];
  const refusals: string[] = [];
  const start = now();
  await Promise.all(
    plan.map(async (writes) => {
      for (const write of writes) {
        await visitorPause(pauseMaxMs);
        const request = requestFor(write);
        const requestStart = now();
        const answer = await client.write(request.collection, write.user, request.data, request.id);
        latenciesMs.push(now() - requestStart);
        if (answer.status !== 202 || !answer.body.path || !answer.body.writeId) {
          refusals.push(`${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
          continue;
        }
        acked.push({
          write,
          path: answer.body.path,
          writeId: answer.body.writeId,
          // gitdisk stamps the acting user as the record's author, in its file.
          content: serializeRecord(undefined, stampAuthor(request.data, normalizeLogin(write.user))).toString("utf8"),
        });
      }
    }),
  );
  const acksDoneMs = now() - start;
  await client.waitForStatus((status) => status.pendingWrites === 0, 300_000, 50);
  return { acked, latenciesMs, refusals, acksDoneMs, allCommittedMs: now() - start };
}
