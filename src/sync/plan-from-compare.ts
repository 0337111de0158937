import type { MirrorFilter } from "../config/mirror-filter.js";
import type { SyncPlan } from "./sync-plan.js";

/** A `files` entry of GitHub's compare response. */
export interface CompareFile {
  filename: string;
  status: string;
  /** The file's blob sha after the change (absent for some removals and large diffs). */
  sha?: string | null;
  previous_filename?: string;
}

/**
 * Plans a fast-forward from a comparison whose merge base is the mirrored commit. Renames remove the
 * old path; removals win only where no entry puts a file back (a swap renames both ways).
 */
export function planFromCompare(files: readonly CompareFile[], index: ReadonlyMap<string, string>, filter: MirrorFilter): SyncPlan {
  const target = new Map<string, string | null>();
  const touched = new Set<string>();
  for (const file of files) {
    touched.add(file.filename);
    if (file.previous_filename !== undefined && file.previous_filename !== file.filename) {
      touched.add(file.previous_filename);
      if (!target.has(file.previous_filename)) target.set(file.previous_filename, null);
    }
    if (file.status === "removed") {
      if (!target.has(file.filename)) target.set(file.filename, null);
    } else {
      target.set(file.filename, file.sha ?? null);
    }
  }
  const plan: SyncPlan = { wanted: [], deletes: [], touched };
  for (const [path, sha] of target) {
    if (sha !== null && filter.acceptsPath(path)) {
      if (index.get(path) !== sha) plan.wanted.push({ path, sha });
    } else if (index.has(path)) {
      plan.deletes.push(path);
    }
  }
  return plan;
}
