import type { RepoPatch } from "./store.js";

/** The column of the `repos` table each field of a RepoPatch is stored in: the same in every backend's schema. */
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
