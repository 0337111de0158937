import { seededRandom } from "../../test/helpers/seeded-random.js";

/**
 * The write workload both ways run: the same clients, each sending the same writes in the same order.
 * Deterministic, so a run is repeatable and both sides are judged against the same expectations.
 */

export type PlannedWrite =
  | { kind: "like"; user: string; doc: string }
  | { kind: "message"; user: string; text: string }
  | { kind: "profile"; user: string; name: string; bio: string };

/** An acknowledged write: where it went and the bytes that must be there (unless a later write replaced them). */
export interface AckedWrite {
  write: PlannedWrite;
  path: string;
  content: string;
  /** gitdisk's write id, named in its commit's trailers. */
  writeId?: string;
}

export interface WritePlanShape {
  clients: number;
  /** Likes per client: one per document, so every (doc, user) pair is liked once. */
  likesPerClient: number;
  messagesPerClient: number;
  profileUpdatesPerClient: number;
}

/** 50 clients × (10 likes + 6 messages + 4 profile updates) = 1,000 writes. */
export const DEFAULT_WRITE_PLAN: WritePlanShape = { clients: 50, likesPerClient: 10, messagesPerClient: 6, profileUpdatesPerClient: 4 };

export function userOf(client: number): string {
  return `visitor-${String(client).padStart(2, "0")}`;
}

export function docOf(index: number): string {
  return `post-${index}`;
}

function shuffled<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** One write sequence per client, the kinds interleaved at random (seeded per client). */
export function writePlan(shape: WritePlanShape = DEFAULT_WRITE_PLAN): PlannedWrite[][] {
  return Array.from({ length: shape.clients }, (_, client) => {
    const user = userOf(client);
    const random = seededRandom(client + 1);
    const writes: PlannedWrite[] = [
      ...Array.from({ length: shape.likesPerClient }, (_, doc): PlannedWrite => ({ kind: "like", user, doc: docOf(doc) })),
      ...Array.from(
        { length: shape.messagesPerClient },
        (_, n): PlannedWrite => ({ kind: "message", user, text: `message ${n} from ${user}` }),
      ),
      ...Array.from(
        { length: shape.profileUpdatesPerClient },
        (_, n): PlannedWrite => ({ kind: "profile", user, name: `Visitor ${client}`, bio: `bio version ${n}` }),
      ),
    ];
    return shuffled(writes, random);
  });
}

export function countWrites(plan: readonly PlannedWrite[][]): number {
  return plan.reduce((sum, client) => sum + client.length, 0);
}
