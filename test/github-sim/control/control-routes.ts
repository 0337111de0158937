import type { CreateRepoOptions, PushOptions } from "../core/control-types.js";
import type { FaultSpec } from "../http/fault-injector.js";
import { HttpError } from "../http/sim-http.js";
import type { Simulator } from "../simulator.js";
import { isRepoRole, REPO_ROLES } from "../state/world.js";

type ControlAction = (sim: Simulator, input: { params: string[]; body: Record<string, unknown>; query: URLSearchParams }) => unknown;

/** One route of the control API: what the router matches, and what `GET /_sim` and `npm run sim` list. */
export interface ControlRoute {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Relative to /_sim; ":name" is one path segment, ":name*" the rest of the path. */
  path: string;
  /** The JSON body (or query) it takes. */
  takes?: string;
  about: string;
  action: ControlAction;
}

const repoName = (params: string[]) => `${params[0]}/${params[1]}`;

/**
 * The control API over HTTP (JSON in, JSON out), one route per Simulator method, for driving a
 * simulator started with `npm run sim` from another process. The one list of its routes: the
 * router, `GET /_sim` and the printed help all read it.
 */
export const CONTROL_ROUTES: readonly ControlRoute[] = [
  {
    method: "GET",
    path: "",
    about: "URLs, app, token, env, and these routes",
    action: (sim) => ({
      url: sim.url,
      apiUrl: sim.apiUrl,
      graphqlUrl: sim.graphqlUrl,
      app: sim.app,
      personalAccessToken: sim.personalAccessToken,
      user: sim.user,
      env: sim.env(),
      routes: controlRouteList(),
    }),
  },
  {
    method: "POST",
    path: "/repos",
    takes: "{owner, name, private?, defaultBranch?, files?: {path: content}}",
    about: "create a repository",
    action: (sim, { body }) => sim.createRepo(body as unknown as CreateRepoOptions),
  },
  {
    method: "GET",
    path: "/repos/:owner/:repo",
    about: "a repository: id, default branch, branch heads",
    action: (sim, { params }) => sim.repo(repoName(params)),
  },
  {
    method: "PATCH",
    path: "/repos/:owner/:repo",
    takes: "{name?, private?, default_branch?}",
    about: "rename, change visibility or default branch (repository webhook)",
    action: async (sim, { params, body }) => {
      let fullName = repoName(params);
      if (typeof body.default_branch === "string") await sim.setDefaultBranch(fullName, body.default_branch);
      if (typeof body.private === "boolean") sim.setPrivate(fullName, body.private);
      if (typeof body.name === "string") fullName = sim.renameRepo(fullName, body.name).fullName;
      return sim.repo(fullName);
    },
  },
  {
    method: "DELETE",
    path: "/repos/:owner/:repo",
    about: "delete a repository",
    action: (sim, { params }) => sim.deleteRepo(repoName(params)),
  },
  {
    method: "POST",
    path: "/repos/:owner/:repo/push",
    takes: "{branch?, parent?, pusher?, commits: [{message?, files?: {path: content | {base64} | null}, renames?: {from: to}}]}",
    about: "push commits (push webhook)",
    action: (sim, { params, body }) => sim.push(repoName(params), body as unknown as PushOptions),
  },
  {
    method: "PUT",
    path: "/repos/:owner/:repo/branches/:branch*",
    takes: "{sha, pusher?}",
    about: "point a branch at a commit (create, force-push)",
    action: (sim, { params, body }) =>
      sim.setBranch(repoName(params), params[2]!, String(body.sha), typeof body.pusher === "string" ? { pusher: body.pusher } : {}),
  },
  {
    method: "DELETE",
    path: "/repos/:owner/:repo/branches/:branch*",
    takes: "?allow_default=true",
    about: "delete a branch",
    action: (sim, { params, query }) =>
      sim.deleteBranch(repoName(params), params[2]!, { allowDefault: query.get("allow_default") === "true" }),
  },
  {
    method: "PUT",
    path: "/repos/:owner/:repo/collaborators/:login",
    takes: `{permission: ${REPO_ROLES.map((role) => `"${role}"`).join(" | ")}}`,
    about: "give a person a role on a repository (GET /repos/{owner}/{repo} shows it as permissions)",
    action: (sim, { params, body }) => {
      if (!isRepoRole(body.permission)) throw new HttpError(400, `permission must be one of ${REPO_ROLES.join(", ")}`);
      sim.setCollaborator(repoName(params), params[2]!, body.permission);
    },
  },
  {
    method: "DELETE",
    path: "/repos/:owner/:repo/collaborators/:login",
    about: "take a person's role on a repository away",
    action: (sim, { params }) => sim.setCollaborator(repoName(params), params[2]!, null),
  },
  {
    method: "GET",
    path: "/repos/:owner/:repo/tree",
    takes: "?ref=",
    about: "every file at a ref",
    action: (sim, { params, query }) => sim.tree(repoName(params), query.get("ref") ?? undefined),
  },
  {
    method: "GET",
    path: "/repos/:owner/:repo/file",
    takes: "?path=&ref=",
    about: "a file's bytes, as {base64}",
    action: async (sim, { params, query }) => {
      const content = await sim.readFile(repoName(params), query.get("path") ?? "", query.get("ref") ?? undefined);
      if (!content) throw new HttpError(404, "Not Found");
      return { base64: content.toString("base64") };
    },
  },
  {
    method: "POST",
    path: "/installations",
    takes: '{account, repositories: "all" | [names]}',
    about: "install the app (installation webhook)",
    action: (sim, { body }) => sim.install(String(body.account), (body.repositories as "all" | string[]) ?? "all"),
  },
  {
    method: "POST",
    path: "/installations/:account/remove",
    takes: "{repositories: [names]}",
    about: "remove repositories from the installation",
    action: (sim, { params, body }) => sim.removeFromInstallation(params[0]!, (body.repositories as string[]) ?? []),
  },
  { method: "DELETE", path: "/installations/:account", about: "uninstall the app", action: (sim, { params }) => sim.uninstall(params[0]!) },
  {
    method: "PUT",
    path: "/webhook",
    takes: "{url}",
    about: "where the app's webhooks go",
    action: (sim, { body }) => sim.setWebhookUrl(typeof body.url === "string" ? body.url : null),
  },
  {
    method: "PUT",
    path: "/oauth/callback",
    takes: "{url}",
    about: "the app's registered OAuth callback URL (null: any redirect_uri)",
    action: (sim, { body }) => sim.setOAuthCallbackUrl(typeof body.url === "string" ? body.url : null),
  },
  {
    method: "GET",
    path: "/webhooks/deliveries",
    takes: "?event=",
    about: "every webhook delivery and its outcome",
    action: (sim, { query }) =>
      sim.webhooks.deliveries(query.has("event") ? { event: query.get("event")! } : {}).map(({ body: _body, ...rest }) => rest),
  },
  {
    method: "POST",
    path: "/webhooks/faults",
    takes: "{drop?: n | duplicate?: n, event?, hookId?, newGuid?}",
    about: "drop or duplicate the next deliveries",
    action: (sim, { body }) => {
      const filter = {
        ...(typeof body.event === "string" ? { event: body.event } : {}),
        ...(typeof body.hookId === "number" ? { hookId: body.hookId } : {}),
      };
      if (typeof body.drop === "number") sim.webhooks.drop(body.drop, filter);
      if (typeof body.duplicate === "number") sim.webhooks.duplicate(body.duplicate, filter, { newGuid: body.newGuid === true });
    },
  },
  { method: "POST", path: "/webhooks/hold", about: "hold every new delivery", action: (sim) => sim.webhooks.hold() },
  {
    method: "POST",
    path: "/webhooks/release",
    takes: '{order?: "fifo" | "reverse"}',
    about: "send the held deliveries one by one",
    action: (sim, { body }) => ({ released: sim.webhooks.release(body.order === "reverse" ? "reverse" : "fifo") }),
  },
  {
    method: "POST",
    path: "/webhooks/settled",
    about: "wait until no delivery is in flight",
    action: async (sim) => sim.webhooks.settled(),
  },
  {
    method: "POST",
    path: "/faults",
    takes: "{endpoint?, kind, times?, …}",
    about: "arm a REST/GraphQL fault (error, rate limits, latency, lose-response)",
    action: (sim, { body }) => ({ id: sim.faults.inject(body as unknown as FaultSpec) }),
  },
  { method: "GET", path: "/faults", about: "the armed faults", action: (sim) => sim.faults.pending() },
  { method: "DELETE", path: "/faults", about: "disarm every fault", action: (sim) => sim.faults.clear() },
  { method: "GET", path: "/metrics", about: "requests and bytes per endpoint", action: (sim) => sim.metrics.snapshot() },
  { method: "DELETE", path: "/metrics", about: "reset the counts", action: (sim) => sim.metrics.reset() },
  { method: "GET", path: "/violations", about: "requests GitHub would not have served", action: (sim) => sim.violations() },
  { method: "DELETE", path: "/violations", about: "forget them", action: (sim) => sim.clearViolations() },
];

/** The routes as `GET /_sim` lists them. */
export function controlRouteList(): Array<Pick<ControlRoute, "method" | "path" | "takes" | "about">> {
  return CONTROL_ROUTES.map(({ method, path, takes, about }) => ({
    method,
    path: `/_sim${path.replace(/\*/g, "")}`,
    ...(takes ? { takes } : {}),
    about,
  }));
}
