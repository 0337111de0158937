import { nodeId } from "../state/node-id.js";
import type { RepoRecord, RepoRole } from "../state/world.js";
import { roleAtLeast } from "../state/world.js";
import { userShape } from "./account-shapes.js";
import { isoDate as iso } from "./iso-date.js";
import type { SimUrls } from "./sim-urls.js";

/** The fields a repository has both in REST answers and in webhook payloads. */
function commonRepositoryFields(repo: RepoRecord, urls: SimUrls) {
  const api = urls.repoApi(repo);
  const html = urls.repoHtml(repo);
  const host = new URL(urls.web).host;
  return {
    id: repo.id,
    node_id: nodeId("Repository", repo.id),
    name: repo.name,
    full_name: `${repo.owner.login}/${repo.name}`,
    private: repo.private,
    owner: userShape(repo.owner, urls),
    html_url: html,
    description: repo.description,
    fork: false,
    url: api,
    forks_url: `${api}/forks`,
    keys_url: `${api}/keys{/key_id}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    teams_url: `${api}/teams`,
    hooks_url: `${api}/hooks`,
    issue_events_url: `${api}/issues/events{/number}`,
    events_url: `${api}/events`,
    assignees_url: `${api}/assignees{/user}`,
    branches_url: `${api}/branches{/branch}`,
    tags_url: `${api}/tags`,
    blobs_url: `${api}/git/blobs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    trees_url: `${api}/git/trees{/sha}`,
    statuses_url: `${api}/statuses/{sha}`,
    languages_url: `${api}/languages`,
    stargazers_url: `${api}/stargazers`,
    contributors_url: `${api}/contributors`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    commits_url: `${api}/commits{/sha}`,
    git_commits_url: `${api}/git/commits{/sha}`,
    comments_url: `${api}/comments{/number}`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    contents_url: `${api}/contents/{+path}`,
    compare_url: `${api}/compare/{base}...{head}`,
    merges_url: `${api}/merges`,
    archive_url: `${api}/{archive_format}{/ref}`,
    downloads_url: `${api}/downloads`,
    issues_url: `${api}/issues{/number}`,
    pulls_url: `${api}/pulls{/number}`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    labels_url: `${api}/labels{/name}`,
    releases_url: `${api}/releases{/id}`,
    deployments_url: `${api}/deployments`,
    updated_at: iso(repo.updatedAt),
    git_url: `git://${host}/${repo.owner.login}/${repo.name}.git`,
    ssh_url: `git@${host}:${repo.owner.login}/${repo.name}.git`,
    clone_url: `${html}.git`,
    svn_url: html,
    homepage: null,
    size: 0,
    stargazers_count: 0,
    watchers_count: 0,
    language: null,
    has_issues: true,
    has_projects: true,
    has_downloads: true,
    has_wiki: true,
    has_pages: false,
    has_discussions: false,
    forks_count: 0,
    mirror_url: null,
    archived: false,
    disabled: false,
    open_issues_count: 0,
    license: null,
    allow_forking: true,
    is_template: false,
    web_commit_signoff_required: false,
    topics: [] as string[],
    visibility: repo.private ? "private" : "public",
    forks: 0,
    open_issues: 0,
    watchers: 0,
    default_branch: repo.defaultBranch,
  };
}

/** GET /repos/{owner}/{repo} ("full-repository"), with the caller's role as `permissions`. */
export function fullRepositoryShape(repo: RepoRecord, urls: SimUrls, role: RepoRole | null) {
  return {
    ...commonRepositoryFields(repo, urls),
    created_at: iso(repo.createdAt),
    pushed_at: repo.pushedAt ? iso(repo.pushedAt) : null,
    permissions: {
      admin: roleAtLeast(role, "admin"),
      maintain: roleAtLeast(role, "maintain"),
      push: roleAtLeast(role, "push"),
      triage: roleAtLeast(role, "triage"),
      pull: roleAtLeast(role, "pull") || !repo.private,
    },
    network_count: 0,
    subscribers_count: 0,
    custom_properties: {},
  };
}

/**
 * A repository inside a webhook payload. Push events carry GitHub's older format: timestamps as
 * Unix seconds and an owner with name and email.
 */
export function webhookRepositoryShape(repo: RepoRecord, urls: SimUrls, format: "push" | "event") {
  const common = commonRepositoryFields(repo, urls);
  if (format === "event") {
    return { ...common, created_at: iso(repo.createdAt), pushed_at: repo.pushedAt ? iso(repo.pushedAt) : null, custom_properties: {} };
  }
  const seconds = (date: Date) => Math.floor(date.getTime() / 1000);
  return {
    ...common,
    owner: { name: repo.owner.login, email: repo.owner.email, ...common.owner },
    created_at: seconds(repo.createdAt),
    pushed_at: repo.pushedAt ? seconds(repo.pushedAt) : null,
    stargazers: 0,
    master_branch: repo.defaultBranch,
    custom_properties: {},
    ...(repo.owner.type === "Organization" ? { organization: repo.owner.login } : {}),
  };
}

/** The short form used in installation payloads and token answers. */
export function repositoryRefShape(repo: RepoRecord) {
  return {
    id: repo.id,
    node_id: nodeId("Repository", repo.id),
    name: repo.name,
    full_name: `${repo.owner.login}/${repo.name}`,
    private: repo.private,
  };
}
