import type { RepoConfig } from "../../config/repo-config.js";
import type { RepoPatch, RepoState, SkippedFile } from "../store.js";
import { asNullableNumber, asNumber } from "./sql-values.js";

export interface RepoRow {
  id: number | string;
  owner: string;
  name: string;
  private: boolean;
  default_branch: string;
  installation_id: number | string | null;
  branch: string;
  sha: string | null;
  config: string;
  config_error: string | null;
  last_sync_at: string | null;
  last_error: string | null;
  file_count: number;
  skipped: string;
}

export function toRepoState(row: RepoRow): RepoState {
  return {
    id: asNumber(row.id),
    owner: row.owner,
    name: row.name,
    private: row.private,
    defaultBranch: row.default_branch,
    installationId: asNullableNumber(row.installation_id),
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

export function toColumnValue(key: keyof RepoPatch, value: unknown): unknown {
  if (key === "config") return JSON.stringify(value);
  return value ?? null;
}

export const fullNameKey = (owner: string, name: string) => `${owner}/${name}`.toLowerCase();
