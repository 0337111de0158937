import type { ChangeSet } from "./store.js";

/**
 * Splits a change into steps of at most `filesPerStep` files, each applicable as one transaction:
 * every step but the last leaves the mirror at `fromSha` (so each step's compare-and-set still
 * guards against a sync that moved the mirror meanwhile), the last one moves it to `toSha`.
 *
 * Only for changes whose intermediate states no reader can see: a write-back commit's files are
 * overlaid by their writes until the commit is complete. A full replacement, or a change that would
 * apply to any state (no `fromSha`, so no step could keep the mirror where it was), is never split.
 */
export function changeSteps(change: ChangeSet, filesPerStep: number): ChangeSet[] {
  const total = change.deletes.length + change.upserts.length;
  if (change.replaceAll || change.fromSha === null || total <= filesPerStep) return [change];
  const steps: ChangeSet[] = [];
  for (let start = 0; start < total; start += filesPerStep) {
    const end = Math.min(total, start + filesPerStep);
    const deletes = change.deletes.slice(start, end);
    const upserts = change.upserts.slice(Math.max(0, start - change.deletes.length), Math.max(0, end - change.deletes.length));
    steps.push({ fromSha: change.fromSha, toSha: end === total ? change.toSha : change.fromSha, upserts, deletes });
  }
  return steps;
}
