import type { MirrorFilter } from "../config/mirror-filter.js";
import type { SyncPlan } from "./sync-plan.js";

/** An entry of a recursive Git tree as GitHub lists it. */
export interface TreeEntry {
  path: string;
  type: string;
  sha: string;
  size?: number;
}

/**
 * Plans the move to a commit from its whole tree, by blob sha against the mirror: the way for big
 * pushes and force pushes, where the history between the two commits does not matter.
 * Sub-trees and submodules (`commit` entries) are not files.
 */
export function planFromTree(entries: readonly TreeEntry[], index: ReadonlyMap<string, string>, filter: MirrorFilter): SyncPlan {
  const plan: SyncPlan = { wanted: [], deletes: [], touched: new Set() };
  const kept = new Set<string>();
  for (const entry of entries) {
    if (entry.type !== "blob" || !filter.acceptsPath(entry.path)) continue;
    if (entry.size !== undefined && !filter.acceptsSize(entry.size)) continue;
    kept.add(entry.path);
    if (index.get(entry.path) !== entry.sha) {
      plan.wanted.push({ path: entry.path, sha: entry.sha });
      plan.touched.add(entry.path);
    }
  }
  for (const path of index.keys()) {
    if (!kept.has(path)) {
      plan.deletes.push(path);
      plan.touched.add(path);
    }
  }
  return plan;
}
