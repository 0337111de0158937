import type { ChangeSet, SkippedFile } from "./store.js";

/** A repository's skipped files after a change: the change's own list, or the current one without the paths the change settles. */
export function skippedAfterChange(
  change: Pick<ChangeSet, "upserts" | "deletes" | "replaceAll" | "skipped">,
  current: readonly SkippedFile[],
): readonly SkippedFile[] {
  if (change.skipped !== undefined || change.replaceAll) return change.skipped ?? [];
  if (current.length === 0) return current;
  const settled = new Set([...change.deletes, ...change.upserts.map((file) => file.path)]);
  const kept = current.filter((file) => !settled.has(file.path));
  return kept.length === current.length ? current : kept;
}
