import { nodeId } from "../state/node-id.js";
import type { Account } from "../state/world.js";
import type { SimUrls } from "./sim-urls.js";

/** GitHub's "simple-user": how a person, organization or bot appears inside other objects. */
export function userShape(account: Account, urls: SimUrls) {
  // Bot logins end in "[bot]", which GitHub percent-encodes in URLs.
  const api = `${urls.api}/users/${encodeURIComponent(account.login)}`;
  return {
    login: account.login,
    id: account.id,
    node_id: nodeId(account.type === "Organization" ? "Organization" : account.type === "Bot" ? "Bot" : "User", account.id),
    avatar_url: urls.avatar(account),
    gravatar_id: "",
    url: api,
    html_url: urls.userHtml(account),
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: account.type,
    site_admin: false,
  };
}

/** GET /user: the signed-in person ("private-user"). */
export function privateUserShape(account: Account, urls: SimUrls, publicRepos: number) {
  const created = "2020-01-01T00:00:00Z";
  return {
    ...userShape(account, urls),
    name: account.name,
    company: null,
    blog: "",
    location: null,
    email: account.email,
    hireable: null,
    bio: null,
    twitter_username: null,
    public_repos: publicRepos,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: created,
    updated_at: created,
    private_gists: 0,
    total_private_repos: 0,
    owned_private_repos: 0,
    disk_usage: 0,
    collaborators: 0,
    two_factor_authentication: false,
  };
}
