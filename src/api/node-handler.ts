import { type IncomingMessage, Server, type ServerResponse } from "node:http";
import type { Logger } from "probot";
import type { ApiRequest, ApiResponse } from "./api-types.js";
import { answerThenDrain } from "./drain-request.js";
import { encodeResponse } from "./encode-response.js";
import type { HttpHandler } from "./http-handler.js";
import { readNodeBody } from "./read-node-body.js";
import type { Router } from "./router.js";
import { applyServerLimits, bodyWithheld } from "./server-limits.js";

/**
 * Puts the router behind Probot's node:http server: answers the paths the router owns (returning
 * true) and leaves every other one, e.g. `/api/github/webhooks`, to the next handler (false).
 */
export function createNodeHandler(router: Router, options: { maxBodyBytes: number; log: Logger }): HttpHandler {
  return async (req, res) => {
    // Probot's run() does not hand out its server, so the limits are set from the first request on it.
    const server = serverOf(req);
    if (server) applyServerLimits(server, { owns: router.owns, maxBodyBytes: options.maxBodyBytes });
    const url = req.url ?? "/";
    const queryStart = url.indexOf("?");
    const path = queryStart === -1 ? url : url.slice(0, queryStart);
    if (!router.owns(path)) return false;

    const request: ApiRequest = {
      method: req.method ?? "GET",
      path,
      query: queryStart === -1 ? "" : url.slice(queryStart + 1),
      headers: headersOf(req),
    };
    let response: ApiResponse;
    try {
      response = await router.route({ ...request, body: await readNodeBody(req, options.maxBodyBytes) });
    } catch (error) {
      response = router.fail(request, error);
    }
    send(req, res, response, options.log);
    return true;
  };
}

/** The node:http server a request came in on: `socket.server`, the server that accepted the connection. */
function serverOf(req: IncomingMessage): Server | undefined {
  const { server } = req.socket as { server?: unknown };
  return server instanceof Server ? server : undefined;
}

function headersOf(req: IncomingMessage): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  return headers;
}

function send(req: IncomingMessage, res: ServerResponse, response: ApiResponse, log: Logger): void {
  const { status, headers, body } = encodeResponse(response);
  const content = req.method === "HEAD" ? undefined : body;
  res.once("error", (error) => log.debug({ err: error, path: req.url?.slice(0, 300) }, "data API response not delivered"));
  if (req.complete) {
    res.writeHead(status, headers).end(content);
    return;
  }
  if (bodyWithheld(req)) {
    // The client was told to keep its body (no 100 Continue): there is nothing to drain.
    res.writeHead(status, { ...headers, connection: "close" }).end(content);
    return;
  }
  answerThenDrain(req, res, status, headers, content);
}
