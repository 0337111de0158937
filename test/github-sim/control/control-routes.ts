import type { ControlHandler } from "../http/request-pipeline.js";
import { HttpError, jsonResponse, parseJsonBody, type SimRequest, type SimResponse } from "../http/sim-http.js";
import { GitCommandError } from "../git/run-git.js";
import { WorldError } from "../state/world.js";
import type { FaultSpec } from "../http/fault-injector.js";
import type { Simulator } from "../simulator.js";
import type { CreateRepoOptions, PushOptions } from "../core/control-types.js";

type ControlAction = (sim: Simulator, input: { params: string[]; body: Record<string, unknown>; query: URLSearchParams }) => unknown;

/**
 * The control API over HTTP (JSON in, JSON out), one route per Simulator method, for driving a
 * simulator started with `npm run sim` from another process. Paths are relative to /_sim.
 */
const routes: Array<[method: string, pattern: RegExp, action: ControlAction]> = [
  ["GET", /^$/, (sim) => ({ url: sim.url, apiUrl: sim.apiUrl, graphqlUrl: sim.graphqlUrl, app: sim.app, personalAccessToken: sim.personalAccessToken, user: sim.user, env: sim.env() })],
  ["POST", /^\/repos$/, (sim, { body }) => sim.createRepo(body as unknown as CreateRepoOptions)],
  ["GET", /^\/repos\/([^/]+)\/([^/]+)$/, (sim, { params }) => sim.repo(`${params[0]}/${params[1]}`)],
  [
    "PATCH",
    /^\/repos\/([^/]+)\/([^/]+)$/,
    async (sim, { params, body }) => {
      let fullName = `${params[0]}/${params[1]}`;
      if (typeof body.default_branch === "string") await sim.setDefaultBranch(fullName, body.default_branch);
      if (typeof body.private === "boolean") sim.setPrivate(fullName, body.private);
      if (typeof body.name === "string") fullName = sim.renameRepo(fullName, body.name).fullName;
      return sim.repo(fullName);
    },
  ],
  ["DELETE", /^\/repos\/([^/]+)\/([^/]+)$/, (sim, { params }) => sim.deleteRepo(`${params[0]}/${params[1]}`)],
  ["POST", /^\/repos\/([^/]+)\/([^/]+)\/push$/, (sim, { params, body }) => sim.push(`${params[0]}/${params[1]}`, body as unknown as PushOptions)],
  [
    "PUT",
    /^\/repos\/([^/]+)\/([^/]+)\/branches\/(.+)$/,
    (sim, { params, body }) => sim.setBranch(`${params[0]}/${params[1]}`, params[2]!, String(body.sha), typeof body.pusher === "string" ? { pusher: body.pusher } : {}),
  ],
  [
    "DELETE",
    /^\/repos\/([^/]+)\/([^/]+)\/branches\/(.+)$/,
    (sim, { params, query }) => sim.deleteBranch(`${params[0]}/${params[1]}`, params[2]!, { allowDefault: query.get("allow_default") === "true" }),
  ],
  ["GET", /^\/repos\/([^/]+)\/([^/]+)\/tree$/, (sim, { params, query }) => sim.tree(`${params[0]}/${params[1]}`, query.get("ref") ?? undefined)],
  [
    "GET",
    /^\/repos\/([^/]+)\/([^/]+)\/file$/,
    async (sim, { params, query }) => {
      const content = await sim.readFile(`${params[0]}/${params[1]}`, query.get("path") ?? "", query.get("ref") ?? undefined);
      if (!content) throw new HttpError(404, "Not Found");
      return { base64: content.toString("base64") };
    },
  ],
  ["POST", /^\/installations$/, (sim, { body }) => sim.install(String(body.account), (body.repositories as "all" | string[]) ?? "all")],
  ["POST", /^\/installations\/([^/]+)\/remove$/, (sim, { params, body }) => sim.removeFromInstallation(params[0]!, (body.repositories as string[]) ?? [])],
  ["DELETE", /^\/installations\/([^/]+)$/, (sim, { params }) => sim.uninstall(params[0]!)],
  ["PUT", /^\/webhook$/, (sim, { body }) => sim.setWebhookUrl(typeof body.url === "string" ? body.url : null)],
  ["GET", /^\/webhooks\/deliveries$/, (sim, { query }) => sim.webhooks.deliveries(query.has("event") ? { event: query.get("event")! } : {}).map(({ body: _body, ...rest }) => rest)],
  [
    "POST",
    /^\/webhooks\/faults$/,
    (sim, { body }) => {
      const filter = typeof body.event === "string" ? { event: body.event } : {};
      if (typeof body.drop === "number") sim.webhooks.drop(body.drop, filter);
      if (typeof body.duplicate === "number") sim.webhooks.duplicate(body.duplicate, filter, { newGuid: body.newGuid === true });
    },
  ],
  ["POST", /^\/webhooks\/hold$/, (sim) => sim.webhooks.hold()],
  ["POST", /^\/webhooks\/release$/, (sim, { body }) => ({ released: sim.webhooks.release(body.order === "reverse" ? "reverse" : "fifo") })],
  ["POST", /^\/webhooks\/settled$/, async (sim) => sim.webhooks.settled()],
  ["POST", /^\/faults$/, (sim, { body }) => ({ id: sim.faults.inject(body as unknown as FaultSpec) })],
  ["GET", /^\/faults$/, (sim) => sim.faults.pending()],
  ["DELETE", /^\/faults$/, (sim) => sim.faults.clear()],
  ["GET", /^\/metrics$/, (sim) => sim.metrics.snapshot()],
  ["DELETE", /^\/metrics$/, (sim) => sim.metrics.reset()],
  ["GET", /^\/violations$/, (sim) => sim.violations()],
  ["DELETE", /^\/violations$/, (sim) => sim.clearViolations()],
];

export function createControlHandler(simulator: () => Simulator): ControlHandler {
  return async (request: SimRequest): Promise<SimResponse> => {
    const relative = request.url.pathname.slice("/_sim".length);
    for (const [method, pattern, action] of routes) {
      const match = method === request.method ? pattern.exec(relative) : null;
      if (!match) continue;
      try {
        const parsed = parseJsonBody(request.body);
        const body = parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
        const params = match.slice(1).map((part) => decodeURIComponent(part));
        const result = await action(simulator(), { params, body, query: request.url.searchParams });
        return jsonResponse(200, result ?? { ok: true });
      } catch (error) {
        if (error instanceof HttpError) return error.toResponse();
        if (error instanceof WorldError || error instanceof GitCommandError) return jsonResponse(400, { error: error.message });
        return jsonResponse(500, { error: error instanceof Error ? error.message : String(error) });
      }
    }
    return jsonResponse(404, { error: `no control route ${request.method} /_sim${relative}` });
  };
}
