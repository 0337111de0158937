import type { RepoState, SkippedFile } from "../../store/store.js";
import type { ApiDeps, JsonValue, Route } from "../api-types.js";
import { loadWritingRepo } from "../load-repo.js";

/**
 * Contributes fields to `GET /status`. To report more (e.g. the write queue's `pendingWrites` and
 * `lastCommitAt`), write one and append it to STATUS_FIELDS; later entries win on a name clash.
 */
export type StatusFields = (repo: RepoState, deps: ApiDeps) => Promise<Record<string, JsonValue>>;

/** Enough to act on; a mirror over its byte cap may leave thousands of files out. */
const SKIPPED_LISTED = 100;

/** What the skipped files mean for the site, when it is a problem (a file over `maxFileBytes` was configured so). */
function skippedProblem(skipped: readonly SkippedFile[]): string | null {
  const overCap = skipped.filter((file) => file.cause === "repo-full");
  const failed = skipped.filter((file) => file.cause === "fetch-failed");
  const problems = [
    ...(overCap.length > 0 ? [`${overCap[0]!.reason}: ${overCap.length} files not mirrored`] : []),
    ...(failed.length > 0 ? [`${failed.length} files not mirrored, first ${failed[0]!.path}: ${failed[0]!.reason}`] : []),
  ];
  return problems.length > 0 ? problems.join("; ") : null;
}

const mirrorStatus: StatusFields = async (repo) => ({
  owner: repo.owner,
  repo: repo.name,
  mirrored: true,
  branch: repo.branch,
  sha: repo.sha,
  files: repo.files,
  private: repo.private,
  lastSyncAt: repo.lastSyncAt,
  lastError: repo.lastError ?? skippedProblem(repo.skipped),
  configError: repo.configError,
  skipped: repo.skipped.length,
  skippedFiles: repo.skipped.slice(0, SKIPPED_LISTED).map(({ path, reason }) => ({ path, reason })),
});

/** The write queue: what is waiting, the last commit, and why the last attempt failed (null once one succeeds). */
const writeStatus: StatusFields = (repo, deps) => writeQueueStatus(repo.id, deps);

async function writeQueueStatus(repoId: number, deps: ApiDeps): Promise<Record<string, JsonValue>> {
  if (!deps.writeback) return {};
  const status = await deps.writeback.status(repoId);
  return {
    pendingWrites: status.pendingWrites,
    lastCommit: status.lastCommit,
    lastCommitAt: status.lastCommitAt === null ? null : new Date(status.lastCommitAt).toISOString(),
    lastWriteError: status.lastError,
  };
}

/** A refused token or key stops every sync and commit: said where a site operator looks first. */
const credentialsStatus: StatusFields = async (_repo, deps) => {
  const fields: Record<string, JsonValue> = {};
  if (deps.githubAuth) fields.githubAuth = deps.githubAuth.summary;
  return fields;
};

const STATUS_FIELDS: readonly StatusFields[] = [mirrorStatus, writeStatus, credentialsStatus];

export const statusRoutes: Route[] = [
  {
    method: "GET",
    pattern: "/v1/repos/{owner}/{repo}/status",
    async handle(context) {
      const repo = await loadWritingRepo(context, { sessionSeesPrivate: false });
      const { mirror } = repo;
      // Uninstalled: no mirror to describe, but the fate of its writes (failed, with the reason) is still news.
      const parts = mirror
        ? await Promise.all(STATUS_FIELDS.map((fields) => fields(mirror, context.deps)))
        : [{ owner: repo.owner, repo: repo.name, mirrored: false }, await writeQueueStatus(repo.id, context.deps)];
      return { status: 200, headers: { "cache-control": "no-store" }, body: Object.assign({}, ...parts) };
    },
  },
];
