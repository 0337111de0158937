import { accountByEmail } from "../core/sim-core.js";
import { type DiffFile, EMPTY_TREE_OID } from "../git/bare-repo.js";
import type { ParsedCommit } from "../git/parse-commit.js";
import { HttpError, jsonResponse, pageWindow, paginate } from "../http/sim-http.js";
import { diffEntryShape, restCommitShape } from "../shapes/commit-shapes.js";
import type { RepoRecord } from "../state/world.js";
import { assertNotEmpty, requireCommit, resolveRef } from "./resolve.js";
import { type RestCall, type RestRoute, requireRepo } from "./rest-call.js";

/** GitHub's caps: changed files per comparison, and commits per comparison page. */
export const COMPARE_FILE_LIMIT = 300;
export const COMPARE_COMMIT_LIMIT = 250;

async function readCommits(repo: RepoRecord, oids: readonly string[]): Promise<ParsedCommit[]> {
  const commits = await Promise.all(oids.map((oid) => repo.git.readCommit(oid)));
  return commits.map((commit, index) => {
    if (!commit) throw new Error(`commit ${oids[index]} vanished`);
    return commit;
  });
}

function commitShaper(call: RestCall, repo: RepoRecord) {
  return (commit: ParsedCommit) => restCommitShape(commit, repo, call.core.urls, (email) => accountByEmail(call.core.world, email));
}

async function getCommit(call: RestCall) {
  const repo = requireRepo(call, "read");
  const oid = await requireCommit(repo, call.params.ref);
  if (/application\/vnd\.github(\.v3)?\.sha/.test(call.request.headers.accept ?? "")) {
    return { status: 200, headers: { "content-type": "application/vnd.github.sha; charset=utf-8" }, body: Buffer.from(oid) };
  }
  const [commit] = await readCommits(repo, [oid]);
  const files = await repo.git.diff(commit!.parents[0] ?? EMPTY_TREE_OID, oid);
  const additions = files.reduce((sum, file) => sum + file.additions, 0);
  const deletions = files.reduce((sum, file) => sum + file.deletions, 0);
  const { page, headers } = paginate(files, call.query, call.request.url, COMPARE_FILE_LIMIT);
  return jsonResponse(
    200,
    {
      ...commitShaper(call, repo)(commit!),
      stats: { total: additions + deletions, additions, deletions },
      files: page.map((file) => diffEntryShape(file, repo, call.core.urls, oid)),
    },
    headers,
  );
}

async function listCommits(call: RestCall) {
  const repo = requireRepo(call, "read");
  assertNotEmpty(repo);
  const start = await resolveRef(repo, call.query.get("sha") || repo.defaultBranch);
  if (!start) throw new HttpError(404, "Not Found");
  const filePath = call.query.get("path") ?? undefined;
  const total = await repo.git.countCommits(start, filePath);
  const { perPage, page, headers } = pageWindow(total, call.query, call.request.url);
  const oids = await repo.git.history(start, { skip: (page - 1) * perPage, limit: perPage, ...(filePath ? { path: filePath } : {}) });
  return jsonResponse(200, (await readCommits(repo, oids)).map(commitShaper(call, repo)), headers);
}

function splitBasehead(call: RestCall): [string, string] {
  if (call.params.base !== undefined && call.params.head !== undefined) return [call.params.base, call.params.head];
  const basehead = call.params.basehead ?? "";
  const separator = basehead.indexOf("...");
  if (separator < 0) throw new HttpError(404, "Not Found");
  return [basehead.slice(0, separator), basehead.slice(separator + 3)];
}

/**
 * GET compare/{base}...{head}: GitHub's three-dot comparison (from the merge base to head),
 * with its caps: at most 300 files (first page only) and 250 commits (unless paginated).
 */
async function compare(call: RestCall) {
  const repo = requireRepo(call, "read");
  assertNotEmpty(repo);
  const [baseRef, headRef] = splitBasehead(call);
  const [base, head] = await Promise.all([resolveRef(repo, baseRef), resolveRef(repo, headRef)]);
  if (!base || !head) throw new HttpError(404, "Not Found");
  const mergeBase = await repo.git.mergeBase(base, head);
  if (!mergeBase) throw new HttpError(404, `No common ancestor between ${baseRef} and ${headRef}.`);
  const [aheadIds, behindIds] = await Promise.all([repo.git.commitsBetween([mergeBase], head), repo.git.commitsBetween([mergeBase], base)]);
  const aheadBy = aheadIds.length;
  const behindBy = behindIds.length;
  const status = aheadBy > 0 && behindBy > 0 ? "diverged" : aheadBy > 0 ? "ahead" : behindBy > 0 ? "behind" : "identical";
  const paginated = call.query.has("page") || call.query.has("per_page");
  let pageIds = aheadIds.slice(0, COMPARE_COMMIT_LIMIT);
  let headers: Record<string, string> = {};
  if (paginated) ({ page: pageIds, headers } = paginate(aheadIds, call.query, call.request.url, COMPARE_COMMIT_LIMIT));
  const firstPage = !paginated || (Number(call.query.get("page")) || 1) === 1;
  const files: DiffFile[] = firstPage ? (await repo.git.diff(mergeBase, head)).slice(0, COMPARE_FILE_LIMIT) : [];
  const [baseCommit, mergeBaseCommit] = await readCommits(repo, [base, mergeBase]);
  const shape = commitShaper(call, repo);
  const html = call.core.urls.repoHtml(repo);
  const api = call.core.urls.repoApi(repo);
  return jsonResponse(
    200,
    {
      url: `${api}/compare/${baseRef}...${headRef}`,
      html_url: `${html}/compare/${baseRef}...${headRef}`,
      permalink_url: `${html}/compare/${repo.owner.login}:${base.slice(0, 7)}...${repo.owner.login}:${head.slice(0, 7)}`,
      diff_url: `${html}/compare/${baseRef}...${headRef}.diff`,
      patch_url: `${html}/compare/${baseRef}...${headRef}.patch`,
      base_commit: shape(baseCommit!),
      merge_base_commit: shape(mergeBaseCommit!),
      status,
      ahead_by: aheadBy,
      behind_by: behindBy,
      total_commits: aheadBy,
      commits: (await readCommits(repo, pageIds)).map(shape),
      files: files.map((file) => diffEntryShape(file, repo, call.core.urls, head)),
    },
    headers,
  );
}

export const commitsRoutes: Record<string, RestRoute> = {
  "GET /repos/{owner}/{repo}/commits/{ref}": { auth: "token", handler: getCommit },
  "GET /repos/{owner}/{repo}/commits": { auth: "token", handler: listCommits },
  "GET /repos/{owner}/{repo}/compare/{basehead}": { auth: "token", handler: compare },
  "GET /repos/{owner}/{repo}/compare/{base}...{head}": { auth: "token", handler: compare },
};
