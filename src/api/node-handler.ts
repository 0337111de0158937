import { type IncomingMessage, Server } from "node:http";
import { getRequestListener } from "@hono/node-server";
import type { Logger } from "probot";
import { BadRequestError, messageOf } from "../errors.js";
import { type ApiApp, ownsPath } from "./api-app.js";
import { drainRequest } from "./drain-request.js";
import { errorResponse } from "./error-response.js";
import { toFetchResponse } from "./fetch-response.js";
import type { HttpHandler } from "./http-handler.js";
import { readNodeBody } from "./read-node-body.js";
import { pathOf } from "./route-handler.js";
import { CALLBACK_PATH } from "./routes/auth.js";
import { applyServerLimits, bodyWithheld } from "./server-limits.js";

/**
 * Puts the data API's Hono app behind Probot's node:http server, through @hono/node-server: answers the
 * paths the API owns (returning true) and leaves every other one, e.g. `/api/github/webhooks`, to the next
 * handler (false). The app gets the raw target and reads the body itself (readNodeBody), so node-server's
 * own body handling and clean-up stay off; a body left unread is dealt with here (`closingAfterBody`).
 */
export function createNodeHandler(app: ApiApp, options: { maxBodyBytes: number; log: Logger }): HttpHandler {
  const listener = getRequestListener(
    async (request, env) => {
      const incoming = env.incoming as IncomingMessage;
      const target = incoming.url ?? "/";
      // Probot's access log prints req.url when the answer is sent: a sign-in's one-time code and state stay out of it.
      if (pathOf(target) === CALLBACK_PATH) incoming.url = CALLBACK_PATH;
      const response = await app.fetch(request, { target, readBody: (limit) => readNodeBody(incoming, limit) });
      return incoming.complete ? response : closingAfterBody(response, incoming);
    },
    {
      // An HTTP/1.0 request may come without Host: the app reads the raw target, never the host.
      hostname: "localhost",
      autoCleanupIncoming: false,
      // node-server could not build a Request (a malformed Host or absolute URL): nothing was routed.
      errorHandler: (error) =>
        toFetchResponse(errorResponse(new BadRequestError(`the request cannot be read: ${messageOf(error)}`), UNREAD, options.log)),
    },
  );
  return async (req, res) => {
    // Probot's run() does not hand out its server, so the limits are set from the first request on it.
    const server = serverOf(req);
    if (server) applyServerLimits(server, { owns: ownsPath, maxBodyBytes: options.maxBodyBytes });
    if (!ownsPath(pathOf(req.url ?? "/"))) return false;
    res.once("error", (error) => options.log.debug({ err: error, path: req.url?.slice(0, 300) }, "data API response not delivered"));
    await listener(req, res);
    return true;
  };
}

const UNREAD = { method: "-", path: "-", query: "", headers: {} };

/** The node:http server a request came in on: `socket.server`, the server that accepted the connection. */
function serverOf(req: IncomingMessage): Server | undefined {
  const { server } = req.socket as { server?: unknown };
  return server instanceof Server ? server : undefined;
}

/**
 * The answer to a request whose body was not read to its end (refused before, or part way): its connection
 * cannot carry another request. When the client was told to keep its body (no 100 Continue) there is nothing
 * more to come; otherwise the answer goes at once but ends only once the client has sent the rest (within
 * drain-request.ts's limits): closing while it still sends makes its kernel reset the connection, and most
 * clients then report a network error instead of the answer they were sent.
 */
async function closingAfterBody(response: Response, incoming: IncomingMessage): Promise<Response> {
  const headers = new Headers(response.headers);
  headers.set("connection", "close");
  const content = response.body === null ? undefined : new Uint8Array(await response.arrayBuffer());
  const init = { status: response.status, headers };
  if (bodyWithheld(incoming)) return new Response(content ?? null, init);
  const held = new ReadableStream<Uint8Array>({
    start(controller) {
      if (content) controller.enqueue(content);
      void drainRequest(incoming).then(() => controller.close());
    },
  });
  return new Response(held, init);
}
