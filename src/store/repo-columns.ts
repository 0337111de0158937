import type { RepoConfig } from "../config/repo-config.js";
import type { RepoPatch, RepoState, SkippedFile } from "./store.js";

/**
 * A row of the `repos` table, the same in every backend's schema; `Int` and `Flag` are how the backend's
 * driver hands over its integer and boolean columns.
 */
export interface RepoColumns<Int, Flag> {
  id: Int;
  owner: string;
  name: string;
  private: Flag;
  default_branch: string;
  installation_id: Int | null;
  branch: string;
  sha: string | null;
  config: string;
  config_error: string | null;
  last_sync_at: string | null;
  last_error: string | null;
  file_count: number;
  skipped: string;
}

/** A repository's state from its row, reading its integers and its flag as the backend stores them. */
export function repoStateOf<Int, Flag>(
  row: RepoColumns<Int, Flag>,
  toNumber: (value: Int) => number,
  toBoolean: (value: Flag) => boolean,
): RepoState {
  return {
    id: toNumber(row.id),
    owner: row.owner,
    name: row.name,
    private: toBoolean(row.private),
    defaultBranch: row.default_branch,
    installationId: row.installation_id === null ? null : toNumber(row.installation_id),
    branch: row.branch,
    sha: row.sha,
    config: JSON.parse(row.config) as RepoConfig,
    configError: row.config_error,
    lastSyncAt: row.last_sync_at,
    lastError: row.last_error,
    files: row.file_count,
    // Every API request looks its repository up: most have nothing skipped, and need no parse.
    skipped: row.skipped === "[]" ? [] : (JSON.parse(row.skipped) as SkippedFile[]),
  };
}

/** The column of the `repos` table each field of a RepoPatch is stored in. */
export const REPO_PATCH_COLUMNS: Record<keyof RepoPatch, string> = {
  owner: "owner",
  name: "name",
  private: "private",
  defaultBranch: "default_branch",
  installationId: "installation_id",
  branch: "branch",
  config: "config",
  configError: "config_error",
  lastSyncAt: "last_sync_at",
  lastError: "last_error",
};

/** The `full_name_lc` column: GitHub's owner/name are case-insensitive. */
export const fullNameKey = (owner: string, name: string) => `${owner}/${name}`.toLowerCase();
