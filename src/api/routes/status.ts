import type { RepoState } from "../../store/store.js";
import type { ApiDeps, JsonValue, Route } from "../api-types.js";
import { requireKey } from "../auth.js";
import { loadRepo } from "../load-repo.js";

/**
 * Contributes fields to `GET /status`. To report more (e.g. the write queue's `pendingWrites` and
 * `lastCommitAt`), write one and append it to STATUS_FIELDS; later entries win on a name clash.
 */
export type StatusFields = (repo: RepoState, deps: ApiDeps) => Promise<Record<string, JsonValue>>;

const mirrorStatus: StatusFields = async (repo) => ({
  owner: repo.owner,
  repo: repo.name,
  branch: repo.branch,
  sha: repo.sha,
  files: repo.files,
  private: repo.private,
  lastSyncAt: repo.lastSyncAt,
  lastError: repo.lastError,
  configError: repo.configError,
});

/** The write queue: what is waiting, the last commit, and why the last attempt failed (null once one succeeds). */
const writeStatus: StatusFields = async (repo, deps): Promise<Record<string, JsonValue>> => {
  if (!deps.writeback) return {};
  const status = await deps.writeback.status(repo.id);
  return {
    pendingWrites: status.pendingWrites,
    lastCommit: status.lastCommit,
    lastCommitAt: status.lastCommitAt === null ? null : new Date(status.lastCommitAt).toISOString(),
    lastWriteError: status.lastError,
  };
};

export const STATUS_FIELDS: readonly StatusFields[] = [mirrorStatus, writeStatus];

export const statusRoutes: Route[] = [
  {
    method: "GET",
    pattern: "/v1/repos/{owner}/{repo}/status",
    async handle(context) {
      const repo = await loadRepo(context);
      if (repo.private) requireKey(context.access, context.deps.config.apiKey, `the status of ${repo.owner}/${repo.name}`);
      const parts = await Promise.all(STATUS_FIELDS.map((fields) => fields(repo, context.deps)));
      return { status: 200, headers: { "cache-control": "no-store" }, body: Object.assign({}, ...parts) };
    },
  },
];
