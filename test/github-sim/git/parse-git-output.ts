/** Parsers for the machine-readable (`-z`) outputs of git plumbing commands. */

export type DiffStatus = "A" | "D" | "M" | "R" | "C" | "T";

export interface RawDiffEntry {
  status: DiffStatus;
  oldMode: string;
  newMode: string;
  oldOid: string;
  newOid: string;
  /** The path after the change (the old path for deletions). */
  path: string;
  /** Set for renames and copies. */
  previousPath?: string;
}

/** `git diff --raw -z --no-abbrev [-M]` */
export function parseRawDiff(output: Buffer): RawDiffEntry[] {
  const fields = output.toString("utf8").split("\0");
  const entries: RawDiffEntry[] = [];
  let i = 0;
  while (i < fields.length) {
    const meta = fields[i++];
    if (!meta) continue;
    const [oldMode, newMode, oldOid, newOid, statusField] = meta.replace(/^:/, "").split(" ");
    const status = statusField?.charAt(0) as DiffStatus;
    const first = fields[i++] ?? "";
    if (status === "R" || status === "C") {
      const second = fields[i++] ?? "";
      entries.push({ status, oldMode: oldMode!, newMode: newMode!, oldOid: oldOid!, newOid: newOid!, path: second, previousPath: first });
    } else {
      entries.push({ status, oldMode: oldMode!, newMode: newMode!, oldOid: oldOid!, newOid: newOid!, path: first });
    }
  }
  return entries;
}

export interface LineCounts {
  additions: number;
  deletions: number;
}

/** `git diff --numstat -z [-M]`, keyed by the path after the change; binary files count as 0/0 as on GitHub. */
export function parseNumstat(output: Buffer): Map<string, LineCounts> {
  const fields = output.toString("utf8").split("\0");
  const counts = new Map<string, LineCounts>();
  let i = 0;
  while (i < fields.length) {
    const line = fields[i++];
    if (!line) continue;
    const [added, deleted, path] = line.split("\t");
    const value = { additions: Number(added) || 0, deletions: Number(deleted) || 0 };
    if (path === "") {
      // A rename: the old and new paths follow as separate fields.
      i++;
      counts.set(fields[i++] ?? "", value);
    } else {
      counts.set(path ?? "", value);
    }
  }
  return counts;
}

export interface LsTreeEntry {
  mode: string;
  type: "blob" | "tree" | "commit";
  oid: string;
  /** Undefined for trees and submodules. */
  size?: number;
  path: string;
}

/** `git ls-tree -l -z [-r -t]` */
export function parseLsTree(output: Buffer): LsTreeEntry[] {
  const entries: LsTreeEntry[] = [];
  for (const record of output.toString("utf8").split("\0")) {
    if (!record) continue;
    const tab = record.indexOf("\t");
    const [mode, type, oid, size] = record.slice(0, tab).split(/ +/);
    const entry: LsTreeEntry = { mode: mode!, type: type as LsTreeEntry["type"], oid: oid!, path: record.slice(tab + 1) };
    if (size !== undefined && size !== "-") entry.size = Number(size);
    entries.push(entry);
  }
  return entries;
}

export interface CommitPathChanges {
  added: string[];
  removed: string[];
  modified: string[];
}

/**
 * `git diff-tree --stdin -r --root --no-renames --name-status -z`: each commit id line is
 * followed by its status/path pairs. Renames are split into removed + added, as push payloads do.
 */
export function parseDiffTreeNameStatus(output: Buffer): Map<string, CommitPathChanges> {
  const fields = output.toString("utf8").split("\0");
  const result = new Map<string, CommitPathChanges>();
  let current: CommitPathChanges | undefined;
  let i = 0;
  while (i < fields.length) {
    const field = fields[i++]!;
    if (!field) continue;
    if (/^[0-9a-f]{40}$/.test(field)) {
      current = { added: [], removed: [], modified: [] };
      result.set(field, current);
      continue;
    }
    const path = fields[i++] ?? "";
    if (!current) continue;
    if (field === "A") current.added.push(path);
    else if (field === "D") current.removed.push(path);
    else current.modified.push(path);
  }
  return result;
}
