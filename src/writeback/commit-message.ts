import { commitTrailers } from "../git/commit-trailers.js";
import type { WriteRecord } from "../store/write-store.js";

export interface CommitMessage {
  headline: string;
  body: string;
}

/** "likes" → "like" for a count of one; good enough for collection names, which are plural nouns by convention. */
function singular(name: string): string {
  if (name.endsWith("ies") && name.length > 3) return `${name.slice(0, -3)}y`;
  if (name.endsWith("s") && !name.endsWith("ss")) return name.slice(0, -1);
  return name;
}

/**
 * The message of a batch's commit. The headline counts the records written per collection
 * (`gitdisk: 12 likes, 3 messages, 1 profile`); the body's trailers name every write and acting user,
 * so history shows who wrote what, and gitdisk recognises its own commit when a response was lost.
 */
export function commitMessage(writes: readonly WriteRecord[]): CommitMessage {
  const records = new Map<string, Set<string>>();
  for (const write of writes) {
    const paths = records.get(write.collection) ?? new Set<string>();
    paths.add(write.path);
    records.set(write.collection, paths);
  }
  const counts = [...records.entries()]
    .map(([collection, paths]) => ({ collection, count: paths.size }))
    .sort((a, b) => b.count - a.count || a.collection.localeCompare(b.collection));
  const headline = `gitdisk: ${counts.map(({ collection, count }) => `${count} ${count === 1 ? singular(collection) : collection}`).join(", ")}`;

  const ordered = [...writes].sort((a, b) => a.seq - b.seq);
  // A key's write that names no user has none ("").
  const users = [...new Set(ordered.map((write) => write.user).filter((user) => user !== ""))].sort();
  return {
    headline,
    body: commitTrailers(
      ordered.map((write) => write.id),
      users,
    ),
  };
}
